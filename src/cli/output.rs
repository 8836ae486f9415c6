//! The one way the CLI writes: lines of text for people ([`outln!`](crate::outln)), data blocks (CSV, TSV,
//! Markdown: [`data`]), JSON for scripts ([`json`]), and messages on stderr ([`errln!`](crate::errln)).
//!
//! **Terminal safety.** Text lines are always sanitized, as one line each ([`sanitize()`]: escape
//! sequences 7- and 8-bit, controls, bidi controls removed; a line break inside a value shown
//! as ` ↵ `, so a hostile name cannot forge a line of its own) — on a terminal, and in a file
//! or pipe too, since `cat report.txt` later reaches a terminal just the same. Data blocks are
//! sanitized only when stdout is a terminal ([`sanitize_data`]: line structure and tabs kept);
//! a pipe or a file gets the bytes as written. JSON stays faithful: serde escapes C0 controls,
//! and `terminal_safe_json` writes DEL, C1 controls, bidi controls and line separators as
//! `\uXXXX` — the same JSON value, so scripts read exactly what the database holds.
//!
//! **Output failures.** Nothing here panics (as `println!` does on a full disk or `/dev/full`).
//! The first failed write of stdout is kept; text lines after it are dropped; data and JSON
//! writes return the error so the command stops before, say, recording an export that was
//! never written. [`finish`] flushes stdout and reports the failure, and `cli::main` exits 2
//! with one message — or, for a reader that went away (EPIPE), quietly with 141 (128 +
//! SIGPIPE), as a filter killed by SIGPIPE would. Messages on stderr never fail the program:
//! if stderr itself is gone there is nowhere to say so.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use tradescope_core::text::{sanitize, sanitize_data};

/// One line of text on stdout, sanitized (see the module documentation). Same arguments as
/// `println!`; never panics. The line must not hold intended line breaks: use one `outln!`
/// per line. (`#[macro_use]` on `mod output` makes it visible in every CLI module.)
#[macro_export]
macro_rules! outln {
    () => {
        $crate::cli::output::line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))
    };
}

/// One line on stderr, sanitized; write errors ignored. Same arguments as `eprintln!`.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::err_line(format_args!($($arg)*))
    };
}

/// Stdout could not be written: the first error, kept until [`finish`].
#[derive(Debug)]
pub struct OutputError {
    pub error: io::Error,
}

impl OutputError {
    /// The reader of a pipe went away: not an error to report.
    pub fn is_broken_pipe(&self) -> bool {
        self.error.kind() == io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write the output (standard output): {}{}",
            self.error,
            tradescope_store::error::io_hint(&self.error)
        )
    }
}

impl std::error::Error for OutputError {}

static FAILURE: Mutex<Option<io::Error>> = Mutex::new(None);

fn failure() -> std::sync::MutexGuard<'static, Option<io::Error>> {
    FAILURE.lock().unwrap_or_else(|p| p.into_inner())
}

fn failed_already() -> Option<io::Error> {
    failure()
        .as_ref()
        .map(|e| io::Error::new(e.kind(), e.to_string()))
}

/// Write to stdout unless an earlier write failed; a failure is kept for [`finish`].
fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    if let Some(e) = failed_already() {
        return Err(e);
    }
    let result = io::stdout().lock().write_all(bytes);
    if let Err(e) = &result {
        let mut f = failure();
        if f.is_none() {
            *f = Some(io::Error::new(e.kind(), e.to_string()));
        }
    }
    result
}

/// Whether stdout is a terminal (asked once).
pub fn stdout_is_terminal() -> bool {
    static TTY: OnceLock<bool> = OnceLock::new();
    *TTY.get_or_init(|| io::stdout().is_terminal())
}

#[doc(hidden)]
pub fn line(args: fmt::Arguments) {
    let text = fmt::format(args);
    let mut clean = sanitize(&text).into_owned();
    clean.push('\n');
    // Kept for `finish`: later lines are dropped.
    let _ = write_stdout(clean.as_bytes());
}

