//! The frequency table (`F`): value → count, share and a bar, most frequent first, over the
//! filter of the list it was opened from.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use crate::app::model::{Data, Model};
use crate::app::nav::View;
use tradescope_store::shipments::freq::FreqKey;

use super::text::{cell, column_widths, count_of, thousands};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let View::Frequency {
        base_label,
        column,
        patents,
        screening,
        ..
    } = &m.route().view
    else {
        return;
    };
    let (one, many) = if patents.is_some() {
        ("patent", "patents")
    } else if screening.is_some() {
        ("hit", "hits")
    } else {
        ("shipment", "shipments")
    };
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let over = match base_label {
        Some(l) => format!("[{}]", super::text::clean(Some(l))),
        None => format!("all {many}"),
    };
    let mut spans = vec![
        Span::styled(format!("Frequency of {} ", column.label()), t.bold()),
        Span::raw(format!("over {over}")),
    ];
    let tbl = match &m.screen().data {
        Data::Frequency(tbl) if !tbl.rows.is_empty() => tbl,
        _ => {
            f.render_widget(Paragraph::new(Line::from(spans)), head);
            let empty = format!("No {many} match the filter");
            let text = super::placeholder_text(m, &empty);
            let hint = if m.screen().loading {
                "  (Esc cancels)"
            } else {
                ""
            };
            f.render_widget(
                Paragraph::new(Span::styled(format!("{text}{hint}"), t.dim())),
                body,
            );
            return;
        }
    };
    let values = tbl.rows.len() as i64 + tbl.other_values;
    if let Some(sc) = tbl.scanned {
        // A partial table: the scan goes on; say how far, and how to stop it.
        let pct = 100 * sc.done / sc.total.max(1);
        spans.push(Span::styled(
            format!(
                " — scanning {pct}% ({} of {} ids), Esc stops",
                thousands(sc.done),
                thousands(sc.total)
            ),
            t.focus(),
        ));
    }
    spans.push(Span::styled(
        format!(
            " — {}, {}",
            count_of(tbl.total, one, many),
            count_of(values, "value", "values")
        ),
        t.dim(),
    ));
    if tbl.other_values > 0 {
        spans.push(Span::styled(
            format!(
                "; other {} values: {} rows",
                thousands(tbl.other_values),
                thousands(tbl.other_count)
            ),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), head);
    let widths = [
        Constraint::Fill(3),
        Constraint::Length(9),
        Constraint::Length(6),
        Constraint::Fill(2),
    ];
    let cols = column_widths(body.width, &widths);
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let max = tbl.rows.iter().map(|v| v.count).max().unwrap_or(1).max(1);
    let header = Row::new(vec![
        "Value".to_string(),
        format!("{:>9}", "Count▼"),
        format!("{:>6}", "Share"),
        String::new(),
    ])
    .style(t.header());
    let rows = tbl.rows.iter().map(|v| {
        let share = if tbl.total > 0 {
            100.0 * v.count as f64 / tbl.total as f64
        } else {
            0.0
        };
        let label = match v.key {
            FreqKey::Missing => Span::styled(v.label.clone(), t.dim()),
            _ => Span::raw(cell(Some(&v.label), w(0))),
        };
        Row::new(vec![
            Cell::from(label),
            Cell::from(format!("{:>9}", thousands(v.count))),
            Cell::from(format!("{share:>5.1}%")),
            Cell::from(Span::styled(bar(v.count, max, w(3)), t.link())),
        ])
    });
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

/// A horizontal bar of `n / max` of `width` cells, in eighths.
pub fn bar(n: i64, max: i64, width: usize) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if max <= 0 || width == 0 {
        return String::new();
    }
    let eighths = (n.max(0) as u128 * width as u128 * 8 / max as u128) as usize;
    let mut s = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        s.push(EIGHTHS[eighths % 8]);
    }
    if s.is_empty() && n > 0 {
        s.push('▏');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale_to_the_largest_count() {
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 1000, 4), "▏", "a non-zero count is never invisible");
        assert_eq!(bar(0, 10, 4), "");
    }
}
