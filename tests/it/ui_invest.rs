//! Snapshots of the investigation views, drawn with ratatui's TestBackend from a model settled
//! over the fixture: the intersection, the trail tree, shipments before the listing with their
//! as-of flags, and the screening mode, at 80×24 and at a wide size.

use crate::workbench;

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tradescope::app::model::{Data, Model};
use tradescope::app::nav::View;
use tradescope::app::trail_view::{lines, Item};
use tradescope::app::{Action, Worker};
use workbench::{press, start, type_text};

fn screen(m: &Model) -> String {
    let mut t = Terminal::new(TestBackend::new(m.width, m.height)).unwrap();
    t.draw(|f| tradescope::ui::draw(m, f)).unwrap();
    t.backend().to_string()
}

/// The intersection with the cursor on Hikvision, column `col`.
fn intersection(w: u16, h: u16, col: usize) -> (Model, Worker) {
    let (mut m, mut wk) = start(w, h);
    press(&mut m, &mut wk, Action::Escape);
    press(&mut m, &mut wk, Action::Intersect);
    let Data::Intersect(rows) = &m.screen().data else {
        panic!("no intersection")
    };
    let i = rows
        .iter()
        .position(|r| r.name.starts_with("Hangzhou Hikvision"))
        .expect("Hikvision row");
    for _ in 0..i {
        press(&mut m, &mut wk, Action::Down);
    }
    for _ in 0..col {
        press(&mut m, &mut wk, Action::Right);
    }
    (m, wk)
}

/// Hikvision's trail with PHUONG VIET DISTRIBUTION expanded and the cursor on its first US
/// importer.
fn trail(w: u16, h: u16) -> (Model, Worker) {
    let (mut m, mut wk) = intersection(w, h, 0);
    press(&mut m, &mut wk, Action::Trail);
    let at = |m: &Model, pred: &dyn Fn(usize, &str, Option<&str>) -> bool| {
        let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
            panic!("no trail")
        };
        lines(t, open)
            .iter()
            .position(|l| match l.item {
                Item::Node(n) => pred(l.depth, &n.name, n.country.as_deref()),
                _ => false,
            })
            .expect("node on screen")
    };
    let pv = at(&m, &|_, n, _| n == "PHUONG VIET DISTRIBUTION");
    for _ in 0..pv {
        press(&mut m, &mut wk, Action::Down);
    }
    press(&mut m, &mut wk, Action::Right);
    let us = at(&m, &|d, _, c| d == 1 && c == Some("US"));
    for _ in pv..us {
        press(&mut m, &mut wk, Action::Down);
    }
    (m, wk)
}

