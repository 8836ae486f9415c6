//! The workbench's state transitions without a terminal: drill from an entity to its shipments
//! and patents, go back and forward with the exact position restored, drop stale answers, edit
//! filters, page with keyset cursors, open the help.

use crate::workbench;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tradescope::app::action::{Follow, Loaded, Pane};
use tradescope::app::keymap;
use tradescope::app::model::{Data, Mode, Model};
use tradescope::app::nav::View;
use tradescope::app::{update, Action, Command};
use tradescope::model::{RecordKind, RecordRef};
use tradescope::ui::showing as statusbar_text;
use workbench::{fixture, press, settle, start, type_text};

fn hits(m: &Model) -> Vec<(String, i64)> {
    match &m.screen().data {
        Data::Entities(r, _) => r
            .hits
            .iter()
            .map(|h| (h.record.badge.to_string(), h.record.id))
            .collect(),
        other => panic!("not the entities pane: {other:?}"),
    }
}

fn shipment_consignees(m: &Model) -> Vec<String> {
    match &m.screen().data {
        Data::Shipments { page, .. } => page
            .rows
            .iter()
            .map(|r| r.consignee.clone().unwrap_or_default())
            .collect(),
        other => panic!("not the shipments pane: {other:?}"),
    }
}

/// Search "hikvision" and open the Entity List entry, as the analyst does.
fn open_hikvision(m: &mut Model, w: &mut tradescope::app::Worker) {
    type_text(m, w, "hikvision");
    let el = hits(m)
        .iter()
        .position(|(badge, id)| badge == "EL" && *id == fixture().hik_el)
        .expect("the Entity List entry is among the results");
    for _ in 0..el {
        press(m, w, Action::Down);
    }
    press(m, w, Action::Submit);
    assert_eq!(
        m.route().view,
        View::Detail {
            record: RecordRef::new(RecordKind::Entity, fixture().hik_el)
        }
    );
}

#[test]
fn search_shows_list_entries_parties_and_assignees() {
    let (mut m, mut w) = start(80, 24);
    assert_eq!(
        m.mode,
        Mode::Input,
        "the search line has the focus at start"
    );
    type_text(&mut m, &mut w, "hikvision");
    let badges: Vec<String> = hits(&m).into_iter().map(|(b, _)| b).collect();
    for want in ["EL", "CMIC", "PARTY", "ASSIGNEE"] {
        assert!(
            badges.iter().any(|b| b == want),
            "{want} missing from {badges:?}"
        );
    }
}

#[test]
fn drill_to_shipments_and_patents_and_back() {
    let (mut m, mut w) = start(80, 24);
    open_hikvision(&mut m, &mut w);
    let Data::Detail(d) = &m.screen().data else {
        panic!("detail not loaded")
    };
    let ship_link = d
        .links
        .iter()
        .find(|l| l.label == "Shipments of linked trade parties")
        .expect("link to the linked parties' shipments");
    let shown_count = ship_link.count.expect("count shown before the jump");
    assert!(shown_count > 0);

    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    assert_eq!(m.pane(), Pane::Shipments);
    let consignees = shipment_consignees(&m);
    assert!(
        consignees.contains(&"PHUONG VIET DISTRIBUTION".to_string()),
        "{consignees:?}"
    );
    assert!(
        !consignees.contains(&"BETA IMPORTS INC".to_string()),
        "unrelated shipments shown"
    );
    let crumbs: Vec<&str> = m
        .history
        .path()
        .iter()
        .map(|s| s.route.crumb.as_str())
        .collect();
    assert_eq!(crumbs[0], "Entities");
    assert!(crumbs[1].starts_with("Hangzhou Hikvision"), "{crumbs:?}");
    assert_eq!(crumbs[2], "Shipments");

    press(&mut m, &mut w, Action::Back);
    assert!(m.is_detail());
    press(&mut m, &mut w, Action::Follow(Follow::Patents));
    let Data::Patents { page, count } = &m.screen().data else {
        panic!("patents not shown")
    };
    assert!(page.rows.iter().any(
        |r| r.title.as_deref() == Some("Face liveness detection based on neural network model")
    ));
    assert_eq!(
        *count,
        Some(tradescope::app::action::Count::Exact(page.rows.len() as i64)),
        "every linked patent fits on the first page and the count says so"
    );
}

