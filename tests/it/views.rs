//! The frequency table (F) and the profile (P) over the fixture database: their figures agree
//! with the store's own counts of the shipments behind them, every drill lists exactly those
//! shipments, Backspace returns to the table or profile exactly as left; snapshots at 80×24
//! and 200×60.

use crate::ui::{hikvision_detail, screen};
use crate::workbench::{fixture, press};

use tradescope::app::action::{Count, Follow};
use tradescope::app::model::{Data, Model};
use tradescope::app::nav::View;
use tradescope::app::profile_view::{self, Item};
use tradescope::app::{Action, Worker};
use tradescope::db::shipments::freq::{FreqColumn, FreqKey};
use tradescope::db::shipments::ShipmentFilter;

/// The shipment count the Shipments list shows (exact: the fixture is small).
fn shown_count(m: &Model) -> i64 {
    match &m.screen().data {
        Data::Shipments {
            count: Some(Count::Exact(n)),
            ..
        } => *n,
        other => panic!("not a counted Shipments list: {other:?}"),
    }
}

/// Hikvision's EL entry → its shipments, sorted by consignee (o o) → F.
fn consignee_table(w: u16, h: u16) -> (Model, Worker) {
    let (mut m, mut wk) = hikvision_detail(w, h);
    press(&mut m, &mut wk, Action::Follow(Follow::Shipments));
    press(&mut m, &mut wk, Action::SortNext);
    press(&mut m, &mut wk, Action::SortNext);
    press(&mut m, &mut wk, Action::Frequency);
    (m, wk)
}

#[test]
fn frequency_counts_the_filtered_rows_and_drills_into_them() {
    let (mut m, mut wk) = consignee_table(80, 24);
    let View::Frequency { base, column, .. } = &m.route().view else {
        panic!("not a frequency table: {:?}", m.route().view)
    };
    assert_eq!(*column, FreqColumn::Consignee);
    assert_eq!(base.entity_id, Some(fixture().hik_el));
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    // Every shipment has one consignee: the rows (and "other") sum to the total, which is the
    // entity's shipment count the list showed.
    let sum: i64 = t.rows.iter().map(|v| v.count).sum::<i64>() + t.other_count;
    assert_eq!(sum, t.total);
    assert_eq!(t.total, 460, "the EL entry's linked parties' shipments");
    assert!(
        t.rows.windows(2).all(|w| w[0].count >= w[1].count),
        "by count"
    );
    let phuong = t
        .rows
        .iter()
        .position(|v| v.label.starts_with("PHUONG VIET"))
        .expect("PHUONG VIET among the consignees");
    for _ in 0..phuong {
        press(&mut m, &mut wk, Action::Down);
    }
    let before = m.route().clone();
    press(&mut m, &mut wk, Action::Open);
    let View::Shipments { base, .. } = &m.route().view else {
        panic!("Enter did not list the rows")
    };
    assert!(matches!(t.rows[phuong].key, FreqKey::Party(id) if base.consignee_id == Some(id)));
    assert_eq!(shown_count(&m), t.rows[phuong].count);
    let Data::Shipments { page, .. } = &m.screen().data else {
        unreachable!()
    };
    assert!(page.rows.iter().all(|r| r
        .consignee
        .as_deref()
        .is_some_and(|c| c.starts_with("PHUONG VIET"))));
    // Back: the table exactly as left (same row), without reloading.
    press(&mut m, &mut wk, Action::Back);
    assert_eq!(m.route(), &before);
    // → counts another column over the same filter; the history entry is the same.
    press(&mut m, &mut wk, Action::Right);
    let View::Frequency { column, .. } = &m.route().view else {
        panic!()
    };
    assert_eq!(*column, FreqColumn::Origin);
    let Data::Frequency(t) = &m.screen().data else {
        panic!("no table after →")
    };
    assert_eq!(t.column, FreqColumn::Origin);
    assert_eq!(t.rows[0].label, "CN");
    assert_eq!(t.total, 460);
    // Esc closes the table: back on the shipments list.
    press(&mut m, &mut wk, Action::Back);
    assert!(matches!(m.route().view, View::Shipments { .. }));
}

