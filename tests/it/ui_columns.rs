//! What the columns and bars keep at every width (issue 20 item 5): both ends of a route, the
//! sort mark, `? help  q quit` on the help bar, and a readable "lists as of" on the status line.

use crate::ui::{hikvision_detail, screen};
use crate::workbench::{press, start};

use tradescope::app::action::{Follow, Pane};
use tradescope::app::model::Data;
use tradescope::app::Action;

fn lines(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim_matches('"').to_string()).collect()
}

fn header(s: &str) -> String {
    lines(s)
        .into_iter()
        .find(|l| l.contains("Date"))
        .expect("a header row")
}

#[test]
fn the_route_keeps_both_ends_and_the_sort_mark_at_every_width() {
    // 80 columns: the countries, and which end the sort is on.
    let (mut m, mut w) = hikvision_detail(80, 24);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    assert!(header(&screen(&m)).contains("Date▼"));
    for _ in 0..3 {
        press(&mut m, &mut w, Action::SortNext);
    }
    let s = screen(&m);
    assert!(header(&s).contains("Fr▲→To"), "{s}");
    press(&mut m, &mut w, Action::SortNext);
    let s = screen(&m);
    assert!(header(&s).contains("Fr→To▲"), "{s}");
    press(&mut m, &mut w, Action::SortReverse);
    assert!(header(&screen(&m)).contains("Fr→To▼"));

    // 200 columns: From and To columns, each port readable, Description after them.
    let (mut m, mut w) = hikvision_detail(200, 60);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    let s = screen(&m);
    let h = header(&s);
    let (from, to, desc) = (
        h.find(" From").expect("From"),
        h.find(" To ").expect("To"),
        h.find("Description").expect("Description"),
    );
    assert!(from < to && to < desc, "{h}");
    let Data::Shipments { page, .. } = &m.screen().data else {
        panic!("no shipments")
    };
    let first = &page.rows[0];
    let row = lines(&s)
        .into_iter()
        .find(|l| l.contains(first.ship_date.as_deref().unwrap_or("?")))
        .expect("first row");
    for port in [&first.origin, &first.destination] {
        let port = port.as_deref().expect("a port");
        let head: String = port.chars().take(12).collect();
        assert!(row.contains(&head), "{port} in {row}");
    }
    // Sorted by destination at 200 columns, the mark is on To.
    for _ in 0..4 {
        press(&mut m, &mut w, Action::SortNext);
    }
    assert!(header(&screen(&m)).contains(" To▲"));
}

#[test]
fn the_help_bar_keeps_help_and_quit_and_the_status_line_its_lists() {
    let (mut m, mut w) = start(80, 24);
    let mut screens = vec![("entities", screen(&m))];
    for p in Pane::ALL {
        press(&mut m, &mut w, Action::Pane(p));
        screens.push((p.title(), screen(&m)));
    }
    let (mut d, mut wd) = hikvision_detail(80, 24);
    screens.push(("detail", screen(&d)));
    press(&mut d, &mut wd, Action::Follow(Follow::Shipments));
    screens.push(("entity's shipments", screen(&d)));
    for (name, s) in &screens {
        let ls = lines(s);
        let bar = ls.last().expect("bar").trim_end().to_string();
        // While the search line is being typed into, `?` and `q` are text: Ctrl-c quits.
        let typing = bar.contains("Esc done");
        let want = if typing {
            "Ctrl-c quit"
        } else {
            "? help  q quit"
        };
        assert!(bar.ends_with(want), "{name}: {bar}");
        let status = &ls[ls.len() - 2];
        assert!(
            !status.contains("as of: ofac_sdn") && !status.trim_end().ends_with(','),
            "{name}: {status}"
        );
    }
    // Wide: the whole list, short names; narrow: a pointer to the help overlay, which has it.
    let (m, _) = start(200, 60);
    let s = screen(&m);
    assert!(s.contains("lists as of SDN "), "{s}");
    // The DPL's own Last_Update (issue 15 item 4), not its newest start date.
    assert!(s.contains("· DPL 2019-06-12 ·"), "{s}");
    let (mut m, mut w) = hikvision_detail(80, 24);
    press(&mut m, &mut w, Action::Follow(Follow::Shipments));
    let s = screen(&m);
    assert!(s.contains("lists as of: see ?"), "{s}");
    press(&mut m, &mut w, Action::ToggleHelp);
    let s = screen(&m);
    assert!(s.contains("lists as of SDN"), "{s}");
}
