//! The investigation keys without a terminal (pure `update`, settled on a worker over the
//! fixture): the intersection (column cursor, cell drills, sort, back restores), the trail
//! tree (expand, walk to a US importer, open, back), as-of flags and filters in Shipments,
//! covered flags in details, cases (mark, export with provenance), the audit pane, OSC 52
//! copy, and the Entities pane's screening mode.

use crate::workbench;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tradescope::app::action::Pane;
use tradescope::app::intersect_view::COLUMNS;
use tradescope::app::keymap;
use tradescope::app::model::{Data, Model};
use tradescope::app::nav::View;
use tradescope::app::trail_view::{lines, Item};
use tradescope::app::{Action, Worker};
use tradescope::db::asof::AsOfStatus;
use tradescope::model::RecordKind;
use workbench::{fixture, press, start, type_text};

fn column(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Open the intersection with `i` and put the cursor on the Hikvision row.
fn intersection_at_hikvision(m: &mut Model, w: &mut Worker) {
    press(m, w, Action::Escape);
    press(m, w, Action::Intersect);
    let Data::Intersect(rows) = &m.screen().data else {
        panic!("intersection not loaded: {:?}", m.screen().data)
    };
    let i = rows
        .iter()
        .position(|r| r.name.starts_with("Hangzhou Hikvision"))
        .expect("Hikvision is in the intersection");
    assert!(rows[i].lists.contains(&"EL".to_string()));
    assert!(rows[i].covered.is_some(), "Hikvision is covered equipment");
    for _ in 0..i {
        press(m, w, Action::Down);
    }
}

fn move_to_column(m: &mut Model, w: &mut Worker, col: usize) {
    for _ in 0..COLUMNS.len() {
        press(m, w, Action::Left);
    }
    for _ in 0..col {
        press(m, w, Action::Right);
    }
    assert!(matches!(m.route().view, View::Intersect { col: c, .. } if c == col));
}

fn shipment_rows(m: &Model) -> (Vec<String>, Vec<Option<AsOfStatus>>) {
    match &m.screen().data {
        Data::Shipments { page, as_of, .. } => (
            page.rows
                .iter()
                .map(|r| r.consignee.clone().unwrap_or_default())
                .collect(),
            as_of.clone(),
        ),
        other => panic!("not the shipments pane: {other:?}"),
    }
}

#[test]
fn intersection_cells_drill_and_back_restores_row_and_column() {
    let (mut m, mut w) = start(80, 24);
    intersection_at_hikvision(&mut m, &mut w);
    assert_eq!(m.pane(), Pane::Investigate);
    let row = m.route().cursor;

    // Ships → the company's shipments.
    move_to_column(&mut m, &mut w, column("Ships"));
    press(&mut m, &mut w, Action::Open);
    let (consignees, _) = shipment_rows(&m);
    assert!(consignees.contains(&"PHUONG VIET DISTRIBUTION".to_string()));
    press(&mut m, &mut w, Action::Back);
    assert_eq!(m.route().cursor, row);
    assert!(matches!(m.route().view, View::Intersect { col, .. } if col == column("Ships")));

    // Listed → only shipments while listed: every row flagged listed at its date.
    move_to_column(&mut m, &mut w, column("Listed"));
    press(&mut m, &mut w, Action::Open);
    let (_, as_of) = shipment_rows(&m);
    assert!(!as_of.is_empty());
    assert!(
        as_of
            .iter()
            .all(|s| matches!(s, Some(AsOfStatus::ListedAtDate))),
        "{as_of:?}"
    );
    press(&mut m, &mut w, Action::Back);

    // CET areas → the company's patents in its top area.
    move_to_column(&mut m, &mut w, column("CET areas"));
    press(&mut m, &mut w, Action::Open);
    let Data::Patents { page, .. } = &m.screen().data else {
        panic!("patents not shown: {:?}", m.screen().data)
    };
    assert!(!page.rows.is_empty(), "patents in the top CET area");
    press(&mut m, &mut w, Action::Back);

    // Top consignee → PHUONG VIET's own shipments (also its onward ones).
    move_to_column(&mut m, &mut w, column("Top consignee"));
    press(&mut m, &mut w, Action::Open);
    let View::Shipments { base, .. } = &m.route().view else {
        panic!("not shipments")
    };
    assert!(base.party_id.is_some());
    let (consignees, _) = shipment_rows(&m);
    assert!(
        consignees.iter().any(|c| c != "PHUONG VIET DISTRIBUTION"),
        "onward shipments of the distributor: {consignees:?}"
    );
    press(&mut m, &mut w, Action::Back);

    // Company → the list entry.
    move_to_column(&mut m, &mut w, column("Company"));
    press(&mut m, &mut w, Action::Open);
    assert!(m.is_detail());
    let Data::Detail(d) = &m.screen().data else {
        panic!("no detail")
    };
    assert!(
        d.fields
            .iter()
            .any(|(l, v)| l == "Covered equipment" && v.contains("889")),
        "covered flag next to the list status: {:?}",
        d.fields
    );
}

#[test]
fn intersection_sort_cycles_and_reorders() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::Intersect);
    let names = |m: &Model| match &m.screen().data {
        Data::Intersect(rows) => rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        _ => panic!("no intersection"),
    };
    let by_shipments = names(&m);
    // Shipments → patents → areas → while listed → last → first → name.
    for _ in 0..6 {
        press(&mut m, &mut w, Action::SortNext);
    }
    assert!(m.message.as_deref().unwrap_or("").contains("name"));
    let mut sorted = by_shipments.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names(&m), sorted);
    press(&mut m, &mut w, Action::SortNext);
    assert_eq!(names(&m), by_shipments, "back to shipments");
}

