//! The intersection view: listed companies with CET patents and shipments. The table shows
//! every column (cut to fit); the panel under it shows the selected row's cells in full, the
//! column cursor on the cell Enter drills into.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use crate::app::intersect_view::{cell as cell_text, COLUMNS};
use crate::app::model::{Data, Model};
use crate::app::nav::View;
use tradescope_core::text::sanitize::sanitize;
use tradescope_store::intersect::IntersectRow;

use super::text::{cell, column_widths};
use super::theme::Theme;

/// Panel lines per column when the cell is long (top consignees, destinations).
fn panel_value(r: &IntersectRow, col: usize) -> String {
    match col {
        2 => r
            .cet_areas
            .iter()
            .map(|a| format!("{} {} ({})", a.code, a.patents, a.name))
            .collect::<Vec<_>>()
            .join(", "),
        6 => r
            .top_consignees
            .iter()
            .map(|c| {
                format!(
                    "{} ({}) {}",
                    c.name,
                    c.country.as_deref().unwrap_or("?"),
                    c.shipments
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        7 => r
            .top_destinations
            .iter()
            .map(|d| format!("{} {}", d.country, d.shipments))
            .collect::<Vec<_>>()
            .join(", "),
        3 => format!(
            "{} ({} shipped, {} received)",
            r.shipments, r.shipped, r.received
        ),
        4 => format!("{} shipments while listed", r.shipments_while_listed),
        8 => match &r.covered {
            Some(c) => format!("{} ({}) — {}", c.group, c.relation, c.basis),
            None => "no".into(),
        },
        _ => cell_text(r, col),
    }
}

/// Where Enter on each column leads (the panel's right side).
const DRILL: [&str; 9] = [
    "→ detail",
    "→ detail",
    "→ patents in the top area",
    "→ shipments",
    "→ shipments while listed",
    "→ shipments",
    "→ top consignee's shipments",
    "→ shipments to the top destination",
    "→ detail",
];

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let View::Intersect { sort, col } = &m.route().view else {
        return;
    };
    let col = *col;
    let [line, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Listed companies with CET patents AND shipments", t.bold()),
            Span::styled(
                format!("  sorted by {} (o)  ← → column, Enter drills", sort.label()),
                t.dim(),
            ),
        ])),
        line,
    );
    let rows = match &m.screen().data {
        Data::Intersect(rows) if !rows.is_empty() => rows,
        _ => {
            let text = super::placeholder_text(
                m,
                "No listed company has both CET patents and shipments in this database",
            );
            f.render_widget(Paragraph::new(Span::styled(text, t.dim())), rest);
            return;
        }
    };
    let table_h = (rows.len() as u16 + 1).min(rest.height / 2).max(2);
    let [table_area, panel] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Fill(1)]).areas(rest);
    let wide = area.width >= 120;
    let widths = [
        Constraint::Fill(4),
        Constraint::Length(if wide { 18 } else { 7 }),
        Constraint::Fill(2),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(if wide { 15 } else { 7 }),
        Constraint::Fill(3),
        Constraint::Fill(2),
        Constraint::Fill(if wide { 2 } else { 1 }),
    ];
    let cols = column_widths(table_area.width, &widths);
    let cur = m.route().cursor;
    let header = Row::new(COLUMNS.iter().enumerate().map(|(i, name)| {
        let style = if i == col {
            t.header().add_modifier(ratatui::style::Modifier::REVERSED)
        } else {
            t.header()
        };
        // 80 columns: the years of the first and last shipment.
        let name = if i == 5 && !wide { "Years" } else { name };
        Cell::from(Span::styled(
            cell(Some(name), cols.get(i).copied().unwrap_or(0)),
            style,
        ))
    }));
    let body = rows.iter().enumerate().map(|(ri, r)| {
        Row::new((0..COLUMNS.len()).map(|i| {
            let w = cols.get(i).copied().unwrap_or(0);
            let text = if i == 5 && !wide {
                // 80 columns: the years only.
                let y = |d: &Option<String>| {
                    d.as_deref()
                        .and_then(|d| d.get(2..4))
                        .unwrap_or("?")
                        .to_string()
                };
                format!("{}…{}", y(&r.first_ship_date), y(&r.last_ship_date))
            } else if i == 1 && !wide {
                r.lists.join(",")
            } else if i == 8 && !wide {
                if r.covered.is_some() { "yes" } else { "" }.to_string()
            } else {
                cell_text(r, i)
            };
            let style = if ri == cur && i == col {
                t.bold().add_modifier(ratatui::style::Modifier::UNDERLINED)
            } else {
                Style::new()
            };
            Cell::from(Span::styled(cell(Some(&sanitize(&text)), w), style))
        }))
    });
    let table = Table::new(body, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let mut state = TableState::new()
        .with_offset(m.route().scroll)
        .with_selected(Some(cur));
    f.render_stateful_widget(table, table_area, &mut state);

    let Some(r) = rows.get(cur) else { return };
    let label_w = COLUMNS.iter().map(|c| c.len()).max().unwrap_or(0) + 2;
    let mut lines = vec![Line::from(Span::styled(
        format!("{} — cells (← →, Enter drills)", sanitize(&r.name)),
        t.header(),
    ))];
    for (i, name) in COLUMNS.iter().enumerate() {
        let value = sanitize(&panel_value(r, i)).into_owned();
        let drill = if i == col { DRILL[i] } else { "" };
        let avail = (panel.width as usize).saturating_sub(label_w + drill.len() + 2);
        let mut line = Line::from(vec![
            Span::styled(format!("{name:<label_w$}"), t.bold()),
            Span::raw(cell(Some(&value), avail)),
            Span::styled(format!("  {drill}"), t.dim()),
        ]);
        if i == col {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), panel);
}
