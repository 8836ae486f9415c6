//! The fault signals — SIGSEGV, SIGBUS, SIGILL, SIGFPE — give the terminal back too. These
//! cannot wait for the run loop (after a real fault nothing may run normally again), so the
//! handler restores in the signal handler itself, with async-signal-safe calls only: one
//! `write(2)` of "leave the alternate screen, show the cursor" and `tcsetattr(3)` with the
//! terminal modes saved before raw mode. Then it hands over to whatever handled the signal
//! before (the standard library's stack-overflow report) and ends the program by the signal,
//! as it would have ended: a shell reports 128 + signal, a core dump is written if enabled.

use std::sync::atomic::Ordering;
use std::sync::{Once, OnceLock};

use super::ACTIVE;

/// The terminal modes before raw mode (fd 0: the workbench needs stdin to be the terminal,
/// and crossterm takes raw mode on it then).
static SAVED: OnceLock<libc::termios> = OnceLock::new();

const FAULTS: [libc::c_int; 4] = [libc::SIGSEGV, libc::SIGBUS, libc::SIGILL, libc::SIGFPE];

/// The handlers installed before ours, by signal number (written once, before installing).
static PREVIOUS: OnceLock<Vec<(libc::c_int, libc::sigaction)>> = OnceLock::new();

static INSTALL: Once = Once::new();

/// Save the terminal's modes (call before raw mode) and install the fault handlers (once).
pub fn prepare() {
    // SAFETY: tcgetattr writes a termios we own; a failure leaves nothing saved.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 {
            let _ = SAVED.set(t);
        }
    }
    INSTALL.call_once(|| {
        let mut previous = Vec::new();
        // SAFETY: sigaction with a handler that only makes async-signal-safe calls; the old
        // actions are stored before any of ours can run (PREVIOUS is set before installing).
        unsafe {
            for sig in FAULTS {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) == 0 {
                    previous.push((sig, old));
                }
            }
            let _ = PREVIOUS.set(previous);
            for sig in FAULTS {
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = on_fault as *const () as usize;
                // On the alternate stack (a stack overflow leaves no room on the thread's).
                new.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut new.sa_mask);
                libc::sigaction(sig, &new, std::ptr::null_mut());
            }
        }
    });
}

extern "C" fn on_fault(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";
        // SAFETY: write(2) and tcsetattr(3) are async-signal-safe; SAVED is only read.
        unsafe {
            libc::write(libc::STDOUT_FILENO, LEAVE.as_ptr().cast(), LEAVE.len());
            if let Some(t) = SAVED.get() {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
            }
        }
    }
    // SAFETY: calling the handler that was installed for this signal before ours, as the
    // kernel would have (siginfo form or plain form), then ending by the signal's default.
    unsafe {
        if let Some((_, old)) = PREVIOUS
            .get()
            .and_then(|p| p.iter().find(|(s, _)| *s == sig))
        {
            let h = old.sa_sigaction;
            if h != libc::SIG_DFL && h != libc::SIG_IGN {
                if old.sa_flags & libc::SA_SIGINFO != 0 {
                    let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(h);
                    f(sig, info, ctx);
                } else {
                    let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
                    f(sig);
                }
            }
        }
        // A handler that returned (or none): end as the signal's default action would. The
        // signal is blocked while this runs, so it is delivered, by default, on return.
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}
