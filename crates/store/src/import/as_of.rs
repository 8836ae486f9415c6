//! As-of dates you can trust (issue 15 item 4): the date a list version stood at, taken from
//! the file's own metadata where the format has it, else derived from the data and said so.
//! `source.as_of` holds the date, `source_as_of` how it was found.

use rusqlite::{params, Transaction};

use super::fields;
use crate::error::Result;

/// A list version's date and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AsOf {
    pub date: String,
    /// "given (--as-of)", "Last_Update column", "download name sdn_2024-05-01",
    /// "newest start date" …
    pub basis: String,
    /// True when read off the data (a lower bound), not stated by the file or the user.
    pub derived: bool,
}

impl AsOf {
    /// "2023-07-19 (derived: newest start date)", "2019-06-12 (Last_Update column)".
    pub fn describe(&self) -> String {
        if self.derived {
            format!("{} (derived: {})", self.date, self.basis)
        } else {
            format!("{} ({})", self.date, self.basis)
        }
    }
}

/// The newest of `dates` that could be real: not after today (a typo such as 3017-08-22 in the
/// DPL's Last_Update column is ignored).
pub fn newest_plausible<'a>(
    dates: impl IntoIterator<Item = &'a str>,
    today: &str,
) -> Option<String> {
    dates
        .into_iter()
        .filter_map(|d| fields::date(d).ok().flatten())
        .filter(|d| d.as_str() <= today && d.as_str() >= "1990-01-01")
        .max()
}

/// A date written in a file or folder name: `sdn_2024-05-01`, `SDN-20240501`, `cons 2024_05_01`.
/// The last such date of the path wins (the file's name before its folder's).
pub fn date_in_name(path: &str, today: &str) -> Option<String> {
    let b = path.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut found = None;
    let mut i = 0;
    while i < b.len() {
        // Not inside a longer run of digits.
        if digit(i) && (i == 0 || !digit(i - 1)) {
            let sep = b.get(i + 4).copied();
            let candidate = if (0..8).all(|k| digit(i + k)) && !digit(i + 8) {
                Some((path[i..i + 8].to_string(), 8))
            } else if matches!(sep, Some(b'-' | b'_' | b'.'))
                && (0..4).all(|k| digit(i + k))
                && digit(i + 5)
                && digit(i + 6)
                && b.get(i + 7) == sep.as_ref()
                && digit(i + 8)
                && digit(i + 9)
                && !digit(i + 10)
            {
                let s = &path[i..i + 10];
                Some((format!("{}{}{}", &s[0..4], &s[5..7], &s[8..10]), 10))
            } else {
                None
            };
            if let Some((compact, len)) = candidate {
                if let Ok(Some(d)) = fields::date(&compact) {
                    if d.as_str() <= today && d.as_str() >= "1990-01-01" {
                        found = Some(d);
                    }
                }
                i += len;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// Record how `source_id`'s as-of date was found.
pub fn record(tx: &Transaction, source_id: i64, a: &AsOf) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO source_as_of (source_id, basis, derived) VALUES (?1, ?2, ?3)",
        params![source_id, a.basis, a.derived],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_future_years_are_ignored() {
        let got = newest_plausible(["2019-06-12", "3017-08-22", "2007-01-31", ""], "2026-12-03");
        assert_eq!(got.as_deref(), Some("2019-06-12"));
        assert_eq!(newest_plausible(["3017-08-22"], "2026-12-03"), None);
    }

    #[test]
    fn dates_in_download_names() {
        let t = "2026-12-03";
        assert_eq!(
            date_in_name("/data/sdn_2024-05-01/sdn.csv", t).as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            date_in_name("SDN-20240501/add.csv", t).as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            date_in_name("cons_2023_11_16/cons_prim.csv", t).as_deref(),
            Some("2023-11-16")
        );
        // No date, a longer number, an impossible or future date: nothing.
        assert_eq!(date_in_name("data/lists/ofac_sdn/sdn.csv", t), None);
        assert_eq!(date_in_name("batch_202405011/sdn.csv", t), None);
        assert_eq!(date_in_name("x_2024-13-01/sdn.csv", t), None);
        assert_eq!(date_in_name("x_2030-01-01/sdn.csv", t), None);
    }
}