#[test]
fn intersection_view() {
    let (m, _) = intersection(80, 24, 3);
    let s = screen(&m);
    assert!(
        s.contains("Hangzhou Hikvis") && s.contains("PHUONG VIET"),
        "{s}"
    );
    assert!(
        s.contains("→ shipments"),
        "the drill of the selected column: {s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn wide_intersection_view() {
    let (m, _) = intersection(200, 40, 6);
    let s = screen(&m);
    assert!(s.contains("EL,CMIC 2019-10-09"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn trail_tree() {
    let (m, _) = trail(80, 24);
    let s = screen(&m);
    assert!(s.contains("▾ PHUONG VIET DISTRIBUTION (VN)"), "{s}");
    assert!(s.contains("[listed at ship date]"), "{s}");
    assert!(s.contains("(US)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn wide_trail_tree() {
    let (mut m, mut w) = trail(200, 50);
    press(&mut m, &mut w, Action::Right);
    let s = screen(&m);
    assert!(
        s.contains(" days): models "),
        "evidence of the onward hop: {s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn shipments_before_the_listing() {
    let (mut m, mut w) = intersection(80, 24, 3);
    press(&mut m, &mut w, Action::Open);
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "listed:no");
    press(&mut m, &mut w, Action::Submit);
    let s = screen(&m);
    assert!(s.contains("LATER"), "{s}");
    assert!(!s.contains("LISTED "), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn screening_mode() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Hikvision");
    let s = screen(&m);
    assert!(
        s.contains("Screen: Hikvision") && s.contains("Score"),
        "{s}"
    );
    assert!(s.contains("threshold 0.75"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn wide_screening_mode() {
    let (mut m, mut w) = start(200, 30);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Zhejiang Dahua Technology Co., Ltd.");
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::Threshold(1));
    let s = screen(&m);
    assert!(s.contains("threshold 0.80"), "{s}");
    insta::assert_snapshot!(s);
}

/// A lapsed listing (a Denied Persons order that ended 2020-10-13) stays in the screening
/// results, says it lapsed, and is drawn dimmed like a cleared hit; a current hit is not.
#[test]
fn lapsed_screening_hits_are_dimmed_and_say_lapsed() {
    let (mut m, mut w) = start(200, 30);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Adrian Manuel Hernandez");
    let term = super::ui::render(&m);
    let buf = term.backend().buffer();
    let row_of = |needle: &str| -> Option<u16> {
        (0..buf.area.height).find(|&y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.contains(needle)
        })
    };
    let text = screen(&m);
    let y = row_of("lapsed 2020-10-13").unwrap_or_else(|| panic!("no lapsed hit:\n{text}"));
    let dim = |y: u16| {
        (0..buf.area.width).all(|x| {
            let c = &buf[(x, y)];
            c.symbol().trim().is_empty()
                || c.modifier.contains(ratatui::style::Modifier::DIM)
                || c.fg == ratatui::style::Color::DarkGray
        })
    };
    assert!(dim(y), "the lapsed row is dimmed:\n{text}");
    // The screening line itself is not a dimmed row.
    let line = row_of("Screen: Adrian").expect("screening line");
    assert!(!dim(line), "{text}");
}

#[test]
fn audit_pane_shows_the_chain_status() {
    let (mut m, mut w) = intersection(100, 30, 0);
    press(&mut m, &mut w, Action::AuditLog);
    let s = screen(&m);
    assert!(s.contains("chain verified OK"), "{s}");
    assert!(s.contains("intersect"), "{s}");
    assert!(s.contains("Audit log"), "{s}");
}

/// `d` on a screening hit: the reason prompt, then the hit marked cleared (and not counted)
/// once the decision is recorded — on a private copy of the fixture.
#[test]
fn screening_decision_prompt_and_marker() {
    let (mut m, mut w, _dir) = workbench::start_private(100, 30);
    press(&mut m, &mut w, Action::ToggleScreening);
    type_text(&mut m, &mut w, "Zhejiang Dahua Technology Co., Ltd.");
    press(&mut m, &mut w, Action::Escape);
    let s = screen(&m);
    assert!(s.contains("d decide"), "the help bar offers it: {s}");
    assert!(
        !s.contains("Decision"),
        "no decision column before any: {s}"
    );
    press(&mut m, &mut w, Action::Decide);
    type_text(&mut m, &mut w, "local installer, not the maker");
    let s = screen(&m);
    assert!(s.contains("Decide: #"), "{s}");
    assert!(s.contains("[false-positive]"), "{s}");
    assert!(s.contains("local installer, not the maker"), "{s}");
    insta::assert_snapshot!("decision_prompt", s);

    press(&mut m, &mut w, Action::Submit);
    assert!(m.prompt.is_none());
    let Data::Screening(sc) = &m.screen().data else {
        panic!("not screening: {:?}", m.screen().data)
    };
    let first = &sc.hits[0];
    let d = first.decision.as_ref().expect("the hit shows its decision");
    assert_eq!(d.status, "cleared");
    assert_eq!(d.reason, "local installer, not the maker");
    assert!(!first.is_match);
    let s = screen(&m);
    assert!(s.contains("decision 1: false-positive on #"), "{s}");
    // The next key clears the message: the status line counts what is cleared.
    press(&mut m, &mut w, Action::Down);
    let s = screen(&m);
    assert!(s.contains("Decision") && s.contains("cleared"), "{s}");
    assert!(s.contains("1 cleared (not counted)"), "{s}");
    insta::assert_snapshot!("decision_marker", s);
}

/// Issue 20 item 8: Enter on an audit row opens the whole record (every column, the results
/// and both hashes uncut); Backspace returns to the log on the same row. No snapshot: the
/// record holds the time, the user and hashes.
#[test]
fn enter_in_the_audit_pane_opens_the_whole_record() {
    let (mut m, mut w) = intersection(120, 40, 0);
    press(&mut m, &mut w, Action::AuditLog);
    let enter = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Enter,
        crossterm::event::KeyModifiers::NONE,
    );
    assert_eq!(
        tradescope::app::keymap::lookup(&m, enter),
        Some(Action::Open)
    );
    let Data::Audit(a) = &m.screen().data else {
        panic!("no audit log")
    };
    let record = a.rows[0].clone();
    press(&mut m, &mut w, Action::Open);
    let s = screen(&m);
    assert!(s.contains(&format!("Record #{}", record.id)), "{s}");
    assert!(s.contains(&record.hash), "the whole hash: {s}");
    assert!(
        s.contains("Previous hash") && s.contains("List versions"),
        "{s}"
    );
    press(&mut m, &mut w, Action::Back);
    let s = screen(&m);
    assert!(!s.contains("Previous hash"), "{s}");
    assert_eq!(m.route().cursor, 0);
}
