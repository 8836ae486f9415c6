//! The transshipment trail as a walkable tree: a node per trade party the goods reached (▸
//! collapsed, ▾ expanded), and under an expanded node its evidence shipments — date, HS
//! codes, the as-of flag, and for onward hops the received shipment it continues, the days
//! between and what they share (HS prefix, model numbers, terms).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::model::{Data, Model};
use crate::app::nav::View;
use crate::app::trail_view::{lines, Item};
use tradescope_core::text::sanitize::sanitize;
use tradescope_core::text::width::truncate_to_width;
use tradescope_store::trail::{HopShipment, Trail, TrailNode};

use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let (Data::Trail(trail), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
        let text = super::placeholder_text(m, "");
        f.render_widget(Paragraph::new(Span::styled(text, t.dim())), area);
        return;
    };
    let [head, sub, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let width = area.width as usize;
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                truncate_to_width(
                    &format!("Trail of {} ({})", sanitize(&trail.entity_name), trail.list),
                    width.saturating_sub(40),
                )
                .into_owned(),
                t.bold(),
            ),
            Span::styled(
                format!(
                    "  onward within {} days · → expand ← collapse",
                    trail.options.days
                ),
                t.dim(),
            ),
        ])),
        head,
    );
    f.render_widget(
        Paragraph::new(Span::styled(
            truncate_to_width(&shipped_as(trail), width).into_owned(),
            t.dim(),
        )),
        sub,
    );
    let all = lines(trail, open);
    if all.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "No consignees abroad: nothing was shipped on from this company's trade parties",
                t.dim(),
            )),
            body,
        );
        return;
    }
    let r = m.route();
    let out: Vec<Line> = all
        .iter()
        .enumerate()
        .skip(r.scroll)
        .take(body.height as usize)
        .map(|(i, l)| {
            let indent = "  ".repeat(l.depth);
            let text = match l.item {
                Item::Node(n) => {
                    let mark = if !l.expandable() {
                        "·"
                    } else if l.open {
                        "▾"
                    } else {
                        "▸"
                    };
                    format!("{indent}{mark} {}", node_text(n))
                }
                Item::Shipment { ship, .. } => format!("{indent}  {}", evidence_text(ship)),
                Item::More { node, .. } => {
                    format!("{indent}  {} more — Enter lists them", node.more())
                }
            };
            let style = match l.item {
                Item::Node(_) => t.bold(),
                Item::Shipment { .. } => ratatui::style::Style::new(),
                Item::More { .. } => t.dim(),
            };
            let mut line = Line::from(Span::styled(
                truncate_to_width(&sanitize(&text), width).into_owned(),
                style,
            ));
            if i == r.cursor {
                line = line.style(t.selected());
            }
            line
        })
        .collect();
    f.render_widget(Paragraph::new(out), body);
}

fn shipped_as(t: &Trail) -> String {
    let names: Vec<String> = t
        .shippers
        .iter()
        .map(|p| format!("{} #{}", p.name, p.party_id))
        .collect();
    if names.is_empty() {
        "No linked trade party shipped anything".into()
    } else {
        format!("shipped as: {}", names.join("; "))
    }
}

fn node_text(n: &TrailNode) -> String {
    let mut s = n.name.clone();
    if let Some(c) = &n.country {
        s.push_str(&format!(" ({c})"));
    }
    s.push_str(&format!(
        " — {} shipment{} {}…{}",
        n.shipments,
        if n.shipments == 1 { "" } else { "s" },
        n.first_date.as_deref().unwrap_or("?"),
        n.last_date.as_deref().unwrap_or("?")
    ));
    if let Some(d) = n.min_days {
        s.push_str(&format!(", from {d} days after receipt"));
    }
    if !n.models.is_empty() {
        s.push_str(&format!(", models {}", n.models.join(" ")));
    }
    s
}

fn evidence_text(e: &HopShipment) -> String {
    let mut s = format!(
        "· #{} {} HS {}",
        e.shipment_id,
        e.ship_date.as_deref().unwrap_or("?"),
        if e.hs_codes.is_empty() {
            "?".to_string()
        } else {
            e.hs_codes.join(",")
        }
    );
    if let Some(a) = &e.as_of {
        s.push_str(&format!(" [{a}]"));
    }
    if let Some(a) = &e.after {
        s.push_str(&format!(
            " after #{} ({}, {} days)",
            a.shipment_id,
            a.ship_date.as_deref().unwrap_or("?"),
            a.days.map_or("?".to_string(), |d| d.to_string())
        ));
        let mut shared = Vec::new();
        if !a.shared_models.is_empty() {
            shared.push(format!("models {}", a.shared_models.join(" ")));
        }
        if let Some(h) = &a.shared_hs_prefix {
            shared.push(format!("HS {h}"));
        }
        if !a.shared_terms.is_empty() {
            shared.push(format!("terms {}", a.shared_terms.join(" ")));
        }
        if !shared.is_empty() {
            s.push_str(&format!(": {}", shared.join("; ")));
        }
    } else if !e.models.is_empty() {
        s.push_str(&format!(" models {}", e.models.join(" ")));
    }
    s
}
