//! The status line ("Showing 1–50 of 1,204 │ lists as of … │ db …") and the help bar with the
//! keys that apply here.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::action::Count;
use crate::app::keymap;
use crate::app::model::{Data, Model, Names, PAGE_SIZE};
use tradescope_core::text::sanitize::sanitize;

use super::text::thousands;
use super::theme::Theme;

fn count_text(c: Option<Count>) -> String {
    match c {
        None => "…".into(),
        Some(Count::Exact(n)) => thousands(n),
        Some(Count::AtLeast(n)) => format!("{}+", thousands(n)),
    }
}

/// The range of page `page` counted from the end (after `G`), `rows` long: "Showing
/// 1,155–1,204 of 1,204" once the count is exact, else "1–50 from the end of 100,000+".
fn from_end(page: usize, rows: usize, count: Option<Count>) -> String {
    let (near, far) = (page * PAGE_SIZE, page * PAGE_SIZE + rows);
    match count {
        _ if rows == 0 => "Showing 0".to_string(),
        Some(Count::Exact(n)) if n as usize >= far => format!(
            "Showing {}–{} of {}",
            thousands((n as usize - far + 1) as i64),
            thousands((n as usize - near) as i64),
            thousands(n)
        ),
        c => format!(
            "Showing {}–{} from the end of {}",
            thousands(near as i64 + 1),
            thousands(far as i64),
            count_text(c)
        ),
    }
}

/// "Showing 1–50 of 1,204" for the current screen.
pub fn showing(m: &Model) -> String {
    let s = m.screen();
    let range = |page: usize, rows: usize| {
        let start = page * PAGE_SIZE;
        if rows == 0 {
            "Showing 0".to_string()
        } else {
            format!(
                "Showing {}–{}",
                thousands(start as i64 + 1),
                thousands((start + rows) as i64)
            )
        }
    };
    match &s.data {
        Data::Entities(r, _) if r.query.trim().is_empty() => match &m.names {
            Names::Loading => "loading names…".into(),
            Names::Ready { names, .. } => format!("{} names to search", thousands(*names as i64)),
            Names::Failed(_) => "names could not be loaded".into(),
        },
        Data::Entities(r, _) => {
            let v = m.visible_rows();
            let first = m.route().scroll;
            let last = (first + v).min(r.hits.len());
            if r.hits.is_empty() {
                "No matches".into()
            } else {
                format!(
                    "Showing {}–{} of {} best matches",
                    first + 1,
                    last,
                    r.hits.len()
                )
            }
        }
        Data::Shipments { page, count, .. } if s.route.from_end => {
            from_end(s.route.page, page.rows.len(), *count)
        }
        Data::Patents { page, count } if s.route.from_end => {
            from_end(s.route.page, page.rows.len(), *count)
        }
        Data::Shipments { page, count, .. } => {
            format!(
                "{} of {}",
                range(s.route.page, page.rows.len()),
                count_text(*count)
            )
        }
        Data::Patents { page, count } => {
            format!(
                "{} of {}",
                range(s.route.page, page.rows.len()),
                count_text(*count)
            )
        }
        Data::Intersect(rows) => format!(
            "{} listed companies with CET patents and shipments",
            rows.len()
        ),
        Data::Trail(t) => format!(
            "Line {} of {} │ {} parties reached, onward within {} days{}",
            s.route.cursor + 1,
            m.row_count(),
            t.nodes,
            t.options.days,
            if t.truncated {
                " (cut at the bounds)"
            } else {
                ""
            }
        ),
        Data::Audit(a) => format!(
            "{} │ chain {}",
            super::text::count_of(a.verification.rows as i64, "record", "records"),
            if a.verification.ok {
                "verified OK"
            } else {
                "FAILED verification"
            }
        ),
        Data::Screening(r) if r.query.trim().is_empty() => {
            format!("screening at threshold {:.2}", m.threshold)
        }
        Data::Screening(r) => {
            let cleared = r
                .hits
                .iter()
                .filter(|h| h.decision.as_ref().is_some_and(|d| d.clears()))
                .count();
            let cleared = if cleared > 0 {
                format!(", {cleared} cleared (not counted)")
            } else {
                String::new()
            };
            format!(
                "{} hits at threshold {:.2}{cleared} (+/- change it)",
                r.hits.len(),
                r.threshold
            )
        }
        Data::Frequency(tbl) => format!(
            "Value {} of {} │ ← → another column, Enter lists its rows",
            thousands((s.route.cursor + 1).min(tbl.rows.len()) as i64),
            thousands(tbl.rows.len() as i64)
        ),
        Data::Profile(p) => format!(
            "Figure {} of {} │ {} │ Enter lists the shipments behind it",
            s.route.cursor + 1,
            m.row_count(),
            super::text::count_of(p.total, "shipment", "shipments")
        ),
        Data::Detail(d) if d.links.is_empty() => "No links".into(),
        Data::Detail(d) => format!("Link {} of {}", s.route.cursor + 1, d.links.len()),
        Data::Failed(_) => "error".into(),
        Data::Empty => "loading…".into(),
    }
}

