//! The terminal while the workbench runs: raw mode and the alternate screen, always given back.
//!
//! `Guard::enter` switches in; the terminal is restored when the guard drops, when any thread
//! panics (a panic hook restores first, so the message lands on the normal screen), and on
//! every catchable signal that would end the program — SIGTERM, SIGHUP, SIGINT, SIGQUIT,
//! SIGUSR1, SIGALRM and the rest (see `terminating_signals`, `watch_signals`), and on the
//! fault signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE: `fault`). Restoring is idempotent.
//! `input::watch_hangup` notices a dead terminal (crossterm alone would spin on it).

#[cfg(unix)]
mod fault;
pub mod input;

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::thread;
use std::time::Duration;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};

/// True while raw mode / the alternate screen are on.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Raw mode + alternate screen for as long as it lives.
pub struct Guard {
    _private: (),
}

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        install_panic_hook();
        #[cfg(unix)]
        fault::prepare();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = Guard { _private: () };
        // On failure the guard drops here and undoes raw mode. Bracketed paste: a paste
        // arrives as one text event, never as keys that would run commands.
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            Hide
        )?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = restore();
    }
}

/// Give the terminal back: bracketed paste off, leave the alternate screen, show the cursor,
/// cooked mode.
/// Does nothing if it is not taken (or already given back).
pub fn restore() -> io::Result<()> {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return Ok(());
    }
    let mut out = io::stdout();
    let screen = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let raw = disable_raw_mode();
    let _ = out.flush();
    screen.and(raw)
}

/// Whether the guard currently holds the terminal.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let was_active = is_active();
            let _ = restore();
            previous(info);
            // A worker thread's panic would leave the UI running on a restored terminal:
            // end the program instead (the main thread's panic unwinds and exits by itself).
            if was_active && thread::current().name() != Some("main") {
                std::process::exit(101);
            }
        }));
    });
}

/// Every catchable signal whose default action ends the program (POSIX "T" and "A" actions,
/// plus Linux's SIGSTKFLT, SIGPWR and the real-time signals): SIGUSR1 or SIGALRM from a stray
/// `kill` must give the terminal back as SIGTERM does. Not here: SIGKILL and SIGSTOP (cannot
/// be caught), and the faults SIGSEGV, SIGBUS, SIGILL and SIGFPE, after which the run loop
/// cannot be trusted to stop cleanly: those restore in the signal handler itself (`fault`).
pub fn terminating_signals() -> Vec<i32> {
    use libc::*;
    #[allow(unused_mut)]
    let mut signals = vec![
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGPIPE,
        SIGXCPU, SIGXFSZ, SIGIO, SIGSYS, SIGTRAP, SIGABRT,
    ];
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        signals.extend([SIGSTKFLT, SIGPWR]);
        signals.extend(SIGRTMIN()..=SIGRTMAX());
    }
    signals
}

/// On any of [`terminating_signals`]: call `notify(signal)` so the run loop can stop cleanly;
/// if the program is still running a moment later, restore the terminal and exit with
/// 128 + signal, as a shell would report it.
pub fn watch_signals(notify: impl Fn(i32) + Send + 'static) -> io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new(terminating_signals())?;
    thread::Builder::new()
        .name("tradescope-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                notify(sig);
                thread::sleep(Duration::from_millis(1500));
                let _ = restore();
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

/// Send `text` to the user's clipboard through the terminal (OSC 52, in the form the tmux
/// around it takes, if any): works over SSH. The bytes are `osc52::encode_for_env(text)`.
pub fn copy_to_clipboard(out: &mut impl Write, text: &str) -> io::Result<()> {
    out.write_all(crate::osc52::encode_for_env(text).as_bytes())?;
    out.flush()
}
