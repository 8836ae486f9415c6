//! Shipment queries: filters, sort, keyset paging, counts.
//!
//! The drill paths (a party's or an entity's shipments, newest first) never sort the whole
//! matching set: each (party, role) is read newest-first through its composite index
//! (party, ship_date, id) with a LIMIT, and the runs are merged here.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Shipment, SourceRef};

/// What to show. All set fields must hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ShipmentFilter {
    pub shipper_id: Option<i64>,
    pub consignee_id: Option<i64>,
    pub notify_id: Option<i64>,
    /// Any role (shipper, consignee or notify party).
    pub party_id: Option<i64>,
    /// Shipments of the trade parties linked to this list entry (as shipper or consignee).
    pub entity_id: Option<i64>,
    /// Origin or destination country (ISO alpha-2).
    pub country: Option<String>,
    pub origin_country: Option<String>,
    pub dest_country: Option<String>,
    /// Port of lading or unlading, case-insensitive substring.
    pub port: Option<String>,
    /// HS code prefix (digits).
    pub hs_prefix: Option<String>,
    /// Inclusive ISO dates.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Substring of the description (model numbers such as "2CD7A46").
    pub text: Option<String>,
    /// Only synthetic (Some(true)) or only real (Some(false)) records.
    pub synthetic: Option<bool>,
    /// As-of screening (db::asof): only shipments whose shipper or consignee was listed at the
    /// ship date (Some(true)), or only shipments where neither was (Some(false): e.g. an
    /// entity's shipments that predate its listing).
    pub listed_at_date: Option<bool>,
    /// Only shipments whose description carries brands or model numbers of a listed maker.
    pub carries_listed_products: bool,
}

impl ShipmentFilter {
    pub fn is_empty(&self) -> bool {
        *self == ShipmentFilter::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum SortKey {
    #[default]
    Date,
    Shipper,
    Consignee,
    Origin,
    Destination,
    Hs,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Date,
        SortKey::Shipper,
        SortKey::Consignee,
        SortKey::Origin,
        SortKey::Destination,
        SortKey::Hs,
    ];

    fn sql(self) -> &'static str {
        match self {
            SortKey::Date => "s.ship_date",
            SortKey::Shipper => "sp.name",
            SortKey::Consignee => "cp.name",
            SortKey::Origin => "s.port_of_lading",
            SortKey::Destination => "s.port_of_unlading",
            SortKey::Hs => "s.hs_code",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Shipper => "shipper",
            SortKey::Consignee => "consignee",
            SortKey::Origin => "origin",
            SortKey::Destination => "destination",
            SortKey::Hs => "HS code",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Date,
            desc: true,
        }
    }
}

/// Position after the last row of a page: (sort value, id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cursor {
    pub value: Option<String>,
    pub id: i64,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipmentRow {
    pub id: i64,
    pub ship_date: Option<String>,
    pub shipper_id: Option<i64>,
    pub shipper: Option<String>,
    pub consignee_id: Option<i64>,
    pub consignee: Option<String>,
    pub origin: Option<String>,
    pub origin_country: Option<String>,
    pub destination: Option<String>,
    pub dest_country: Option<String>,
    pub hs_code: Option<String>,
    pub description: Option<String>,
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub rows: Vec<ShipmentRow>,
    /// Cursor for the next page, if there may be one.
    pub next: Option<Cursor>,
}

const ROW_COLUMNS: &str = "s.id, s.ship_date, s.shipper_id, sp.name, s.consignee_id, cp.name,
    s.port_of_lading, s.origin_country, s.port_of_unlading, s.dest_country, s.hs_code,
    substr(s.description, 1, 300), s.synthetic";

const FROM: &str = "shipment s LEFT JOIN party sp ON sp.id = s.shipper_id
    LEFT JOIN party cp ON cp.id = s.consignee_id";

fn row(r: &Row) -> rusqlite::Result<ShipmentRow> {
    Ok(ShipmentRow {
        id: r.get(0)?,
        ship_date: r.get(1)?,
        shipper_id: r.get(2)?,
        shipper: r.get(3)?,
        consignee_id: r.get(4)?,
        consignee: r.get(5)?,
        origin: r.get(6)?,
        origin_country: r.get(7)?,
        destination: r.get(8)?,
        dest_country: r.get(9)?,
        hs_code: r.get(10)?,
        description: r.get(11)?,
        synthetic: r.get(12)?,
    })
}

