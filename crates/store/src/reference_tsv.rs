//! The small editable reference tables (CET ↔ CPC, covered makers) as TSV: blank lines and `#`
//! comments skipped, the first remaining line is the header, fields trimmed, empty = absent.
//! Exports write each cell with `tsv_cell` (spreadsheet-safe); `get` takes the quote off again.

use crate::error::{Error, Result};
use crate::import::fields::Header;
use tradescope_core::text::spreadsheet::restore;

/// One data line of a reference table.
pub struct TsvRow<'a> {
    pub line: u64,
    cols: Vec<&'a str>,
}

impl<'a> TsvRow<'a> {
    /// The trimmed field in column `c`, None when the column is absent or the field empty.
    pub fn get(&self, c: Option<usize>) -> Option<&'a str> {
        // A cell a spreadsheet-safe export quoted (`'=…`) reads back as it was.
        c.and_then(|i| self.cols.get(i))
            .map(|s| restore(s.trim()).trim())
            .filter(|s| !s.is_empty())
    }

    /// Like `get`, but an empty field is an error at file:line:field.
    pub fn need(&self, file: &str, c: usize, field: &str) -> Result<&'a str> {
        self.get(Some(c))
            .ok_or_else(|| Error::input(file, self.line, field, "empty"))
    }
}

/// The header and the data lines of `text` (named `file` in errors); `expected` names the
/// columns for the message when there is no header at all.
pub fn read<'a>(file: &str, text: &'a str, expected: &str) -> Result<(Header, Vec<TsvRow<'a>>)> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((_, head)) = lines.next() else {
        return Err(Error::file(file, format!("no header row ({expected})")));
    };
    let header = Header::new(file, head.split('\t').map(str::to_string).collect())?;
    let rows = lines
        .map(|(line, l)| TsvRow {
            line,
            cols: l.split('\t').collect(),
        })
        .collect();
    Ok((header, rows))
}
