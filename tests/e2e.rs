//! End to end: the real binary in a real terminal (a tmux pane on a private tmux server), driven
//! by keys and read back from the screen, as in /work/shared/tools/tmux-drive. The database the
//! tests share is built by the workbench's own first start (the first test to need it drives
//! that start and checks it), then opened by each test.
//! Timeouts are generous (a loaded CI machine); a passing wait returns as soon as the screen
//! shows what it waits for.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one session running the workbench; killed on drop.
struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Start `tradescope` (no arguments: the workbench) in a `cols`×`rows` pane, with
    /// TRADESCOPE_DB set to `db`.
    fn start(cols: u16, rows: u16, db: &Path) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        if !version.is_ok_and(|o| o.status.success()) {
            panic!(
                "tmux is not installed: the end-to-end tests drive the real binary in tmux \
                 (apt-get install tmux; .ci/run installs it)"
            );
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        let socket = format!(
            "tradescope-e2e-{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::SeqCst)
        );
        let t = Tmux { socket, _dir: dir };
        let bin = env!("CARGO_BIN_EXE_tradescope");
        let cols = cols.to_string();
        let rows = rows.to_string();
        let env = format!("TRADESCOPE_DB={}", db.display());
        let exports = t.export_dir();
        std::fs::create_dir_all(&exports).expect("export directory");
        let export_env = format!("TRADESCOPE_EXPORT_DIR={}", exports.display());
        let status = t.status_file();
        let status = status.to_str().expect("temporary paths are UTF-8");
        // The exit status goes through a file: tmux sometimes leaves an exited pane process
        // unreaped for seconds (its status unknown); a shell waiting for it never does.
        // One command sequence, so the server keeps the dead pane (and its screen state).
        #[rustfmt::skip]
        let out = t.tmux(&[
            "-f", "/dev/null", "start-server", ";",
            "set-option", "-g", "remain-on-exit", "on", ";",
            "new-session", "-d", "-s", "e2e", "-x", &cols, "-y", &rows, "-e", &env,
            "-e", &export_env,
            "sh", "-c", "\"$0\"; echo $? > \"$1\"", bin, status,
        ]);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        t
    }

    /// Where `x` writes case exports in this session.
    fn export_dir(&self) -> PathBuf {
        self._dir.path().join("exports")
    }

    /// The screen row (0-based) of the first line containing `text`.
    fn row_of(&self, screen: &str, text: &str) -> usize {
        screen
            .lines()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("no line with {text:?}:\n{screen}"))
    }

    fn status_file(&self) -> PathBuf {
        self._dir.path().join("exit-status")
    }

    /// Process id of the workbench (the child of the pane's shell).
    fn program_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let children = format!("/proc/{shell}/task/{shell}/children");
        std::fs::read_to_string(&children)
            .unwrap_or_else(|e| panic!("{children}: {e}"))
            .split_whitespace()
            .next()
            .expect("the workbench runs under the pane's shell")
            .to_string()
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
        }
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Wait until the screen shows `text`; fail with the screen as it was.
    fn wait_for(&self, text: &str, secs: u64) -> String {
        self.wait_until(text, secs, |s| s.contains(text))
    }

    /// Wait until `ok(screen)`; fail naming `what` and showing the screen.
    fn wait_until(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if Instant::now() > end {
                panic!("the screen never showed {what:?} within {secs}s; it shows:\n{s}");
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Wait for the program to exit; (exit status, alternate screen still on).
    fn wait_exit(&self, secs: u64) -> (String, String) {
        let end = Instant::now() + Duration::from_secs(secs);
        let status = loop {
            let s = std::fs::read_to_string(self.status_file()).unwrap_or_default();
            if !s.trim().is_empty() {
                break s.trim().to_string();
            }
            if Instant::now() > end {
                panic!(
                    "the program did not exit within {secs}s; screen:\n{}",
                    self.screen()
                );
            }
            sleep(Duration::from_millis(100));
        };
        while self.display("#{pane_dead}") != "1" {
            sleep(Duration::from_millis(50));
            if Instant::now() > end {
                panic!("the pane's shell did not end");
            }
        }
        (status, self.display("#{alternate_on}"))
    }

    /// Wait for the workbench (after the first start has built the database, if it had to).
    fn wait_ready(&self) {
        self.wait_for("Search:", 1200);
        self.wait_for("names and aliases", 120);
    }

    /// Type a search and open the Entity List entry among the results.
    fn open_entity_list_entry(&self, query: &str, name: &str) {
        self.type_text(query);
        // The results of the whole query, not of a prefix still being replaced.
        let typed = format!("Search: {query}");
        let s = self.wait_until("final results", 60, |s| {
            s.contains(&typed) && s.contains("best matches") && !s.contains("(loading…)")
        });
        let lines: Vec<&str> = s.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.contains("Kind") && l.contains("Name"))
            .expect("result table header");
        let row = lines
            .iter()
            .position(|l| l.contains(" EL ") && l.contains(name))
            .unwrap_or_else(|| panic!("no Entity List row for {name}:\n{s}"));
        for _ in 0..row - header - 1 {
            self.keys(&["Down"]);
        }
        self.keys(&["Enter"]);
        self.wait_for("List entry (EL)", 60);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

static SHARED_DB: OnceLock<PathBuf> = OnceLock::new();

/// The database the tests share, built by a first start of the workbench: no database at
/// TRADESCOPE_DB → it builds one (progress on the normal screen), opens, and quits cleanly.
fn shared_db() -> &'static Path {
    SHARED_DB.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-shared");
        std::fs::create_dir_all(&dir).expect("test directory");
        let db = dir.join("tradescope.db");
        let _ = std::fs::remove_file(&db);
        let t = Tmux::start(100, 30, &db);
        t.wait_ready();
        assert!(db.exists(), "the first start built the database");
        // The search line has the focus at start: `q` would be typed; Ctrl-C quits anywhere.
        t.keys(&["C-c"]);
        let (status, alternate) = t.wait_exit(30);
        assert_eq!(status, "0", "exit status after the first start");
        assert_eq!(alternate, "0", "the alternate screen was left");
        db
    })
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
fn sigterm_restores_the_terminal() {
    let t = Tmux::start(80, 24, shared_db());
    t.wait_ready();
    let pid = t.program_pid();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let (status, alternate) = t.wait_exit(30);
    assert_eq!(status, "143", "128 + SIGTERM, as a shell reports it");
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

#[test]
fn not_a_terminal_is_a_clear_error_and_builds_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("tradescope.db");
    for args in [&[][..], &["tui"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .args(args)
            .env("TRADESCOPE_DB", &db)
            .stdin(std::process::Stdio::piped())
            .output()
            .expect("run tradescope");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("needs a terminal"), "{args:?}: {err}");
    }
    assert!(
        !db.exists(),
        "no database is built for a workbench that cannot start"
    );
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
    let s = t.wait_for("▾ PHUONG VIET DISTRIBUTION (VN)", 30);
    // Which shipments predate the listing: the distributor's evidence says so.
    assert!(s.contains("[listed later]"), "{s}");
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
    let s = t.wait_for("▾ PHUONG VIET DISTRIBUTION (VN)", 30);
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