#[test]
fn trail_walks_to_a_us_importer_and_back_keeps_the_tree() {
    let (mut m, mut w) = start(80, 24);
    intersection_at_hikvision(&mut m, &mut w);
    press(&mut m, &mut w, Action::Trail);
    let View::Trail { entity_id, .. } = &m.route().view else {
        panic!("not the trail: {:?}", m.route().view)
    };
    assert_eq!(*entity_id, fixture().hik_el);
    let line_names = |m: &Model| -> Vec<(usize, String, Option<String>)> {
        let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
            panic!("trail not loaded")
        };
        lines(t, open)
            .iter()
            .map(|l| match l.item {
                Item::Node(n) => (l.depth, n.name.clone(), n.country.clone()),
                Item::Shipment { ship, .. } => (l.depth, format!("#{}", ship.shipment_id), None),
                Item::More { node, .. } => (l.depth, format!("+{}", node.more()), None),
            })
            .collect()
    };
    let before = line_names(&m);
    let pv = before
        .iter()
        .position(|(_, n, _)| n == "PHUONG VIET DISTRIBUTION")
        .expect("the Vietnamese distributor is a first hop");
    for _ in 0..pv {
        press(&mut m, &mut w, Action::Down);
    }
    press(&mut m, &mut w, Action::Right);
    let after = line_names(&m);
    assert!(after.len() > before.len(), "expanded");
    assert!(
        after[pv + 1].1.starts_with('#'),
        "evidence shipments come first"
    );
    let us = after
        .iter()
        .enumerate()
        .skip(pv + 1)
        .find(|(_, (d, _, c))| *d == 1 && c.as_deref() == Some("US"))
        .map(|(i, _)| i)
        .expect("a US importer under the distributor");
    for _ in 0..(us - pv) {
        press(&mut m, &mut w, Action::Down);
    }
    let cursor = m.route().cursor;
    press(&mut m, &mut w, Action::Open);
    let Data::Detail(d) = &m.screen().data else {
        panic!("party detail not shown")
    };
    assert_eq!(d.record.kind, RecordKind::Party);
    assert_eq!(d.title, after[us].1);
    press(&mut m, &mut w, Action::Back);
    assert_eq!(m.route().cursor, cursor, "back lands on the same node");
    assert_eq!(line_names(&m), after, "with the tree as it was");

    // ← on the importer: to its parent; ← again collapses it.
    press(&mut m, &mut w, Action::Left);
    assert_eq!(m.route().cursor, pv);
    press(&mut m, &mut w, Action::Left);
    assert_eq!(line_names(&m), before);
    // Space toggles.
    press(&mut m, &mut w, Action::Toggle);
    assert_eq!(line_names(&m), after);
}

#[test]
fn trail_needs_a_list_entry() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    press(&mut m, &mut w, Action::Trail);
    assert!(matches!(m.route().view, View::Shipments { .. }));
    assert!(m
        .message
        .as_deref()
        .unwrap_or("")
        .contains("listed company"));
}

