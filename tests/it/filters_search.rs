//! Issue 20 item 9: filters and search that do what they say. Repeated `party:` keys mean any
//! of the names (and the store query honours it), `G` reaches the last row of the whole list,
//! Esc that clears a filter is a step on the history, the Patents pane's `cpc:` and `year:`
//! keys, and Enter typed ahead of the typeahead's results opens the top result once they
//! arrive. Also `e` on a trade party that is not listed (item 11).

use std::collections::BTreeSet;

use crate::workbench::{fixture, press, settle, start, type_text};

use tradescope::app::action::{Follow, Pane};
use tradescope::app::model::{Data, Mode, Model, PAGE_SIZE};
use tradescope::app::nav::View;
use tradescope::app::{update, Action, Command, Worker};
use tradescope::db::shipments::{self, ShipmentFilter, Sort};
use tradescope::model::RecordKind;
use tradescope::ui::showing;

/// Every shipment id `f` matches, through the store's own keyset pages.
fn all_ids(f: &ShipmentFilter) -> BTreeSet<i64> {
    let conn = tradescope::db::open_ro(&fixture().path).unwrap();
    let mut out = BTreeSet::new();
    let mut after = None;
    loop {
        let page = shipments::page(&conn, f, Sort::default(), after.as_ref(), 500).unwrap();
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(c) => after = Some(c),
            None => return out,
        }
    }
}

fn party(name: &str) -> ShipmentFilter {
    ShipmentFilter {
        party_names: vec![name.into()],
        ..Default::default()
    }
}

fn shipment_ids(m: &Model) -> Vec<i64> {
    match &m.screen().data {
        Data::Shipments { page, .. } => page.rows.iter().map(|r| r.id).collect(),
        other => panic!("not the shipments pane: {other:?}"),
    }
}

fn patent_ids(m: &Model) -> Vec<i64> {
    match &m.screen().data {
        Data::Patents { page, .. } => page.rows.iter().map(|r| r.id).collect(),
        other => panic!("not the patents pane: {other:?}"),
    }
}

/// The whole list in its order, from the first page on, PageDown after PageDown (past the
/// last row of a page: the next page) until the cursor stops.
fn walk(m: &mut Model, w: &mut Worker, ids: fn(&Model) -> Vec<i64>) -> Vec<i64> {
    let mut walked = ids(m);
    loop {
        let before = (m.route().page, m.route().cursor);
        press(m, w, Action::PageDown);
        if (m.route().page, m.route().cursor) == before {
            return walked;
        }
        if m.route().page != before.0 {
            walked.extend(ids(m));
        }
    }
}

/// Apply `filter` on the current Shipments or Patents pane, as typed.
fn apply(m: &mut Model, w: &mut Worker, filter: &str) {
    press(m, w, Action::EditFilter);
    press(m, w, Action::ClearInput);
    type_text(m, w, filter);
    press(m, w, Action::Submit);
    assert_eq!(m.mode, Mode::Normal, "{filter}: {:?}", m.input_error);
}

#[test]
fn repeated_party_keys_mean_any_of_the_names_in_the_pane_and_the_store() {
    let hik = all_ids(&party("hikvision"));
    let phuong = all_ids(&party("phuong viet"));
    assert!(!hik.is_empty() && !phuong.is_empty());
    let either: BTreeSet<i64> = hik.union(&phuong).copied().collect();
    assert!(either.len() > hik.len().max(phuong.len()), "both add rows");
    let both = ShipmentFilter {
        party_names: vec!["hikvision".into(), "phuong viet".into()],
        ..Default::default()
    };
    assert_eq!(all_ids(&both), either, "the store query: any of the names");

    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    apply(&mut m, &mut w, "party:hikvision party:\"phuong viet\"");
    assert_eq!(
        showing(&m),
        format!(
            "Showing 1–{} of {}",
            PAGE_SIZE.min(either.len()),
            either.len()
        ),
        "the pane counts the union, not the last name"
    );
    assert!(shipment_ids(&m).iter().all(|id| either.contains(id)));
    // Any other key twice is refused with a message, and nothing is applied.
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, " hs:8525 hs:8517");
    press(&mut m, &mut w, Action::Submit);
    assert_eq!(m.mode, Mode::Input);
    let e = m.input_error.clone().unwrap_or_default();
    assert!(e.starts_with("hs: given twice"), "{e}");
    assert_eq!(
        m.route().query(),
        Some("party:hikvision party:\"phuong viet\"")
    );
}

