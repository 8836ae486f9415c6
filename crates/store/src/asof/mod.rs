//! As-of screening: a shipment's parties screened against the lists as they stood on its date.
//!
//! A listing (one `listing_key`, possibly in several datasets and versions) was in force at a
//! date according to, in order:
//! 1. its end date: ended before the date → **delisted**;
//! 2. the imported list versions: the newest version dated on or before the date that lacks
//!    the listing, after one that had it → **delisted** (removed); lacking it and never having
//!    had it before → **listed later**, unless a start date says otherwise;
//! 3. its start date: on or before the date → **listed at ship date**, after → **listed later**;
//! 4. without a start date: a version dated on or before the date that has it covers the date
//!    → listed at ship date; a later version without it → listed later; otherwise **listed,
//!    start date unknown**.
//!
//! Versions are compared by their `as_of` date; versions without one cannot be placed in time
//! and are ignored. Links to entries of listings that were removed are kept (see `db::link`),
//! so a party of a delisted company still shows its past listing.

use std::collections::HashMap;

use serde::Serialize;

use crate::args;
use crate::error::Result;
use crate::sql::Sql;

mod history;

pub use history::{history, History, Range};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum AsOfStatus {
    /// Listed on the date (the strongest flag, first in order).
    ListedAtDate,
    /// Listed, but when it started is unknown (no start date, no dated version covering it).
    StartUnknown,
    /// Off the list on the date: its end date passed, or a list version dropped it.
    Delisted,
    /// Listed only after the date.
    ListedLater,
}

impl AsOfStatus {
    pub fn label(self) -> &'static str {
        match self {
            AsOfStatus::ListedAtDate => "listed at ship date",
            AsOfStatus::StartUnknown => "listed, start date unknown",
            AsOfStatus::Delisted => "delisted",
            AsOfStatus::ListedLater => "listed later",
        }
    }

    /// Short form for table columns.
    pub fn short(self) -> &'static str {
        match self {
            AsOfStatus::ListedAtDate => "LISTED",
            AsOfStatus::StartUnknown => "LISTED?",
            AsOfStatus::Delisted => "DELISTED",
            AsOfStatus::ListedLater => "LATER",
        }
    }
}

/// A party's listing screened at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AsOfFlag {
    /// shipper | consignee | notify
    pub role: String,
    pub party_id: i64,
    /// A current entry of the listing (else its newest entry).
    pub entity_id: i64,
    pub lists: Vec<String>,
    pub name: String,
    pub listing_key: String,
    pub status: AsOfStatus,
    /// "listed at ship date" | "listed later" | "delisted" | "listed, start date unknown"
    pub label: String,
    pub reason: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// Screens parties at dates, reading each listing's history once.
#[derive(Default)]
pub struct Screener {
    listings_of: HashMap<i64, Vec<String>>,
    histories: HashMap<String, History>,
}

impl Screener {
    pub fn new() -> Self {
        Screener::default()
    }

    /// Listing keys linked (not rejected) to a party.
    fn listings(&mut self, db: &dyn Sql, party_id: i64) -> Result<Vec<String>> {
        if let Some(k) = self.listings_of.get(&party_id) {
            return Ok(k.clone());
        }
        let keys: Vec<String> = db.map(
            "SELECT DISTINCT e.listing_key FROM link_party l JOIN list_entry e ON e.id = l.entry_id
             WHERE l.party_id = ?1 AND l.status <> 'rejected' ORDER BY e.listing_key",
            args![party_id],
            |r| r.get(0),
        )?;
        self.listings_of.insert(party_id, keys.clone());
        Ok(keys)
    }

    fn history(&mut self, conn: &dyn Sql, key: &str) -> Result<&History> {
        if !self.histories.contains_key(key) {
            let h = history(conn, key)?;
            self.histories.insert(key.to_string(), h);
        }
        Ok(&self.histories[key])
    }

    /// One flag per listing linked to the party, best status first. Without a date every
    /// listing is "listed, start date unknown" for the date.
    pub fn party(
        &mut self,
        conn: &dyn Sql,
        party_id: i64,
        role: &str,
        date: Option<&str>,
    ) -> Result<Vec<AsOfFlag>> {
        let mut out = Vec::new();
        for key in self.listings(conn, party_id)? {
            let h = self.history(conn, &key)?;
            let (status, reason) = match date {
                Some(d) => h.status_at(d),
                None => (AsOfStatus::StartUnknown, "the shipment has no date".into()),
            };
            let (entity_id, lists) = h.representative();
            out.push(AsOfFlag {
                role: role.to_string(),
                party_id,
                entity_id,
                lists,
                name: h.name.clone(),
                listing_key: key,
                status,
                label: status.label().to_string(),
                reason,
                start_date: h.start_date.clone(),
                end_date: h.end_date.clone(),
            });
        }
        out.sort_by(|a, b| a.status.cmp(&b.status).then(a.entity_id.cmp(&b.entity_id)));
        Ok(out)
    }

