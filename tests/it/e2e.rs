//! End to end: the real binary in a real terminal (tests/tmux: a tmux pane on a private tmux
//! server), driven by keys and read back from the screen. The database the tests share is built
//! by the workbench's own first start (the first test to need it drives that start and checks
//! it), then opened by each test. Terminal lifecycle (signals, panic, dead tty, resizes):
//! tests/lifecycle.rs.

use crate::tmux;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tmux::{first_start_db, Tmux};

static SHARED_DB: OnceLock<PathBuf> = OnceLock::new();

/// The database the tests share, built by a first start of the workbench.
fn shared_db() -> &'static Path {
    SHARED_DB.get_or_init(|| first_start_db("e2e-shared"))
}

#[test]
fn first_start_builds_the_database_and_quits_cleanly() {
    assert!(shared_db().exists());
}

#[test]
fn search_open_back_and_quit_restores_the_terminal() {
    let t = Tmux::start(100, 30, shared_db());
    t.wait_ready();
    t.open_entity_list_entry("hikvision", "Hikvision");
    let s = t.screen();
    assert!(
        s.contains("Entities › Hangzhou Hikvision"),
        "breadcrumb:\n{s}"
    );
    t.keys(&["BSpace"]);
    t.wait_for("Search: hikvision", 60);
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!(status, "0", "exit status");
    assert_eq!(alternate, "0", "the alternate screen was left");
}

#[test]
fn hikvision_walk_shipments_back_patents() {
    // Wide enough for the full patent title in its column.
    hikvision_walk(&Tmux::start(200, 50, shared_db()));
}

/// Search → the EL entry → its shipments → back → its patents → quit, on `t`'s database.
fn hikvision_walk(t: &Tmux) {
    t.wait_ready();
    t.open_entity_list_entry("hikvision", "Hikvision");
    let s = t.screen();
    assert!(
        s.contains("Entities › Hangzhou Hikvision"),
        "breadcrumb:\n{s}"
    );
    t.keys(&["s"]);
    t.wait_for("PHUONG VIET", 60);
    t.keys(&["BSpace"]);
    t.wait_for("List entry (EL)", 60);
    t.keys(&["p"]);
    t.wait_for("Face liveness detection based on neural network model", 60);
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!((status.as_str(), alternate.as_str()), ("0", "0"));
}

