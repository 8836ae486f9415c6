//! One data row of a shipments CSV: typed cells with errors at file:line:field.

use crate::error::{Error, Result};

use super::super::cells;
use super::super::fields::{self, Header};
use super::super::input::decode;
use super::super::trade::NewParty;

/// One data row, with its place in the file for error messages.
pub(super) struct Row<'a> {
    pub file: &'a str,
    pub line: u64,
    pub rec: &'a csv::ByteRecord,
    pub header: &'a Header,
}

/// A party's columns: name, address, city, country.
pub(super) type PartyCols = [Option<usize>; 4];

impl Row<'_> {
    pub fn text(&self, col: Option<usize>) -> String {
        col.and_then(|i| self.rec.get(i))
            .map(|f| decode(f).into_owned())
            .unwrap_or_default()
    }

    /// Trimmed text; None when empty or a null marker (`N/A`, `-0-`, `NULL`, …).
    pub fn opt(&self, col: Option<usize>) -> Option<String> {
        cells::value(&self.text(col))
    }

    pub fn err(&self, col: Option<usize>, message: impl Into<String>) -> Error {
        let field = col
            .and_then(|i| self.header.names.get(i))
            .map(String::as_str)
            .unwrap_or("(row)");
        Error::input(self.file, self.line, field, message)
    }

    /// `;`-separated values.
    pub fn list(&self, col: Option<usize>) -> Vec<String> {
        fields::split_multi(&self.text(col))
            .into_iter()
            .filter(|v| !cells::is_null(v))
            .collect()
    }

    pub fn number(&self, col: Option<usize>) -> Result<Option<f64>> {
        let Some(v) = self.opt(col) else {
            return Ok(None);
        };
        v.replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(Some)
            .ok_or_else(|| self.err(col, format!("`{v}` is not a number")))
    }

    pub fn integer(&self, col: Option<usize>) -> Result<Option<i64>> {
        let Some(v) = self.opt(col) else {
            return Ok(None);
        };
        v.replace(',', "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| self.err(col, format!("`{v}` is not a whole number")))
    }

    /// ISO alpha-2 of a country cell (`VN`, `Vietnam`, `IN, INDIA`); an unknown country is an
    /// error, not a guess.
    pub fn country(&self, col: Option<usize>) -> Result<Option<String>> {
        cells::country(&self.text(col))
            .map(|c| c.map(str::to_string))
            .map_err(|m| self.err(col, m))
    }

    /// The party in `cols`, if it has a name that is not a placeholder. A placeholder name
    /// (`N/A`, `TO ORDER`, …) is returned in the Err side of the inner result so the caller
    /// can count it.
    pub fn party(&self, cols: PartyCols) -> Result<std::result::Result<NewParty, Option<String>>> {
        let raw = self.text(cols[0]);
        if cells::is_placeholder_party(&raw) {
            let shown = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            return Ok(Err((!shown.is_empty()).then_some(shown)));
        }
        Ok(Ok(NewParty {
            name: raw.trim().to_string(),
            address: self.opt(cols[1]),
            city: self.opt(cols[2]),
            country: self.country(cols[3])?,
            line: self.line,
        }))
    }
}
