//! The intersection: listed companies that hold patents in critical and emerging technology
//! (CET) areas AND appear in shipments — the join the border-intelligence analysts build by
//! hand. One row per company: the same company on several lists and in several datasets
//! (Hikvision on the Entity List and the CMIC list, in the CSL and the OFAC file) is one row.
//!
//! Cost: everything starts from the link tables (small), and shipments are aggregated per party
//! with GROUP BY over the (party, ship_date, id) indexes — a few statements per company, never
//! one per shipment.

mod companies;
mod trade;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::args;
use crate::asof;
use crate::covered::{Covered, CoveredFlag};
use crate::error::{Error, Result};
use crate::sql::Sql;

/// Top consignees / destinations shown per row.
const TOP: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    pub id: i64,
    pub list: String,
    pub dataset: String,
    pub name: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaCount {
    pub code: String,
    pub name: String,
    pub patents: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterparty {
    pub party_id: i64,
    pub name: String,
    pub country: Option<String>,
    pub shipments: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCount {
    pub country: String,
    pub shipments: i64,
}

/// One company of the intersection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntersectRow {
    /// The entry that stands for the company (earliest start date, then lowest id).
    pub entity_id: i64,
    pub name: String,
    /// Every current entry of the company: one per list and dataset.
    pub listings: Vec<Listing>,
    pub lists: Vec<String>,
    /// Earliest known start date over the listings.
    pub first_listed: Option<String>,
    pub cet_areas: Vec<AreaCount>,
    /// Distinct patents in any CET area.
    pub cet_patents: i64,
    pub assignee_ids: Vec<i64>,
    pub party_ids: Vec<i64>,
    /// Distinct shipments with one of the company's parties as shipper or consignee.
    pub shipments: i64,
    pub shipped: i64,
    pub received: i64,
    /// Shipments dated while the company was listed (as-of screening, db::asof).
    pub shipments_while_listed: i64,
    pub first_ship_date: Option<String>,
    pub last_ship_date: Option<String>,
    pub top_consignees: Vec<Counterparty>,
    pub top_destinations: Vec<CountryCount>,
    /// NDAA §889 / FCC Covered List flag, if the company is a covered maker.
    pub covered: Option<CoveredFlag>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum SortKey {
    #[default]
    Shipments,
    Patents,
    Areas,
    WhileListed,
    LastShip,
    FirstShip,
    Name,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Shipments,
        SortKey::Patents,
        SortKey::Areas,
        SortKey::WhileListed,
        SortKey::LastShip,
        SortKey::FirstShip,
        SortKey::Name,
    ];

    pub fn parse(s: &str) -> Option<SortKey> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "shipments" => SortKey::Shipments,
            "patents" => SortKey::Patents,
            "areas" => SortKey::Areas,
            "while-listed" | "listed" => SortKey::WhileListed,
            "last" | "last-ship" => SortKey::LastShip,
            "first" | "first-ship" => SortKey::FirstShip,
            "name" => SortKey::Name,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Shipments => "shipments",
            SortKey::Patents => "patents",
            SortKey::Areas => "areas",
            SortKey::WhileListed => "while-listed",
            SortKey::LastShip => "last-ship",
            SortKey::FirstShip => "first-ship",
            SortKey::Name => "name",
        }
    }
}

/// Sort rows in place: counts and dates descending (busiest, newest first), names ascending.
pub fn sort(rows: &mut [IntersectRow], key: SortKey) {
    rows.sort_by(|a, b| {
        let o = match key {
            SortKey::Shipments => b.shipments.cmp(&a.shipments),
            SortKey::Patents => b.cet_patents.cmp(&a.cet_patents),
            SortKey::Areas => b.cet_areas.len().cmp(&a.cet_areas.len()),
            SortKey::WhileListed => b.shipments_while_listed.cmp(&a.shipments_while_listed),
            SortKey::LastShip => b.last_ship_date.cmp(&a.last_ship_date),
            SortKey::FirstShip => b.first_ship_date.cmp(&a.first_ship_date),
            SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        };
        o.then(b.shipments.cmp(&a.shipments))
            .then(a.entity_id.cmp(&b.entity_id))
    });
}