    /// The strongest status of a shipment's shipper and consignee at its date (None: neither
    /// is linked to a listing).
    pub fn row_status(
        &mut self,
        conn: &dyn Sql,
        date: Option<&str>,
        parties: &[Option<i64>],
    ) -> Result<Option<AsOfStatus>> {
        let mut best: Option<AsOfStatus> = None;
        for p in parties.iter().flatten() {
            for f in self.party(conn, *p, "", date)? {
                best = Some(best.map_or(f.status, |b| b.min(f.status)));
            }
        }
        Ok(best)
    }
}

/// A shipment screened against the lists as they stood on its date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipmentAsOf {
    pub ship_date: Option<String>,
    pub shipper: Vec<AsOfFlag>,
    pub consignee: Vec<AsOfFlag>,
    pub notify: Vec<AsOfFlag>,
    /// The strongest flag over the parties, e.g. "shipper listed at ship date".
    pub summary: Option<String>,
}

pub fn shipment(conn: &dyn Sql, shipment_id: i64) -> Result<ShipmentAsOf> {
    type Parties = (Option<String>, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Parties> = conn.opt(
        "SELECT ship_date, shipper_id, consignee_id, notify_id FROM shipment WHERE id = ?1",
        args![shipment_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let Some((date, shipper, consignee, notify)) = row else {
        return Err(crate::error::Error::NotFound(format!(
            "no shipment with id {shipment_id}"
        )));
    };
    let mut s = Screener::new();
    let mut flags = |p: Option<i64>, role: &str| -> Result<Vec<AsOfFlag>> {
        match p {
            Some(p) => s.party(conn, p, role, date.as_deref()),
            None => Ok(Vec::new()),
        }
    };
    let shipper = flags(shipper, "shipper")?;
    let consignee = flags(consignee, "consignee")?;
    let notify = flags(notify, "notify")?;
    let summary = shipper
        .iter()
        .chain(&consignee)
        .chain(&notify)
        .min_by_key(|f| f.status)
        .map(|f| {
            let role = if f.role == "notify" {
                "notify party"
            } else {
                f.role.as_str()
            };
            format!("{role} {}", f.label)
        });
    Ok(ShipmentAsOf {
        ship_date: date,
        shipper,
        consignee,
        notify,
        summary,
    })
}

/// For the shipment filter: `[[party_id, from, until], …]` as JSON — every linked party's
/// listed-at-date ranges ([from, until), null = open).
pub fn listed_ranges_json(conn: &dyn Sql) -> Result<(String, Vec<i64>)> {
    let (ranges, parties) = listed_ranges(conn)?;
    let ranges: Vec<serde_json::Value> = ranges
        .into_iter()
        .map(|(party, from, until)| serde_json::json!([party, from, until]))
        .collect();
    Ok((serde_json::Value::Array(ranges).to_string(), parties))
}

/// A party's listed-at-date range: (party id, from, until), [from, until), None = open.
pub type PartyRange = (i64, Option<String>, Option<String>);

/// Every linked party's listed-at-date ranges, by party, and the parties that have one.
pub fn listed_ranges(conn: &dyn Sql) -> Result<(Vec<PartyRange>, Vec<i64>)> {
    let pairs: Vec<(i64, String)> = conn.map(
        "SELECT DISTINCT l.party_id, e.listing_key FROM link_party l
         JOIN list_entry e ON e.id = l.entry_id WHERE l.status <> 'rejected'
         ORDER BY l.party_id, e.listing_key",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut histories: HashMap<String, Vec<Range>> = HashMap::new();
    let mut ranges = Vec::new();
    let mut parties: Vec<i64> = Vec::new();
    for (party, key) in pairs {
        if !histories.contains_key(&key) {
            let iv = history(conn, &key)?.listed_intervals();
            histories.insert(key.clone(), iv);
        }
        for (from, until) in &histories[&key] {
            ranges.push((party, from.clone(), until.clone()));
            if parties.last() != Some(&party) {
                parties.push(party);
            }
        }
    }
    Ok((ranges, parties))
}
