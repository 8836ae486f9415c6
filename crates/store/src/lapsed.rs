//! Lapsed entries (issue 15 item 3): an entry whose end date (a DPL order's expiry) lies before
//! the date screened at — today, or a ship date — is still published but no longer in force.
//! Screening shows it, marked `lapsed DATE`, and does not count it as a match unless asked to.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::error::Result;
use crate::search::ListingHit;

/// The date screened at, and whether lapsed entries still count as matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lapse {
    /// ISO date (YYYY-MM-DD).
    pub on: String,
    /// `--include-lapsed`: a lapsed hit at or above the threshold still counts as a match.
    pub include: bool,
}

impl Lapse {
    /// Screening now: today's date (UTC), lapsed entries not counted.
    pub fn today() -> Lapse {
        Lapse {
            on: today(),
            include: false,
        }
    }
}

/// Today's date, UTC, as YYYY-MM-DD.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// The end date when it lies before `on` (both ISO dates, so they compare as text); a partial
/// date such as "2020" or "2020-10" counts as its last day.
pub fn lapsed_on(end_date: Option<&str>, on: &str) -> Option<String> {
    let end = end_date?.trim();
    if end.is_empty() {
        return None;
    }
    // "2020" < "2020-10-13" as text, but the year 2020 has not ended on 2020-10-13.
    let last_day = match end.len() {
        4 => format!("{end}-12-31"),
        7 => format!("{end}-31"),
        _ => end.to_string(),
    };
    (last_day.as_str() < on).then(|| end.to_string())
}

/// Mark each hit lapsed or not at `lapse.on`; a lapsed hit is no match unless included.
pub fn mark(hits: &mut [ListingHit], lapse: &Lapse) {
    for h in hits {
        h.lapsed = lapsed_on(h.end_date.as_deref(), &lapse.on);
        if h.lapsed.is_some() && !lapse.include {
            h.is_match = false;
        }
    }
}

/// Current entries lapsed at `on`: entry id → end date (batch screening looks hits up here).
pub fn current_lapsed(conn: &Connection, on: &str) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare(
        "SELECT id, end_date FROM list_entry WHERE current = 1 AND end_date IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, end) = row?;
        if let Some(end) = lapsed_on(Some(&end), on) {
            out.insert(id, end);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_dates_before_the_date_lapse() {
        assert_eq!(
            lapsed_on(Some("2020-10-13"), "2020-10-14").as_deref(),
            Some("2020-10-13")
        );
        // In force through its end date.
        assert_eq!(lapsed_on(Some("2020-10-13"), "2020-10-13"), None);
        assert_eq!(lapsed_on(Some("2020-10-13"), "2019-01-01"), None);
        assert_eq!(lapsed_on(None, "2020-10-14"), None);
        assert_eq!(lapsed_on(Some(" "), "2020-10-14"), None);
        // A year or month ends on its last day.
        assert_eq!(lapsed_on(Some("2020"), "2020-10-13"), None);
        assert_eq!(
            lapsed_on(Some("2020"), "2021-01-01").as_deref(),
            Some("2020")
        );
        assert_eq!(lapsed_on(Some("2020-10"), "2020-10-31"), None);
    }
}