#[test]
fn frequency_by_month_and_hs_match_the_drilled_counts() {
    let (mut m, mut wk) = hikvision_detail(80, 24);
    press(&mut m, &mut wk, Action::Follow(Follow::Shipments));
    // Sorted by date (the default): F counts months.
    press(&mut m, &mut wk, Action::Frequency);
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    assert_eq!(t.column, FreqColumn::Month);
    press(&mut m, &mut wk, Action::Open);
    assert_eq!(shown_count(&m), t.rows[0].count, "{:?}", t.rows[0]);
    press(&mut m, &mut wk, Action::Back);
    // HS: a bill with several codes counts under each; the drill (hs: prefix) lists as many.
    press(&mut m, &mut wk, Action::Left);
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    assert_eq!(t.column, FreqColumn::Hs);
    press(&mut m, &mut wk, Action::Open);
    assert_eq!(shown_count(&m), t.rows[0].count, "{:?}", t.rows[0]);
}

#[test]
fn f_outside_the_shipments_list_says_where_it_works() {
    let (mut m, mut wk) = hikvision_detail(80, 24);
    press(&mut m, &mut wk, Action::Frequency);
    assert!(m.is_detail());
    assert!(m.message.as_deref().unwrap_or("").contains("Shipments"));
}

fn profile_of_hikvision(w: u16, h: u16) -> (Model, Worker) {
    let (mut m, mut wk) = hikvision_detail(w, h);
    press(&mut m, &mut wk, Action::Profile);
    (m, wk)
}

#[test]
fn profile_figures_agree_with_their_shipments() {
    let (mut m, mut wk) = profile_of_hikvision(80, 24);
    let Data::Profile(p) = m.screen().data.clone() else {
        panic!("no profile: {:?}", m.screen().data)
    };
    assert_eq!(p.total, 460);
    assert_eq!(p.months.iter().map(|(_, n, _)| n).sum::<i64>(), p.total);
    assert_eq!(
        p.months.iter().map(|(_, _, l)| l).sum::<i64>(),
        p.listed_total
    );
    assert!(p.months.iter().all(|(_, n, l)| l <= n));
    assert_eq!(p.listed_from.as_deref(), Some("2019-10-09"));
    assert!(p.first.as_deref() < p.last.as_deref());
    // Its own parties are not its counterparties.
    assert!(p
        .shippers
        .iter()
        .chain(&p.consignees)
        .all(|v| !matches!(v.key, FreqKey::Party(id) if p.parties.contains(&id))));
    assert!(p
        .consignees
        .iter()
        .any(|v| v.label.starts_with("PHUONG VIET")));
    // Every figure lists as many shipments as it says.
    let items = profile_view::items(&p, m.height);
    assert_eq!(m.row_count(), items.len());
    for (i, item) in items.iter().enumerate() {
        let want = match item {
            Item::Total => p.total,
            Item::WhileListed => p.listed_total,
            Item::Chart => p.months.last().unwrap().1,
            Item::Top { list, row } => profile_view::list(&p, *list)[*row].count,
        };
        m.screen_mut().route.cursor = i;
        press(&mut m, &mut wk, Action::Open);
        assert_eq!(shown_count(&m), want, "{item:?}");
        press(&mut m, &mut wk, Action::Back);
        assert_eq!(m.route().cursor, i);
    }
}

