//! Issue 20, defects 1, 3 and 4: a paste is text (it goes into the edited line, never runs as
//! keys), one focus rule for the search and filter lines (`/` gives the focus from anywhere
//! and is not typed), and a refused filter edit looks refused while the applied filter is
//! shown separately.

use crate::workbench;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use ratatui::Terminal;
use tradescope::app::action::Pane;
use tradescope::app::keymap;
use tradescope::app::model::{Data, Mode, Model};
use tradescope::app::{update, Action, Worker};
use workbench::{press, settle, start, type_text};

fn render(m: &Model) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(m.width, m.height)).unwrap();
    t.draw(|f| tradescope::ui::draw(m, f)).unwrap();
    t
}

fn screen(m: &Model) -> String {
    render(m).backend().to_string()
}

/// Press a real key through the keymap, as the run loop does.
fn key(m: &mut Model, w: &mut Worker, code: KeyCode) {
    if let Some(a) = keymap::lookup(m, KeyEvent::new(code, KeyModifiers::NONE)) {
        let cmds = update(m, a);
        settle(m, w, cmds);
    }
}

fn keys(m: &mut Model, w: &mut Worker, s: &str) {
    for c in s.chars() {
        key(m, w, KeyCode::Char(c));
    }
}

fn shipment_ids(m: &Model) -> Vec<i64> {
    match &m.screen().data {
        Data::Shipments { page, .. } => page.rows.iter().map(|r| r.id).collect(),
        other => panic!("not the shipments pane: {other:?}"),
    }
}

/// Whether the label at the start of screen row 2 (the search/filter line) is highlighted.
fn label_highlighted(m: &Model) -> bool {
    let t = render(m);
    t.backend().buffer()[(0, 2)]
        .modifier
        .contains(Modifier::REVERSED)
}

#[test]
fn a_paste_goes_into_the_search_line_and_never_runs_as_keys() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Paste("huawei\nsquid\n".into()));
    assert!(!m.quit, "the q of squid did not quit");
    assert_eq!(m.pane(), Pane::Entities);
    assert_eq!(m.route().query(), Some("huawei squid "));
    assert!(
        matches!(&m.screen().data, Data::Entities(r, _) if r.query == "huawei squid "),
        "the pasted line was searched"
    );
    press(&mut m, &mut w, Action::ClearInput);
    press(&mut m, &mut w, Action::Paste("Hikvision\tCN\r\n".into()));
    assert_eq!(m.pane(), Pane::Entities, "the tab did not switch panes");
    assert_eq!(m.route().query(), Some("Hikvision CN "));
    // Control characters in a paste are dropped, not typed.
    press(&mut m, &mut w, Action::ClearInput);
    press(&mut m, &mut w, Action::Paste("zte\x1b[2J\x07".into()));
    assert_eq!(m.route().query(), Some("zte[2J"));
}

#[test]
fn a_paste_while_browsing_focuses_the_line_and_is_not_applied_yet() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    assert_eq!(m.mode, Mode::Normal);
    let before = shipment_ids(&m);
    press(
        &mut m,
        &mut w,
        Action::Paste("party:\"phuong viet\"\nhs:8525".into()),
    );
    assert_eq!(m.mode, Mode::Input, "the filter line took the focus");
    assert_eq!(m.input, "party:\"phuong viet\" hs:8525");
    assert_eq!(m.route().query(), Some(""), "applied only on Enter");
    assert_eq!(shipment_ids(&m), before);
    press(&mut m, &mut w, Action::Submit);
    assert_eq!(m.route().query(), Some("party:\"phuong viet\" hs:8525"));
    // A view without a line (the detail) says so instead of doing anything.
    press(&mut m, &mut w, Action::Open);
    assert!(m.is_detail());
    let route = m.route().clone();
    press(&mut m, &mut w, Action::Paste("q".into()));
    assert!(!m.quit);
    assert_eq!(*m.route(), route);
    assert!(m
        .message
        .as_deref()
        .unwrap_or("")
        .contains("Nothing to paste into"));
}

