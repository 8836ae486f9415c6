//! A listing's history (its entries in every version and dataset, and the dated versions that
//! had or lacked it) and its status at a date, by the rules in the module above.

use super::AsOfStatus;
use crate::args;
use crate::error::Result;
use crate::sql::Sql;
use chrono::{Duration, NaiveDate};

/// A date range [from, until) in which a listing was in force (None: open end).
pub type Range = (Option<String>, Option<String>);

/// One entry of a listing's history.
#[derive(Debug, Clone, PartialEq)]
struct EntryInfo {
    id: i64,
    list: String,
    current: bool,
}

/// A list version dated `date` had (`present`) or lacked the listing.
#[derive(Debug, Clone, PartialEq)]
struct Event {
    date: String,
    present: bool,
    dataset: String,
}

/// Everything the database knows about when one listing was in force.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub listing_key: String,
    pub name: String,
    entries: Vec<EntryInfo>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// Sorted by date; at one date an absence sorts before a presence.
    events: Vec<Event>,
}

/// Read a listing's history (entries of every version and dataset, and the dated versions of
/// the datasets that carry it).
pub fn history(db: &dyn Sql, listing_key: &str) -> Result<History> {
    let sql = "SELECT e.id, e.list_code, e.current, e.name, e.start_date, e.end_date, s.dataset,
            e.source_id
         FROM list_entry e JOIN source s ON s.id = e.source_id
         WHERE e.listing_key = ?1 ORDER BY e.current DESC, e.id DESC";
    type Row = (
        i64,
        String,
        bool,
        String,
        Option<String>,
        Option<String>,
        String,
        i64,
    );
    let rows: Vec<Row> = db.map(sql, args![listing_key], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })?;
    let mut h = History {
        listing_key: listing_key.to_string(),
        name: rows.first().map(|r| r.3.clone()).unwrap_or_default(),
        entries: Vec::new(),
        start_date: None,
        // The newest entry's end date (current entries first): a later version may lift it.
        end_date: rows.first().and_then(|r| r.5.clone()),
        events: Vec::new(),
    };
    let mut datasets: Vec<String> = Vec::new();
    let mut present_sources: Vec<i64> = Vec::new();
    for (id, list, current, _, start, _, dataset, source_id) in &rows {
        h.entries.push(EntryInfo {
            id: *id,
            list: list.clone(),
            current: *current,
        });
        if let Some(s) = start {
            if h.start_date.as_ref().is_none_or(|m| s < m) {
                h.start_date = Some(s.clone());
            }
        }
        if !datasets.contains(dataset) {
            datasets.push(dataset.clone());
        }
        present_sources.push(*source_id);
    }
    // Every dated version of those datasets: present if it has an entry of the listing.
    for d in &datasets {
        let versions: Vec<(i64, String)> = db.map(
            "SELECT id, as_of FROM source WHERE dataset = ?1 AND as_of IS NOT NULL
             ORDER BY as_of, id",
            args![d],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (sid, as_of) in versions {
            h.events.push(Event {
                date: as_of,
                present: present_sources.contains(&sid),
                dataset: d.clone(),
            });
        }
    }
    h.events
        .sort_by(|a, b| a.date.cmp(&b.date).then(a.present.cmp(&b.present)));
    Ok(h)
}

fn day_after(date: &str) -> Option<String> {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some((d + Duration::days(1)).format("%Y-%m-%d").to_string())
}

fn list_name(dataset: &str) -> String {
    match dataset {
        "csl" => "Consolidated Screening List".into(),
        "ofac_sdn" => "OFAC SDN list".into(),
        "ofac_cons" => "OFAC consolidated (non-SDN) list".into(),
        "dpl" => "Denied Persons List".into(),
        other => other.to_string(),
    }
}

impl History {
    /// The status of the listing on `date` (ISO), and why.
    pub fn status_at(&self, date: &str) -> (AsOfStatus, String) {
        if let Some(end) = &self.end_date {
            if end.as_str() < date {
                return (AsOfStatus::Delisted, format!("end date {end}"));
            }
        }
        let upto = self.events.partition_point(|e| e.date.as_str() <= date);
        let last = upto.checked_sub(1).map(|i| &self.events[i]);
        let had_before = self.events[..upto.saturating_sub(1)]
            .iter()
            .any(|e| e.present);
        let by_start = |s: &String| {
            if s.as_str() <= date {
                (AsOfStatus::ListedAtDate, format!("start date {s}"))
            } else {
                (AsOfStatus::ListedLater, format!("start date {s}"))
            }
        };
        match (last, &self.start_date) {
            (Some(e), _) if !e.present && had_before => (
                AsOfStatus::Delisted,
                format!(
                    "not in the {} as of {} (removed)",
                    list_name(&e.dataset),
                    e.date
                ),
            ),
            (Some(e), None) if !e.present => (
                AsOfStatus::ListedLater,
                format!("not in the {} as of {}", list_name(&e.dataset), e.date),
            ),
            (Some(e), None) => (
                AsOfStatus::ListedAtDate,
                format!(
                    "in the {} as of {} (no start date published)",
                    list_name(&e.dataset),
                    e.date
                ),
            ),
            (_, Some(s)) => by_start(s),
            (None, None) => match self.events.get(upto) {
                Some(next) if !next.present => (
                    AsOfStatus::ListedLater,
                    format!(
                        "not in the {} as of {}",
                        list_name(&next.dataset),
                        next.date
                    ),
                ),
                Some(next) => (
                    AsOfStatus::StartUnknown,
                    format!(
                        "no start date published; first seen in the {} as of {}",
                        list_name(&next.dataset),
                        next.date
                    ),
                ),
                None => (
                    AsOfStatus::StartUnknown,
                    "no start date published and no dated list version".into(),
                ),
            },
        }
    }

