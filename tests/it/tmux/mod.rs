//! The real binary in a real terminal: a tmux pane on a private tmux server, driven by keys
//! and read back from the screen, as in /work/shared/tools/tmux-drive. Shared by the
//! end-to-end tests (tests/e2e.rs) and the terminal-lifecycle tests (tests/lifecycle.rs).
//! Timeouts are generous (a loaded CI machine); a passing wait returns as soon as the screen
//! shows what it waits for.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one session running the workbench; killed on drop.
pub struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Start `tradescope` (no arguments: the workbench) in a `cols`×`rows` pane, with
    /// TRADESCOPE_DB set to `db`.
    pub fn start(cols: u16, rows: u16, db: &Path) -> Tmux {
        Tmux::start_script(cols, rows, db, &[], r#""$BIN""#)
    }

    /// Start the shell command `script` in the pane; `$BIN` is the tradescope binary and
    /// `env` is added to its environment. After `script`, the pane's shell records the exit
    /// status of its last command (`exit_status`) and then `stty -a` on the pane's tty
    /// (`stty`), so a test sees whether the program left the terminal in raw mode.
    pub fn start_script(
        cols: u16,
        rows: u16,
        db: &Path,
        env: &[(&str, &str)],
        script: &str,
    ) -> Tmux {
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
        let t = Tmux { socket, dir };
        let cols = cols.to_string();
        let rows = rows.to_string();
        let mut vars = vec![
            format!("TRADESCOPE_DB={}", db.display()),
            format!("BIN={}", env!("CARGO_BIN_EXE_tradescope")),
        ];
        // Case exports (`x`) go to the session's directory, not the test's working directory.
        let exports = t.export_dir();
        std::fs::create_dir_all(&exports).expect("export directory");
        vars.push(format!("TRADESCOPE_EXPORT_DIR={}", exports.display()));
        vars.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
        let status = t.path("exit-status");
        let stty = t.path("stty");
        // The exit status goes through a file: tmux sometimes leaves an exited pane process
        // unreaped for seconds (its status unknown); a shell waiting for it never does.
        // One command sequence, so the server keeps the dead pane (and its screen state).
        let shell = format!(r#"{script}; echo $? > "$0"; stty -a > "$1" 2>&1"#);
        let mut args: Vec<&str> = vec![
            "-f",
            "/dev/null",
            "start-server",
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &cols,
            "-y",
            &rows,
        ];
        for v in &vars {
            args.extend(["-e", v.as_str()]);
        }
        args.extend(["sh", "-c", &shell, &status, &stty]);
        let out = t.tmux(&args);
        assert!(out.status.success(), "tmux new-session failed: {out:?}");
        t
    }

    /// Where `x` writes case exports in this session.
    pub fn export_dir(&self) -> PathBuf {
        self.dir.path().join("exports")
    }

    /// The screen row (0-based) of the first line containing `text`.
    pub fn row_of(&self, screen: &str, text: &str) -> usize {
        screen
            .lines()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("no line with {text:?}:\n{screen}"))
    }

    /// A file in this session's temporary directory.
    pub fn path(&self, name: &str) -> String {
        self.dir
            .path()
            .join(name)
            .to_str()
            .expect("temporary paths are UTF-8")
            .to_string()
    }

    /// Process id of the workbench (the child of the pane's shell).
    pub fn program_pid(&self) -> u32 {
        let shell = self.display("#{pane_pid}");
        let children = format!("/proc/{shell}/task/{shell}/children");
        std::fs::read_to_string(&children)
            .unwrap_or_else(|e| panic!("{children}: {e}"))
            .split_whitespace()
            .next()
            .expect("the workbench runs under the pane's shell")
            .parse()
            .expect("a process id")
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    /// Everything the pane printed, scrollback included, wrapped lines joined.
    pub fn history(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "e2e"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn display(&self, format: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
        }
    }

    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Resize the window (and so the pane and the program's terminal).
    pub fn resize(&self, cols: u16, rows: u16) {
        let (c, r) = (cols.to_string(), rows.to_string());
        let out = self.tmux(&["resize-window", "-t", "e2e", "-x", &c, "-y", &r]);
        assert!(out.status.success(), "tmux resize-window failed: {out:?}");
    }

    /// Wait until the screen shows `text`; fail with the screen as it was.
    pub fn wait_for(&self, text: &str, secs: u64) -> String {
        self.wait_until(text, secs, |s| s.contains(text))
    }

    /// Wait until `ok(screen)`; fail naming `what` and showing the screen.
    pub fn wait_until(&self, what: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
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
    pub fn wait_exit(&self, secs: u64) -> (String, String) {
        let end = Instant::now() + Duration::from_secs(secs);
        let status = loop {
            let s = std::fs::read_to_string(self.path("exit-status")).unwrap_or_default();
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

    /// `stty -a` of the pane's terminal after the program ended (call after `wait_exit`).
    pub fn stty(&self) -> String {
        std::fs::read_to_string(self.path("stty")).unwrap_or_default()
    }

    /// Wait for the workbench (after the first start has built the database, if it had to).
    pub fn wait_ready(&self) {
        self.wait_for("Search:", 1200);
        self.wait_for("names and aliases", 120);
    }

    /// Type a search and open the Entity List entry among the results.
    pub fn open_entity_list_entry(&self, query: &str, name: &str) {
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

/// A database for the tests of one test binary (`name`), built by a first start of the
/// workbench: no database at TRADESCOPE_DB → it builds one (progress on the normal screen),
/// opens, and quits cleanly on Ctrl-C.
pub fn first_start_db(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
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
}