#[doc(hidden)]
pub fn err_line(args: fmt::Arguments) {
    let text = fmt::format(args);
    let mut clean = sanitize(&text).into_owned();
    clean.push('\n');
    let _ = io::stderr().lock().write_all(clean.as_bytes());
}

/// A multi-line message on stderr (a usage error), sanitized; write errors ignored.
pub fn err_text(text: &str) {
    let _ = io::stderr()
        .lock()
        .write_all(sanitize_data(text).as_bytes());
}

/// Several lines of text the program made (a report) and a line break, as `println!("{text}")`
/// would write them, but sanitized (tabs kept).
pub fn lines(text: &str) {
    let mut clean = sanitize_data(text).into_owned();
    clean.push('\n');
    let _ = write_stdout(clean.as_bytes());
}

/// A writer for data on stdout (CSV, TSV, Markdown): sanitized per line when stdout is a
/// terminal, the bytes as given otherwise. Errors are returned (and kept for [`finish`]).
pub fn data() -> Data {
    Data {
        terminal: stdout_is_terminal(),
        pending: Vec::new(),
    }
}

/// See [`data`]. On a terminal, text is passed on a whole line at a time (an escape sequence
/// cannot be cut in two and slip through), the rest when flushed or dropped.
pub struct Data {
    terminal: bool,
    pending: Vec<u8>,
}

impl Data {
    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&chunk);
        write_stdout(sanitize_data(&text).as_bytes())
    }
}

impl Write for Data {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.terminal {
            write_stdout(buf)?;
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        if let Some(i) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.emit(i + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.emit(self.pending.len())?;
        }
        if let Some(e) = failed_already() {
            return Err(e);
        }
        match io::stdout().lock().flush() {
            Ok(()) => Ok(()),
            Err(e) => {
                let mut f = failure();
                if f.is_none() {
                    *f = Some(io::Error::new(e.kind(), e.to_string()));
                }
                Err(e)
            }
        }
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `text` (a whole data block) on stdout, as [`data`] writes it.
pub fn data_text(text: &str) -> Result<(), OutputError> {
    let mut d = data();
    d.write_all(text.as_bytes())
        .and_then(|()| d.flush())
        .map_err(|error| OutputError { error })
}

/// `value` as pretty JSON on stdout (see `terminal_safe_json`).
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = terminal_safe_json(serde_json::to_string_pretty(value)?);
    text.push('\n');
    write_stdout(text.as_bytes()).map_err(|error| OutputError { error })?;
    Ok(())
}

/// `value` as one line of JSON on stdout (JSON lines; see `terminal_safe_json`).
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut text = terminal_safe_json(serde_json::to_string(value)?);
    text.push('\n');
    write_stdout(text.as_bytes()).map_err(|error| OutputError { error })?;
    Ok(())
}

/// Flush stdout; the first write failure of the run, if any.
pub fn finish() -> Option<OutputError> {
    let flushed = io::stdout().lock().flush();
    match failed_already() {
        Some(error) => Some(OutputError { error }),
        None => flushed.err().map(|error| OutputError { error }),
    }
}

/// serde_json escapes C0 controls but writes DEL, C1 controls (U+009B is CSI to some
/// terminals), bidi controls and line separators raw. JSON piped to a terminal must not drive
/// it, so those are written as `\uXXXX` escapes: the same JSON value, safe to look at. (They
/// can only occur inside strings, so replacing them anywhere keeps the JSON valid.)
fn terminal_safe_json(s: String) -> String {
    let unsafe_char = |c: char| {
        matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !s.chars().any(unsafe_char) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Thousands separators: 1204 → "1,204".
pub fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_the_terminal_escapes_c1_and_bidi_but_means_the_same() {
        let v = serde_json::json!({ "name": "A\u{9b}2J\u{202e}B\x1b[1m \u{4e2d}" });
        let out = terminal_safe_json(serde_json::to_string(&v).unwrap());
        assert!(
            !out.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{out}"
        );
        assert!(out.contains('\u{4e2d}'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }
}