#[test]
fn as_of_flags_and_filters_in_shipments() {
    let (mut m, mut w) = start(80, 24);
    intersection_at_hikvision(&mut m, &mut w);
    move_to_column(&mut m, &mut w, column("Ships"));
    press(&mut m, &mut w, Action::Open);
    // Oldest first: the first shipments predate the 2019-10-09 listing.
    press(&mut m, &mut w, Action::SortReverse);
    let (_, as_of) = shipment_rows(&m);
    assert_eq!(as_of[0], Some(AsOfStatus::ListedLater), "{as_of:?}");

    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "listed:no");
    press(&mut m, &mut w, Action::Submit);
    let (_, as_of) = shipment_rows(&m);
    assert!(!as_of.is_empty());
    assert!(
        as_of.iter().all(|s| *s != Some(AsOfStatus::ListedAtDate)),
        "{as_of:?}"
    );

    press(&mut m, &mut w, Action::Open);
    let Data::Detail(d) = &m.screen().data else {
        panic!("no detail")
    };
    let field = |name: &str| {
        d.fields
            .iter()
            .find(|(l, _)| l == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        field("As of ship date").as_deref(),
        Some("shipper listed later")
    );
    press(&mut m, &mut w, Action::Back);

    press(&mut m, &mut w, Action::EditFilter);
    press(&mut m, &mut w, Action::ClearInput);
    type_text(&mut m, &mut w, "listed:perhaps");
    press(&mut m, &mut w, Action::Submit);
    assert!(m
        .input_error
        .as_deref()
        .unwrap_or("")
        .contains("listed:yes or listed:no"));
    press(&mut m, &mut w, Action::Escape);
    // All shipments: the US importer's onward shipments carry Hikvision products.
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    assert!(m.route().is_home());
    press(&mut m, &mut w, Action::EditFilter);
    type_text(
        &mut m,
        &mut w,
        "products:listed party:\"pinnacle technology\"",
    );
    press(&mut m, &mut w, Action::Submit);
    let (consignees, _) = shipment_rows(&m);
    assert!(
        consignees
            .iter()
            .any(|c| c.starts_with("PINNACLE TECHNOLOGY")),
        "the US importer's Hikvision goods: {consignees:?}"
    );
}

#[test]
fn mark_export_and_the_audit_log() {
    let (mut m, mut w) = start(80, 24);
    let dir = tempfile::tempdir().unwrap();
    m.case_name = "tui-mark-export".into();
    m.export_dir = dir.path().to_path_buf();
    press(&mut m, &mut w, Action::ExportCase);
    assert!(
        m.message
            .as_deref()
            .unwrap_or("")
            .contains("no records yet"),
        "{:?}",
        m.message
    );
    intersection_at_hikvision(&mut m, &mut w);
    press(&mut m, &mut w, Action::Mark);
    assert!(
        m.message.as_deref().unwrap_or("").contains("(1 record;"),
        "{:?}",
        m.message
    );
    press(&mut m, &mut w, Action::ExportCase);
    let msg = m.message.clone().unwrap_or_default();
    assert!(msg.contains("exported case"), "{msg}");
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("Hangzhou Hikvision"), "{text}");
    assert!(text.contains("SHA-256"), "provenance: {text}");

    press(&mut m, &mut w, Action::AuditLog);
    let Data::Audit(a) = &m.screen().data else {
        panic!("audit log not shown")
    };
    assert!(a.verification.ok, "{:?}", a.verification);
    assert!(a.rows.windows(2).all(|p| p[0].id > p[1].id), "newest first");
    let export = a
        .rows
        .iter()
        .find(|r| r.action == "export" && r.results.contains("tui-mark-export"))
        .expect("the export is on the log");
    assert!(export.results.contains("sha256"));
    assert!(
        a.rows.iter().any(|r| r.action == "intersect"),
        "opening the intersection is on the log"
    );
}

#[test]
fn copy_puts_the_cell_on_the_clipboard_as_osc52() {
    let (mut m, mut w) = start(80, 24);
    intersection_at_hikvision(&mut m, &mut w);
    press(&mut m, &mut w, Action::Copy);
    let text = m.clipboard.clone().expect("something copied");
    assert!(text.starts_with("Hangzhou Hikvision"), "{text}");
    let seq = tradescope::osc52::encode(&text, false);
    assert!(seq.starts_with("\x1b]52;c;") && seq.ends_with('\x07'));
    let mut out = Vec::new();
    tradescope::terminal::copy_to_clipboard(&mut out, &text).unwrap();
    assert_eq!(out, tradescope::osc52::encode_for_env(&text).into_bytes());
    move_to_column(&mut m, &mut w, column("Lists"));
    press(&mut m, &mut w, Action::Copy);
    assert_eq!(m.clipboard.as_deref(), Some("EL,CMIC 2019-10-09"));
}

