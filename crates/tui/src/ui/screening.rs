//! The Entities pane in screening mode: the screening matcher's hits (one per listing) with
//! score, OFAC SLS-style score, the covered-equipment flag and the explanation of each hit.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::Text;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use crate::app::invest_data::Screening;
use crate::app::model::Model;
use tradescope_store::search::ListingHit;

use super::text::{cell, column_widths};
use super::theme::Theme;

pub fn draw(m: &Model, s: &Screening, f: &mut Frame, body: Rect, t: &Theme) {
    if s.hits.is_empty() {
        let text = if s.query.trim().is_empty() {
            format!(
                "Screening mode (S toggles): type a name to screen it against the current lists \
                 with the screening matcher, at threshold {:.2} (+/- change it after Esc). Add \
                 evidence anywhere in the line: dob:1952-10-07 (or a year), country:RU. Every \
                 hit shows its score, the OFAC SLS-style score and why it matched.",
                m.threshold
            )
        } else if m.screen().loading {
            "screening…".into()
        } else {
            let mut text = format!("No listing scores {:.2} or more", s.threshold);
            for n in &s.notes {
                text.push_str(&format!("\nnote: {n}"));
            }
            text
        };
        f.render_widget(
            Paragraph::new(Text::styled(
                tradescope_core::text::sanitize::sanitize_multiline(&text).into_owned(),
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            body,
        );
        return;
    }
    let wide = body.width >= 120;
    let widths = [
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Fill(if wide { 3 } else { 2 }),
        Constraint::Length(if wide { 24 } else { 7 }),
        Constraint::Fill(if wide { 4 } else { 3 }),
        Constraint::Length(if wide { 17 } else { 10 }),
    ];
    let cols = column_widths(body.width, &widths);
    let rows = s.hits.iter().map(|h| row(h, &cols, wide, t));
    let table = Table::new(rows, widths)
        .header(
            Row::new(vec![
                "Score", "SLS", "List", "Name", "Covered", "Why", "Until",
            ])
            .style(t.header()),
        )
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

fn row<'a>(h: &ListingHit, cols: &[usize], wide: bool, t: &Theme) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let name = if h.matched_name != h.name {
        format!("{} ← {}", h.matched_name, h.name)
    } else {
        h.name.clone()
    };
    let covered = match &h.covered {
        Some(c) if wide => format!("{} ({})", c.group, c.relation),
        Some(_) => "yes".into(),
        None => String::new(),
    };
    let until = match (&h.lapsed, &h.end_date) {
        (Some(end), _) if wide => format!("lapsed {end}"),
        // Narrow: the date alone, the dimmed row says lapsed.
        (Some(end), _) => end.clone(),
        (None, end) => end.clone().unwrap_or_default(),
    };
    let row = Row::new(vec![
        Cell::from(format!("{:.2}", h.score)),
        Cell::from(format!("{:.0}", h.sls_score)),
        Cell::from(cell(Some(&h.list), w(2))),
        Cell::from(cell(Some(&name), w(3))),
        Cell::from(cell(Some(&covered), w(4))),
        Cell::from(cell(Some(&h.explanation), w(5))),
        Cell::from(cell(Some(&until), w(6))),
    ]);
    // A lapsed entry is shown, dimmed with its end date, but is no match.
    if h.lapsed.is_some() {
        row.style(t.dim())
    } else {
        row
    }
}