pub fn draw_status(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let sep = || Span::styled(" │ ", t.dim());
    let mut spans = Vec::new();
    // The reason prompt of a link review takes the whole line while it is open.
    if let Some(p) = &m.review {
        let head = format!("{} — reason: ", sanitize(&p.title()));
        let reason = sanitize(&p.reason).into_owned();
        let x = area.x.saturating_add(
            tradescope_core::text::display_width(&head)
                .saturating_add(tradescope_core::text::display_width(&reason))
                .min(area.width.saturating_sub(1) as usize) as u16,
        );
        let line = Line::from(vec![Span::styled(head, t.focus()), Span::raw(reason)]);
        f.render_widget(Paragraph::new(line), area);
        f.set_cursor_position((x, area.y));
        return;
    }
    if let Some(e) = &m.input_error {
        spans.push(Span::styled(sanitize(e).into_owned(), t.error()));
        spans.push(sep());
    } else if let Some(msg) = &m.message {
        spans.push(Span::styled(sanitize(msg).into_owned(), t.notice()));
        spans.push(sep());
    }
    if let Some(u) = &m.lists_updated {
        spans.push(Span::styled(sanitize(u).into_owned(), t.notice()));
        spans.push(sep());
    }
    if !m.watch_alerts.is_empty() {
        spans.push(Span::styled(watch_alerts(&m.watch_alerts), t.notice()));
        spans.push(sep());
    }
    spans.push(Span::styled(showing(m), t.bold()));
    if m.screen().loading && !matches!(m.screen().data, Data::Empty) {
        spans.push(Span::styled(" (loading…)", t.dim()));
    }
    if synthetic_on_screen(m) {
        spans.push(sep());
        spans.push(Span::styled("◆ synthetic demo data", t.synthetic()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let db = format!("db {}", sanitize(&m.db_label));
    let lists = as_of_text(m);
    // What does not fit goes: the whole as-of list first (the help overlay's header has it),
    // then the database name.
    let room = |extra: &[&str]| {
        used + extra.iter().map(|e| 3 + e.chars().count()).sum::<usize>() <= area.width as usize
    };
    let lists = match lists {
        Some(l) if room(&[&l, &db]) => Some(l),
        Some(_) => Some("lists as of: see ?".to_string()),
        None => None,
    };
    let show_db = room(&[lists.as_deref().unwrap_or(""), &db]) || lists.is_none();
    if let Some(l) = lists {
        spans.push(sep());
        spans.push(Span::styled(l, t.dim()));
    }
    if show_db {
        spans.push(sep());
        spans.push(Span::styled(db, t.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// "watch set vendors-2026: 2 new potential matches (tradescope rescreen)".
pub fn watch_alerts(alerts: &[(String, i64)]) -> String {
    let sets: Vec<String> = alerts
        .iter()
        .map(|(s, n)| {
            let s = sanitize(s);
            format!(
                "{s}: {n} new potential match{}",
                if *n == 1 { "" } else { "es" }
            )
        })
        .collect();
    format!("watch set {} (tradescope rescreen SET)", sets.join(", "))
}

/// "lists as of SDN undated · DPL 2019-06-05 · …": each list's short name and the date of the
/// version in use (None before the lists are known).
pub fn as_of_text(m: &Model) -> Option<String> {
    if m.sources.is_empty() {
        return None;
    }
    let lists: Vec<String> = m
        .sources
        .iter()
        .map(|(d, a)| {
            let short = d.strip_prefix("ofac_").unwrap_or(d).to_uppercase();
            format!("{short} {}", a.as_deref().unwrap_or("undated"))
        })
        .collect();
    Some(format!("lists as of {}", sanitize(&lists.join(" · "))))
}

/// Whether a synthetic record is on screen (so the legend explains the ◆).
fn synthetic_on_screen(m: &Model) -> bool {
    match &m.screen().data {
        Data::Entities(r, _) => r.hits.iter().any(|h| h.record.synthetic),
        Data::Shipments { page, .. } => page.rows.iter().any(|r| r.synthetic),
        Data::Patents { page, .. } => page.rows.iter().any(|r| r.synthetic),
        Data::Detail(d) => d.synthetic,
        _ => false,
    }
}

pub fn draw_bar(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = Vec::new();
    for (keys, label) in keymap::fit_bar(keymap::bar(m), area.width as usize) {
        spans.push(Span::styled(keys, t.key()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
