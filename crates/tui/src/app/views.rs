//! The two analyst views: the frequency table (`F`, value → count over the current filter) and
//! the profile (`P`, a party's or a list entry's shipments summarized). Opening either and
//! drilling out of it are pushes on the history like every jump, so Backspace returns to the
//! exact row, column and month that were left.

use tradescope_core::model::RecordKind;
use tradescope_store::patents;
use tradescope_store::shipments::freq::{self, FreqColumn};
use tradescope_store::shipments::SortKey;

use super::command::Command;
use super::filter;
use super::load::{self, load_view};
use super::model::{Data, Model};
use super::nav::{Route, View};
use super::profile_view::{self, Item};
use super::update::push;

/// The column `F` counts in the Shipments list: the one it is sorted by (the date's month).
pub fn column_of(key: SortKey) -> FreqColumn {
    match key {
        SortKey::Date => FreqColumn::Month,
        SortKey::Shipper => FreqColumn::Shipper,
        SortKey::Consignee => FreqColumn::Consignee,
        SortKey::Origin => FreqColumn::Origin,
        SortKey::Destination => FreqColumn::Destination,
        SortKey::Hs => FreqColumn::Hs,
    }
}

/// The label of a table over a list: its link's label and its typed filter.
fn over_label(base_label: Option<&str>, query: &str) -> Option<String> {
    match (base_label, query.trim()) {
        (Some(l), "") => Some(l.to_string()),
        (Some(l), q) => Some(format!("{l} · {q}")),
        (None, "") => None,
        (None, q) => Some(q.to_string()),
    }
}

/// `F` in the Patents list: the frequency table of the assignees over the filter its rows obey
/// (← → count the CET area, the CPC subclass, the grant year).
fn open_patent_frequency(m: &mut Model) -> Vec<Command> {
    let View::Patents {
        base,
        base_label,
        query,
        ..
    } = &m.route().view
    else {
        return Vec::new();
    };
    let typed = match filter::parse_patents(query) {
        Ok(t) => t,
        Err(e) => {
            m.message = Some(format!("the filter is not valid: {e}"));
            return Vec::new();
        }
    };
    let f = filter::merge_patents(base, typed);
    let label = over_label(base_label.as_deref(), query);
    push(m, Route::patent_frequency(f, label, FreqColumn::Assignee))
}

/// `F`: the frequency table of the list's sort column over the filter its rows obey.
pub fn open_frequency(m: &mut Model) -> Vec<Command> {
    if matches!(m.route().view, View::Patents { .. }) {
        return open_patent_frequency(m);
    }
    if matches!(m.route().view, View::Entities { .. }) {
        return super::screen_freq::open(m);
    }
    let View::Shipments {
        base,
        base_label,
        query,
        sort,
    } = &m.route().view
    else {
        m.message = Some(
            "F counts a column of the Shipments list (its sort column), of the Patents list or \
             of the screening hits"
                .into(),
        );
        return Vec::new();
    };
    let typed = match filter::parse_shipments(query) {
        Ok(t) => t,
        Err(e) => {
            m.message = Some(format!("the filter is not valid: {e}"));
            return Vec::new();
        }
    };
    let f = filter::merge_shipments(base, typed);
    let label = over_label(base_label.as_deref(), query);
    let column = column_of(sort.key);
    push(m, Route::frequency(f, label, column))
}

/// ← / → in a frequency table: the previous / next column (same history entry, like a sort).
/// In a profile: the chart's previous / next month (the cursor goes to the chart).
/// None when the view is neither.
pub fn horizontal(m: &mut Model, right: bool) -> Option<Vec<Command>> {
    let step = |i: usize, n: usize| {
        if right {
            (i + 1).min(n - 1)
        } else {
            i.saturating_sub(1)
        }
    };
    let months: Vec<String> = match &m.screen().data {
        Data::Profile(p) => p.months.iter().map(|(k, ..)| k.clone()).collect(),
        _ => Vec::new(),
    };
    let chart_at = match &m.screen().data {
        Data::Profile(p) => profile_view::items(p, m.height)
            .iter()
            .position(|i| *i == Item::Chart),
        _ => None,
    };
    let route = &mut m.screen_mut().route;
    match &mut route.view {
        View::Frequency { column, .. } => {
            let all = column.siblings();
            let i = all.iter().position(|c| c == column).unwrap_or(0);
            let next = all[step(i, all.len())];
            if next == *column {
                return Some(Vec::new());
            }
            *column = next;
            route.crumb = format!("F {}", next.label());
            route.reset_position();
            load::invalidate(m);
            Some(load_view(m, true))
        }
        View::Profile { month, .. } => {
            if months.is_empty() {
                return Some(Vec::new());
            }
            let cur = month
                .as_deref()
                .and_then(|x| months.iter().position(|k| k == x))
                .unwrap_or(months.len() - 1);
            *month = Some(months[step(cur, months.len())].clone());
            if let Some(c) = chart_at {
                route.cursor = c;
            }
            Some(Vec::new())
        }
        _ => None,
    }
}

