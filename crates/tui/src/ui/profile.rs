//! The profile (`P`) of a trade party or a list entry: totals and dates, the while-listed
//! split, a monthly chart of shipments (stacked: shipped while listed / not, the listing month
//! marked) and the top counterparties, HS codes and lanes. The selectable figures and their
//! order come from `app::profile_view`, as `update` sees them.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::app::model::{Data, Model};
use crate::app::nav::View;
use crate::app::profile_view::{self, Item, LISTS};
use tradescope_core::model::RecordKind;
use tradescope_store::profile::Profile;

use super::text::{cell, count_of, thousands};
use super::theme::Theme;

pub fn draw(m: &Model, f: &mut Frame, area: Rect, t: &Theme) {
    let View::Profile { month, .. } = &m.route().view else {
        return;
    };
    let p = match &m.screen().data {
        Data::Profile(p) => p,
        _ => {
            let text = super::placeholder_text(m, "");
            f.render_widget(Paragraph::new(Span::styled(text, t.dim())), area);
            return;
        }
    };
    let items = profile_view::items(p, m.height);
    let selected = items.get(m.route().cursor);
    let bars = profile_view::bar_rows(m.height);
    let k = profile_view::top_rows(m.height);
    let [name, total, listed, chart, lists] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(bars + profile_view::CHART_FRAME),
        Constraint::Fill(1),
    ])
    .areas(area);
    let sel = |i: &Item| {
        if selected == Some(i) {
            t.selected()
        } else {
            Style::new()
        }
    };
    let what = match p.subject.kind {
        RecordKind::Entity => format!(
            "list entry · {}",
            count_of(
                p.parties.len() as i64,
                "linked trade party",
                "linked trade parties"
            )
        ),
        _ => "trade party".to_string(),
    };
    line(
        f,
        name,
        vec![
            Span::styled(
                format!("Profile: {}", super::text::clean(Some(&p.name))),
                t.bold(),
            ),
            Span::styled(format!("  ({what})"), t.dim()),
        ],
    );
    let dates = match (&p.first, &p.last) {
        (Some(a), Some(b)) => format!("  first {a}  last {b}"),
        _ => String::new(),
    };
    line(
        f,
        total,
        vec![
            Span::styled(
                format!("› {}", count_of(p.total, "shipment", "shipments")),
                sel(&Item::Total).patch(t.bold()),
            ),
            Span::raw(dates),
        ],
    );
    let since = match &p.listed_from {
        Some(d) => format!("  listed from {d}"),
        // A list entry is listed even when its list publishes no start date (CMIC, SDN); a
        // party is when some of its shipments were shipped while listed.
        None if p.subject.kind == RecordKind::Entity || p.listed_total > 0 => {
            "  listing date not published".to_string()
        }
        None => "  not listed".to_string(),
    };
    line(
        f,
        listed,
        vec![
            Span::styled(
                format!("› {} shipped while listed", thousands(p.listed_total)),
                sel(&Item::WhileListed),
            ),
            Span::raw(format!(
                ", {} before or not listed",
                thousands(p.total - p.listed_total)
            )),
            Span::styled(since, t.dim()),
        ],
    );
    draw_chart(
        m,
        f,
        chart,
        t,
        p,
        month.as_deref(),
        selected == Some(&Item::Chart),
    );
    let [top, bottom] =
        Layout::vertical([Constraint::Length(k as u16 + 1), Constraint::Fill(1)]).areas(lists);
    for (row, area) in [(0, top), (1, bottom)] {
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
        for (col, area) in [(0, left), (1, right)] {
            let l = row * 2 + col;
            draw_list(f, area, t, p, l, k, selected);
        }
    }
}