/// WHERE clauses and parameters for a filter, without the party-set part. `listed` holds the
/// listed-at-date ranges when the filter asks for them.
fn conditions(f: &ShipmentFilter, listed: Option<&str>) -> (Vec<String>, Vec<Value>) {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    let eq = |col: &str, v: Value, w: &mut Vec<String>, p: &mut Vec<Value>| {
        p.push(v);
        w.push(format!("{col} = ?{}", p.len()));
    };
    if let Some(id) = f.shipper_id {
        eq("s.shipper_id", id.into(), &mut w, &mut p);
    }
    if let Some(id) = f.consignee_id {
        eq("s.consignee_id", id.into(), &mut w, &mut p);
    }
    if let Some(id) = f.notify_id {
        eq("s.notify_id", id.into(), &mut w, &mut p);
    }
    if let Some(c) = &f.origin_country {
        eq("s.origin_country", c.to_uppercase().into(), &mut w, &mut p);
    }
    if let Some(c) = &f.dest_country {
        eq("s.dest_country", c.to_uppercase().into(), &mut w, &mut p);
    }
    if let Some(c) = &f.country {
        p.push(c.to_uppercase().into());
        let n = p.len();
        w.push(format!(
            "(s.origin_country = ?{n} OR s.dest_country = ?{n})"
        ));
    }
    if let Some(port) = &f.port {
        p.push(port.to_lowercase().into());
        let n = p.len();
        w.push(format!(
            "(instr(lower(s.port_of_lading), ?{n}) > 0 OR instr(lower(s.port_of_unlading), ?{n}) > 0)"
        ));
    }
    if let Some(hs) = &f.hs_prefix {
        let digits: String = hs.chars().filter(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            // A range on the indexed column instead of LIKE, which could not use the index.
            p.push(digits.clone().into());
            p.push(format!("{digits}\u{10ffff}").into());
            w.push(format!(
                "s.hs_code >= ?{} AND s.hs_code < ?{}",
                p.len() - 1,
                p.len()
            ));
        }
    }
    if let Some(d) = &f.date_from {
        p.push(d.clone().into());
        w.push(format!("s.ship_date >= ?{}", p.len()));
    }
    if let Some(d) = &f.date_to {
        p.push(d.clone().into());
        w.push(format!("s.ship_date <= ?{}", p.len()));
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() >= 3 {
            // FTS5 trigram: a quoted phrase is a case-insensitive substring match.
            p.push(format!("\"{}\"", t.replace('"', "\"\"")).into());
            w.push(format!(
                "s.id IN (SELECT rowid FROM shipment_fts WHERE shipment_fts MATCH ?{})",
                p.len()
            ));
        } else {
            p.push(t.to_lowercase().into());
            w.push(format!("instr(lower(s.description), ?{}) > 0", p.len()));
        }
    }
    if let Some(syn) = f.synthetic {
        p.push(i64::from(syn).into());
        w.push(format!("s.synthetic = ?{}", p.len()));
    }
    if let (Some(want), Some(ranges)) = (f.listed_at_date, listed) {
        p.push(ranges.to_string().into());
        let exists = format!(
            "EXISTS (SELECT 1 FROM json_each(?{}) j
               WHERE j.value ->> 0 IN (s.shipper_id, s.consignee_id)
                 AND (j.value ->> 1 IS NULL OR s.ship_date >= j.value ->> 1)
                 AND (j.value ->> 2 IS NULL OR s.ship_date < j.value ->> 2))",
            p.len()
        );
        w.push(if want {
            exists
        } else {
            format!("NOT {exists}")
        });
    }
    if f.carries_listed_products {
        w.push(crate::db::products::CARRIES_LISTED_SQL.to_string());
    }
    (w, p)
}

/// The listed-at-date ranges (JSON) and their parties, when the filter needs them.
fn listed_ranges(conn: &Connection, f: &ShipmentFilter) -> Result<Option<(String, Vec<i64>)>> {
    match f.listed_at_date {
        Some(_) => Ok(Some(crate::db::asof::listed_ranges_json(conn)?)),
        None => Ok(None),
    }
}