/// Enter in a frequency table over patents: the patents with the selected value, as a Patents
/// list (pushed on the history).
fn open_patents(m: &mut Model) -> Vec<Command> {
    let cur = m.route().cursor;
    let target = match (&m.route().view, &m.screen().data) {
        (
            View::Frequency {
                base_label,
                column,
                patents: Some(base),
                ..
            },
            Data::Frequency(t),
        ) => t.rows.get(cur).and_then(|v| {
            let f = patents::freq::drill(base, *column, &v.key)?;
            let what = format!("{} {}", column.label(), load::short(&v.label, 28));
            let label = match base_label {
                Some(l) => format!("{l} · {what}"),
                None => what,
            };
            Some((f, label))
        }),
        _ => return Vec::new(),
    };
    let Some((f, label)) = target else {
        m.message = Some("No filter lists these patents (they have no value)".into());
        return Vec::new();
    };
    let crumb = load::short(&label, 32);
    let mut route = Route::patents(f, Some(label));
    route.crumb = crumb;
    push(m, route)
}

/// Enter in a frequency table or a profile: the rows behind the selected figure, as a
/// Shipments (or Patents) list pushed on the history. None when the view is neither.
pub fn open(m: &mut Model) -> Option<Vec<Command>> {
    if matches!(
        m.route().view,
        View::Frequency {
            screening: Some(_),
            ..
        }
    ) {
        return Some(super::screen_freq::drill(m));
    }
    if matches!(
        m.route().view,
        View::Frequency {
            patents: Some(_),
            ..
        }
    ) {
        return Some(open_patents(m));
    }
    let cur = m.route().cursor;
    let target = match (&m.route().view, &m.screen().data) {
        (
            View::Frequency {
                base,
                base_label,
                column,
                ..
            },
            Data::Frequency(t),
        ) => {
            let v = t.rows.get(cur)?;
            match freq::drill(base, *column, &v.key) {
                Some(f) => {
                    let what = format!("{} {}", column.label(), load::short(&v.label, 28));
                    let label = match base_label {
                        Some(l) => format!("{l} · {what}"),
                        None => what,
                    };
                    Some((f, label))
                }
                None => None,
            }
        }
        (View::Profile { month, .. }, Data::Profile(p)) => {
            let items = profile_view::items(p, m.height);
            let item = items.get(cur)?;
            profile_view::drill(p, item, month.as_deref())
        }
        (View::Frequency { .. } | View::Profile { .. }, _) => return Some(Vec::new()),
        _ => return None,
    };
    let Some((f, label)) = target else {
        m.message = Some("No filter lists these rows (they have no value)".into());
        return Some(Vec::new());
    };
    let crumb = load::short(&label, 32);
    let mut route = Route::shipments(f, Some(label));
    route.crumb = crumb;
    Some(push(m, route))
}

