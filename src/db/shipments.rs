//! Shipment queries: filters, sort, keyset paging, counts.
//!
//! The drill paths (a party's or an entity's shipments, newest first) never sort the whole
//! matching set: each (party, role) is read newest-first through its composite index
//! (party, ship_date, id) with a LIMIT, and the runs are merged here.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
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
    /// Any role, by name: parties whose normalized name contains this text (normalized).
    pub party_name: Option<String>,
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
    if let Some(n) = f
        .party_name
        .as_deref()
        .map(crate::matching::normalize_key)
        .filter(|n| !n.is_empty())
    {
        p.push(n.into());
        let n = p.len();
        w.push(format!(
            "(s.shipper_id IN (SELECT id FROM party WHERE instr(norm, ?{n}) > 0)
              OR s.consignee_id IN (SELECT id FROM party WHERE instr(norm, ?{n}) > 0)
              OR s.notify_id IN (SELECT id FROM party WHERE instr(norm, ?{n}) > 0))"
        ));
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
    // An FTS5 query string ends at a NUL ("unterminated string"); stored text never holds one
    // (the importers refuse NUL bytes), so dropping them loses nothing. Found by fuzzing.
    let text = f.text.as_deref().map(|t| t.replace('\0', ""));
    if let Some(t) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() >= 3 {
            // FTS5 trigram: a quoted phrase is a case-insensitive substring match.
            p.push(crate::db::fts::phrase(t).into());
            w.push(format!(
                "s.id IN (SELECT {} FROM shipment_fts WHERE shipment_fts MATCH ?{})",
                crate::db::fts::id_of("rowid"),
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

/// One index run: rows with `column = value`, read newest first through the composite index
/// (column, ship_date, id). A filter that names several values (a party in any role, an
/// entity's parties, a country as origin or destination, an HS prefix covering a few codes, a
/// port name matching a few ports) becomes several runs, merged by SQLite without sorting.
type Run = (&'static str, Value);

/// Most runs merged in one compound SELECT (SQLite allows 500 terms).
const RUNS_PER_QUERY: usize = 200;

/// Most distinct values an HS prefix or a port name may expand to before the query falls back
/// to a scan in date order.
const MAX_EXPANSION: usize = 64;

/// Runs a filter restricts to. Party and entity filters always use runs (they are the drill
/// paths); country, HS prefix and port become runs only for the date sort, the one the
/// composite indexes serve.
fn runs(
    conn: &Connection,
    f: &ShipmentFilter,
    sort: Sort,
    listed: Option<&(String, Vec<i64>)>,
) -> Result<Option<Vec<Run>>> {
    let mut runs: Vec<Run> = Vec::new();
    // Listed at the ship date, and nothing narrower: the listed parties' runs, so that their
    // indexes are used instead of a scan.
    if f.party_id.is_none() && f.entity_id.is_none() && f.listed_at_date == Some(true) {
        if let Some((_, parties)) = listed {
            for pid in parties {
                runs.push(("shipper_id", (*pid).into()));
                runs.push(("consignee_id", (*pid).into()));
            }
            return Ok(Some(runs));
        }
    }
    if f.party_id.is_some() || f.entity_id.is_some() {
        if let Some(pid) = f.party_id {
            for col in ["shipper_id", "consignee_id", "notify_id"] {
                runs.push((col, pid.into()));
            }
        }
        if let Some(eid) = f.entity_id {
            for pid in crate::db::links::linked_party_ids(conn, eid)? {
                runs.push(("shipper_id", pid.into()));
                runs.push(("consignee_id", pid.into()));
            }
        }
        return Ok(Some(runs));
    }
    if sort.key != SortKey::Date || f.shipper_id.is_some() || f.consignee_id.is_some() {
        return Ok(None);
    }
    if f.origin_country.is_none() && f.dest_country.is_none() {
        if let Some(c) = &f.country {
            let c = c.to_uppercase();
            runs.push(("origin_country", c.clone().into()));
            runs.push(("dest_country", c.into()));
            return Ok(Some(runs));
        }
    }
    if let Some(hs) = &f.hs_prefix {
        let digits: String = hs.chars().filter(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            let end = format!("{digits}\u{10ffff}");
            return Ok(distinct_values(conn, "hs_code", &digits, &end, |_| true)?
                .map(|codes| codes.into_iter().map(|c| ("hs_code", c.into())).collect()));
        }
    }
    if let Some(port) = f.port.as_deref().filter(|p| !p.is_empty()) {
        let needle = port.to_lowercase();
        let matches = |v: &str| v.to_lowercase().contains(&needle);
        let lading = distinct_values(conn, "port_of_lading", "", "\u{10ffff}", matches)?;
        let unlading = distinct_values(conn, "port_of_unlading", "", "\u{10ffff}", matches)?;
        if let (Some(l), Some(u)) = (lading, unlading) {
            runs.extend(l.into_iter().map(|v| ("port_of_lading", v.into())));
            runs.extend(u.into_iter().map(|v| ("port_of_unlading", v.into())));
            return Ok(Some(runs));
        }
    }
    Ok(None)
}

/// The distinct values of an indexed column in [from, to) that pass `keep`, found by skipping
/// through the index one value at a time (a few index seeks per value, no scan). None if the
/// range holds more than `MAX_EXPANSION * 8` values or more than `MAX_EXPANSION` are kept.
fn distinct_values(
    conn: &Connection,
    column: &str,
    from: &str,
    to: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Option<Vec<String>>> {
    let first = format!(
        "SELECT {column} FROM shipment WHERE {column} >= ?1 AND {column} < ?2 ORDER BY {column} LIMIT 1"
    );
    let next = format!(
        "SELECT {column} FROM shipment WHERE {column} > ?1 AND {column} < ?2 ORDER BY {column} LIMIT 1"
    );
    let mut out = Vec::new();
    let mut v: Option<String> = conn
        .prepare_cached(&first)?
        .query_row([from, to], |r| r.get(0))
        .optional()?;
    let mut seen = 0;
    while let Some(value) = v {
        seen += 1;
        if seen > MAX_EXPANSION * 8 {
            return Ok(None);
        }
        if keep(&value) {
            out.push(value.clone());
            if out.len() > MAX_EXPANSION {
                return Ok(None);
            }
        }
        v = conn
            .prepare_cached(&next)?
            .query_row(params![value, to], |r| r.get(0))
            .optional()?;
    }
    Ok(Some(out))
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
    let runs = runs(conn, f, sort, listed.as_ref())?;
    if let (None, SortKey::Date, Some(text)) = (&runs, sort.key, fts_text(f)) {
        let listed = listed.as_ref().map(|l| l.0.as_str());
        let (sql, p) = fts_date_sql(f, text, listed, sort.desc, after, limit + 1);
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(p.iter()), row)?;
        return finish_page(rows.collect::<rusqlite::Result<_>>()?, sort, limit);
    }
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
    let rows = match runs {
        Some(runs) => {
            let mut all = Vec::new();
            if sort.key == SortKey::Date {
                for group in runs.chunks(RUNS_PER_QUERY) {
                    all.extend(select_merged(conn, &w, &p, group, dir, fetch)?);
                }
            } else {
                // Other sort keys are not in the indexes: each run is sorted on its own.
                for (col, v) in runs {
                    let mut w2 = w.clone();
                    let mut p2 = p.clone();
                    p2.push(v);
                    w2.push(format!("s.{col} = ?{}", p2.len()));
                    all.extend(select(conn, &w2, &p2, key, dir, fetch)?);
                }
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
        None if narrow_sort(f, sort.key) => {
            let mut stmt = conn.prepare_cached(&narrow_sql(&w, key, dir, fetch))?;
            let rows = stmt.query_map(params_from_iter(p.iter()), row)?;
            rows.collect::<rusqlite::Result<_>>()?
        }
        None => select(conn, &w, &p, key, dir, fetch)?,
    };
    finish_page(rows, sort, limit)
}

/// Cut `rows` (up to `limit + 1`) to a page and its cursor.
fn finish_page(mut rows: Vec<ShipmentRow>, sort: Sort, limit: usize) -> Result<Page> {
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

/// The description text of `f` when it goes through the trigram index (3 characters or more).
fn fts_text(f: &ShipmentFilter) -> Option<&str> {
    f.text
        .as_deref()
        .map(str::trim)
        .filter(|t| t.chars().count() >= 3)
}

/// A description search in date order: the index's rowids are date keys (db::fts), so the
/// matches come out of FTS5 already in (ship_date, id) order; each is joined to its shipment
/// and checked against the other filters, and the query stops after `limit` rows. No match's
/// date is read unless its row is on the page (or fails another filter).
fn fts_date_sql(
    f: &ShipmentFilter,
    text: &str,
    listed: Option<&str>,
    desc: bool,
    after: Option<&Cursor>,
    limit: usize,
) -> (String, Vec<Value>) {
    let others = ShipmentFilter {
        text: None,
        ..f.clone()
    };
    let (mut w, mut p) = conditions(&others, listed);
    p.push(crate::db::fts::phrase(text).into());
    w.insert(0, format!("shipment_fts MATCH ?{}", p.len()));
    let dir = if desc { "DESC" } else { "ASC" };
    if let Some(c) = after {
        p.push(c.value.clone().map(Value::Text).unwrap_or(Value::Null));
        p.push(c.id.into());
        let cmp = if desc { "<" } else { ">" };
        w.push(format!(
            "shipment_fts.rowid {cmp} {}",
            crate::db::fts::key_of_params(p.len() - 1, p.len())
        ));
    }
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM shipment_fts
         CROSS JOIN shipment s ON s.id = {}
         LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id
         WHERE {} ORDER BY shipment_fts.rowid {dir} LIMIT {limit}",
        crate::db::fts::id_of("shipment_fts.rowid"),
        w.join(" AND ")
    );
    (sql, p)
}

fn select_sql(w: &[String], key: &str, dir: &str, limit: usize) -> String {
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    format!(
        "SELECT {ROW_COLUMNS} FROM {FROM} {where_sql} ORDER BY {key} {dir}, s.id {dir} LIMIT {limit}"
    )
}

/// Sorting happens in SQLite when no index gives the order (a description search, sorted by
/// date): then only (id, sort value) of the matches are sorted, and the joins and the wide
/// columns are read for the one page that is shown.
fn narrow_sort(f: &ShipmentFilter, key: SortKey) -> bool {
    f.text
        .as_deref()
        .is_some_and(|t| t.trim().chars().count() >= 3)
        && matches!(
            key,
            SortKey::Date | SortKey::Hs | SortKey::Origin | SortKey::Destination
        )
}

fn narrow_sql(w: &[String], key: &str, dir: &str, limit: usize) -> String {
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    format!(
        "SELECT {ROW_COLUMNS} FROM (SELECT s.id AS id, {key} AS k FROM shipment s {where_sql}
            ORDER BY k {dir}, id {dir} LIMIT {limit}) AS r
         JOIN shipment s ON s.id = r.id
         LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id
         ORDER BY r.k {dir}, r.id {dir}"
    )
}

fn select(
    conn: &Connection,
    w: &[String],
    p: &[Value],
    key: &str,
    dir: &str,
    limit: usize,
) -> Result<Vec<ShipmentRow>> {
    let mut stmt = conn.prepare_cached(&select_sql(w, key, dir, limit))?;
    let rows = stmt.query_map(params_from_iter(p.iter()), row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The compound SELECT of `runs` (each `w AND column = value`), as (id, ship_date) arms.
fn union_arms(w: &[String], p: &[Value], runs: &[Run]) -> (String, Vec<Value>) {
    let mut p = p.to_vec();
    let mut arms = Vec::with_capacity(runs.len());
    for (col, v) in runs {
        p.push(v.clone());
        let mut conds = w.to_vec();
        conds.push(format!("s.{col} = ?{}", p.len()));
        arms.push(format!(
            "SELECT s.id AS id, s.ship_date AS k FROM shipment s WHERE {}",
            conds.join(" AND ")
        ));
    }
    // UNION, not UNION ALL: a shipment can be in two runs (consignee and notify party).
    (arms.join(" UNION "), p)
}

fn merged_sql(
    w: &[String],
    p: &[Value],
    runs: &[Run],
    dir: &str,
    limit: usize,
) -> (String, Vec<Value>) {
    let (arms, p) = union_arms(w, p, runs);
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM ({arms} ORDER BY 2 {dir}, 1 {dir} LIMIT {limit}) AS r
         JOIN shipment s ON s.id = r.id
         LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id
         ORDER BY r.k {dir}, r.id {dir}"
    );
    (sql, p)
}

/// Newest-first rows of several runs: SQLite merges the runs' index orders (MERGE (UNION)) and
/// stops after `limit` rows; only those rows are then read in full.
fn select_merged(
    conn: &Connection,
    w: &[String],
    p: &[Value],
    runs: &[Run],
    dir: &str,
    limit: usize,
) -> Result<Vec<ShipmentRow>> {
    let (sql, p) = merged_sql(w, p, runs, dir, limit);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(p.iter()), row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The query plan (EXPLAIN QUERY PLAN lines) of the first `page` for `f` and `sort`: what the
/// benchmark checks for index use and temp B-trees.
pub fn page_plan(
    conn: &Connection,
    f: &ShipmentFilter,
    sort: Sort,
    limit: usize,
) -> Result<Vec<String>> {
    let listed = listed_ranges(conn, f)?;
    let (w, p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let dir = if sort.desc { "DESC" } else { "ASC" };
    let runs = runs(conn, f, sort, listed.as_ref())?;
    if let (None, SortKey::Date, Some(text)) = (&runs, sort.key, fts_text(f)) {
        let listed = listed.as_ref().map(|l| l.0.as_str());
        let (sql, p) = fts_date_sql(f, text, listed, sort.desc, None, limit + 1);
        return crate::db::explain(conn, &sql, &p);
    }
    let (sql, p) = match runs {
        Some(runs) if sort.key == SortKey::Date => {
            let n = runs.len().min(RUNS_PER_QUERY);
            merged_sql(&w, &p, &runs[..n], dir, limit + 1)
        }
        Some(runs) => {
            let mut w2 = w.clone();
            let mut p2 = p.clone();
            if let Some((col, v)) = runs.into_iter().next() {
                p2.push(v);
                w2.push(format!("s.{col} = ?{}", p2.len()));
            }
            (select_sql(&w2, sort.key.sql(), dir, limit + 1), p2)
        }
        None if narrow_sort(f, sort.key) => (narrow_sql(&w, sort.key.sql(), dir, limit + 1), p),
        None => (select_sql(&w, sort.key.sql(), dir, limit + 1), p),
    };
    crate::db::explain(conn, &sql, &p)
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

/// Number of shipments matching `f`, counting at most `cap` (Err(n) means "n or more").
///
/// Never scans more than `cap` index entries: a party's or an entity's count comes from the
/// parties' precomputed counters when that is exact (one run, or the largest run alone reaches
/// `cap`); otherwise the runs' covering-index entries are counted up to `cap`.
pub fn count(
    conn: &Connection,
    f: &ShipmentFilter,
    cap: i64,
) -> Result<std::result::Result<i64, i64>> {
    let listed = listed_ranges(conn, f)?;
    let (w, p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let capped = |n: i64| if n > cap { Err(cap) } else { Ok(n) };
    // One party in one role and nothing else: the party's counter is the answer.
    for (id, col) in [
        (f.shipper_id, "shipper_id"),
        (f.consignee_id, "consignee_id"),
        (f.notify_id, "notify_id"),
    ] {
        let alone = w.len() == 1 && f.party_id.is_none() && f.entity_id.is_none();
        if let (Some(id), true) = (id, alone) {
            if let Some(c) = run_counters(conn, &[(col, id.into())])? {
                return Ok(capped(c.first().copied().unwrap_or(0)));
            }
        }
    }
    let n = match runs(conn, f, Sort::default(), listed.as_ref())? {
        Some(runs) if runs.is_empty() => 0,
        Some(runs) => {
            if w.is_empty() {
                if let Some(counts) = run_counters(conn, &runs)? {
                    let max = counts.iter().copied().max().unwrap_or(0);
                    let nonzero = counts.iter().filter(|&&n| n > 0).count();
                    if nonzero <= 1 || max > cap {
                        return Ok(capped(max));
                    }
                }
            }
            let mut total = 0;
            for group in runs.chunks(RUNS_PER_QUERY) {
                let (arms, p2) = union_arms(&w, &p, group);
                let sql = format!("SELECT count(*) FROM ({arms} LIMIT {})", cap + 1);
                total +=
                    conn.query_row(&sql, params_from_iter(p2.iter()), |r| r.get::<_, i64>(0))?;
                if total > cap || runs.len() > RUNS_PER_QUERY {
                    // Across groups a shipment could be counted twice: say "at least".
                    return Ok(Err(cap.min(total)));
                }
            }
            total
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
    Ok(capped(n))
}

/// The precomputed shipment counter of each party run (None if a run is not a party role).
fn run_counters(conn: &Connection, runs: &[Run]) -> Result<Option<Vec<i64>>> {
    let mut out = Vec::with_capacity(runs.len());
    for (col, v) in runs {
        let counter = match *col {
            "shipper_id" => "n_shipped",
            "consignee_id" => "n_received",
            "notify_id" => "n_notified",
            _ => return Ok(None),
        };
        let n: Option<i64> = conn
            .prepare_cached(&format!("SELECT {counter} FROM party WHERE id = ?1"))?
            .query_row([v], |r| r.get(0))
            .optional()?;
        out.push(n.unwrap_or(0));
    }
    Ok(Some(out))
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
