//! The Entities pane: the search line and ranked results (list entries, trade parties, patent
//! assignees) with the matched characters highlighted.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use crate::app::model::{Data, HitNote, Model, Names};
use crate::app::nav::View;
use tradescope_matching::typeahead::Hit;

use super::text::{cell, clean, column_widths, highlighted, thousands};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let (line, body) = super::list_areas(m, area);
    let query = match &m.route().view {
        View::Entities { query } => query.as_str(),
        _ => "",
    };
    let (hint, idle) = match &m.names {
        Names::Loading => ("loading names…".to_string(), "loading names…".to_string()),
        Names::Ready { names, .. } => {
            let n = thousands(*names as i64);
            (
                format!("type a name ({n} names and aliases)"),
                format!("press / to search {n} names and aliases"),
            )
        }
        Names::Failed(e) => {
            let e = format!("names could not be loaded: {e}");
            (e.clone(), e)
        }
    };
    if m.screening {
        let hint = format!("type a name to screen (threshold {:.2})", m.threshold);
        let idle = format!("press / to screen a name (threshold {:.2})", m.threshold);
        match &m.prompt {
            Some(p) => super::screening::draw_prompt(p, f, line, t),
            None => super::draw_filter_line(m, f, line, t, "Screen:", query, &hint, &idle),
        }
        match &m.screen().data {
            Data::Screening(s) => super::screening::draw(m, s, f, body, t),
            _ => {
                let text = super::placeholder_text(m, "");
                f.render_widget(Paragraph::new(Span::styled(text, t.dim())), body);
            }
        }
        return;
    }
    super::draw_filter_line(m, f, line, t, "Search:", query, &hint, &idle);

    let (hits, notes) = match &m.screen().data {
        Data::Entities(r, notes) if !r.hits.is_empty() => (&r.hits, notes),
        Data::Entities(r, _) if r.query.trim().is_empty() && !m.screen().loading => {
            let text = match &m.names {
                Names::Loading => "loading names…",
                _ => {
                    "Type a company or person: searches every list entry and alias (EL, SDN, CMIC, \
                     DPL, …), trade party and patent assignee. ↓ ↑ select, Enter opens."
                }
            };
            f.render_widget(
                Paragraph::new(Span::styled(text, t.dim())).wrap(Wrap { trim: true }),
                body,
            );
            return;
        }
        _ => {
            let text = if matches!(m.names, Names::Loading) {
                "loading names…".to_string()
            } else {
                super::placeholder_text(m, "No matches")
            };
            f.render_widget(Paragraph::new(Span::styled(text, t.dim())), body);
            return;
        }
    };
    let wide = area.width >= 120;
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Fill(3),
        Constraint::Length(4),
        Constraint::Fill(1),
        Constraint::Length(10),
    ];
    // The covered-equipment flag next to the list status.
    widths.push(Constraint::Length(9));
    let mut header = vec!["", "Kind", "Name", "Ctry", "Programs", "Listed", "Covered"];
    if wide {
        widths.push(Constraint::Length(17));
        header.push("Until");
    }
    let cols = column_widths(body.width, &widths);
    let rows: Vec<Row> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let note = notes.get(i).cloned().unwrap_or_default();
            row(h, note, t, wide, &cols, &m.today)
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header()))
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

fn row<'a>(
    h: &'a Hit,
    note: HitNote,
    t: &Theme,
    wide: bool,
    cols: &[usize],
    today: &str,
) -> Row<'a> {
    let w = |i: usize| cols.get(i).copied().unwrap_or(0);
    let rec = &h.record;
    let lapsed = tradescope_store::lapsed::lapsed_on(rec.end_date.as_deref(), today);
    let base = if lapsed.is_some() {
        t.dim()
    } else if rec.synthetic {
        t.synthetic()
    } else {
        ratatui::style::Style::new()
    };
    let mut name = highlighted(&h.matched, &h.positions, base, t.matched());
    // Rows with the same name: where each is, right after the name.
    if let Some(place) = &note.place {
        name.spans
            .push(Span::styled(format!(" · {}", clean(Some(place))), t.dim()));
    }
    if *h.matched != *rec.name {
        name.spans.push(Span::styled(
            format!("  ← {}", clean(Some(&rec.name))),
            t.dim(),
        ));
    }
    let mark = if rec.synthetic { "◆" } else { "" };
    let programs = match rec.kind {
        tradescope_matching::typeahead::Kind::Entity => clean(rec.programs.as_deref()).into_owned(),
        tradescope_matching::typeahead::Kind::Party => {
            super::text::count_of(rec.weight, "shipment", "shipments")
        }
        tradescope_matching::typeahead::Kind::Assignee => {
            super::text::count_of(rec.weight, "patent", "patents")
        }
    };
    let mut cells = vec![
        Cell::from(Span::styled(mark, t.synthetic())),
        Cell::from(Span::styled(
            cell(Some(&rec.badge), w(1)),
            t.badge(&rec.badge),
        )),
        Cell::from(Line::from(name.spans)),
        Cell::from(cell(rec.country.as_deref(), w(3))),
        Cell::from(cell(Some(&programs), w(4))),
        Cell::from(cell(rec.start_date.as_deref(), w(5))),
        Cell::from(Span::styled(
            cell(note.covered.as_deref(), w(6)),
            t.notice(),
        )),
    ];
    if wide {
        let until = match &lapsed {
            Some(end) => format!("lapsed {end}"),
            None => rec.end_date.as_deref().unwrap_or("").to_string(),
        };
        cells.push(Cell::from(cell(Some(&until), w(7))));
    }
    let row = Row::new(cells);
    if lapsed.is_some() {
        row.style(t.dim())
    } else {
        row
    }
}