/// Party ids and roles a filter restricts to (entity → its linked parties; party → any role;
/// listed at date → the parties with listed ranges, so that their indexes are used).
fn party_runs(
    conn: &Connection,
    f: &ShipmentFilter,
    listed: Option<&(String, Vec<i64>)>,
) -> Result<Option<Vec<(&'static str, i64)>>> {
    let mut runs = Vec::new();
    if f.party_id.is_none() && f.entity_id.is_none() && f.listed_at_date == Some(true) {
        if let Some((_, parties)) = listed {
            for pid in parties {
                runs.push(("shipper_id", *pid));
                runs.push(("consignee_id", *pid));
            }
            return Ok(Some(runs));
        }
    }
    if let Some(pid) = f.party_id {
        for col in ["shipper_id", "consignee_id", "notify_id"] {
            runs.push((col, pid));
        }
    }
    if let Some(eid) = f.entity_id {
        for pid in crate::db::links::linked_party_ids(conn, eid)? {
            runs.push(("shipper_id", pid));
            runs.push(("consignee_id", pid));
        }
    }
    Ok((f.party_id.is_some() || f.entity_id.is_some()).then_some(runs))
}

/// One page of shipments after `after` (None: the first page).
pub fn page(
    conn: &Connection,
    f: &ShipmentFilter,
    sort: Sort,
    after: Option<&Cursor>,
    limit: usize,
) -> Result<Page> {
    let listed = listed_ranges(conn, f)?;
    let (mut w, mut p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let dir = if sort.desc { "DESC" } else { "ASC" };
    let cmp = if sort.desc { "<" } else { ">" };
    let key = sort.key.sql();
    if let Some(c) = after {
        // Rows sort by (value, id) with NULL values first in ASC order (SQLite's rule).
        p.push(c.value.clone().map(Value::Text).unwrap_or(Value::Null));
        let v = p.len();
        p.push(c.id.into());
        let i = p.len();
        w.push(match (&c.value, sort.desc) {
            (Some(_), false) => format!("({key} > ?{v} OR ({key} = ?{v} AND s.id > ?{i}))"),
            (Some(_), true) => {
                format!("({key} < ?{v} OR {key} IS NULL OR ({key} = ?{v} AND s.id < ?{i}))")
            }
            (None, false) => format!("({key} IS NOT NULL OR s.id > ?{i})"),
            (None, true) => format!("({key} IS NULL AND s.id {cmp} ?{i})"),
        });
    }
    let fetch = limit + 1;
    let rows = match party_runs(conn, f, listed.as_ref())? {
        Some(runs) => {
            let mut all = Vec::new();
            for (col, pid) in runs {
                let mut w2 = w.clone();
                let mut p2 = p.clone();
                p2.push(pid.into());
                w2.push(format!("s.{col} = ?{}", p2.len()));
                all.extend(select(conn, &w2, &p2, key, dir, fetch)?);
            }
            all.sort_by(|a, b| {
                let o = sort_value(a, sort.key)
                    .cmp(&sort_value(b, sort.key))
                    .then(a.id.cmp(&b.id));
                if sort.desc {
                    o.reverse()
                } else {
                    o
                }
            });
            all.dedup_by_key(|r| r.id);
            all
        }
        None => select(conn, &w, &p, key, dir, fetch)?,
    };
    let mut rows = rows;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| Cursor {
            value: sort_value(r, sort.key),
            id: r.id,
        })
    } else {
        None
    };
    Ok(Page { rows, next })
}