#[test]
fn screening_mode_scores_explains_and_moves_the_threshold() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::ToggleScreening);
    assert!(m.screening);
    type_text(&mut m, &mut w, "Hikvision");
    let Data::Screening(s) = &m.screen().data else {
        panic!("not screening: {:?}", m.screen().data)
    };
    let lists: Vec<&str> = s.hits.iter().map(|h| h.list.as_str()).collect();
    assert!(
        lists.contains(&"EL") && lists.contains(&"CMIC"),
        "{lists:?}"
    );
    assert!(s
        .hits
        .iter()
        .all(|h| h.score >= 0.9 && !h.explanation.is_empty()));
    let n = s.hits.len();
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::Threshold(1));
    assert!((m.threshold - 0.80).abs() < 1e-9, "{}", m.threshold);
    assert!(tradescope::ui::showing(&m).contains("threshold 0.80"));
    for _ in 0..20 {
        press(&mut m, &mut w, Action::Threshold(-1));
    }
    assert!((m.threshold - 0.05).abs() < 1e-9, "floor: {}", m.threshold);
    let Data::Screening(s) = &m.screen().data else {
        panic!("not screening")
    };
    assert!(
        s.hits.len() >= n,
        "a lower threshold finds at least as much"
    );
    // Typeahead again when the mode is off.
    press(&mut m, &mut w, Action::ToggleScreening);
    assert!(matches!(m.screen().data, Data::Entities(..)));
    press(&mut m, &mut w, Action::ToggleScreening);
    press(&mut m, &mut w, Action::EditFilter);
    press(&mut m, &mut w, Action::ClearInput);
    type_text(&mut m, &mut w, "ZTE Corporation");
    assert!(
        m.message
            .as_deref()
            .unwrap_or("")
            .contains("not on a screening list"),
        "{:?}",
        m.message
    );
}

#[test]
fn screening_line_takes_date_of_birth_and_country_evidence() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Vladimir Putin dob:1952-10-07 country:RU");
    let Data::Screening(s) = &m.screen().data else {
        panic!("not screening: {:?}", m.screen().data)
    };
    let hit = s
        .hits
        .iter()
        .find(|h| h.explanation.contains("same date of birth"))
        .unwrap_or_else(|| panic!("no hit used the date of birth: {:?}", s.hits));
    assert!(hit.score >= 0.9, "{}", hit.score);
    // A qualifier that cannot be read is said in the status line, and the name still screened.
    press(&mut m, &mut w, Action::ClearInput);
    type_text(&mut m, &mut w, "Vladimir Putin dob:1952-13-40");
    let message = m.message.clone().unwrap_or_default();
    assert!(message.contains("dob:1952-13-40 ignored"), "{message}");
    let Data::Screening(s) = &m.screen().data else {
        panic!("not screening")
    };
    assert!(!s.hits.is_empty());
}

#[test]
fn keys_reach_the_new_actions() {
    let (mut m, mut w) = start(80, 24);
    let key = |c: KeyCode, mods| KeyEvent::new(c, mods);
    // The search line has the focus: Ctrl-S toggles screening, `i` is typed.
    assert_eq!(
        keymap::lookup(&m, key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        Some(Action::ToggleScreening)
    );
    assert_eq!(
        keymap::lookup(&m, key(KeyCode::Char('i'), KeyModifiers::NONE)),
        Some(Action::Insert('i'))
    );
    press(&mut m, &mut w, Action::Escape);
    for (c, a) in [
        ('i', Action::Intersect),
        ('t', Action::Trail),
        ('A', Action::AuditLog),
        ('m', Action::Mark),
        ('x', Action::ExportCase),
        ('y', Action::Copy),
        ('S', Action::ToggleScreening),
        ('+', Action::Threshold(1)),
        ('-', Action::Threshold(-1)),
    ] {
        assert_eq!(
            keymap::lookup(&m, key(KeyCode::Char(c), KeyModifiers::NONE)),
            Some(a)
        );
    }
    press(&mut m, &mut w, Action::Intersect);
    assert_eq!(
        keymap::lookup(&m, key(KeyCode::Right, KeyModifiers::NONE)),
        Some(Action::Right)
    );
    let help: Vec<String> = keymap::help_sections()
        .into_iter()
        .flat_map(|(_, rows)| rows.into_iter().map(|(k, _)| k))
        .collect();
    for want in [
        "listed:yes  listed:no",
        "products:listed",
        "i",
        "t",
        "m",
        "x",
        "y",
    ] {
        assert!(help.iter().any(|k| k == want), "{want} not in the help");
    }
}

#[test]
fn typeahead_rows_carry_the_covered_flag() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "hikvision");
    let Data::Entities(r, covered) = &m.screen().data else {
        panic!("no results")
    };
    let flag_of = |badge: &str| {
        r.hits
            .iter()
            .position(|h| &*h.record.badge == badge)
            .and_then(|i| covered.get(i).and_then(|n| n.covered.clone()))
    };
    assert_eq!(flag_of("EL").as_deref(), Some("Hikvision"));
    assert_eq!(flag_of("PARTY").as_deref(), Some("Hikvision"));
    assert_eq!(flag_of("ASSIGNEE"), None, "assignees are not flagged");
}

