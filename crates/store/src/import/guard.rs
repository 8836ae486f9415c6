//! A watch on the raw text of a delimited file on its way into the `csv` reader, which is
//! lenient: after a quote left open it silently re-pairs the following quotes (taking a dozen
//! rows as one field, or shifting columns), and it buffers a line of any length whole.

use std::io::Read;

use super::records::MAX_LINE_BYTES;

/// A problem [`Guard`] found in the raw text, carried through the CSV reader as an I/O error.
#[derive(Debug, Clone)]
pub(super) struct GuardError {
    pub line: u64,
    /// 0-based column of the field concerned.
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for GuardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for GuardError {}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field.
    Start,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the closing quote, or the first half of `""`.
    QuoteInQuoted,
    /// After a closing quote and blanks: only a separator or line end may follow.
    AfterQuote,
}

/// Passes the raw text through, and stops — naming line and column — at text after a closing
/// quote (the sign of an unbalanced quote), a quote never closed, and lines or quoted fields
/// longer than [`MAX_LINE_BYTES`].
pub(super) struct Guard<R> {
    inner: R,
    delimiter: u8,
    state: Quoting,
    line: u64,
    column: usize,
    /// Where the current quoted field opened.
    quote_line: u64,
    quote_column: usize,
    /// Bytes since the last line break outside quotes, and inside the current quoted field.
    line_run: usize,
    quoted_run: usize,
    /// Once found, the problem is reported on every later read.
    error: Option<GuardError>,
}

impl<R> Guard<R> {
    pub fn new(inner: R, delimiter: u8) -> Self {
        Guard {
            inner,
            delimiter,
            state: Quoting::Start,
            line: 1,
            column: 0,
            quote_line: 1,
            quote_column: 0,
            line_run: 0,
            quoted_run: 0,
            error: None,
        }
    }

    /// The reader guarded, as far as it was read.
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn fail(&self, line: u64, column: usize, message: String) -> GuardError {
        GuardError {
            line,
            column,
            message,
        }
    }

    fn step(&mut self, b: u8) -> std::result::Result<(), GuardError> {
        use Quoting::*;
        let d = self.delimiter;
        if b == b'\n' {
            self.line += 1;
        }
        self.state = match (self.state, b) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => {
                self.quoted_run += 1;
                if self.quoted_run > MAX_LINE_BYTES {
                    let (l, c) = (self.quote_line, self.quote_column);
                    return Err(self.fail(
                        l,
                        c,
                        format!(
                            "the quoted field opened here runs over {} MiB: is its closing \
                             quote missing?",
                            MAX_LINE_BYTES >> 20
                        ),
                    ));
                }
                Quoted
            }
            (QuoteInQuoted, b'"') => Quoted,
            (QuoteInQuoted | AfterQuote, b' ' | b'\t' | b'\r') if b != d => AfterQuote,
            (Start | Unquoted | QuoteInQuoted | AfterQuote, _) if b == d => {
                self.column += 1;
                Start
            }
            (Start | Unquoted | QuoteInQuoted | AfterQuote, b'\n') => {
                self.column = 0;
                Start
            }
            (QuoteInQuoted | AfterQuote, _) => {
                let (l, c, now) = (self.quote_line, self.quote_column, self.line);
                let closed = if l == now {
                    String::new()
                } else {
                    format!(" (it closes on line {now})")
                };
                return Err(self.fail(
                    l,
                    c,
                    format!(
                        "text follows the closing quote of the quoted field opened here{closed}: \
                         a quote is missing, or a quote inside the field is not doubled"
                    ),
                ));
            }
            (Start, b'"') => {
                self.quote_line = self.line;
                self.quote_column = self.column;
                self.quoted_run = 0;
                Quoted
            }
            (Start | Unquoted, _) => Unquoted,
        };
        if self.state == Quoted || self.state == QuoteInQuoted {
            return Ok(());
        }
        self.line_run = if b == b'\n' { 0 } else { self.line_run + 1 };
        if self.line_run > MAX_LINE_BYTES {
            let (l, c) = (self.line, self.column);
            return Err(self.fail(
                l,
                c,
                format!(
                    "the line is longer than {} MiB: not a list export",
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }
}

fn io_error(g: GuardError) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, g)
}

impl<R: Read> Read for Guard<R> {
    /// Passes bytes through up to the first problem, so the records before it are read (and
    /// the header's column names known) before the problem is reported.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(g) = &self.error {
            return Err(io_error(g.clone()));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == Quoting::Quoted {
            let g = self.fail(
                self.quote_line,
                self.quote_column,
                "the quoted field opened here is never closed: a quote is missing".into(),
            );
            self.error = Some(g.clone());
            return Err(io_error(g));
        }
        for (i, &b) in buf[..n].iter().enumerate() {
            if let Err(g) = self.step(b) {
                self.error = Some(g.clone());
                return if i == 0 { Err(io_error(g)) } else { Ok(i) };
            }
        }
        Ok(n)
    }
}