fn line(f: &mut Frame, area: Rect, spans: Vec<Span<'_>>) {
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_list(
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    p: &Profile,
    l: usize,
    k: usize,
    selected: Option<&Item>,
) {
    let values = profile_view::list(p, l);
    let mut lines = vec![Line::from(Span::styled(LISTS[l].1, t.bold()))];
    if values.is_empty() {
        lines.push(Line::from(Span::styled("none", t.dim())));
    }
    let width = area.width as usize;
    for (row, v) in values.iter().take(k).enumerate() {
        let n = thousands(v.count);
        let room = width.saturating_sub(n.chars().count() + 4);
        let style = if selected == Some(&Item::Top { list: l, row }) {
            t.selected()
        } else {
            Style::new()
        };
        let label = cell(Some(&v.label), room);
        let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
        lines.push(Line::from(Span::styled(
            format!("› {label}{} {n}", " ".repeat(pad)),
            style,
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The monthly chart: one column per month (the window holding the selected month when they
/// do not all fit), stacked bars (█ while listed, ░ before or not listed), the listing month
/// marked ▲ on the axis, the selected month reversed.
fn draw_chart(
    m: &Model,
    f: &mut Frame,
    area: Rect,
    t: &Theme,
    p: &Profile,
    month: Option<&str>,
    focused: bool,
) {
    if area.height < profile_view::CHART_FRAME + 1 || area.width < 10 {
        return;
    }
    let sel_month = profile_view::selected_month(p, month);
    let sel = p
        .months
        .iter()
        .position(|(k, ..)| Some(k.as_str()) == sel_month);
    let title = match sel.and_then(|i| p.months.get(i)) {
        Some((k, n, l)) => format!(
            "Shipments per month — {k}: {}, {} while listed  (← → month, Enter lists them)",
            thousands(*n),
            thousands(*l)
        ),
        None => "Shipments per month — none".to_string(),
    };
    let head = Rect { height: 1, ..area };
    let title_style = if focused { t.selected() } else { t.bold() };
    line(
        f,
        head,
        vec![
            Span::styled("› ", title_style),
            Span::styled(title, title_style),
        ],
    );
    if p.months.is_empty() {
        return;
    }
    let bars = area.height - profile_view::CHART_FRAME;
    let slots = area.width as usize;
    let sel = sel.unwrap_or(p.months.len() - 1);
    let start = if p.months.len() <= slots || sel < slots {
        0
    } else {
        sel + 1 - slots
    };
    let shown = &p.months[start..p.months.len().min(start + slots)];
    let max = shown.iter().map(|(_, n, _)| *n).max().unwrap_or(1).max(1);
    let listed_style = if m.color { t.error() } else { Style::new() };
    let buf = f.buffer_mut();
    let base_y = area.y + 1;
    for (i, (_, n, l)) in shown.iter().enumerate() {
        let x = area.x + i as u16;
        let h = ((*n as u64 * bars as u64).div_ceil(max as u64)) as u16;
        let hl = if *n > 0 {
            ((*l as u64 * h as u64) / *n as u64) as u16
        } else {
            0
        };
        let is_sel = start + i == sel;
        for r in 0..bars {
            let y = base_y + bars - 1 - r;
            let (ch, style) = if r < hl {
                ("█", listed_style)
            } else if r < h {
                ("░", Style::new())
            } else {
                (" ", Style::new())
            };
            let style = if is_sel {
                style.patch(t.selected())
            } else {
                style
            };
            buf.set_string(x, y, ch, style);
        }
    }
    // The axis: the first and last months shown, and ▲ under the listing month.
    let axis_y = base_y + bars;
    let first = shown.first().map(|(k, ..)| k.as_str()).unwrap_or("");
    let last = shown.last().map(|(k, ..)| k.as_str()).unwrap_or("");
    buf.set_string(area.x, axis_y, first, t.dim());
    let lx = (area.x + shown.len() as u16).saturating_sub(last.len() as u16);
    if shown.len() * 2 > first.len() + last.len() + 2 {
        buf.set_string(lx, axis_y, last, t.dim());
    }
    if let Some(lm) = p.listed_from.as_deref().and_then(|d| d.get(..7)) {
        if let Some(i) = shown.iter().position(|(k, ..)| k.as_str() >= lm) {
            let x = area.x + i as u16;
            let label = format!("▲ listed {lm}");
            let w = label.chars().count() as u16;
            let x0 = if x + w <= lx {
                x
            } else {
                x.saturating_sub(w - 1)
            };
            if x0 == x {
                buf.set_string(x, axis_y, &label, t.notice());
            } else {
                buf.set_string(x0, axis_y, format!("listed {lm} ▲"), t.notice());
            }
        }
    }
}