#[test]
fn searches_and_screenings_are_audited_once() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "dahua technology");
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::EditFilter);
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::ToggleScreening);
    press(&mut m, &mut w, Action::EditFilter);
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::AuditLog);
    let Data::Audit(a) = &m.screen().data else {
        panic!("audit log not shown")
    };
    let count = |action: &str| {
        a.rows
            .iter()
            .filter(|r| {
                r.action == action
                    && r.query.as_deref() == Some(&format!("workbench {action}: dahua technology"))
            })
            .count()
    };
    assert_eq!(count("search"), 1, "leaving the line twice logs once");
    assert_eq!(count("screen"), 1, "the screening is logged too");
    let screen = a
        .rows
        .iter()
        .find(|r| r.action == "screen" && r.results.contains("Dahua"))
        .expect("the screening's hits are in the record");
    assert!(screen.matcher_version.is_some() && screen.threshold.is_some());
    assert!(screen.normalized_query.is_some());
}

/// Issue 20 item 7: every Huawei name among the typeahead's list entries and trade parties
/// carries the flag (Huawei Italia, Sweden, … said nothing while Huawei France said "named").
#[test]
fn every_huawei_row_carries_the_covered_flag() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "huawei");
    let Data::Entities(r, covered) = &m.screen().data else {
        panic!("no results")
    };
    let mut checked = 0;
    for (i, h) in r.hits.iter().enumerate().take(covered.len()) {
        if &*h.record.badge == "ASSIGNEE" || !h.record.name.to_uppercase().contains("HUAWEI") {
            continue;
        }
        assert_eq!(
            covered[i].covered.as_deref(),
            Some("Huawei"),
            "{} ({})",
            h.record.name,
            h.record.badge
        );
        checked += 1;
    }
    assert!(checked >= 5, "{checked} Huawei rows");
}

/// Issue 20 item 8: Enter on a screening hit opens the list entry with the hit's full score,
/// SLS-style score and explanation above the entry's own fields (the Why column is cut).
#[test]
fn a_screening_hit_opens_with_its_score_and_explanation() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Hikvision");
    let Data::Screening(s) = &m.screen().data else {
        panic!("not screening")
    };
    let hit = s.hits[0].clone();
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::Open);
    let Data::Detail(d) = &m.screen().data else {
        panic!("no detail: {:?}", m.screen().data)
    };
    let field = |label: &str| {
        d.fields
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {label} in {:?}", d.fields))
    };
    assert_eq!(d.fields[0].0, "Screened name");
    assert_eq!(field("Screened name"), "Hikvision");
    assert_eq!(field("Score"), format!("{:.3}", hit.score));
    assert_eq!(field("SLS-style score"), format!("{:.1}", hit.sls_score));
    assert_eq!(field("Why"), hit.explanation);
    assert!(
        d.fields.len() > 6,
        "the entry's own fields follow: {:?}",
        d.fields
    );
    let s = crate::ui::screen(&m);
    assert!(s.contains("SLS-style score"), "{s}");
    insta::assert_snapshot!("screening_hit_detail", s);
    // Back and forward keep the evidence (it belongs to the route).
    press(&mut m, &mut w, Action::Back);
    press(&mut m, &mut w, Action::Forward);
    assert!(crate::ui::screen(&m).contains("SLS-style score"));
}

/// Issue 20 item 9: `h` collapses in the trail (it left the trail) and goes back from the
/// detail view (it did nothing there).
#[test]
fn h_collapses_in_the_trail_and_goes_back_from_the_detail() {
    let h = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE);
    let (mut m, mut w) = crate::ui::hikvision_detail(80, 24);
    assert!(m.is_detail());
    assert_eq!(keymap::lookup(&m, h), Some(Action::Back));
    press(&mut m, &mut w, Action::Trail);
    assert!(
        matches!(m.route().view, View::Trail { .. }),
        "{:?}",
        m.route().view
    );
    assert_eq!(keymap::lookup(&m, h), Some(Action::Left));
}