#[test]
fn g_goes_to_the_last_row_of_the_whole_list_and_k_pages_back_up() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    // A filter of a few pages, to walk it to its end one page at a time as well.
    apply(&mut m, &mut w, "country:VN");
    let total = all_ids(&ShipmentFilter {
        country: Some("VN".into()),
        ..Default::default()
    })
    .len();
    assert!(
        total > 2 * PAGE_SIZE,
        "{total} rows: want three pages or more"
    );
    // The list in its order, page by page.
    let walked = walk(&mut m, &mut w, shipment_ids);
    assert_eq!(walked.len(), total);
    press(&mut m, &mut w, Action::Top);
    assert_eq!((m.route().page, m.route().cursor), (0, 0));

    press(&mut m, &mut w, Action::Bottom);
    let last_page = shipment_ids(&m);
    assert_eq!(
        last_page.get(m.route().cursor),
        walked.last(),
        "G: the last row of the whole list"
    );
    assert_eq!(last_page[..], walked[total - last_page.len()..]);
    assert_eq!(
        showing(&m),
        format!(
            "Showing {}–{} of {}",
            total - last_page.len() + 1,
            total,
            total
        )
    );
    // Up past the first row of the last page: the page before, in the list's order.
    for _ in 0..last_page.len() {
        press(&mut m, &mut w, Action::Up);
    }
    let before = shipment_ids(&m);
    let end = total - last_page.len();
    assert_eq!(before[..], walked[end - before.len()..end]);
    assert_eq!(before.get(m.route().cursor), Some(&walked[end - 1]));
    // And down again onto the last page.
    press(&mut m, &mut w, Action::Down);
    assert_eq!(shipment_ids(&m), last_page);
    // g: the first row of the first page again.
    press(&mut m, &mut w, Action::Top);
    assert_eq!(shipment_ids(&m)[..], walked[..PAGE_SIZE]);
    assert_eq!(m.route().cursor, 0);
}

#[test]
fn g_on_the_patents_pane_reaches_the_last_patent() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    let walked = walk(&mut m, &mut w, patent_ids);
    assert!(
        walked.len() > PAGE_SIZE,
        "{} patents: two pages",
        walked.len()
    );
    press(&mut m, &mut w, Action::Top);
    press(&mut m, &mut w, Action::Bottom);
    assert_eq!(
        patent_ids(&m).get(m.route().cursor),
        walked.last(),
        "G: the last patent of the whole list"
    );
    assert_eq!(
        showing(&m),
        format!(
            "Showing {}–{} of {}",
            walked.len() - patent_ids(&m).len() + 1,
            walked.len(),
            walked.len()
        )
    );
}

#[test]
fn esc_that_clears_a_filter_is_a_step_back_brings_it_back() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    apply(&mut m, &mut w, "party:\"phuong viet\"");
    press(&mut m, &mut w, Action::Down);
    let filtered = (showing(&m), shipment_ids(&m), m.route().cursor);
    press(&mut m, &mut w, Action::Escape);
    assert_eq!(m.route().query(), Some(""));
    assert_ne!(showing(&m), filtered.0, "Esc cleared the filter");
    press(&mut m, &mut w, Action::Back);
    assert_eq!(m.route().query(), Some("party:\"phuong viet\""));
    assert_eq!(
        (showing(&m), shipment_ids(&m), m.route().cursor),
        filtered,
        "Backspace brings the filter back, on the same row"
    );
    press(&mut m, &mut w, Action::Forward);
    assert_eq!(m.route().query(), Some(""));
}

#[test]
fn patents_filter_cpc_and_year_keys() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    let rows = |m: &Model| match &m.screen().data {
        Data::Patents { page, .. } => page.rows.clone(),
        other => panic!("{other:?}"),
    };
    let all = rows(&m).len();
    apply(&mut m, &mut w, "cpc:h04n");
    let cpc = rows(&m);
    assert!(!cpc.is_empty() && cpc.len() < all, "{} of {all}", cpc.len());
    for r in &cpc {
        let codes = r.cpc.as_deref().unwrap_or("");
        assert!(
            codes.split("; ").any(|c| c.starts_with("H04N")),
            "{}: {codes}",
            r.number
        );
    }
    apply(&mut m, &mut w, "cpc:H04N year:2022");
    let both = rows(&m);
    assert!(!both.is_empty() && both.len() < cpc.len());
    for r in &both {
        assert!(
            r.publication_date
                .as_deref()
                .unwrap_or("")
                .starts_with("2022"),
            "{r:?}"
        );
    }
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, " year:2021");
    press(&mut m, &mut w, Action::Submit);
    assert!(m
        .input_error
        .as_deref()
        .unwrap_or("")
        .starts_with("year: given twice"));
}

/// Run every command of `cmds` (and what their answers lead to) on the worker, in order: the
/// searches answer only now, after every key was handled.
fn run_all(m: &mut Model, w: &mut Worker, cmds: Vec<Command>) {
    assert!(cmds.iter().any(|c| matches!(c, Command::Search { .. })));
    settle(m, w, cmds);
}

