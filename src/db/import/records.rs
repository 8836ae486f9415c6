//! Reading the records of a published CSV/TSV file with the checks a file from outside needs:
//! errors that name file, line and field; NUL bytes and oversized fields refused; ragged rows
//! and unbalanced quotes reported where they are instead of silently re-pairing quotes; lines
//! of absurd length stopped before they are buffered whole.

use std::io::Read;

use csv::ByteRecord;

use super::fields::Header;
use crate::error::{Error, Result};

/// Longest field accepted, in bytes. The longest field in the real lists is about 8 KiB
/// (CSL remarks); a field beyond this is a damaged or hostile file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Longest physical line accepted, in bytes (a line may hold many fields).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

pub struct Records<'r> {
    file: String,
    rdr: csv::Reader<Guard<Box<dyn Read + Send + 'r>>>,
    pub rec: ByteRecord,
    /// Column names, for errors the guard finds in the raw text.
    columns: Vec<String>,
}

impl<'r> Records<'r> {
    pub fn new(file: &str, reader: Box<dyn Read + Send + 'r>, delimiter: u8) -> Self {
        // Records end at LF only: with csv's default CRLF handling, the LF of a CRLF is
        // consumed as the start of the next record, and every record of a CRLF file (all real
        // OFAC releases) would report the line before its own. The CR is stripped in `next`.
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .has_headers(false)
            .flexible(true)
            .from_reader(Guard::new(reader, delimiter));
        Records {
            file: file.to_string(),
            rdr,
            rec: ByteRecord::new(),
            columns: Vec::new(),
        }
    }

    /// Name the columns (from the header, or the format's documentation) for errors.
    pub fn set_columns(&mut self, names: &[String]) {
        self.columns = names.to_vec();
    }

