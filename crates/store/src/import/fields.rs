//! Field-level helpers shared by importers: header lookup, null conventions, dates.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

/// Column positions by name, from a header row. Lookup is case-insensitive and accepts aliases,
/// so files whose columns are reordered or renamed between releases still import.
pub struct Header {
    file: String,
    index: HashMap<String, usize>,
    pub names: Vec<String>,
}

impl Header {
    pub fn new(file: &str, names: Vec<String>) -> Result<Self> {
        let mut index = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            let key = n.trim().to_ascii_lowercase();
            if key.is_empty() {
                continue;
            }
            if index.insert(key.clone(), i).is_some() {
                return Err(Error::input(
                    file,
                    1,
                    n.trim(),
                    "this column name appears twice in the header",
                ));
            }
        }
        Ok(Header {
            file: file.to_string(),
            index,
            names,
        })
    }

    /// Position of the first of `aliases` present in the header.
    pub fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases
            .iter()
            .find_map(|a| self.index.get(&a.to_ascii_lowercase()).copied())
    }

    /// Like `find`, but a missing column is an error naming the file and the expected names.
    pub fn require(&self, aliases: &[&str]) -> Result<usize> {
        self.find(aliases).ok_or_else(|| {
            // A hostile header can have 100,000 columns: name a few.
            const SHOWN: usize = 40;
            let mut found = self
                .names
                .iter()
                .take(SHOWN)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            if self.names.len() > SHOWN {
                found.push_str(&format!(", … ({} columns in all)", self.names.len()));
            }
            Error::input(
                &self.file,
                1,
                aliases[0],
                format!(
                    "required column is missing from the header (looked for: {}; found: {found})",
                    aliases.join(", "),
                ),
            )
        })
    }
}

/// Trimmed text, or None when empty or one of the null markers used by OFAC (`-0-`).
pub fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t == "-0-" {
        None
    } else {
        Some(t.to_string())
    }
}

/// Parse a date in one of the publishers' formats into ISO `YYYY-MM-DD`.
/// Empty → Ok(None). Impossible dates (31/02/2020) are an error, not a guess.
pub fn date(s: &str) -> std::result::Result<Option<String>, String> {
    let t = s.trim();
    if t.is_empty() || t == "-0-" {
        return Ok(None);
    }
    // Timestamps such as 2018-08-05T00:00:00: the date part is what we keep.
    let day = t.split(['T', ' ']).next().unwrap_or(t);
    // Two-digit years as in `8/6/18` (AMS 2018 extracts); chrono's %Y would read year 18 AD.
    let two_digit_year = day.rsplit('/').next().is_some_and(|y| y.len() == 2) && day.contains('/');
    let formats: &[&str] = if two_digit_year {
        &["%m/%d/%y"]
    } else {
        &[
            "%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d", "%d %b %Y", "%d-%b-%Y", "%Y%m%d",
        ]
    };
    for f in formats {
        let candidate = if f.contains(' ') { t } else { day };
        // Years outside 0–9999 (chrono reads `-2021-01-16` as 2021 BC) would be stored with
        // a sign or a fifth digit and break the text order dates are compared in.
        match NaiveDate::parse_from_str(candidate, f) {
            Ok(d) if (0..=9999).contains(&d.year()) => {
                return Ok(Some(d.format("%Y-%m-%d").to_string()))
            }
            _ => {}
        }
    }
    Err(format!(
        "`{t}` is not a valid date (expected YYYY-MM-DD or MM/DD/YYYY)"
    ))
}

/// `date`, with errors placed at file:line:field.
pub fn date_at(file: &str, line: u64, field: &str, s: &str) -> Result<Option<String>> {
    date(s).map_err(|m| Error::input(file, line, field, m))
}

/// Split a publisher's multi-value field (`a; b; c`) into trimmed non-empty parts.
pub fn split_multi(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "-0-")
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_publisher_formats() {
        assert_eq!(date("2019-10-09").unwrap().as_deref(), Some("2019-10-09"));
        assert_eq!(date("10/16/2017").unwrap().as_deref(), Some("2017-10-16"));
        assert_eq!(date("8/6/18").unwrap().as_deref(), Some("2018-08-06"));
        assert_eq!(
            date("2018-08-05T00:00:00").unwrap().as_deref(),
            Some("2018-08-05")
        );
        assert_eq!(date("03 Jun 2021").unwrap().as_deref(), Some("2021-06-03"));
        // Indian export data (shipping bill dates).
        assert_eq!(date("03-Jun-2023").unwrap().as_deref(), Some("2023-06-03"));
        assert_eq!(date(" ").unwrap(), None);
        assert!(date("31/02/2020").is_err());
        assert!(date("02/31/2020").is_err());
    }

    #[test]
    fn years_outside_0_to_9999_are_not_dates() {
        // Found by the `query` fuzz target: chrono read `-2021-01-16` as 2021 BC, stored as an
        // 11-character date that sorts before every real one.
        assert!(date("-2021-01-16").is_err());
        assert!(date("+12021-01-16").is_err());
        assert_eq!(date("0001-01-01").unwrap().as_deref(), Some("0001-01-01"));
        assert_eq!(date("9999-12-31").unwrap().as_deref(), Some("9999-12-31"));
    }

    #[test]
    fn null_markers() {
        assert_eq!(opt("-0- "), None);
        assert_eq!(opt("  x "), Some("x".into()));
    }
}