    /// The date ranges [from, until) in which the listing was listed at the date (None: open
    /// end). Status only changes at a start date, the day after an end date and version dates,
    /// so it is evaluated there.
    pub fn listed_intervals(&self) -> Vec<Range> {
        let mut points: Vec<String> = self.events.iter().map(|e| e.date.clone()).collect();
        points.extend(self.start_date.clone());
        points.extend(self.end_date.as_deref().and_then(day_after));
        points.sort();
        points.dedup();
        let mut out: Vec<Range> = Vec::new();
        let mut open: Option<Option<String>> = None;
        let listed = |d: &str| self.status_at(d).0 == AsOfStatus::ListedAtDate;
        if listed("0000-01-01") {
            open = Some(None);
        }
        for p in &points {
            match (listed(p), &open) {
                (true, None) => open = Some(Some(p.clone())),
                (false, Some(from)) => {
                    out.push((from.clone(), Some(p.clone())));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(from) = open {
            out.push((from, None));
        }
        out
    }

    /// A current entry of the listing (else the newest) and the list codes it is on now.
    pub(super) fn representative(&self) -> (i64, Vec<String>) {
        let current: Vec<&EntryInfo> = self.entries.iter().filter(|e| e.current).collect();
        let pool: Vec<&EntryInfo> = if current.is_empty() {
            self.entries.iter().take(1).collect()
        } else {
            current
        };
        let mut lists: Vec<String> = Vec::new();
        for e in &pool {
            if !lists.contains(&e.list) {
                lists.push(e.list.clone());
            }
        }
        let id = pool.iter().map(|e| e.id).min().unwrap_or_default();
        (id, lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(start: Option<&str>, end: Option<&str>, events: &[(&str, bool)]) -> History {
        History {
            listing_key: "k".into(),
            name: "X".into(),
            entries: vec![EntryInfo {
                id: 1,
                list: "EL".into(),
                current: true,
            }],
            start_date: start.map(str::to_string),
            end_date: end.map(str::to_string),
            events: events
                .iter()
                .map(|(d, p)| Event {
                    date: d.to_string(),
                    present: *p,
                    dataset: "csl".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn start_and_end_dates_decide() {
        let x = h(Some("2019-10-09"), None, &[("2022-04-21", true)]);
        assert_eq!(x.status_at("2019-10-08").0, AsOfStatus::ListedLater);
        assert_eq!(x.status_at("2019-10-09").0, AsOfStatus::ListedAtDate);
        assert_eq!(x.status_at("2023-01-01").0, AsOfStatus::ListedAtDate);
        let y = h(Some("2017-09-28"), Some("2020-01-01"), &[]);
        assert_eq!(y.status_at("2020-01-01").0, AsOfStatus::ListedAtDate);
        assert_eq!(y.status_at("2020-01-02").0, AsOfStatus::Delisted);
        assert_eq!(
            y.listed_intervals(),
            vec![(Some("2017-09-28".into()), Some("2020-01-02".into()))]
        );
    }

    #[test]
    fn versions_decide_without_a_start_date() {
        // Not in the 2019 version, in the 2021 one, dropped by the 2022 one.
        let x = h(
            None,
            None,
            &[
                ("2019-06-05", false),
                ("2021-12-16", true),
                ("2022-04-21", false),
            ],
        );
        assert_eq!(x.status_at("2019-01-01").0, AsOfStatus::ListedLater);
        assert_eq!(x.status_at("2020-06-01").0, AsOfStatus::ListedLater);
        assert_eq!(x.status_at("2021-12-16").0, AsOfStatus::ListedAtDate);
        let (s, why) = x.status_at("2022-05-01");
        assert_eq!(s, AsOfStatus::Delisted);
        assert!(why.contains("removed"), "{why}");
        assert_eq!(
            x.listed_intervals(),
            vec![(Some("2021-12-16".into()), Some("2022-04-21".into()))]
        );
        let only_now = h(None, None, &[("2022-04-21", true)]);
        assert_eq!(only_now.status_at("2020-01-01").0, AsOfStatus::StartUnknown);
        assert_eq!(only_now.status_at("2022-05-01").0, AsOfStatus::ListedAtDate);
    }

    #[test]
    fn open_intervals() {
        let always = h(Some("1990-01-01"), None, &[]);
        assert_eq!(
            always.listed_intervals(),
            vec![(Some("1990-01-01".into()), None)]
        );
        let unknown = h(None, None, &[]);
        assert!(unknown.listed_intervals().is_empty());
    }
}
