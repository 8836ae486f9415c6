//! The help overlay, generated from the keymap and the filter syntax.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use crate::app::keymap::help_sections;
use crate::app::model::Model;

use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let w = area.width.min(96);
    let h = area.height;
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y,
        width: w,
        height: h,
    };
    f.render_widget(Clear, popup);
    let sections = help_sections();
    let kw = sections
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(0)
        .min(24);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(lists) = super::statusbar::as_of_text(m) {
        lines.push(Line::from(Span::styled(lists, t.dim())));
        lines.push(Line::raw(""));
    }
    for (title, rows) in &sections {
        lines.push(Line::from(Span::styled(title.clone(), t.header())));
        for (keys, what) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<kw$}  "), t.key()),
                Span::raw(what.clone()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    let inner_h = h.saturating_sub(2) as usize;
    let scroll = m.help_scroll.min(lines.len().saturating_sub(inner_h));
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        " Keys — j/k scroll, ? or Esc closes ",
        t.bold(),
    ));
    let body: Vec<Line> = lines.into_iter().skip(scroll).collect();
    f.render_widget(Paragraph::new(body).block(block), popup);
}
