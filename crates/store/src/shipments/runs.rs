//! Index runs: a filter that names a few values of an indexed column (parties, countries, HS
//! codes, ports) becomes one run per value, merged by SQLite in date order without sorting.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};

use super::*;
use crate::error::Result;

/// One index run: rows with `column = value`, read newest first through the composite index
/// (column, ship_date, id). A filter that names several values (a party in any role, an
/// entity's parties, a country as origin or destination, an HS prefix covering a few codes, a
/// port name matching a few ports) becomes several runs, merged by SQLite without sorting.
pub(super) type Run = (&'static str, Value);

/// The run column of an HS code: rows of shipment_hs with `hs_code = value`, read newest first
/// through shipment_hs_code (hs_code, ship_date, shipment_id), so any code of a bill counts.
pub(super) const HS_RUN: &str = "shipment_hs.hs_code";

/// Most runs merged in one compound SELECT (SQLite allows 500 terms).
pub(super) const RUNS_PER_QUERY: usize = 200;

/// Most distinct values an HS prefix or a port name may expand to before the query falls back
/// to a scan in date order.
pub(super) const MAX_EXPANSION: usize = 64;

/// Runs a filter restricts to. Party and entity filters always use runs (they are the drill
/// paths); country, HS prefix and port become runs only for the date sort, the one the
/// composite indexes serve.
pub(super) fn runs(
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
            for pid in crate::links::linked_party_ids(conn, eid)? {
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
    if let Some(digits) = super::filter::hs_digits(f) {
        let end = format!("{digits}\u{10ffff}");
        return Ok(
            distinct_values(conn, "shipment_hs", "hs_code", &digits, &end, |_| true)?
                .map(|codes| codes.into_iter().map(|c| (HS_RUN, c.into())).collect()),
        );
    }
    if let Some(port) = f.port.as_deref().filter(|p| !p.is_empty()) {
        let needle = port.to_lowercase();
        let matches = |v: &str| v.to_lowercase().contains(&needle);
        let all = "\u{10ffff}";
        let lading = distinct_values(conn, "shipment", "port_of_lading", "", all, matches)?;
        let unlading = distinct_values(conn, "shipment", "port_of_unlading", "", all, matches)?;
        if let (Some(l), Some(u)) = (lading, unlading) {
            runs.extend(l.into_iter().map(|v| ("port_of_lading", v.into())));
            runs.extend(u.into_iter().map(|v| ("port_of_unlading", v.into())));
            return Ok(Some(runs));
        }
    }
    Ok(None)
}

/// The distinct values of an indexed column of `table` in [from, to) that pass `keep`, found by
/// skipping through the index one value at a time (a few index seeks per value, no scan). None
/// if the range holds more than `MAX_EXPANSION * 8` values or more than `MAX_EXPANSION` are kept.
pub(super) fn distinct_values(
    conn: &Connection,
    table: &str,
    column: &str,
    from: &str,
    to: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<Option<Vec<String>>> {
    let first = format!(
        "SELECT {column} FROM {table} WHERE {column} >= ?1 AND {column} < ?2 ORDER BY {column} LIMIT 1"
    );
    let next = format!(
        "SELECT {column} FROM {table} WHERE {column} > ?1 AND {column} < ?2 ORDER BY {column} LIMIT 1"
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

/// The compound SELECT of `runs` (each `w AND column = value`), as (id, ship_date) arms.
pub(super) fn union_arms(w: &[String], p: &[Value], runs: &[Run]) -> (String, Vec<Value>) {
    let mut p = p.to_vec();
    let mut arms = Vec::with_capacity(runs.len());
    for (col, v) in runs {
        p.push(v.clone());
        if *col == HS_RUN {
            // The run is the HS condition: the other conditions need the shipment row, the
            // run alone does not.
            let others: Vec<&str> = w
                .iter()
                .map(String::as_str)
                .filter(|c| !c.starts_with(super::filter::HS_EXISTS))
                .collect();
            let join = if others.is_empty() {
                ""
            } else {
                " JOIN shipment s ON s.id = h.shipment_id"
            };
            let mut conds = others;
            let code = format!("h.hs_code = ?{}", p.len());
            conds.push(&code);
            arms.push(format!(
                "SELECT h.shipment_id AS id, h.ship_date AS k FROM shipment_hs h{join} WHERE {}",
                conds.join(" AND ")
            ));
            continue;
        }
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

pub(super) fn merged_sql(
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
pub(super) fn select_merged(
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

/// The precomputed shipment counter of each party run (None if a run is not a party role).
pub(super) fn run_counters(conn: &Connection, runs: &[Run]) -> Result<Option<Vec<i64>>> {
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