/// Issue 8's "done when", in the real terminal: find the Hikvision row in the intersection,
/// walk its transshipment trail to a US importer, see which shipments predate the listing
/// (as-of flags), mark records into a case and export it with provenance, see the export on
/// the verified audit log, quit cleanly.
#[test]
fn hikvision_intersection_trail_case_export_audit() {
    let t = Tmux::start(120, 40, shared_db());
    t.wait_ready();
    t.keys(&["Escape", "i"]);
    t.wait_for("Listed companies with CET patents AND shipments", 60);
    let s = t.wait_until("intersection rows", 60, |s| {
        s.contains("Hangzhou Hikvis") && !s.contains("loading")
    });
    // Rows start under the title and the header (screen row 4).
    let row = t.row_of(&s, "Hangzhou Hikvis") - 4;
    for _ in 0..row {
        t.keys(&["Down"]);
    }
    t.wait_for(
        "Hangzhou Hikvision Digital Technology Co., Ltd. — cells",
        30,
    );

    // The trail: expand the Vietnamese distributor, reach a US importer.
    t.keys(&["t"]);
    let s = t.wait_for("▸ PHUONG VIET DISTRIBUTION (VN)", 60);
    // Tree lines start under the title and the "shipped as" line (screen row 4).
    let pv = t.row_of(&s, "▸ PHUONG VIET DISTRIBUTION (VN)") - 4;
    for _ in 0..pv {
        t.keys(&["Down"]);
    }
    t.keys(&["Right"]);
    // Which shipments predate the listing: the distributor's evidence says so. Waited for as a
    // whole (a capture can fall between two lines of one frame's redraw).
    let expanded =
        |s: &str| s.contains("▾ PHUONG VIET DISTRIBUTION (VN)") && s.contains("[listed later]");
    let s = t.wait_until(
        "the expanded distributor with a shipment listed later",
        30,
        expanded,
    );
    assert!(s.contains("[listed at ship date]"), "{s}");
    let open = t.row_of(&s, "▾ PHUONG VIET DISTRIBUTION (VN)");
    let us = s
        .lines()
        .enumerate()
        .skip(open)
        .find(|(_, l)| l.starts_with("  ▸ ") && l.contains("(US)"))
        .map(|(i, l)| (i, l.to_string()))
        .unwrap_or_else(|| panic!("no US importer under the distributor:\n{s}"));
    let name =
        us.1.trim_start_matches("  ▸ ")
            .split(" (US)")
            .next()
            .unwrap()
            .to_string();
    for _ in open..us.0 {
        t.keys(&["Down"]);
    }
    t.keys(&["Enter"]);
    let s = t.wait_for("Trade party:", 30);
    assert!(s.contains(&name) && s.contains("US (United States"), "{s}");
    t.keys(&["m"]);
    t.wait_for("marked party", 30);

    // Back in the tree, open a shipment that predates the listing.
    t.keys(&["BSpace"]);
    let s = t.wait_until("the tree again", 30, expanded);
    let cursor = us.0;
    let later = t.row_of(&s, "[listed later]");
    for _ in later..cursor {
        t.keys(&["Up"]);
    }
    t.keys(&["Enter"]);
    let s = t.wait_for("As of ship date", 30);
    assert!(s.contains("listed later"), "{s}");
    t.keys(&["m"]);
    t.wait_for("marked shipment", 30);

    // Export the case with provenance; the path is in the status line.
    t.keys(&["x"]);
    t.wait_for("exported case", 30);
    let files: Vec<PathBuf> = std::fs::read_dir(t.export_dir())
        .expect("export directory")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).expect("export file");
    assert!(text.contains(&name) && text.contains("SHA-256"), "{text}");

    // The audit log has the export, and its chain verifies.
    t.keys(&["A"]);
    let s = t.wait_for("chain verified OK", 30);
    assert!(s.contains("export"), "{s}");
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!((status.as_str(), alternate.as_str()), ("0", "0"));
}

/// Issue 20, defect 1: with bracketed paste, a paste is text in the search line. Without it,
/// the `q` of "squid" quit the workbench and the tab switched panes.
#[test]
fn a_paste_goes_into_the_search_line_in_a_real_terminal() {
    let t = Tmux::start(100, 30, shared_db());
    t.wait_ready();
    t.tmux(&["set-buffer", "huawei\nsquid\n"]);
    t.tmux(&["paste-buffer", "-p", "-d", "-t", "e2e"]);
    t.tmux(&["set-buffer", "Hikvision\tCN"]);
    t.tmux(&["paste-buffer", "-p", "-d", "-t", "e2e"]);
    let s = t.wait_for("Search: huawei squid Hikvision CN", 60);
    assert_eq!(t.display("#{pane_dead}"), "0", "still running:\n{s}");
    assert!(s.contains("Search:") && !s.contains("Filter:"), "{s}");
    // Typed keys still work as keys once the line has no focus.
    t.keys(&["Escape", "2"]);
    t.wait_for("Filter:", 60);
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!((status.as_str(), alternate.as_str()), ("0", "0"));
}