/// `P`: the profile of the selected trade party or list entry.
pub fn open_profile(m: &mut Model) -> Vec<Command> {
    let Some((record, label)) = m.selected_record() else {
        m.message = Some("Nothing selected".into());
        return Vec::new();
    };
    if !matches!(record.kind, RecordKind::Entity | RecordKind::Party) {
        m.message = Some("P opens the profile of a trade party or a list entry".into());
        return Vec::new();
    }
    if matches!(&m.route().view, View::Profile { subject, .. } if *subject == record) {
        return Vec::new();
    }
    let crumb = format!("Profile {}", load::short(&label, 24));
    push(m, Route::profile(record, crumb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::{Action, Loaded};
    use crate::app::model::Mode;
    use crate::app::update;
    use tradescope_core::model::RecordRef;
    use tradescope_store::shipments::freq::{FreqKey, FreqValue, Frequency};
    use tradescope_store::shipments::{Page, ShipmentFilter};

    fn shipments_list() -> Model {
        let mut m = Model::new("t.db", 80, 24, false);
        m.mode = Mode::Normal;
        let mut r = Route::shipments(
            ShipmentFilter {
                entity_id: Some(7),
                ..Default::default()
            },
            Some("Shipments of linked trade parties".into()),
        );
        if let View::Shipments { query, sort, .. } = &mut r.view {
            *query = "hs:8525".into();
            sort.key = SortKey::Consignee;
        }
        m.history.push(crate::app::model::Screen::new(r));
        m.screen_mut().data = Data::Shipments {
            page: Page {
                rows: Vec::new(),
                next: None,
            },
            count: None,
            as_of: Vec::new(),
        };
        m
    }

    #[test]
    fn f_loads_the_sort_column_over_the_applied_filter_on_the_worker() {
        let mut m = shipments_list();
        let cmds = update(&mut m, Action::Frequency);
        let want = ShipmentFilter {
            entity_id: Some(7),
            hs_prefix: Some("8525".into()),
            ..Default::default()
        };
        assert!(matches!(
            cmds.as_slice(),
            [Command::Frequency { filter, column: FreqColumn::Consignee, .. }] if *filter == want
        ));
        assert!(m.screen().loading);
        // Esc while it loads: back on the list, and the table's answer is stale.
        let Command::Frequency { generation, .. } = cmds[0].clone() else {
            unreachable!()
        };
        update(&mut m, Action::Back);
        assert!(matches!(m.route().view, View::Shipments { .. }));
        let table = Frequency {
            column: FreqColumn::Consignee,
            rows: vec![FreqValue {
                key: FreqKey::Party(42),
                label: "ACME".into(),
                count: 3,
            }],
            total: 3,
            other_values: 0,
            other_count: 0,
            scanned: None,
        };
        update(
            &mut m,
            Action::Loaded {
                generation,
                data: Loaded::Frequency(Box::new(table.clone())),
            },
        );
        assert!(matches!(m.screen().data, Data::Shipments { .. }));
        // Forward, the answer applied, Enter: a Shipments list of that consignee.
        update(&mut m, Action::Forward);
        let g = m.expect.view;
        update(
            &mut m,
            Action::Loaded {
                generation: g,
                data: Loaded::Frequency(Box::new(table)),
            },
        );
        let cmds = update(&mut m, Action::Open);
        let View::Shipments { base, .. } = &m.route().view else {
            panic!("not a list: {:?}", m.route().view)
        };
        assert_eq!(base.consignee_id, Some(42));
        assert_eq!(base.hs_prefix.as_deref(), Some("8525"));
        assert!(cmds.iter().any(
            |c| matches!(c, Command::Shipments { filter, .. } if filter.consignee_id == Some(42))
        ));
    }

    #[test]
    fn f_on_patents_counts_the_applied_filter_and_enter_lists_the_value() {
        use tradescope_store::patents::{PatentFilter, PatentPage};
        let mut m = Model::new("t.db", 80, 24, false);
        m.mode = Mode::Normal;
        let mut r = Route::patents(
            PatentFilter {
                entity_id: Some(7),
                ..Default::default()
            },
            Some("Patents of linked assignees".into()),
        );
        if let View::Patents { query, .. } = &mut r.view {
            *query = "cet:AI".into();
        }
        m.history.push(crate::app::model::Screen::new(r));
        m.screen_mut().data = Data::Patents {
            page: PatentPage {
                rows: Vec::new(),
                next: None,
            },
            count: None,
        };
        let cmds = update(&mut m, Action::Frequency);
        let want = PatentFilter {
            entity_id: Some(7),
            cet: Some("AI".into()),
            ..Default::default()
        };
        assert!(matches!(
            cmds.as_slice(),
            [Command::Frequency { patents: Some(p), column: FreqColumn::Assignee, .. }] if *p == want
        ));
        assert_eq!(m.route().pane(), crate::app::action::Pane::Patents);
        let g = m.expect.view;
        let table = Frequency {
            column: FreqColumn::Assignee,
            rows: vec![FreqValue {
                key: FreqKey::Assignee(9),
                label: "HIKVISION".into(),
                count: 2,
            }],
            total: 2,
            other_values: 0,
            other_count: 0,
            scanned: None,
        };
        update(
            &mut m,
            Action::Loaded {
                generation: g,
                data: Loaded::Frequency(Box::new(table)),
            },
        );
        let cmds = update(&mut m, Action::Open);
        let View::Patents { base, .. } = &m.route().view else {
            panic!("not a list: {:?}", m.route().view)
        };
        assert_eq!(base.assignee_id, Some(9));
        assert_eq!(base.cet.as_deref(), Some("AI"));
        assert!(cmds.iter().any(
            |c| matches!(c, Command::Patents { filter, .. } if filter.assignee_id == Some(9))
        ));
        // Backspace: the table again; → counts the CET areas over the same patents.
        update(&mut m, Action::Back);
        assert!(matches!(m.route().view, View::Frequency { .. }));
        let cmds = update(&mut m, Action::Right);
        assert!(matches!(
            cmds.as_slice(),
            [Command::Frequency { patents: Some(p), column: FreqColumn::CetArea, .. }] if *p == want
        ));
    }

    #[test]
    fn p_needs_a_party_or_an_entry() {
        let mut m = shipments_list();
        assert!(update(&mut m, Action::Profile).is_empty());
        assert!(m
            .message
            .as_deref()
            .unwrap_or("")
            .contains("Nothing selected"));
        let record = RecordRef::new(RecordKind::Entity, 7);
        m.history
            .push(crate::app::model::Screen::new(Route::detail(record, "X")));
        let cmds = update(&mut m, Action::Profile);
        assert!(matches!(
            cmds.as_slice(),
            [Command::Profile { subject, .. }] if *subject == record
        ));
        assert!(matches!(m.route().view, View::Profile { month: None, .. }));
    }
}
