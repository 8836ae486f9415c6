//! Snapshots of what the user sees, drawn with ratatui's TestBackend from a model that has
//! settled over the fixture database: each pane, the detail view and the help at 80×24, the
//! walk at 200×60, and no panic at any size down to 1×1.

use crate::workbench;

use ratatui::backend::TestBackend;
use ratatui::style::Color;
use ratatui::Terminal;
use tradescope::app::action::{Follow, Pane};
use tradescope::app::model::{Data, Model};
use tradescope::app::{Action, Worker};
use workbench::{fixture, press, start, type_text};

pub(crate) fn render(m: &Model) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(m.width, m.height)).unwrap();
    t.draw(|f| tradescope::ui::draw(m, f)).unwrap();
    t
}

pub(crate) fn screen(m: &Model) -> String {
    render(m).backend().to_string()
}

/// Search "hikvision" and open the Entity List entry.
pub(crate) fn hikvision_detail(w: u16, h: u16) -> (Model, Worker) {
    let (mut m, mut wk) = start(w, h);
    type_text(&mut m, &mut wk, "hikvision");
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
    (m, wk)
}

#[test]
fn entities_start_screen() {
    let (m, _) = start(80, 24);
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn entities_search_results() {
    let (mut m, mut w) = start(80, 24);
    type_text(&mut m, &mut w, "hikvision");
    let s = screen(&m);
    assert!(s.contains("ASSIGNEE") && s.contains("PARTY"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn entity_detail() {
    let (m, _) = hikvision_detail(80, 24);
    let s = screen(&m);
    assert!(s.contains("Shipments of linked trade parties ("), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn shipments_of_the_entity() {
    let (mut m, mut w) = hikvision_detail(80, 24);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    let s = screen(&m);
    assert!(s.contains("PHUONG VIET"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn shipment_detail() {
    let (mut m, mut w) = hikvision_detail(80, 24);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    press(&mut m, &mut w, Action::Open);
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn patents_of_the_entity() {
    let (mut m, mut w) = hikvision_detail(80, 24);
    press(&mut m, &mut w, Action::Follow(Follow::Patents));
    let s = screen(&m);
    assert!(s.contains("Face liveness detecti"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn all_shipments_with_a_filter_being_typed() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Pane(Pane::Shipments));
    press(&mut m, &mut w, Action::EditFilter);
    type_text(&mut m, &mut w, "hs:8525 from:2020");
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn help_overlay() {
    let (mut m, mut w) = start(80, 24);
    press(&mut m, &mut w, Action::Escape);
    press(&mut m, &mut w, Action::ToggleHelp);
    insta::assert_snapshot!(screen(&m));
}

#[test]
fn wide_terminal_walk() {
    let (mut m, mut w) = hikvision_detail(200, 60);
    insta::assert_snapshot!("wide_detail", screen(&m));
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    insta::assert_snapshot!("wide_shipments", screen(&m));
}

#[test]
fn no_color_means_no_colours() {
    let (mut m, mut w) = start(80, 24);
    m.color = false;
    type_text(&mut m, &mut w, "hikvision");
    let t = render(&m);
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn any_size_draws_without_panic() {
    let (mut m, mut w) = hikvision_detail(80, 24);
    let mut states = vec![m.clone()];
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    states.push(m.clone());
    press(&mut m, &mut w, Action::ToggleHelp);
    states.push(m.clone());
    let (mut e, mut we) = start(80, 24);
    type_text(&mut e, &mut we, "hik");
    states.push(e);
    for s in &mut states {
        for (wd, ht) in (1..=40).flat_map(|w| (1..=14).map(move |h| (w, h))) {
            s.width = wd;
            s.height = ht;
            render(s);
        }
    }
}

#[test]
fn readme_key_reference_is_generated_from_the_keymap() {
    let readme = include_str!("../../README.md");
    let table = tradescope::app::keymap::markdown_table();
    assert!(
        readme.contains(&table),
        "README.md's key reference is out of date; paste this under \"## The workbench\":\n{table}"
    );
}

#[test]
fn first_frame_shows_loading_names_before_anything_loaded() {
    // What the run loop draws before it sends Start: no database work has happened yet.
    let m = Model::new("fixture.db", 80, 24, true);
    let s = screen(&m);
    assert!(s.contains("loading names…"), "{s}");
    assert!(s.contains("Search:"), "{s}");
}

/// Sizes from 1×1 to 500×200, reached through resize events (as a terminal sends them) in
/// every pane and view, with keys pressed at each size: the model adapts (page sizes, scroll
/// positions) and every frame draws without panicking.
#[test]
fn resizes_from_1x1_to_500x200_never_panic() {
    use tradescope::app::action::Pane;
    let (mut m, mut w) = hikvision_detail(80, 24);
    let mut states = vec![m.clone()];
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    states.push(m.clone());
    press(&mut m, &mut w, Action::Open);
    states.push(m.clone());
    press(&mut m, &mut w, Action::ToggleHelp);
    states.push(m.clone());
    let (mut p, mut wp) = start(80, 24);
    press(&mut p, &mut wp, Action::Pane(Pane::Patents));
    states.push(p.clone());
    press(&mut p, &mut wp, Action::Pane(Pane::Shipments));
    press(&mut p, &mut wp, Action::EditFilter);
    type_text(&mut p, &mut wp, "party:\"phuong");
    states.push(p);
    let widths = [1u16, 2, 3, 7, 19, 40, 80, 133, 250, 499, 500];
    let heights = [1u16, 2, 3, 5, 9, 24, 60, 120, 199, 200];
    for s in &mut states {
        let (_, mut wk) = start(1, 1);
        for &wd in &widths {
            for &ht in &heights {
                press(s, &mut wk, Action::Resize(wd, ht));
                assert_eq!((s.width, s.height), (wd, ht));
                render(s);
                for a in [Action::PageDown, Action::Down, Action::Bottom, Action::Top] {
                    press(s, &mut wk, a);
                    render(s);
                }
            }
        }
    }
}