#[test]
fn profile_chart_month_then_frequency_then_back_exactly() {
    let (mut m, mut wk) = profile_of_hikvision(80, 24);
    let Data::Profile(p) = m.screen().data.clone() else {
        panic!("no profile")
    };
    // ← three times: the chart is selected, on the fourth-newest month.
    for _ in 0..3 {
        press(&mut m, &mut wk, Action::Left);
    }
    let (month, n, _) = p.months[p.months.len() - 4].clone();
    assert!(matches!(&m.route().view, View::Profile { month: Some(x), .. } if *x == month));
    let left = m.route().clone();
    press(&mut m, &mut wk, Action::Open);
    assert_eq!(shown_count(&m), n);
    let View::Shipments { base, .. } = &m.route().view else {
        panic!()
    };
    let (from, to) = tradescope::db::shipments::freq::month_bounds(&month).unwrap();
    assert_eq!(
        **base,
        ShipmentFilter {
            entity_id: Some(fixture().hik_el),
            date_from: Some(from),
            date_to: Some(to),
            ..Default::default()
        }
    );
    press(&mut m, &mut wk, Action::SortNext);
    press(&mut m, &mut wk, Action::SortNext);
    press(&mut m, &mut wk, Action::Frequency);
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    assert_eq!(t.total, n);
    press(&mut m, &mut wk, Action::Open);
    assert_eq!(shown_count(&m), t.rows[0].count);
    for _ in 0..3 {
        press(&mut m, &mut wk, Action::Back);
    }
    assert_eq!(m.route(), &left, "the profile as left (month, cursor)");
    assert!(matches!(m.screen().data, Data::Profile(_)));
}

/// A CMIC entry (its list publishes no start date) is listed all the same: its profile says
/// the date is not published, never "not listed".
#[test]
fn profile_of_an_entry_without_a_start_date_does_not_say_not_listed() {
    let (mut m, mut wk) = crate::workbench::start(80, 24);
    crate::workbench::type_text(&mut m, &mut wk, "hikvision");
    let Data::Entities(r, _) = &m.screen().data else {
        panic!("no results")
    };
    let cmic = r
        .hits
        .iter()
        .position(|h| &*h.record.badge == "CMIC")
        .expect("CMIC entry listed");
    for _ in 0..cmic {
        press(&mut m, &mut wk, Action::Down);
    }
    press(&mut m, &mut wk, Action::Submit);
    press(&mut m, &mut wk, Action::Profile);
    let Data::Profile(p) = &m.screen().data else {
        panic!("no profile: {:?}", m.message)
    };
    assert_eq!(p.listed_from, None);
    let s = screen(&m);
    assert!(s.contains("listing date not published"), "{s}");
    assert!(!s.contains("  not listed"), "{s}");
}

#[test]
fn profile_of_a_trade_party_from_the_results() {
    // The top consignee's own profile: from the frequency table's party row.
    let (mut m2, mut wk2) = consignee_table(80, 24);
    press(&mut m2, &mut wk2, Action::Profile);
    let Data::Profile(q) = &m2.screen().data else {
        panic!("no party profile: {:?}", m2.message)
    };
    assert_eq!(q.subject.kind, tradescope::model::RecordKind::Party);
    let Data::Frequency(_) = &m2.history.behind().next().unwrap().data else {
        panic!("not opened from the table")
    };
    // The top consignee of Hikvision's shipments: at least those shipments are its own.
    assert!(q.total >= 29, "{}", q.total);
    assert_eq!(q.months.iter().map(|(_, n, _)| n).sum::<i64>(), q.total);
    // P on a shipment is refused with a reason.
    let (mut m, mut wk) = hikvision_detail(80, 24);
    press(&mut m, &mut wk, Action::Follow(Follow::Shipments));
    press(&mut m, &mut wk, Action::Profile);
    assert!(matches!(m.route().view, View::Shipments { .. }));
    assert!(m.message.as_deref().unwrap_or("").contains("trade party"));
}

