//! The audit log, newest first, under the hash chain's verification status.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use crate::app::model::{Data, Model};
use tradescope_core::text::sanitize::sanitize;
use tradescope_store::audit::Record;

use super::text::{cell, column_widths};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let Data::Audit(a) = &m.screen().data else {
        let text = super::placeholder_text(m, "");
        f.render_widget(Paragraph::new(Span::styled(text, t.dim())), area);
        return;
    };
    let v = &a.verification;
    let status = match &v.problem {
        None => Span::styled(
            format!(
                "chain verified OK: {} records, head {}",
                v.rows,
                &v.head[..v.head.len().min(16)]
            ),
            t.bold(),
        ),
        Some((id, what)) => Span::styled(
            format!(
                "chain FAILED verification{}: {}",
                // 0: the log as a whole (its anchor, its key).
                if *id > 0 {
                    format!(" at record {id}")
                } else {
                    String::new()
                },
                sanitize(what)
            ),
            t.error(),
        ),
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Audit log ", t.bold()),
            status,
        ])),
        head,
    );
    if !m.route().evidence.is_empty() {
        draw_record(m, f, body, t);
        return;
    }
    if a.rows.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "Nothing recorded yet: searches, screenings, intersections, trails and exports \
                 are recorded here",
                t.dim(),
            )),
            body,
        );
        return;
    }
    let widths = [
        Constraint::Length(5),
        Constraint::Length(20),
        Constraint::Length(10),
        Constraint::Length(9),
        Constraint::Fill(3),
        Constraint::Fill(2),
    ];
    let cols = column_widths(body.width, &widths);
    let rows = a.rows.iter().map(|r| row(r, &cols));
    let table = Table::new(rows, widths)
        .header(
            Row::new(vec!["#", "At (UTC)", "User", "Action", "Query", "Results"]).style(t.header()),
        )
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

fn row<'a>(r: &Record, cols: &[usize]) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    Row::new(vec![
        Cell::from(r.id.to_string()),
        Cell::from(cell(Some(&r.at), w(1))),
        Cell::from(cell(Some(&sanitize(&r.user)), w(2))),
        Cell::from(cell(Some(&r.action), w(3))),
        Cell::from(cell(
            Some(&sanitize(r.query.as_deref().unwrap_or(""))),
            w(4),
        )),
        Cell::from(cell(Some(&sanitize(&r.results)), w(5))),
    ])
}

/// One record in full (Enter on a row): every column, wrapped.
fn draw_record(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let fields = &m.route().evidence;
    let lw = crate::app::detail_text::label_width(fields);
    let lines: Vec<Line> = crate::app::detail_text::field_lines(fields, area.width)
        .into_iter()
        .skip(m.route().field_scroll)
        .map(|l| {
            let label = l.label.unwrap_or_default();
            Line::from(vec![
                Span::styled(format!("{label:<lw$}"), t.bold()),
                Span::raw(l.text),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}
