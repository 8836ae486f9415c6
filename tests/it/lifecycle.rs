//! Terminal lifecycle, end to end in tmux: however the workbench ends — `q`, Ctrl-C, SIGTERM,
//! SIGHUP, SIGINT, a panic — the pane is back on the normal screen and in cooked mode (the
//! shell's `stty -a` afterwards shows `icanon` and `echo`); a panic's message is printed after
//! the terminal is restored; a dead terminal ends the program within a second without burning
//! CPU; no terminal is a clear error; resize storms down to 1×1 and up to 500×200 never crash it.

use crate::tmux;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

use tmux::{first_start_db, Tmux};

static DB: OnceLock<PathBuf> = OnceLock::new();

fn db() -> &'static Path {
    DB.get_or_init(|| first_start_db("lifecycle"))
}

/// The terminal is as the shell left it: normal screen, canonical mode, echo on.
fn assert_restored(t: &Tmux, alternate: &str, how: &str) {
    assert_eq!(alternate, "0", "{how}: the alternate screen was left");
    let stty = t.stty();
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(
            flags.contains(&flag),
            "{how}: `{flag}` is off after exit (raw mode left on); stty -a:\n{stty}"
        );
    }
}

fn signal(pid: u32, sig: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -{sig} {pid}");
}

#[test]
fn q_restores_the_terminal() {
    let t = Tmux::start(80, 24, db());
    t.wait_ready();
    // The search line has the focus: Esc leaves it, then `q` quits.
    t.keys(&["Escape"]);
    sleep(Duration::from_millis(300));
    t.keys(&["q"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!(status, "0");
    assert_restored(&t, &alternate, "q");
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let t = Tmux::start(80, 24, db());
    t.wait_ready();
    t.type_text("hik");
    t.wait_for("Search: hik", 30);
    t.keys(&["C-c"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!(status, "0", "Ctrl-C is the quit key (raw mode: no SIGINT)");
    assert_restored(&t, &alternate, "Ctrl-C");
}

#[test]
fn signals_restore_the_terminal_and_exit_as_a_shell_reports_them() {
    for (sig, code) in [("TERM", "143"), ("HUP", "129"), ("INT", "130")] {
        let t = Tmux::start(80, 24, db());
        t.wait_ready();
        signal(t.program_pid(), sig);
        let (status, alternate) = t.wait_exit(30);
        assert_eq!(status, code, "SIG{sig}: 128 + signal number");
        assert_restored(&t, &alternate, &format!("SIG{sig}"));
    }
}

#[test]
fn item9_sigusr1_sigalrm_and_the_other_terminating_signals_restore_the_terminal() {
    // Default action "terminate": before, these left raw mode and the alternate screen on.
    // (Numbers as on Linux x86-64/arm64; the rest of the list is in `terminating_signals`.)
    for (sig, code) in [
        ("USR1", "138"),
        ("ALRM", "142"),
        ("USR2", "140"),
        ("PIPE", "141"),
        ("RTMIN+1", "163"),
        // The faults: restored in the handler, then ended by the signal itself.
        ("SEGV", "139"),
        ("BUS", "135"),
        ("FPE", "136"),
        ("ILL", "132"),
    ] {
        let t = Tmux::start(80, 24, db());
        t.wait_ready();
        signal(t.program_pid(), sig);
        let (status, alternate) = t.wait_exit(30);
        assert_eq!(status, code, "SIG{sig}: 128 + signal number");
        assert_restored(&t, &alternate, &format!("SIG{sig}"));
    }
    let caught = tradescope::terminal::terminating_signals();
    for sig in [
        libc::SIGVTALRM,
        libc::SIGPROF,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGIO,
    ] {
        assert!(caught.contains(&sig), "signal {sig} is watched");
    }
}

#[test]
fn a_panic_restores_the_terminal_then_prints_its_message() {
    // TRADESCOPE_TEST_PANIC exists only in debug builds (the binary under test).
    for place in ["main", "worker"] {
        let t = Tmux::start_script(
            80,
            24,
            db(),
            &[("TRADESCOPE_TEST_PANIC", place), ("RUST_BACKTRACE", "0")],
            r#""$BIN""#,
        );
        let (status, alternate) = t.wait_exit(60);
        assert_eq!(status, "101", "{place}: a panic exits with 101");
        assert_restored(&t, &alternate, &format!("panic on the {place} thread"));
        // Visible on the normal screen, so it was printed after leaving the alternate one.
        let screen = t.history();
        assert!(
            screen.contains(&format!(
                "test panic requested by TRADESCOPE_TEST_PANIC={place}"
            )),
            "{place}: the panic message is shown after the restore:\n{screen}"
        );
    }
}

/// Utime + stime of a process in clock ticks, or None once it has exited (gone or zombie).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    if f[0] == "Z" || f[0] == "X" {
        return None;
    }
    Some(f[11].parse::<u64>().ok()? + f[12].parse::<u64>().ok()?)
}

/// Kill the tmux server (the pty's master closes, as when an SSH connection drops) and
/// return how long the program took to exit and the CPU ticks it used meanwhile.
fn hang_up_and_measure(t: &Tmux) -> (Duration, u64) {
    let pid = t.program_pid();
    let before = cpu_ticks(pid).expect("the workbench runs");
    let start = Instant::now();
    t.tmux(&["kill-server"]);
    let mut last = before;
    while let Some(ticks) = cpu_ticks(pid) {
        last = ticks;
        if start.elapsed() > Duration::from_secs(10) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!(
                "still running 10 s after its terminal died ({} CPU ticks used)",
                ticks - before
            );
        }
        sleep(Duration::from_millis(10));
    }
    (start.elapsed(), last - before)
}

#[test]
fn a_dead_terminal_ends_the_program_within_a_second_without_spinning() {
    // SIGHUP reaches the program (the usual case) / it does not (`setsid`: the program is in
    // its own session, so only the hung-up tty tells it; crossterm alone spun there forever).
    for (how, script) in [("SIGHUP", r#""$BIN""#), ("hangup only", r#"setsid "$BIN""#)] {
        let t = Tmux::start_script(80, 24, db(), &[], script);
        t.wait_ready();
        let (took, ticks) = hang_up_and_measure(&t);
        assert!(
            took < Duration::from_secs(1),
            "{how}: exited {took:?} after the terminal died"
        );
        // A spinning thread would use about as many ticks (1/100 s) as it ran.
        assert!(ticks <= 20, "{how}: used {ticks} CPU ticks while dying");
    }
}

#[test]
fn without_a_terminal_the_workbench_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("tradescope.db");
    // stdin not a terminal (a pipe, /dev/null).
    for (args, stdin) in [
        (&[][..], Stdio::piped()),
        (&["tui"][..], Stdio::piped()),
        (&["tui"][..], Stdio::null()),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .args(args)
            .env("TRADESCOPE_DB", &db)
            .stdin(stdin)
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

#[test]
fn stdout_not_a_terminal_is_a_clear_error_and_pipes_work_for_the_rest() {
    // In a real terminal, but with stdout going to a pipe / a file.
    let t = Tmux::start_script(100, 30, db(), &[], r#""$BIN" tui | cat"#);
    let (_, alternate) = t.wait_exit(30);
    let screen = t.history();
    assert!(screen.contains("needs a terminal"), "{screen}");
    assert_restored(&t, &alternate, "tui | cat");
    let out = t.path("out");
    let t = Tmux::start_script(100, 30, db(), &[("OUT", &out)], r#""$BIN" tui > "$OUT""#);
    let (status, _) = t.wait_exit(30);
    assert_eq!(status, "1");
    // A non-TUI command run from the same terminal into a pipe works.
    let t = Tmux::start_script(
        100,
        30,
        db(),
        &[],
        r#""$BIN" search hikvision --json | grep -c Hikvision"#,
    );
    let (status, _) = t.wait_exit(60);
    assert_eq!(status, "0", "search in a pipe:\n{}", t.screen());
}

#[test]
fn resize_storm_while_typing_never_crashes() {
    let t = Tmux::start(80, 24, db());
    t.wait_ready();
    // Deterministic pseudo-random sizes, extremes included.
    let mut x: u32 = 0x2545_f491;
    let mut next = |n: u32| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x % n
    };
    let keys = [
        "h", "i", "k", "Down", "Tab", "BSpace", "Enter", "Up", "PageDown", "?",
    ];
    for i in 0..150 {
        let (w, h) = match i % 25 {
            0 => (1, 1),
            1 => (500, 200),
            2 => (2, 1),
            3 => (1, 200),
            4 => (500, 1),
            _ => (1 + next(500) as u16, 1 + next(200) as u16),
        };
        t.resize(w, h);
        t.keys(&[keys[next(keys.len() as u32) as usize]]);
    }
    t.resize(1, 1);
    t.resize(500, 200);
    t.resize(100, 30);
    assert_eq!(
        t.display("#{pane_dead}"),
        "0",
        "the workbench died:\n{}",
        t.screen()
    );
    // Close the help if the storm left it open (Esc never quits).
    for _ in 0..3 {
        sleep(Duration::from_millis(300));
        t.keys(&["Escape"]);
    }
    // Still alive and drawing at the final size.
    let s = t.wait_until("a redraw at 100×30", 30, |s| {
        s.lines().next().is_some_and(|l| l.contains("tradescope"))
    });
    assert!(s.lines().count() <= 30, "{s}");
    t.keys(&["C-c"]);
    let (status, alternate) = t.wait_exit(30);
    assert_eq!(status, "0", "clean quit after the storm");
    assert_restored(&t, &alternate, "after the resize storm");
}