/// Issue 20, defect 6: inside tmux with `set-clipboard on` (and passthrough off, tmux's
/// default), `y` sends the plain OSC 52 form tmux takes: the text lands in tmux's paste buffer.
/// The wrapped form tmux drops was sent before. The message says "sent", not "copied".
#[test]
fn copy_inside_tmux_reaches_tmux_s_clipboard() {
    let t = Tmux::start(100, 30, shared_db());
    t.wait_ready();
    t.tmux(&["set-option", "-s", "set-clipboard", "on"]);
    t.tmux(&["set-option", "-g", "allow-passthrough", "off"]);
    t.type_text("hikvision");
    t.wait_until("final results", 60, |s| {
        s.contains("Search: hikvision") && s.contains("best matches") && !s.contains("(loading…)")
    });
    t.keys(&["Escape", "y"]);
    let s = t.wait_for("to the terminal's clipboard (OSC 52)", 30);
    assert!(s.contains("sent “"), "{s}");
    let sent = s
        .split("sent “")
        .nth(1)
        .and_then(|r| r.split('”').next())
        .expect("the sent text")
        .trim_end_matches('…')
        .to_string();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let buffer = loop {
        let out = t.tmux(&["show-buffer"]);
        if out.status.success() || std::time::Instant::now() > end {
            break String::from_utf8_lossy(&out.stdout).into_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(
        !sent.is_empty() && buffer.starts_with(&sent),
        "tmux's buffer {buffer:?} is not the sent {sent:?}"
    );
    t.keys(&["q"]);
    let (status, _) = t.wait_exit(30);
    assert_eq!(status, "0");
}

/// The same walk on PostgreSQL (issue 19): the bundled database copied in with `tradescope
/// copy`, the workbench opened on its URL through `TRADESCOPE_DB`. (Not the shared database:
/// the other tests here append to its audit log while the copy reads it.)
#[test]
fn hikvision_walk_on_postgresql() {
    let (_server, admin) = crate::pg::server();
    let url = crate::pg::new_database(&admin, "e2e");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .args(["copy", "--from"])
        .arg(crate::investigate::default_db())
        .args(["--to", &url])
        .output()
        .expect("run tradescope copy");
    assert!(out.status.success(), "copy: {out:?}");
    hikvision_walk(&Tmux::start(200, 50, Path::new(&url)));
}

/// Issue 20's walk through the two views, at 80×24: Hikvision's EL entry → its profile (P) →
/// a bar of the monthly chart (←) → that month's shipments (Enter) → the frequency table of
/// their consignees (o o F) → the top consignee's rows (Enter) → Backspace ×3: the profile
/// exactly as left (same month selected, same screen).
#[test]
fn hikvision_profile_month_frequency_and_back() {
    let t = Tmux::start(80, 24, shared_db());
    t.wait_ready();
    t.open_entity_list_entry("hikvision", "Hikvision");
    t.keys(&["P"]);
    t.wait_until("the profile", 60, |s| {
        s.contains("Profile: Hangzhou Hikvision") && s.contains("▲ listed 2019-10")
    });
    t.keys(&["Left", "Left", "Left"]);
    let left = t.wait_until("the fourth-newest month", 60, |s| {
        s.contains("Shipments per month — 2023-03")
    });
    // "— 2023-03: 9, 9 while listed": the bar's count, which the list must show.
    let title = left
        .lines()
        .find(|l| l.contains("Shipments per month — 2023-03: "))
        .expect("chart title");
    let n: String = title
        .split("2023-03: ")
        .nth(1)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    t.keys(&["Enter"]);
    let list = t.wait_until("the month's shipments", 180, |s| {
        // The total can arrive before the rows ("Showing 0 of 6 (loading…)").
        s.contains(": 2023-03]") && s.contains(&format!(" of {n} ")) && !s.contains("loading…")
    });
    assert!(list.contains("2023-03-"), "{list}");
    t.keys(&["o", "o", "F"]);
    let table = t.wait_until("the consignees of that month", 60, |s| {
        s.contains("Frequency of consignee")
            && s.contains(&format!("— {n} shipment"))
            && !s.contains("scanning")
    });
    // The first value's row: its name and count.
    let lines: Vec<&str> = table.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("Value"))
        .expect("table header");
    let first = lines[header + 1];
    let name: String = first.chars().take(20).collect();
    let count: String = first
        .split_whitespace()
        .rev()
        .nth(2)
        .unwrap_or("")
        .to_string();
    t.keys(&["Enter"]);
    let rows = t.wait_until("the consignee's rows", 60, |s| {
        s.contains("consignee") && s.contains(&format!(" of {count} ")) && !s.contains("loading…")
    });
    assert!(rows.contains(name.trim_end()), "{name:?} in\n{rows}");
    t.keys(&["BSpace"]);
    t.wait_for("Frequency of consignee", 60);
    t.keys(&["BSpace"]);
    t.wait_for(": 2023-03]", 60);
    t.keys(&["BSpace"]);
    let back = t.wait_until("the profile again", 60, |s| s.contains("Profile: Hangzhou"));
    assert_eq!(back, left, "the profile exactly as left");
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!((status.as_str(), alternate.as_str()), ("0", "0"));
}
