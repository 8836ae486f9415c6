//! Spreadsheet-safe CSV and TSV: the one mechanism every CSV tradescope writes goes through
//! (batch screening reports, `match` scores, case, audit and decision exports) and every cell of
//! the editable reference tables it exports as TSV (patterns, cet, covered, columns).
//!
//! A spreadsheet opening a CSV runs a cell that starts with `=`, `+`, `-` or `@` as a formula
//! (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`, `@SUM(1)`, DDE). Names on the lists and in users'
//! files are written by anyone, so as OWASP recommends ("CSV Injection"), a cell that starts
//! with one of those characters, or with a tab or a carriage return, is prefixed with a single
//! quote, which spreadsheets read as "this cell is text" and do not show. Two refinements:
//! - leading whitespace and line breaks are looked through: some readers drop them (a leading
//!   CR was dropped in the attack run, turning `\r=CR` into the formula `=CR`), so
//!   ` =1+1`, `\n@SUM(1)` and `\r=CR` are neutralized too;
//! - the full-width forms (`＝`, `＋`, `－`, `＠`), which some spreadsheets normalize, count too.
//!
//! Only the CSV text changes: JSON output and the database keep values exactly as published.
//! A cell that was neutralized reads back with the quote; [`restore`] undoes it for a reader
//! that knows the file came from tradescope.

use std::borrow::Cow;
use std::io::Write;

/// Characters that make a spreadsheet read a cell as a formula.
fn is_trigger(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
    )
}

/// Whether a spreadsheet could run `cell` as a formula.
pub fn is_dangerous(cell: &str) -> bool {
    if cell.starts_with(['\t', '\r']) {
        return true;
    }
    cell.trim_start().chars().next().is_some_and(is_trigger)
}

/// `cell` as it is safe to write into a CSV a spreadsheet may open: prefixed with `'` when it
/// could run as a formula (see the module documentation), otherwise unchanged (borrowed).
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if is_dangerous(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The value a neutralized cell stood for (the quote taken off again); other cells unchanged.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_dangerous(rest) => rest,
        _ => cell,
    }
}

/// One cell of an exported TSV table: tabs and line breaks (which would split the cell or the
/// row) as spaces, then neutralized like a CSV cell. The importers [`restore`] it.
pub fn tsv_cell(cell: &str) -> Cow<'_, str> {
    if cell.contains(['\t', '\n', '\r']) {
        Cow::Owned(spreadsheet_safe(&cell.replace(['\t', '\n', '\r'], " ")).into_owned())
    } else {
        spreadsheet_safe(cell)
    }
}

/// A CSV writer whose every cell goes through [`spreadsheet_safe`].
pub struct CsvWriter<W: Write> {
    csv: csv::Writer<W>,
    /// Column names of `serialize`d rows, once the header is written.
    header: Option<Vec<String>>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W) -> Self {
        CsvWriter {
            csv: csv::Writer::from_writer(out),
            header: None,
        }
    }

    /// Write one record, every field neutralized.
    pub fn write_record<I, T>(&mut self, record: I) -> std::io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.csv
            .write_record(
                record
                    .into_iter()
                    .map(|f| spreadsheet_safe(f.as_ref()).into_owned()),
            )
            .map_err(into_io)
    }

    /// Write a struct (or map) as one row, its field names as the header before the first row.
    /// Nested values are written as JSON text; `null` as an empty cell.
    pub fn serialize<T: serde::Serialize>(&mut self, row: &T) -> std::io::Result<()> {
        let value = serde_json::to_value(row).map_err(std::io::Error::other)?;
        let serde_json::Value::Object(map) = value else {
            return Err(std::io::Error::other("a CSV row must be a struct or a map"));
        };
        if self.header.is_none() {
            let names: Vec<String> = map.keys().cloned().collect();
            self.write_record(&names)?;
            self.header = Some(names);
        }
        let cells: Vec<String> = map.values().map(cell_text).collect();
        self.write_record(&cells)
    }

    /// Write the header of `serialize`d rows when no row was written (an empty table still
    /// names its columns).
    pub fn header_if_none(&mut self, names: &[&str]) -> std::io::Result<()> {
        if self.header.is_none() {
            self.write_record(names)?;
            self.header = Some(names.iter().map(|s| s.to_string()).collect());
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }

    /// The inner writer, flushed (for a `Vec<u8>`: the CSV text).
    pub fn into_inner(self) -> std::io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

fn cell_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn into_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// CSV text of `rows` (the first is the header), every cell neutralized.
pub fn csv_text<I, R, T>(rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let mut w = CsvWriter::new(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item3_owasp_formula_triggers_are_quoted() {
        for cell in [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-1+1",
            "@SUM(1)",
            "\t=1",
            "\r=CR",
            "\r\n=CR",
            " =1+1",
            "\n@SUM(1)",
            "\u{a0}=1",
            "\u{ff1d}1+1",
        ] {
            assert_eq!(spreadsheet_safe(cell), format!("'{cell}"), "{cell:?}");
            assert_eq!(restore(&spreadsheet_safe(cell)), cell);
        }
        for cell in ["HIKVISION", "0.912", "", "a=b", "O'Brien", "'quoted"] {
            assert_eq!(spreadsheet_safe(cell), cell, "{cell:?}");
            assert_eq!(restore(cell), cell);
        }
    }

    #[test]
    fn tsv_cells_stay_one_cell_and_read_back() {
        assert_eq!(tsv_cell("=1+1"), "'=1+1");
        assert_eq!(tsv_cell("a\tb\nc"), "a b c");
        assert_eq!(tsv_cell("\t=1"), "' =1");
        assert_eq!(tsv_cell("HIKVISION"), "HIKVISION");
        for cell in ["=1+1", "-?\\d{4}", "@x", "plain"] {
            assert_eq!(restore(&tsv_cell(cell)), cell);
        }
    }

    #[test]
    fn item3_a_leading_cr_cannot_leave_a_formula_behind() {
        // Whatever a reader strips from the start of the cell, the quote stays first.
        let safe = spreadsheet_safe("\r=CR");
        assert!(safe.starts_with('\''));
        let text = csv_text([["name"], ["\r=CR"]]);
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let rec = rdr.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'\r=CR");
        assert!(!rec[0].trim_start().starts_with('='));
    }

    #[test]
    fn item3_serialized_rows_are_neutralized_and_named() {
        #[derive(serde::Serialize)]
        struct Row {
            id: i64,
            query: Option<String>,
            score: f64,
        }
        let mut w = CsvWriter::new(Vec::new());
        w.serialize(&Row {
            id: 1,
            query: Some("=1+1".into()),
            score: 0.5,
        })
        .unwrap();
        w.serialize(&Row {
            id: 2,
            query: None,
            score: 1.0,
        })
        .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "id,query,score\n1,'=1+1,0.5\n2,,1.0\n");
    }
}
