//! Reading the records of a published CSV/TSV file with the checks a file from outside needs:
//! errors that name file, line and field; NUL bytes and oversized fields refused; ragged rows
//! and unbalanced quotes reported where they are instead of silently re-pairing quotes; lines
//! of absurd length stopped before they are buffered whole.

use std::io::Read;

use csv::ByteRecord;

use super::fields::Header;
use super::guard::{Guard, GuardError};
use super::input::GzCorrupt;
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

    /// The rest of the text, unread (for [`super::input::gzip_damage`] after an error).
    pub fn into_reader(self) -> Box<dyn Read + Send + 'r> {
        self.rdr.into_inner().into_inner()
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
                        // A damaged .gz: the file's fault, not a row's.
                        if let Some(g) = io.get_ref().and_then(|e| e.downcast_ref::<GzCorrupt>()) {
                            return Err(Error::file(&self.file, g.to_string()));
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
