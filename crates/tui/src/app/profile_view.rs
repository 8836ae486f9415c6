//! The profile view's layout as data: which figures fit the screen and, for each, the filter of
//! the shipments behind it. `update` moves the cursor over these items and drills into them;
//! `ui::profile` draws the same items, so what is selected is what is drawn selected.

use tradescope_store::profile::{Profile, TOP};
use tradescope_store::shipments::freq::{self, FreqColumn, FreqValue};
use tradescope_store::shipments::ShipmentFilter;

/// Screen rows around the profile's body: tabs, breadcrumb, status, help bar.
const CHROME: u16 = 4;
/// Header lines: the name, the totals, the while-listed split.
pub const HEADER: u16 = 3;
/// Lines of the chart besides its bars: its title and the axis.
pub const CHART_FRAME: u16 = 2;
/// Bars' height bounds.
pub const BARS_MIN: u16 = 5;
pub const BARS_MAX: u16 = 12;

/// The four top lists, in reading order (two by two).
pub const LISTS: [(FreqColumn, &str); 4] = [
    (FreqColumn::Consignee, "Ships to (consignees)"),
    (FreqColumn::Shipper, "Receives from (shippers)"),
    (FreqColumn::Hs, "HS codes"),
    (FreqColumn::Lane, "Lanes (origin → destination)"),
];

/// What one selectable figure is.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Every shipment of the profile.
    Total,
    /// Those shipped while a party was listed.
    WhileListed,
    /// The chart's selected month (the route's).
    Chart,
    /// Row `row` of top list `list` (LISTS).
    Top { list: usize, row: usize },
}

/// Values shown per top list at this screen height (4 at 24 rows).
pub fn top_rows(height: u16) -> usize {
    let body = height.saturating_sub(CHROME);
    let left = body.saturating_sub(HEADER + CHART_FRAME + BARS_MIN);
    ((left / 2).saturating_sub(1) as usize).min(TOP)
}

/// Height of the chart's bars at this screen height.
pub fn bar_rows(height: u16) -> u16 {
    let body = height.saturating_sub(CHROME);
    let lists = 2 * (top_rows(height) as u16 + 1);
    body.saturating_sub(HEADER + CHART_FRAME + lists)
        .clamp(BARS_MIN, BARS_MAX)
}

pub fn list(p: &Profile, i: usize) -> &[FreqValue] {
    match i {
        0 => &p.consignees,
        1 => &p.shippers,
        2 => &p.hs,
        _ => &p.lanes,
    }
}

/// The month the chart selects: `month` if the profile has it, else the newest.
pub fn selected_month<'a>(p: &'a Profile, month: Option<&str>) -> Option<&'a str> {
    month
        .and_then(|m| p.months.iter().find(|(k, ..)| k == m))
        .or(p.months.last())
        .map(|(k, ..)| k.as_str())
}

/// The selectable figures, in cursor order.
pub fn items(p: &Profile, height: u16) -> Vec<Item> {
    let mut out = vec![Item::Total, Item::WhileListed];
    if !p.months.is_empty() {
        out.push(Item::Chart);
    }
    let k = top_rows(height);
    for l in 0..LISTS.len() {
        for row in 0..list(p, l).len().min(k) {
            out.push(Item::Top { list: l, row });
        }
    }
    out
}

/// The shipments behind an item: their filter and a label for the list they open in.
pub fn drill(p: &Profile, item: &Item, month: Option<&str>) -> Option<(ShipmentFilter, String)> {
    let name = super::load::short(&p.name, 28);
    Some(match item {
        Item::Total => (p.filter.clone(), format!("{name}: all shipments")),
        Item::WhileListed => (
            ShipmentFilter {
                listed_at_date: Some(true),
                ..p.filter.clone()
            },
            format!("{name}: shipped while listed"),
        ),
        Item::Chart => {
            let m = selected_month(p, month)?.to_string();
            let f = freq::drill(
                &p.filter,
                FreqColumn::Month,
                &freq::FreqKey::Text(m.clone()),
            )?;
            (f, format!("{name}: {m}"))
        }
        Item::Top { list: l, row } => {
            let v = list(p, *l).get(*row)?;
            let f = freq::drill(&p.filter, LISTS[*l].0, &v.key)?;
            let what = super::load::short(&v.label, 28);
            (f, format!("{name}: {} {what}", LISTS[*l].0.label()))
        }
    })
}