#[test]
fn frequency_snapshot_80x24() {
    let (m, _) = consignee_table(80, 24);
    let s = screen(&m);
    assert!(
        s.contains("PHUONG VIET") && s.contains("Frequency of consignee"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn frequency_snapshot_200x60() {
    let (m, _) = consignee_table(200, 60);
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn profile_snapshot_80x24() {
    let (m, _) = profile_of_hikvision(80, 24);
    let s = screen(&m);
    assert!(
        s.contains("Profile: Hangzhou Hikvision") && s.contains("▲ listed 2019-10"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn profile_snapshot_200x60() {
    let (m, _) = profile_of_hikvision(200, 60);
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn a_marked_entry_exports_with_its_profile() {
    let (mut m, mut wk, _db) = crate::workbench::start_private(80, 24);
    let dir = tempfile::tempdir().unwrap();
    m.case_name = "views-profile-export".into();
    m.export_dir = dir.path().to_path_buf();
    crate::workbench::type_text(&mut m, &mut wk, "hikvision");
    let Data::Entities(r, _) = &m.screen().data else {
        panic!("no results")
    };
    let el = r
        .hits
        .iter()
        .position(|h| h.record.id == fixture().hik_el && &*h.record.badge == "EL")
        .expect("EL entry listed");
    for _ in 0..el {
        press(&mut m, &mut wk, Action::Down);
    }
    press(&mut m, &mut wk, Action::Submit);
    // `m` in the profile marks its subject.
    press(&mut m, &mut wk, Action::Profile);
    press(&mut m, &mut wk, Action::Mark);
    press(&mut m, &mut wk, Action::ExportCase);
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(files.len(), 1, "{:?}", m.message);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    // Markdown-escaped keys and parentheses.
    assert!(
        text.contains("- profile\\_shipments: 460 \\(2018-"),
        "{text}"
    );
    assert!(text.contains("266 shipped while listed"), "{text}");
    assert!(
        text.contains("- profile\\_top\\_consignees: PHUONG VIET DISTRIBUTION 29;"),
        "{text}"
    );
    assert!(
        text.contains("- profile\\_top\\_lanes: CN → VN 114;"),
        "{text}"
    );
}

/// The patent count the Patents list shows.
fn shown_patents(m: &Model) -> i64 {
    match &m.screen().data {
        Data::Patents {
            count: Some(Count::Exact(n)),
            ..
        } => *n,
        other => panic!("not a counted Patents list: {other:?}"),
    }
}

#[test]
fn patent_frequency_adds_up_to_the_pane_and_drills_to_its_count() {
    let (mut m, mut wk) = crate::workbench::start(120, 40);
    press(
        &mut m,
        &mut wk,
        Action::Pane(tradescope::app::action::Pane::Patents),
    );
    let listed = shown_patents(&m);
    assert!(listed > 0);
    press(&mut m, &mut wk, Action::Frequency);
    let View::Frequency { column, .. } = &m.route().view else {
        panic!("not a frequency table: {:?}", m.route().view)
    };
    assert_eq!(*column, FreqColumn::Assignee);
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    assert_eq!(t.total, listed, "the table is over the pane's patents");
    // The grant year (one per patent, "(none)" counted too) adds up to the pane's count.
    for _ in 0..3 {
        press(&mut m, &mut wk, Action::Right);
    }
    let Data::Frequency(t) = m.screen().data.clone() else {
        panic!("no table")
    };
    assert_eq!(t.column, FreqColumn::Year);
    let sum: i64 = t.rows.iter().map(|v| v.count).sum::<i64>() + t.other_count;
    assert_eq!(sum, listed);
    assert!(t.rows.windows(2).all(|w| w[0].count >= w[1].count));
    // Every column's top value drills to a Patents list of exactly its count; Backspace
    // returns to the table.
    for col in [
        FreqColumn::Year,
        FreqColumn::Cpc,
        FreqColumn::CetArea,
        FreqColumn::Assignee,
    ] {
        let Data::Frequency(t) = m.screen().data.clone() else {
            panic!("no table")
        };
        assert_eq!(t.column, col);
        let top = t
            .rows
            .iter()
            .find(|v| !matches!(v.key, FreqKey::Missing))
            .expect("a value");
        m.screen_mut().route.cursor = t.rows.iter().position(|v| v == top).unwrap();
        press(&mut m, &mut wk, Action::Open);
        assert!(matches!(m.route().view, View::Patents { .. }));
        assert_eq!(
            shown_patents(&m),
            top.count,
            "{} {}",
            col.label(),
            top.label
        );
        press(&mut m, &mut wk, Action::Back);
        assert!(matches!(&m.screen().data, Data::Frequency(b) if b.column == col));
        press(&mut m, &mut wk, Action::Left);
    }
}
