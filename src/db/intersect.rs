//! The intersection: listed companies that hold patents in critical and emerging technology
//! (CET) areas AND appear in shipments — the join the border-intelligence analysts build by
//! hand. One row per company: the same company on several lists and in several datasets
//! (Hikvision on the Entity List and the CMIC list, in the CSL and the OFAC file) is one row.
//!
//! Cost: everything starts from the link tables (small), and shipments are aggregated per party
//! with GROUP BY over the (party, ship_date, id) indexes — a few statements per company, never
//! one per shipment.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::db::asof;
use crate::db::covered::{Covered, CoveredFlag};
use crate::error::Result;

/// Links at or above this score are exact-name links: two entries linked this way to the same
/// party or assignee are the same company.
const SAME_COMPANY_SCORE: f64 = 0.99;
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

/// Union-find over entry ids.
struct Groups {
    parent: HashMap<i64, i64>,
}

impl Groups {
    fn find(&mut self, x: i64) -> i64 {
        let p = *self.parent.entry(x).or_insert(x);
        if p == x {
            return x;
        }
        let root = self.find(p);
        self.parent.insert(x, root);
        root
    }
    fn union(&mut self, a: i64, b: i64) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }
}

/// entry → (area → patents), and entry → assignees, for current entries with CET patents.
type CetByEntry = BTreeMap<i64, (BTreeMap<String, BTreeSet<i64>>, BTreeSet<i64>)>;

/// A link counts for the entries that claim its target best: confirmed by an analyst, or
/// scored highest among the target's links. A trade party or assignee is one company, so
/// "HUAWEI TECHNOLOGIES CO., LTD." belongs to the Huawei Technologies listings that match it
/// exactly, not also to every Huawei affiliate that scores above the link threshold.
fn best_claim(table: &str, col: &str, l: &str) -> String {
    format!(
        "{l}.status <> 'rejected' AND ({l}.status = 'confirmed' OR {l}.score >= (
           SELECT max(b.score) FROM {table} b JOIN list_entry be ON be.id = b.entry_id AND be.current = 1
           WHERE b.{col} = {l}.{col} AND b.status <> 'rejected') - 1e-9)"
    )
}

fn cet_by_entry(conn: &Connection) -> Result<CetByEntry> {
    let mut stmt = conn.prepare(&format!(
        "SELECT la.entry_id, la.assignee_id, c.area_code, pa.patent_id
         FROM link_assignee la
         JOIN list_entry e ON e.id = la.entry_id AND e.current = 1
         JOIN patent_assignee pa ON pa.assignee_id = la.assignee_id
         JOIN patent_cpc pc ON pc.patent_id = pa.patent_id
         JOIN cet_cpc c ON substr(pc.cpc, 1, length(c.cpc_prefix)) = c.cpc_prefix
         WHERE {}",
        best_claim("link_assignee", "assignee_id", "la")
    ))?;
    let mut out: CetByEntry = BTreeMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (entry, assignee, area, patent) = row?;
        let slot = out.entry(entry).or_default();
        slot.0.entry(area).or_default().insert(patent);
        slot.1.insert(assignee);
    }
    Ok(out)
}

/// entry → trade parties that have shipments, for current entries.
fn parties_by_entry(conn: &Connection) -> Result<BTreeMap<i64, BTreeSet<i64>>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT l.entry_id, l.party_id FROM link_party l
         JOIN list_entry e ON e.id = l.entry_id AND e.current = 1
         JOIN party p ON p.id = l.party_id
         WHERE p.n_shipped + p.n_received > 0 AND {}",
        best_claim("link_party", "party_id", "l")
    ))?;
    let mut out: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (e, p) = row?;
        out.entry(e).or_default().insert(p);
    }
    Ok(out)
}

