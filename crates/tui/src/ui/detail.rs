//! The detail view: the record's fields (scrollable), then its links with counts; the cursor
//! moves over the links and Enter follows one.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::detail_text::{field_lines, label_width};
use crate::app::model::{detail_split, Data, Model};
use tradescope_core::link::LinkItem;
use tradescope_core::text::sanitize::sanitize;

use super::text::thousands;
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let Data::Detail(d) = &m.screen().data else {
        let text = super::placeholder_text(m, "");
        f.render_widget(Paragraph::new(Span::styled(text, t.dim())), area);
        return;
    };
    let lines = field_lines(&d.fields, area.width);
    let (fields_h, links_h) =
        detail_split(area.height.saturating_sub(1), lines.len(), d.links.len());
    let [title, fields, links] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(fields_h),
        Constraint::Length(links_h),
    ])
    .areas(area);

    let mut spans = vec![
        Span::styled(format!("{}: ", d.kind_label), t.dim()),
        Span::styled(sanitize(&d.title).into_owned(), t.bold()),
    ];
    if d.synthetic {
        spans.push(Span::styled("  ◆ synthetic", t.synthetic()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), title);

    let lw = label_width(&d.fields);
    let max_scroll = lines.len().saturating_sub(fields.height as usize);
    let scroll = m.route().field_scroll.min(max_scroll);
    let shown: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(fields.height as usize)
        .map(|l| {
            let label = l.label.as_deref().unwrap_or("");
            Line::from(vec![
                Span::styled(format!("{label:<lw$}"), t.bold()),
                Span::raw(l.text.clone()),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(shown), fields);

    draw_links(
        m,
        f,
        links,
        t,
        &d.links,
        lines.len() > fields.height as usize,
    );
}

fn draw_links(m: &Model, f: &mut Frame, area: Rect, t: &Theme, links: &[LinkItem], more: bool) {
    if area.height == 0 {
        return;
    }
    let heading = if links.is_empty() {
        "Links: none".to_string()
    } else {
        format!("Links ({}) — Enter follows", links.len())
    };
    let mut out = vec![Line::from(vec![
        Span::styled(heading, t.header()),
        Span::styled(
            if more {
                "   (J/K scroll the fields)"
            } else {
                ""
            },
            t.dim(),
        ),
    ])];
    let r = m.route();
    let visible = area.height.saturating_sub(1) as usize;
    for (i, l) in links.iter().enumerate().skip(r.scroll).take(visible) {
        let mut spans = vec![
            Span::styled(" › ", t.link()),
            Span::raw(sanitize(&l.label).into_owned()),
        ];
        if let Some(n) = l.count {
            spans.push(Span::styled(format!(" ({})", thousands(n)), t.bold()));
        }
        if let Some(s) = l.score {
            spans.push(Span::styled(format!("  match {s:.2}"), t.dim()));
        }
        let mut line = Line::from(spans);
        if i == r.cursor {
            line = line.style(t.selected());
        }
        out.push(line);
    }
    f.render_widget(Paragraph::new(out), area);
}
