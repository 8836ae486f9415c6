//! Drawing: `draw(&Model, &mut Frame)` and nothing else. One file per pane; every string that
//! came from data is sanitized before it is drawn.

mod audit;
mod detail;
mod entities;
mod frequency;
mod help;
mod intersect;
mod patents;
mod profile;
mod screening;
mod shipments;
mod statusbar;
pub mod text;
pub mod theme;
mod trail;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::action::Pane;
use crate::app::model::{Data, Mode, Model};
use crate::app::nav::View;
use tradescope_core::text::sanitize::sanitize;

pub use statusbar::showing;
use theme::Theme;

/// Draw the whole screen.
pub fn draw(m: &Model, f: &mut Frame) {
    let t = Theme::new(m.color);
    let [tabs, crumb, body, status, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    draw_tabs(m, f, tabs, &t);
    draw_crumb(m, f, crumb, &t);
    match &m.route().view {
        View::Entities { .. } => entities::draw(m, f, body, &t),
        View::Shipments { .. } => shipments::draw(m, f, body, &t),
        View::Patents { .. } => patents::draw(m, f, body, &t),
        View::Detail { .. } => detail::draw(m, f, body, &t),
        View::Intersect { .. } => intersect::draw(m, f, body, &t),
        View::Trail { .. } => trail::draw(m, f, body, &t),
        View::Audit => audit::draw(m, f, body, &t),
        View::Frequency { .. } => frequency::draw(m, f, body, &t),
        View::Hits { .. } => screening::draw_hits(m, f, body, &t),
        View::Profile { .. } => profile::draw(m, f, body, &t),
    }
    statusbar::draw_status(m, f, status, &t);
    statusbar::draw_bar(m, f, bar, &t);
    if m.help {
        help::draw(m, f, f.area(), &t);
    }
}

fn draw_tabs(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let mut spans = Vec::new();
    for p in Pane::ALL {
        let label = format!(" {} {} ", p.index() + 1, p.title());
        let style = if p == m.pane() {
            t.tab_active()
        } else {
            t.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled("tradescope", t.bold()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_crumb(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let parts: Vec<String> = m
        .history
        .path()
        .iter()
        .map(|s| sanitize(&s.route.crumb_label()).into_owned())
        .collect();
    let s = text::tail_fit(&parts, " › ", area.width as usize);
    f.render_widget(Paragraph::new(Span::styled(s, t.bold())), area);
}

/// The line above a list: a label, the search or filter text and a hint. With the focus
/// (typing goes there) the label is highlighted, the cursor is on the line and a refused edit
/// shows its error beside it; a Shipments or Patents filter being edited also gets a second
/// line with the filter the rows obey (`Model::filter_lines`). Without the focus the line says
/// that `/` gives it.
#[allow(clippy::too_many_arguments)]
fn draw_filter_line(
    m: &Model,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    label: &str,
    query: &str,
    typing_hint: &str,
    idle_hint: &str,
) {
    use unicode_width::UnicodeWidthStr;
    let typing = m.mode == Mode::Input;
    let shown = if typing { m.input.as_str() } else { query };
    let clean = sanitize(shown);
    let [line, applied] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mut spans = Vec::new();
    if typing {
        spans.push(Span::styled(label.to_string(), t.focus()));
        spans.push(Span::raw(" "));
        spans.push(Span::raw(clean.clone().into_owned()));
        let x = line.x as usize + label.width() + 1 + clean.width();
        let max_x = line.right().saturating_sub(1) as usize;
        if line.height > 0 && line.width > 0 {
            f.set_cursor_position((x.min(max_x) as u16, line.y));
        }
        if let Some(e) = &m.input_error {
            spans.push(Span::styled(
                format!("  ✗ not applied: {}", sanitize(e)),
                t.error(),
            ));
        } else if clean.is_empty() {
            spans.push(Span::styled(format!(" {typing_hint}"), t.dim()));
        }
    } else {
        spans.push(Span::styled(format!("{label} "), t.bold()));
        if clean.is_empty() {
            spans.push(Span::styled(idle_hint.to_string(), t.dim()));
        } else {
            spans.push(Span::raw(clean.clone().into_owned()));
            spans.push(Span::styled("  (/ edits)", t.dim()));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), line);
    if typing && applied.height > 0 {
        let q = sanitize(query);
        let (what, style) = if q.trim().is_empty() {
            ("none (all rows)".to_string(), t.dim())
        } else {
            (q.into_owned(), Style::new())
        };
        let spans = vec![
            Span::styled("Applied: ", t.bold()),
            Span::styled(what, style),
            Span::styled(
                "  — the rows below; Enter applies the edit, Esc keeps this",
                t.dim(),
            ),
        ];
        f.render_widget(Paragraph::new(Line::from(spans)), applied);
    }
}

/// Body text when a list has nothing to show (yet).
/// A list's input label, prefixed with the link that scoped the list ("[Shipments of linked
/// trade parties] Filter:").
fn scoped_label(base_label: Option<&str>, label: &str) -> String {
    match base_label {
        Some(l) => format!("[{}] {label}", sanitize(l)),
        None => label.to_string(),
    }
}

/// What an empty list says: which record's drill came back empty, not just "no match" (a party
/// with no linked patents is a finding, not a failed search).
fn empty_text(what: &str, base_label: Option<&str>, query: &str) -> String {
    match (base_label, query.trim()) {
        (Some(l), "") => format!("No {what} linked to {}", sanitize(l)),
        (Some(l), q) => format!("No {what} of {} match \"{}\"", sanitize(l), sanitize(q)),
        (None, _) => format!("No {what} match"),
    }
}

fn placeholder_text(m: &Model, empty: &str) -> String {
    let s = m.screen();
    match &s.data {
        Data::Failed(e) => format!("error: {}", sanitize(e)),
        _ if s.loading => "loading…".into(),
        Data::Empty => "loading…".into(),
        _ => empty.into(),
    }
}

/// Split a list body into the filter line(s) and the table.
fn list_areas(m: &Model, area: Rect) -> (Rect, Rect) {
    let [line, table] =
        Layout::vertical([Constraint::Length(m.filter_lines()), Constraint::Fill(1)]).areas(area);
    (line, table)
}

/// A column title, with the sort direction's arrow when the list is sorted by it.
/// [`sorted_title`] cut to `width` columns so that the mark stays visible.
fn fitted_sorted_title(name: &str, sorted: bool, desc: bool, width: usize) -> String {
    if !sorted || name.chars().count() < width {
        return sorted_title(name, sorted, desc);
    }
    let cut: String = name.chars().take(width.saturating_sub(1)).collect();
    sorted_title(&cut, sorted, desc)
}

fn sorted_title(name: &str, sorted: bool, desc: bool) -> String {
    match (sorted, desc) {
        (false, _) => name.to_string(),
        (true, true) => format!("{name}▼"),
        (true, false) => format!("{name}▲"),
    }
}

#[cfg(test)]
mod tests {
    use super::empty_text;

    #[test]
    fn an_empty_drill_names_its_record() {
        assert_eq!(
            empty_text("patents", Some("ACME TRADING"), ""),
            "No patents linked to ACME TRADING"
        );
        // The label and the query are untrusted text: sanitized like every other string.
        let s = empty_text("shipments", Some("ACME\x1b[2J TRADING"), " cn ");
        assert!(s.starts_with("No shipments of ACME") && s.ends_with(" TRADING match \"cn\""));
        assert!(!s.contains('\x1b'), "{s:?}");
        assert_eq!(empty_text("patents", None, "zzz"), "No patents match");
    }
}