/// Group entries into companies: the same listing, the same normalized primary name, or the
/// same exact-name link target.
fn group_entries(conn: &Connection, entries: &[i64]) -> Result<BTreeMap<i64, Vec<i64>>> {
    let mut g = Groups {
        parent: HashMap::new(),
    };
    let mut by_key: HashMap<String, i64> = HashMap::new();
    let mut by_norm: HashMap<String, i64> = HashMap::new();
    let mut by_target: HashMap<(u8, i64), i64> = HashMap::new();
    let mut key_stmt = conn.prepare_cached(
        "SELECT e.listing_key, n.norm FROM list_entry e
         JOIN entry_name n ON n.entry_id = e.id AND n.name_type = 'primary' WHERE e.id = ?1",
    )?;
    let mut exact = conn.prepare_cached(
        "SELECT 0, party_id FROM link_party WHERE entry_id = ?1 AND score >= ?2 AND status <> 'rejected'
         UNION ALL
         SELECT 1, assignee_id FROM link_assignee WHERE entry_id = ?1 AND score >= ?2 AND status <> 'rejected'",
    )?;
    for &e in entries {
        g.find(e);
        let keys: Vec<(String, String)> = key_stmt
            .query_map([e], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (key, norm) in keys {
            if let Some(&o) = by_key.get(&key) {
                g.union(e, o);
            } else {
                by_key.insert(key, e);
            }
            if let Some(&o) = by_norm.get(&norm) {
                g.union(e, o);
            } else {
                by_norm.insert(norm, e);
            }
        }
        let targets: Vec<(u8, i64)> = exact
            .query_map(params![e, SAME_COMPANY_SCORE], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for t in targets {
            if let Some(&o) = by_target.get(&t) {
                g.union(e, o);
            } else {
                by_target.insert(t, e);
            }
        }
    }
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &e in entries {
        let root = g.find(e);
        out.entry(root).or_default().push(e);
    }
    Ok(out)
}

fn listing(conn: &Connection, id: i64) -> Result<Listing> {
    Ok(conn.query_row(
        "SELECT e.id, e.list_code, s.dataset, e.name, e.start_date, e.end_date
         FROM list_entry e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
        [id],
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
    )?)
}

/// Shipment aggregates of a set of parties.
#[derive(Default)]
struct Trade {
    shipped: i64,
    received: i64,
    both: i64,
    while_listed: i64,
    first: Option<String>,
    last: Option<String>,
    consignees: HashMap<i64, i64>,
    destinations: HashMap<String, i64>,
}

fn widen(first: &mut Option<String>, last: &mut Option<String>, lo: Option<String>, hi: Option<String>) {
    if let Some(lo) = lo {
        if first.as_ref().is_none_or(|f| lo < *f) {
            *first = Some(lo);
        }
    }
    if let Some(hi) = hi {
        if last.as_ref().is_none_or(|l| hi > *l) {
            *last = Some(hi);
        }
    }
}

/// Merge [from, until) ranges (None = open).
fn merge_ranges(mut r: Vec<(Option<String>, Option<String>)>) -> Vec<(Option<String>, Option<String>)> {
    r.sort();
    let mut out: Vec<(Option<String>, Option<String>)> = Vec::new();
    for (from, until) in r {
        if let Some(last) = out.last_mut() {
            // Overlapping or touching: the earlier range reaches this one's start.
            let reaches = match (&last.1, &from) {
                (None, _) => true,
                (Some(_), None) => true,
                (Some(u), Some(f)) => f <= u,
            };
            if reaches {
                last.1 = match (&last.1, &until) {
                    (None, _) | (_, None) => None,
                    (Some(a), Some(b)) => Some(a.max(b).clone()),
                };
                continue;
            }
        }
        out.push((from, until));
    }
    out
}

fn trade(conn: &Connection, parties: &[i64], listed: &[(Option<String>, Option<String>)]) -> Result<Trade> {
    let mut t = Trade::default();
    let mut as_shipper = conn.prepare_cached(
        "SELECT consignee_id, dest_country, count(*), min(ship_date), max(ship_date)
         FROM shipment WHERE shipper_id = ?1 GROUP BY consignee_id, dest_country",
    )?;
    let mut as_consignee = conn.prepare_cached(
        "SELECT count(*), min(ship_date), max(ship_date) FROM shipment WHERE consignee_id = ?1",
    )?;
    let in_range = |role: &str, pid: i64| -> Result<i64> {
        let mut n = 0;
        for (from, until) in listed {
            let sql = format!(
                "SELECT count(*) FROM shipment WHERE {role} = ?1
                   AND ship_date >= COALESCE(?2, '') AND (?3 IS NULL OR ship_date < ?3)"
            );
            n += conn.prepare_cached(&sql)?.query_row(
                params![pid, from, until],
                |r| r.get::<_, i64>(0),
            )?;
        }
        Ok(n)
    };
    for &pid in parties {
        let rows: Vec<(Option<i64>, Option<String>, i64, Option<String>, Option<String>)> =
            as_shipper
                .query_map([pid], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
        for (consignee, dest, n, lo, hi) in rows {
            t.shipped += n;
            if let Some(c) = consignee {
                *t.consignees.entry(c).or_default() += n;
            }
            if let Some(d) = dest {
                *t.destinations.entry(d).or_default() += n;
            }
            widen(&mut t.first, &mut t.last, lo, hi);
        }
        let (n, lo, hi): (i64, Option<String>, Option<String>) =
            as_consignee.query_row([pid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        t.received += n;
        widen(&mut t.first, &mut t.last, lo, hi);
        t.while_listed += in_range("shipper_id", pid)? + in_range("consignee_id", pid)?;
    }
    if parties.len() > 1 || t.received > 0 {
        // Shipments between two of the company's own parties were counted twice.
        let list: Vec<String> = parties.iter().map(i64::to_string).collect();
        let list = list.join(",");
        t.both = conn.query_row(
            &format!(
                "SELECT count(*) FROM shipment WHERE shipper_id IN ({list}) AND consignee_id IN ({list})"
            ),
            [],
            |r| r.get(0),
        )?;
    }
    Ok(t)
}

/// The intersection, sorted by `key`.
pub fn intersect(conn: &Connection, key: SortKey) -> Result<Vec<IntersectRow>> {
    let cet = cet_by_entry(conn)?;
    let parties = parties_by_entry(conn)?;
    let candidates: Vec<i64> = cet
        .keys()
        .filter(|e| parties.contains_key(e))
        .copied()
        .collect();
    let groups = group_entries(conn, &candidates)?;
    let area_names: HashMap<String, String> = conn
        .prepare("SELECT code, name FROM cet_area")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
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
                name: area_names.get(code).cloned().unwrap_or_else(|| code.clone()),
                patents: pats.len() as i64,
            })
            .collect();
        cet_areas.sort_by(|a, b| b.patents.cmp(&a.patents).then(a.code.cmp(&b.code)));
        let party_ids: Vec<i64> = party_set.into_iter().collect();
        // When was the company listed: the union over its listings' listed ranges.
        let mut keys: Vec<String> = Vec::new();
        for e in members {
            let k: String = conn.query_row(
                "SELECT listing_key FROM list_entry WHERE id = ?1",
                [e],
                |r| r.get(0),
            )?;
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let mut ranges = Vec::new();
        for k in &keys {
            ranges.extend(asof::history(conn, k)?.listed_intervals());
        }
        let ranges = merge_ranges(ranges);
        let t = trade(conn, &party_ids, &ranges)?;
        let mut top: Vec<(i64, i64)> = t.consignees.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut top_consignees = Vec::new();
        for (pid, n) in top.into_iter().take(TOP) {
            let (name, country): (String, Option<String>) = conn.query_row(
                "SELECT name, country FROM party WHERE id = ?1",
                [pid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: Option<&str>, b: Option<&str>) -> (Option<String>, Option<String>) {
        (a.map(str::to_string), b.map(str::to_string))
    }

    #[test]
    fn listed_ranges_merge() {
        let m = merge_ranges(vec![
            r(Some("2021-06-03"), None),
            r(Some("2019-10-09"), None),
        ]);
        assert_eq!(m, vec![r(Some("2019-10-09"), None)]);
        let m = merge_ranges(vec![
            r(Some("2018-01-01"), Some("2019-01-01")),
            r(Some("2020-01-01"), Some("2021-01-01")),
            r(Some("2020-06-01"), Some("2022-01-01")),
        ]);
        assert_eq!(
            m,
            vec![
                r(Some("2018-01-01"), Some("2019-01-01")),
                r(Some("2020-01-01"), Some("2022-01-01"))
            ]
        );
        assert_eq!(
            merge_ranges(vec![r(None, Some("2000-01-01")), r(Some("1999-01-01"), None)]),
            vec![r(None, None)]
        );
    }
}
