//! Reading the terminal without spinning when it dies.
//!
//! crossterm 0.29 loops forever inside `event::read`/`event::poll` once the tty is hung up (an
//! SSH drop, a closed terminal window, a killed tmux pane): the hung-up tty reports readable and
//! every read returns 0 bytes, which its reader retries without end at 100 % CPU. A program
//! that gets SIGHUP leaves through the signal path, but one that does not (started with
//! `setsid`, `nohup`-like wrappers, a tty whose hangup reaches only the session leader) spun
//! until killed. So the input thread waits in `poll(2)` itself and calls crossterm only when
//! the tty has bytes and has not hung up; window-size changes (which crossterm would otherwise
//! report from inside that same call) come through a SIGWINCH pipe here.

use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crossterm::event::{self, Event};

/// Why reading stopped.
#[derive(Debug)]
pub enum Closed {
    /// The terminal hung up (its other end is gone).
    HungUp,
    /// Reading failed.
    Error(io::Error),
    /// The receiver no longer wants events.
    Stopped,
}

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Closed::HungUp => f.write_str("the terminal hung up"),
            Closed::Error(e) => write!(f, "{e}"),
            Closed::Stopped => f.write_str("stopped"),
        }
    }
}

/// Read terminal events from stdin (which must be the tty) and hand each to `send` until it
/// returns false, the terminal hangs up, or reading fails. Blocks the calling thread.
pub fn read_events(mut send: impl FnMut(Event) -> bool) -> Closed {
    let (mut winch_rx, winch_tx) = match UnixStream::pair() {
        Ok(p) => p,
        Err(e) => return Closed::Error(e),
    };
    let id = match signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, winch_tx) {
        Ok(id) => id,
        Err(e) => return Closed::Error(e),
    };
    let _ = winch_rx.set_nonblocking(true);
    let closed = loop {
        match wait(winch_rx.as_raw_fd()) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Closed::Error(e),
            Ok(Ready::HungUp) => break Closed::HungUp,
            Ok(Ready::Resized) => {
                let mut buf = [0u8; 64];
                while matches!(winch_rx.read(&mut buf), Ok(n) if n > 0) {}
                match crossterm::terminal::size() {
                    Ok((w, h)) => {
                        if !send(Event::Resize(w, h)) {
                            break Closed::Stopped;
                        }
                    }
                    Err(e) => break Closed::Error(e),
                }
            }
            Ok(Ready::Input) => {
                // Everything crossterm can decode now, without blocking.
                let mut stop = None;
                loop {
                    match event::poll(Duration::ZERO) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            stop = Some(Closed::Error(e));
                            break;
                        }
                    }
                    match event::read() {
                        Ok(ev) => {
                            if !send(ev) {
                                stop = Some(Closed::Stopped);
                                break;
                            }
                        }
                        Err(e) => {
                            stop = Some(Closed::Error(e));
                            break;
                        }
                    }
                }
                if let Some(c) = stop {
                    break c;
                }
            }
        }
    };
    signal_hook::low_level::unregister(id);
    closed
}

enum Ready {
    Input,
    Resized,
    HungUp,
}

/// Block until the tty (stdin) has input or hangs up, or a SIGWINCH arrived on `winch`.
fn wait(winch: i32) -> io::Result<Ready> {
    let mut fds = [
        libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: winch,
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // SAFETY: `fds` is a valid array of two pollfd for the duration of the call.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let tty = fds[0].revents;
    if tty & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Ok(Ready::HungUp);
    }
    let winch = fds[1].revents;
    if winch & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        // Never expected (the signal handler holds the other end); not a reason to spin.
        return Err(io::Error::other("the SIGWINCH pipe closed"));
    }
    if winch & libc::POLLIN != 0 {
        return Ok(Ready::Resized);
    }
    // Input, or a spurious wake-up (crossterm's zero-timeout poll then finds nothing).
    Ok(Ready::Input)
}