    /// Read the next record into `rec`; false at the end of the file. A read error (a
    /// truncated gzip stream, an overlong line) names the line the reader had reached.
    pub fn read_next(&mut self) -> Result<bool> {
        match self.rdr.read_byte_record(&mut self.rec) {
            Ok(more) => {
                self.strip_cr();
                Ok(more)
            }
            Err(e) => {
                let line = self.rdr.position().line();
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => {
                        if let Some(g) = io.get_ref().and_then(|e| e.downcast_ref::<GuardError>()) {
                            return Err(Error::input(
                                &self.file,
                                g.line,
                                column_name(&self.columns, g.column),
                                g.message.clone(),
                            ));
                        }
                        Err(Error::file(
                            &self.file,
                            format!("reading stopped at line {line}: {io}"),
                        ))
                    }
                    kind => Err(Error::input(
                        &self.file,
                        line,
                        "(row)",
                        format!("malformed CSV: {kind:?}"),
                    )),
                }
            }
        }
    }

    fn strip_cr(&mut self) {
        let n = self.rec.len();
        let Some(last) = n.checked_sub(1).and_then(|i| self.rec.get(i)) else {
            return;
        };
        if let Some(kept) = last.strip_suffix(b"\r") {
            let kept = kept.to_vec();
            self.rec.truncate(n - 1);
            self.rec.push_field(&kept);
        }
    }

    /// 1-based physical line the current record starts on.
    pub fn line(&self) -> u64 {
        self.rec.position().map_or(0, |p| p.line())
    }

    /// A line with nothing but blanks (skipped by every importer).
    pub fn is_blank(&self) -> bool {
        self.rec.len() == 1 && self.rec.get(0).is_some_and(|f| f.trim_ascii().is_empty())
    }

    /// Refuse NUL bytes and oversized fields; `column(i)` names field `i` in the error.
    pub fn check_fields(&self, column: &dyn Fn(usize) -> String) -> Result<()> {
        for (i, f) in self.rec.iter().enumerate() {
            if f.contains(&0) {
                return Err(Error::input(
                    &self.file,
                    self.line(),
                    column(i),
                    "contains a NUL byte: the file is binary, UTF-16 or damaged; \
                     export it again as UTF-8 text",
                ));
            }
            if f.len() > MAX_FIELD_BYTES {
                return Err(Error::input(
                    &self.file,
                    self.line(),
                    column(i),
                    format!(
                        "is {} bytes long, over the limit of {MAX_FIELD_BYTES}: the file is \
                         damaged or not a list export",
                        f.len()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Field checks plus exactly as many fields as the header has.
    pub fn check_row(&self, header: &Header) -> Result<()> {
        let names = |i: usize| column_name(&header.names, i);
        self.check_fields(&names)?;
        self.check_width(&header.names, true)
    }

    /// Field checks plus exactly as many fields as the columns named by `set_columns`
    /// (headerless files whose layout is documented, as OFAC's).
    pub fn check_row_fixed(&self) -> Result<()> {
        self.check_fields(&|i| column_name(&self.columns, i))?;
        self.check_width(&self.columns, false)
    }

    fn check_width(&self, names: &[String], has_header: bool) -> Result<()> {
        let (n, width) = (self.rec.len(), names.len());
        if n == width {
            return Ok(());
        }
        let field = if n < width {
            column_name(names, n)
        } else {
            format!("(column {})", width + 1)
        };
        let what = if has_header {
            "the header has"
        } else {
            "this file has"
        };
        Err(Error::input(
            &self.file,
            self.line(),
            field,
            format!("{n} fields where {what} {width}{}", self.open_quote_hint()),
        ))
    }

    /// A field spanning many lines usually means a quote was opened and never closed.
    fn open_quote_hint(&self) -> String {
        let most = self
            .rec
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count())
            .max()
            .unwrap_or(0);
        if most == 0 {
            return String::new();
        }
        format!(
            "; a quoted field here runs over {} lines: is a quote on line {} left open?",
            most + 1,
            self.line()
        )
    }
}

fn column_name(names: &[String], i: usize) -> String {
    match names.get(i).map(|n| n.trim()) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => format!("(column {})", i + 1),
    }
}

/// A problem [`Guard`] found in the raw text, carried through the CSV reader as an I/O error.
#[derive(Debug, Clone)]
struct GuardError {
    line: u64,
    /// 0-based column of the field concerned.
    column: usize,
    message: String,
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

/// Watches the raw text on its way into the CSV reader, which is lenient: it would silently
/// re-pair quotes after one left open (taking a dozen rows as one field, or mis-assigning
/// columns) and buffer a line of any length whole. The guard stops, naming line and column,
/// at text after a closing quote (the sign of an unbalanced quote), a quote never closed,
/// and lines or quoted fields longer than [`MAX_LINE_BYTES`].
struct Guard<R> {
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
    fn new(inner: R, delimiter: u8) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &'static [u8]) -> Vec<u64> {
        let mut r = Records::new("t.csv", Box::new(data), b',');
        let mut out = Vec::new();
        while r.read_next().unwrap() {
            out.push(r.line());
        }
        out
    }

    fn first_error(data: &'static [u8]) -> String {
        let mut r = Records::new("t.csv", Box::new(data), b',');
        r.set_columns(&["a".into(), "b".into()]);
        loop {
            match r.read_next() {
                Ok(true) => {}
                Ok(false) => return String::new(),
                Err(e) => return e.to_string(),
            }
        }
    }

    #[test]
    fn quotes_left_open_are_found_where_they_open() {
        let e = first_error(b"x,y\n\"open,y\nz,\"w\"\n");
        assert!(e.starts_with("t.csv:2: field `a`: text follows"), "{e}");
        assert!(e.contains("closes on line 3"), "{e}");
        let e = first_error(b"x,y\nz,\"never closed\n");
        assert!(e.starts_with("t.csv:2: field `b`: the quoted field"), "{e}");
        // Doubled quotes, blanks after a closing quote and CRLF are all fine.
        assert_eq!(first_error(b"\"say \"\"hi\"\"\" ,b\r\n\"x\"\r\n"), "");
    }

    #[test]
    fn crlf_is_not_part_of_the_last_field() {
        let mut r = Records::new("t.csv", Box::new(&b"a,\"b\"\r\nc,d\r\n"[..]), b',');
        assert!(r.read_next().unwrap());
        assert_eq!(r.rec.get(1), Some(&b"b"[..]));
        assert!(r.read_next().unwrap());
        assert_eq!(r.rec.get(1), Some(&b"d"[..]));
    }

    #[test]
    fn record_lines_are_physical_lines() {
        assert_eq!(lines(b"a,b\nc,d\ne,f\n"), vec![1, 2, 3]);
        assert_eq!(lines(b"a,b\r\nc,d\r\ne,f\r\n"), vec![1, 2, 3]);
        assert_eq!(lines(b"a,\"b\nb\"\r\nc,d\r\ne,f"), vec![1, 3, 4]);
    }
}
