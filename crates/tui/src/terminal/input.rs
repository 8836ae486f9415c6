//! Noticing that the terminal died.
//!
//! crossterm 0.29 loops forever inside `event::read` once the tty is hung up (an SSH drop, a
//! closed terminal window, a killed tmux pane): the hung-up tty reports readable and every read
//! returns 0 bytes, which its reader retries without end at 100 % CPU. A program that gets
//! SIGHUP leaves through the signal path, but one that does not (started with `setsid`, or a
//! hangup that reaches only the session leader) spun until killed. So a second thread waits in
//! `poll(2)` for the hangup alone and tells the run loop, which then ends the program (taking
//! the spinning reader with it) within milliseconds.
//!
//! Reading itself stays with crossterm: its reader keeps state (edge-triggered readiness, a
//! parser holding partial escape sequences) that a second reader of the same fd would upset.

use std::io;
use std::thread;

/// Call `notify` once, from a new thread, when the terminal on stdin hangs up or fails.
pub fn watch_hangup(notify: impl FnOnce() + Send + 'static) -> io::Result<()> {
    thread::Builder::new()
        .name("tradescope-hangup".into())
        .spawn(move || {
            if wait_for_hangup().is_ok() {
                notify();
            }
        })?;
    Ok(())
}

/// Block until stdin's tty reports POLLHUP, POLLERR or POLLNVAL. No events are requested, so
/// input does not end the wait (poll always reports those three): the thread sleeps in the
/// kernel while the terminal lives.
fn wait_for_hangup() -> io::Result<()> {
    loop {
        let mut fd = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: 0,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        let n = unsafe { libc::poll(&mut fd, 1, -1) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        if fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return Ok(());
        }
        // Anything else (never expected with no events requested) would repeat at once:
        // stop watching rather than spin.
        return Err(io::Error::other("unexpected poll result on the terminal"));
    }
}