#[test]
fn back_restores_cursor_and_scroll_forward_reapplies() {
    // 9 rows high: 3 visible rows of Hikvision's shipments, so the last rows scroll.
    let (mut m, mut w) = start(80, 9);
    open_hikvision(&mut m, &mut w);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    let n = shipment_consignees(&m).len();
    assert!(n > 3, "enough shipments to scroll: {n}");
    press(&mut m, &mut w, Action::Bottom);
    press(&mut m, &mut w, Action::Up);
    let (cursor, scroll) = (m.route().cursor, m.route().scroll);
    assert_eq!(cursor, n - 2);
    assert!(scroll > 0, "the list scrolled");
    let on = shipment_consignees(&m)[cursor].clone();

    press(&mut m, &mut w, Action::Open);
    assert!(m.is_detail());
    press(&mut m, &mut w, Action::Back);
    assert_eq!((m.route().cursor, m.route().scroll), (cursor, scroll));
    assert_eq!(shipment_consignees(&m)[m.route().cursor], on);

    press(&mut m, &mut w, Action::Forward);
    assert!(m.is_detail(), "forward re-applies the jump");
    press(&mut m, &mut w, Action::Back);
    press(&mut m, &mut w, Action::Back);
    press(&mut m, &mut w, Action::Back);
    // Back at the search: same query, same selected row.
    assert_eq!(
        m.route().view,
        View::Entities {
            query: "hikvision".into()
        }
    );
    let (badge, id) = hits(&m)[m.route().cursor].clone();
    assert_eq!((badge.as_str(), id), ("EL", fixture().hik_el));
}

#[test]
fn keyset_pages_and_back_restores_the_page() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    let first = statusbar_text(&m);
    let total = first
        .strip_prefix("Showing 1–50 of ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    for _ in 0..50 {
        press(&mut m, &mut w, Action::Down);
    }
    assert_eq!((m.route().page, m.route().cursor), (1, 0));
    let second = format!("Showing 51–100 of {total}");
    assert_eq!(statusbar_text(&m), second);
    let row = shipment_consignees(&m)[1].clone();
    press(&mut m, &mut w, Action::Down);
    press(&mut m, &mut w, Action::Open);
    press(&mut m, &mut w, Action::Back);
    assert_eq!((m.route().page, m.route().cursor), (1, 1));
    assert_eq!(statusbar_text(&m), second);
    assert_eq!(shipment_consignees(&m)[1], row);
    press(&mut m, &mut w, Action::Up);
    press(&mut m, &mut w, Action::Up);
    assert_eq!(
        (m.route().page, m.route().cursor),
        (0, 49),
        "up from the top: previous page"
    );
}

#[test]
fn stale_answers_are_dropped() {
    let (mut m, mut w) = start(80, 24);
    let first = update(&mut m, Action::Insert('z'));
    let second = update(&mut m, Action::Insert('t'));
    // The newer answer arrives first, the older one after it: the older must not win.
    settle(&mut m, &mut w, second);
    let shown = hits(&m);
    settle(&mut m, &mut w, first);
    assert_eq!(hits(&m), shown);
    match &m.screen().data {
        Data::Entities(r, _) => assert_eq!(r.query, "zt"),
        _ => unreachable!(),
    }
    // An answer for a screen the user already left is dropped too.
    let g = match update(&mut m, Action::Insert('e')).first() {
        Some(Command::Search { generation, .. }) => *generation,
        other => panic!("expected a search, got {other:?}"),
    };
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    let before = m.screen().clone();
    update(
        &mut m,
        Action::Loaded {
            generation: g,
            data: Loaded::Failed("late".into()),
        },
    );
    assert_eq!(*m.screen(), before);
}

#[test]
fn filter_edit_apply_error_and_clear() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    press(&mut m, &mut w, Action::EditFilter);
    assert_eq!(m.mode, Mode::Input);
    type_text(&mut m, &mut w, "colour:red");
    press(&mut m, &mut w, Action::Submit);
    assert_eq!(m.mode, Mode::Input, "a wrong filter keeps the line open");
    assert!(m.input_error.as_deref().unwrap_or("").contains("colour:"));
    press(&mut m, &mut w, Action::ClearInput);
    press(&mut m, &mut w, Action::Escape);
    let all = statusbar_text(&m);
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "party:\"phuong viet\"");
    press(&mut m, &mut w, Action::Submit);
    assert_eq!(m.mode, Mode::Normal);
    let Data::Shipments { page, .. } = &m.screen().data else {
        panic!("not the shipments pane")
    };
    assert!(!page.rows.is_empty());
    for r in &page.rows {
        let both = format!("{:?} {:?}", r.shipper, r.consignee);
        assert!(both.contains("PHUONG VIET"), "{both}");
    }
    press(&mut m, &mut w, Action::Escape);
    assert_eq!(m.route().query(), Some(""));
    assert_eq!(statusbar_text(&m), all, "Esc cleared the filter");
}

