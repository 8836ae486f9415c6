//! End to end: the real binary in a real terminal (tests/tmux: a tmux pane on a private tmux
//! server), driven by keys and read back from the screen. The database the tests share is built
//! by the workbench's own first start (the first test to need it drives that start and checks
//! it), then opened by each test. Terminal lifecycle (signals, panic, dead tty, resizes):
//! tests/lifecycle.rs.

mod tmux;

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
    let t = Tmux::start(200, 50, shared_db());
    t.wait_ready();
    t.open_entity_list_entry("hikvision", "Hikvision");
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
