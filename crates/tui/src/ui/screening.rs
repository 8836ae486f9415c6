//! The Entities pane in screening mode: the screening matcher's hits (one per listing) with
//! score, OFAC SLS-style score, the covered-equipment flag and the explanation of each hit.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use crate::app::decide::DecisionPrompt;
use crate::app::invest_data::Screening;
use crate::app::load::short;
use crate::app::model::{Data, Model};
use tradescope_store::search::ListingHit;

use super::text::{cell, column_widths};
use super::theme::Theme;
use tradescope_core::text::sanitize::sanitize;

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
    // The decision column appears once a hit has a decision.
    let decided = s.hits.iter().any(|h| h.decision.is_some());
    let mut widths = vec![
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Fill(if wide { 3 } else { 2 }),
        Constraint::Length(if wide { 24 } else { 7 }),
        Constraint::Fill(if wide { 4 } else { 3 }),
        Constraint::Length(if wide { 17 } else { 10 }),
    ];
    let mut titles = vec!["Score", "SLS", "List", "Name", "Covered", "Why", "Until"];
    if decided {
        widths.insert(1, Constraint::Length(8));
        titles.insert(1, "Decision");
    }
    let cols = column_widths(body.width, &widths);
    let rows = s.hits.iter().map(|h| row(h, &cols, wide, decided, t));
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(t.header()))
        .column_spacing(1)
        .row_highlight_style(t.selected());
    let r = m.route();
    let mut state = TableState::new()
        .with_offset(r.scroll)
        .with_selected(Some(r.cursor));
    f.render_stateful_widget(table, body, &mut state);
}

/// The hits of one value of a frequency table over screening hits (its Enter): a line saying
/// which, then the hits as the screening mode shows them.
pub fn draw_hits(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    use ratatui::layout::Layout;
    let Data::Screening(s) = &m.screen().data else {
        return;
    };
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let what = m.route().crumb.trim_start_matches("Hits: ").to_string();
    let n = s.hits.len();
    let line = Line::from(vec![
        Span::styled(
            format!(
                "{n} {} with {}",
                if n == 1 { "hit" } else { "hits" },
                sanitize(&what)
            ),
            t.bold(),
        ),
        Span::styled(
            format!(
                " of screening “{}” at {:.2}",
                sanitize(s.query.trim()),
                s.threshold
            ),
            t.dim(),
        ),
    ]);
    f.render_widget(Paragraph::new(line), head);
    draw(m, s, f, body, t);
}

/// What the decision column says of a hit: the verdict in force, or whether a false positive
/// still holds (`cleared`) or was overtaken (`reopened`).
fn marker(h: &ListingHit) -> &'static str {
    match h.decision.as_ref().map(|d| d.status.as_str()) {
        None => "",
        Some("cleared") => "cleared",
        Some("reopened") => "reopened",
        Some("match") => "match",
        Some(_) => "escalate",
    }
}

fn row<'a>(h: &ListingHit, cols: &[usize], wide: bool, decided: bool, t: &Theme) -> Row<'a> {
    // Column widths after the optional decision column.
    let at = |i: usize| if decided && i >= 1 { i + 1 } else { i };
    let w = |i: usize| cols.get(at(i)).copied().unwrap_or(0);
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
    let mut cells = vec![
        Cell::from(format!("{:.2}", h.score)),
        Cell::from(format!("{:.0}", h.sls_score)),
        Cell::from(cell(Some(&h.list), w(2))),
        Cell::from(cell(Some(&name), w(3))),
        Cell::from(cell(Some(&covered), w(4))),
        Cell::from(cell(Some(&h.explanation), w(5))),
        Cell::from(cell(Some(&until), w(6))),
    ];
    if decided {
        cells.insert(1, Cell::from(marker(h)));
    }
    let row = Row::new(cells);
    // A lapsed entry, and a cleared false positive, stay in view but do not count: dimmed.
    if h.lapsed.is_some() || h.decision.as_ref().is_some_and(|d| d.clears()) {
        row.style(t.dim())
    } else {
        row
    }
}

/// The decision prompt, in place of the screening line: the hit, the verdict (Tab changes it)
/// and the reason being typed, with the cursor.
pub fn draw_prompt(p: &DecisionPrompt, f: &mut Frame, area: Rect, t: &Theme) {
    use unicode_width::UnicodeWidthStr;
    let hit = format!(" #{} {} ", p.entry_id, short(&sanitize(&p.listed_name), 30));
    let verdict = format!("[{}]", p.verdict.as_str());
    let reason = sanitize(&p.reason).into_owned();
    let mut spans = vec![
        Span::styled("Decide:", t.focus()),
        Span::raw(hit.clone()),
        Span::styled(verdict.clone(), t.bold()),
        Span::styled(" (Tab) reason: ", t.dim()),
        Span::raw(reason.clone()),
    ];
    let x = area.x as usize
        + "Decide:".width()
        + hit.width()
        + verdict.width()
        + " (Tab) reason: ".width()
        + reason.width();
    if reason.is_empty() {
        spans.push(Span::styled(
            " why? an auditor reads it — Enter records, Esc cancels",
            t.dim(),
        ));
    }
    if area.height > 0 && area.width > 0 {
        let max_x = area.right().saturating_sub(1) as usize;
        f.set_cursor_position((x.min(max_x) as u16, area.y));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