fn select(
    conn: &Connection,
    w: &[String],
    p: &[Value],
    key: &str,
    dir: &str,
    limit: usize,
) -> Result<Vec<ShipmentRow>> {
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM {FROM} {where_sql} ORDER BY {key} {dir}, s.id {dir} LIMIT {limit}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(p.iter()), row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn sort_value(r: &ShipmentRow, key: SortKey) -> Option<String> {
    match key {
        SortKey::Date => r.ship_date.clone(),
        SortKey::Shipper => r.shipper.clone(),
        SortKey::Consignee => r.consignee.clone(),
        SortKey::Origin => r.origin.clone(),
        SortKey::Destination => r.destination.clone(),
        SortKey::Hs => r.hs_code.clone(),
    }
}

/// Number of shipments matching `f`, counting at most `cap` (Err(cap) means "cap or more").
pub fn count(
    conn: &Connection,
    f: &ShipmentFilter,
    cap: i64,
) -> Result<std::result::Result<i64, i64>> {
    let listed = listed_ranges(conn, f)?;
    let (w, p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let n = match party_runs(conn, f, listed.as_ref())? {
        Some(runs) => {
            // Distinct shipments over the runs; small sets in practice (one entity's parties).
            let mut ids: Vec<i64> = Vec::new();
            for (col, pid) in runs {
                let mut w2 = w.clone();
                let mut p2 = p.clone();
                p2.push(pid.into());
                w2.push(format!("s.{col} = ?{}", p2.len()));
                let sql = format!(
                    "SELECT s.id FROM shipment s WHERE {} LIMIT {}",
                    w2.join(" AND "),
                    cap + 1
                );
                let mut stmt = conn.prepare_cached(&sql)?;
                let got = stmt.query_map(params_from_iter(p2.iter()), |r| r.get::<_, i64>(0))?;
                for id in got {
                    ids.push(id?);
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ids.len() as i64
        }
        None => {
            let where_sql = if w.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", w.join(" AND "))
            };
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM shipment s {where_sql} LIMIT {})",
                cap + 1
            );
            conn.query_row(&sql, params_from_iter(p.iter()), |r| r.get(0))?
        }
    };
    Ok(if n > cap { Err(cap) } else { Ok(n) })
}

/// One shipment with every field.
pub fn get(conn: &Connection, id: i64) -> Result<Shipment> {
    let mut s = conn
        .query_row(
            "SELECT s.id, s.identifier, s.master_bol, s.house_bol, s.bill_type, s.ship_date,
                s.shipper_id, sp.name, s.consignee_id, cp.name, s.notify_id, np.name,
                s.origin_country, s.dest_country, s.port_of_lading, s.port_of_unlading,
                s.place_of_receipt, s.carrier_code, s.vessel_name, s.mode, s.weight_kg,
                s.quantity, s.quantity_unit, s.containers, s.hs_code, s.description,
                s.record_status, s.synthetic, src.id, src.dataset, src.path, s.source_line,
                src.sha256, src.as_of, src.synthetic
             FROM shipment s JOIN source src ON src.id = s.source_id
             LEFT JOIN party sp ON sp.id = s.shipper_id
             LEFT JOIN party cp ON cp.id = s.consignee_id
             LEFT JOIN party np ON np.id = s.notify_id
             WHERE s.id = ?1",
            [id],
            |r| {
                Ok(Shipment {
                    id: r.get(0)?,
                    identifier: r.get(1)?,
                    master_bol: r.get(2)?,
                    house_bol: r.get(3)?,
                    bill_type: r.get(4)?,
                    ship_date: r.get(5)?,
                    shipper_id: r.get(6)?,
                    shipper: r.get(7)?,
                    consignee_id: r.get(8)?,
                    consignee: r.get(9)?,
                    notify_id: r.get(10)?,
                    notify: r.get(11)?,
                    origin_country: r.get(12)?,
                    dest_country: r.get(13)?,
                    port_of_lading: r.get(14)?,
                    port_of_unlading: r.get(15)?,
                    place_of_receipt: r.get(16)?,
                    carrier_code: r.get(17)?,
                    vessel_name: r.get(18)?,
                    mode: r.get(19)?,
                    weight_kg: r.get(20)?,
                    quantity: r.get(21)?,
                    quantity_unit: r.get(22)?,
                    containers: r.get(23)?,
                    hs_code: r.get(24)?,
                    hs_codes: Vec::new(),
                    description: r.get(25)?,
                    record_status: r.get(26)?,
                    synthetic: r.get(27)?,
                    source: SourceRef {
                        source_id: r.get(28)?,
                        dataset: r.get(29)?,
                        path: r.get(30)?,
                        line: r.get(31)?,
                        sha256: r.get(32)?,
                        as_of: r.get(33)?,
                        synthetic: r.get(34)?,
                    },
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no shipment with id {id}")))?;
    let mut stmt =
        conn.prepare_cached("SELECT hs_code FROM shipment_hs WHERE shipment_id = ?1 ORDER BY seq")?;
    s.hs_codes = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(s)
}