#[test]
fn help_overlay_toggles_and_blocks_other_keys() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::ToggleHelp);
    assert!(m.help);
    let before = m.route().clone();
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    assert_eq!(*m.route(), before, "keys under the overlay do nothing");
    press(&mut m, &mut w, Action::Escape);
    assert!(!m.help);
}

#[test]
fn links_are_followed_from_the_detail_view() {
    let (mut m, mut w) = start(80, 24);
    open_hikvision(&mut m, &mut w);
    let Data::Detail(d) = &m.screen().data else {
        panic!()
    };
    let i = d
        .links
        .iter()
        .position(|l| l.target.is_record(RecordKind::Party))
        .expect("a linked trade party");
    let party = d.links[i].target.record().expect("a record link").id;
    for _ in 0..i {
        press(&mut m, &mut w, Action::Down);
    }
    press(&mut m, &mut w, Action::Open);
    assert_eq!(
        m.route().view,
        View::Detail {
            record: RecordRef::new(RecordKind::Party, party)
        }
    );
    // `e` from the party leads back to a list entry it is linked to: a Hikvision listing.
    press(&mut m, &mut w, Action::Follow(Follow::Entries));
    let Data::Detail(d) = &m.screen().data else {
        panic!("no detail after e")
    };
    assert_eq!(d.record.kind, RecordKind::Entity);
    assert!(d.title.to_lowercase().contains("hikvision"), "{}", d.title);
}

#[test]
fn keys_mean_different_things_while_typing() {
    let (mut m, _w) = start(80, 24);
    let k = |c: KeyCode, mods: KeyModifiers| KeyEvent::new(c, mods);
    assert_eq!(m.mode, Mode::Input);
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Char('q'), KeyModifiers::NONE)),
        Some(Action::Insert('q'))
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Backspace, KeyModifiers::NONE)),
        Some(Action::DeleteChar)
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        Some(Action::Quit)
    );
    m.mode = Mode::Normal;
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Char('q'), KeyModifiers::NONE)),
        Some(Action::Quit)
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Backspace, KeyModifiers::NONE)),
        Some(Action::Back)
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Char('G'), KeyModifiers::SHIFT)),
        Some(Action::Bottom)
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::Left, KeyModifiers::ALT)),
        Some(Action::Back)
    );
    assert_eq!(
        keymap::lookup(&m, k(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevPane)
    );
}

#[test]
fn esc_then_a_key_in_one_read_is_esc_then_the_key() {
    let (mut m, mut w) = start(80, 24);
    let alt_q = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::ALT);
    let plain = keymap::split_alt(&m, alt_q).expect("Alt-? means nothing: split it");
    assert_eq!(plain.code, KeyCode::Char('?'));
    press(&mut m, &mut w, Action::Escape);
    assert_eq!(keymap::lookup(&m, plain), Some(Action::ToggleHelp));
    // A bound Alt key stays what it is.
    let alt_left = KeyEvent::new(KeyCode::Left, KeyModifiers::ALT);
    assert_eq!(keymap::split_alt(&m, alt_left), None);
}

#[test]
fn patents_sort_by_number_and_reverse_from_the_top() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Patents));
    let numbers = |m: &Model| -> Vec<String> {
        match &m.screen().data {
            Data::Patents { page, .. } => page.rows.iter().map(|r| r.number.clone()).collect(),
            other => panic!("{other:?}"),
        }
    };
    let dates = |m: &Model| -> Vec<Option<String>> {
        match &m.screen().data {
            Data::Patents { page, .. } => page
                .rows
                .iter()
                .map(|r| r.publication_date.clone())
                .collect(),
            other => panic!("{other:?}"),
        }
    };
    let newest = dates(&m);
    assert!(newest.windows(2).all(|p| p[0] >= p[1]), "{newest:?}");
    press(&mut m, &mut w, Action::Down);
    press(&mut m, &mut w, Action::SortNext);
    assert_eq!(m.route().cursor, 0, "a new order starts at the top");
    // Numeric within the country: US9905060 before US10326917.
    let numeric = |n: &String| -> (usize, String) {
        let d: String = n
            .chars()
            .skip_while(|c| c.is_ascii_alphabetic())
            .take_while(|c| c.is_ascii_digit())
            .collect();
        (d.len(), d)
    };
    let by_number = numbers(&m);
    assert!(
        by_number
            .windows(2)
            .all(|p| numeric(&p[0]) <= numeric(&p[1])),
        "{by_number:?}"
    );
    press(&mut m, &mut w, Action::SortReverse);
    let reversed = numbers(&m);
    assert!(
        reversed
            .windows(2)
            .all(|p| numeric(&p[0]) >= numeric(&p[1])),
        "{reversed:?}"
    );
    press(&mut m, &mut w, Action::SortNext);
    assert_eq!(dates(&m), newest, "round to newest first");
}