#[test]
fn one_focus_rule_for_the_search_line() {
    let (mut m, mut w) = start(80, 24);
    // At start the line has the focus, and shows it.
    assert_eq!(m.mode, Mode::Input);
    assert!(label_highlighted(&m));
    // `/` on a line that already has the focus is not typed.
    keys(&mut m, &mut w, "/hik");
    assert_eq!(m.route().query(), Some("hik"));
    // Esc takes the focus away, and the line no longer looks focused.
    key(&mut m, &mut w, KeyCode::Esc);
    assert_eq!(m.mode, Mode::Normal);
    assert!(!label_highlighted(&m));
    assert!(
        screen(&m).contains("Search: hik  (/ edits)"),
        "{}",
        screen(&m)
    );
    // `1` switches to the pane but never gives the focus: `1 /name` searches for "name".
    key(&mut m, &mut w, KeyCode::Char('1'));
    assert_eq!(m.mode, Mode::Normal);
    keys(&mut m, &mut w, "/dahua");
    assert_eq!(
        m.route().query(),
        Some("hikdahua"),
        "typed after the kept text"
    );
    key(&mut m, &mut w, KeyCode::Esc);
    // From another pane, `1` lands unfocused, Backspace goes back unfocused; `/` focuses.
    key(&mut m, &mut w, KeyCode::Char('2'));
    key(&mut m, &mut w, KeyCode::Char('1'));
    assert_eq!(m.mode, Mode::Normal);
    assert!(!label_highlighted(&m));
    key(&mut m, &mut w, KeyCode::Backspace);
    assert_eq!(m.mode, Mode::Normal);
    key(&mut m, &mut w, KeyCode::Char('/'));
    assert_eq!(m.mode, Mode::Input);
    assert!(label_highlighted(&m));
    // On an empty, unfocused line the hint says how to type.
    let (mut e, mut we) = start(80, 24);
    key(&mut e, &mut we, KeyCode::Esc);
    let s = screen(&e);
    assert!(s.contains("Search: press / to search"), "{s}");
}

#[test]
fn a_refused_edit_looks_refused_and_the_applied_filter_is_shown() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "hs:8525");
    press(&mut m, &mut w, Action::Submit);
    let applied = shipment_ids(&m);
    press(&mut m, &mut w, Action::EditFilter);
    press(&mut m, &mut w, Action::ClearInput);
    type_text(&mut m, &mut w, "products:yes");
    press(&mut m, &mut w, Action::Submit);
    assert_eq!(m.mode, Mode::Input, "still editing");
    assert_eq!(
        shipment_ids(&m),
        applied,
        "the rows obey the applied filter"
    );
    let s = screen(&m);
    let lines: Vec<&str> = s.lines().collect();
    assert!(
        lines[2].contains("Filter: products:yes  ✗ not applied: products:yes"),
        "{s}"
    );
    assert!(lines[3].contains("Applied: hs:8525"), "{s}");
    assert!(
        label_highlighted(&m),
        "the edit line is in the editing style"
    );
    // Esc keeps the applied filter and the screen is back to one filter line.
    press(&mut m, &mut w, Action::Escape);
    assert_eq!(m.route().query(), Some("hs:8525"));
    let s = screen(&m);
    assert!(s.lines().nth(2).unwrap().contains("Filter: hs:8525"), "{s}");
    assert!(!s.contains("Applied:"), "{s}");
    // A refused edit over no filter says the rows are all of them.
    press(&mut m, &mut w, Action::Escape);
    assert_eq!(m.route().query(), Some(""));
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "country:Narnia");
    press(&mut m, &mut w, Action::Submit);
    let s = screen(&m);
    assert!(s.contains("✗ not applied: country:Narnia"), "{s}");
    assert!(s.contains("Applied: none (all rows)"), "{s}");
}