fn listing(conn: &dyn Sql, id: i64) -> Result<Listing> {
    conn.opt(
        "SELECT e.id, e.list_code, s.dataset, e.name, e.start_date, e.end_date
         FROM list_entry e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
        args![id],
        |r| {
            Ok(Listing {
                id: r.get(0)?,
                list: r.get(1)?,
                dataset: r.get(2)?,
                name: r.get(3)?,
                start_date: r.get(4)?,
                end_date: r.get(5)?,
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(format!("no list entry with id {id}")))
}

/// The intersection, sorted by `key`.
pub fn intersect(conn: &dyn Sql, key: SortKey) -> Result<Vec<IntersectRow>> {
    let cet = companies::cet_by_entry(conn)?;
    let parties = companies::parties_by_entry(conn)?;
    let candidates: Vec<i64> = cet
        .keys()
        .filter(|e| parties.contains_key(e))
        .copied()
        .collect();
    let groups = companies::group_entries(conn, &candidates)?;
    let area_names: HashMap<String, String> = conn
        .map("SELECT code, name FROM cet_area", &[], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .into_iter()
        .collect();
    let covered = Covered::load(conn)?;
    let mut out = Vec::new();
    for members in groups.values() {
        let mut listings: Vec<Listing> = members
            .iter()
            .map(|&e| listing(conn, e))
            .collect::<Result<_>>()?;
        listings.sort_by(|a, b| {
            let start = |l: &Listing| l.start_date.clone().unwrap_or_else(|| "9999".into());
            start(a).cmp(&start(b)).then(a.id.cmp(&b.id))
        });
        let Some(rep) = listings.first().cloned() else {
            continue;
        };
        let mut areas: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        let mut assignees: BTreeSet<i64> = BTreeSet::new();
        let mut party_set: BTreeSet<i64> = BTreeSet::new();
        for e in members {
            if let Some((a, asg)) = cet.get(e) {
                for (code, pats) in a {
                    areas.entry(code.clone()).or_default().extend(pats);
                }
                assignees.extend(asg);
            }
            if let Some(p) = parties.get(e) {
                party_set.extend(p);
            }
        }
        let all_patents: BTreeSet<i64> = areas.values().flatten().copied().collect();
        let mut cet_areas: Vec<AreaCount> = areas
            .iter()
            .map(|(code, pats)| AreaCount {
                code: code.clone(),
                name: area_names
                    .get(code)
                    .cloned()
                    .unwrap_or_else(|| code.clone()),
                patents: pats.len() as i64,
            })
            .collect();
        cet_areas.sort_by(|a, b| b.patents.cmp(&a.patents).then(a.code.cmp(&b.code)));
        let party_ids: Vec<i64> = party_set.into_iter().collect();
        // When was the company listed: the union over its listings' listed ranges.
        let mut keys: Vec<String> = Vec::new();
        for e in members {
            let k: String = conn.one(
                "SELECT listing_key FROM list_entry WHERE id = ?1",
                args![*e],
            )?;
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut ranges = Vec::new();
        for k in &keys {
            ranges.extend(asof::history(conn, k)?.listed_intervals());
        }
        let ranges = trade::merge_ranges(ranges);
        let t = trade::trade(conn, &party_ids, &ranges)?;
        let mut top: Vec<(i64, i64)> = t.consignees.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut top_consignees = Vec::new();
        for (pid, n) in top.into_iter().take(TOP) {
            let (name, country): (String, Option<String>) = conn
                .opt(
                    "SELECT name, country FROM party WHERE id = ?1",
                    args![pid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .ok_or_else(|| Error::NotFound(format!("no trade party with id {pid}")))?;
            top_consignees.push(Counterparty {
                party_id: pid,
                name,
                country,
                shipments: n,
            });
        }
        let mut dest: Vec<(String, i64)> = t.destinations.into_iter().collect();
        dest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut lists: Vec<String> = Vec::new();
        for l in &listings {
            if !lists.contains(&l.list) {
                lists.push(l.list.clone());
            }
        }
        let first_listed = listings.iter().filter_map(|l| l.start_date.clone()).min();
        let mut flag = None;
        for l in &listings {
            if let Some(f) = covered.entity(conn, l.id)? {
                flag = Some(f);
                break;
            }
        }
        out.push(IntersectRow {
            entity_id: rep.id,
            name: rep.name.clone(),
            lists,
            first_listed,
            listings,
            cet_areas,
            cet_patents: all_patents.len() as i64,
            assignee_ids: assignees.into_iter().collect(),
            party_ids,
            shipments: t.shipped + t.received - t.both,
            shipped: t.shipped,
            received: t.received,
            shipments_while_listed: t.while_listed,
            first_ship_date: t.first,
            last_ship_date: t.last,
            top_consignees,
            top_destinations: dest
                .into_iter()
                .take(TOP)
                .map(|(country, shipments)| CountryCount { country, shipments })
                .collect(),
            covered: flag,
        });
    }
    sort(&mut out, key);
    Ok(out)
}