#[test]
fn enter_typed_ahead_of_the_results_opens_the_top_result_once_they_arrive() {
    // The top result of the whole query, searched at leisure.
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "hikvision");
    let Data::Entities(r, _) = &m.screen().data else {
        panic!("no results")
    };
    let top = r.hits[0].record.clone();

    // Typed fast: every key is handled before any search answers, Enter included.
    let (mut m, mut w) = start(80, 24);
    let mut pending = Vec::new();
    for c in "hikvision".chars() {
        pending.extend(update(&mut m, Action::Insert(c)));
    }
    pending.extend(update(&mut m, Action::Submit));
    assert!(
        matches!(m.route().view, View::Entities { .. }),
        "nothing opens before the results are in"
    );
    assert_eq!(m.mode, Mode::Normal);
    run_all(&mut m, &mut w, pending);
    let View::Detail { record } = m.route().view else {
        panic!("the top result opened: {:?}", m.route().view)
    };
    assert_eq!(record.id, top.id);
    assert_eq!(record.kind, RecordKind::Entity);
    // Once: back on the results, nothing opens again.
    press(&mut m, &mut w, Action::Back);
    assert!(matches!(m.route().view, View::Entities { .. }));

    // A key pressed after the Enter (here ↓) means the user moved on: nothing opens by itself.
    let (mut m, mut w) = start(80, 24);
    let mut pending = Vec::new();
    for c in "hikvision".chars() {
        pending.extend(update(&mut m, Action::Insert(c)));
    }
    pending.extend(update(&mut m, Action::Submit));
    pending.extend(update(&mut m, Action::Down));
    run_all(&mut m, &mut w, pending);
    assert!(matches!(m.route().view, View::Entities { .. }));
}

#[test]
fn e_on_an_unlisted_party_goes_to_a_linked_party_not_none_are_linked() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "phuong viet");
    let Data::Entities(r, _) = &m.screen().data else {
        panic!()
    };
    let i = r
        .hits
        .iter()
        .position(|h| h.record.badge.as_ref() == "PARTY")
        .expect("the trade party PHUONG VIET");
    for _ in 0..i {
        press(&mut m, &mut w, Action::Down);
    }
    press(&mut m, &mut w, Action::Submit);
    let View::Detail { record } = m.route().view else {
        panic!("{:?}", m.route().view)
    };
    assert_eq!(record.kind, RecordKind::Party);
    press(&mut m, &mut w, Action::Follow(Follow::Entries));
    assert!(
        !m.message
            .as_deref()
            .unwrap_or("")
            .contains("are linked to this"),
        "{:?}",
        m.message
    );
    let View::Detail { record: to } = m.route().view else {
        panic!("{:?}", m.route().view)
    };
    assert!(matches!(to.kind, RecordKind::Entity | RecordKind::Party));
    assert_ne!(to, record);
}

#[test]
fn g_snapshot_80x24_the_end_of_the_list() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    apply(&mut m, &mut w, "country:VN");
    press(&mut m, &mut w, Action::Bottom);
    insta::assert_snapshot!(crate::ui::screen(&m));
}

#[test]
fn a_patent_without_a_title_says_so_80x24() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    // Granted and applied for without a title in the source extract.
    apply(&mut m, &mut w, "US10679510B2");
    let Data::Patents { page, .. } = &m.screen().data else {
        panic!()
    };
    assert_eq!(page.rows.len(), 1, "{:?}", page.rows);
    assert_eq!(page.rows[0].title.as_deref().unwrap_or(""), "");
    let s = crate::ui::screen(&m);
    assert!(s.contains("(title not published)"), "{s}");
    insta::assert_snapshot!(s);
    press(&mut m, &mut w, Action::Open);
    let Data::Detail(d) = &m.screen().data else {
        panic!()
    };
    assert!(d
        .fields
        .iter()
        .any(|(k, v)| k == "Title" && v == "(title not published)"));
}

#[test]
fn rows_with_the_same_name_show_where_each_is() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "huawei technology");
    let Data::Entities(r, notes) = &m.screen().data else {
        panic!("no results")
    };
    let groups = tradescope::app::places::same_looking(r, 60);
    assert!(
        !groups.is_empty(),
        "the EL's Huawei Technology rows look the same"
    );
    for g in &groups {
        let places: Vec<Option<String>> = g.iter().map(|&i| notes[i].place.clone()).collect();
        let distinct: BTreeSet<&String> = places.iter().flatten().collect();
        assert_eq!(
            distinct.len(),
            g.len(),
            "{}: {places:?}",
            r.hits[g[0]].matched
        );
    }
    // Rows whose name is their own keep no place.
    let grouped: BTreeSet<usize> = groups.iter().flatten().copied().collect();
    for (i, n) in notes.iter().enumerate().take(60) {
        if !grouped.contains(&i) {
            assert_eq!(n.place, None, "{}", r.hits[i].matched);
        }
    }
    insta::assert_snapshot!(crate::ui::screen(&m));
}
