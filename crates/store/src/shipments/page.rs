//! One page of shipments: keyset paging over the runs, the trigram index or a plain scan.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use super::filter::*;
use super::runs::*;
use super::*;
use crate::error::Result;

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
        let (sql, p) = fts_date_sql(f, &text, listed, sort.desc, after, limit + 1);
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
pub(super) fn finish_page(mut rows: Vec<ShipmentRow>, sort: Sort, limit: usize) -> Result<Page> {
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

/// A description search in date order: the index's rowids are date keys (db::fts), so the
/// matches come out of FTS5 already in (ship_date, id) order; each is joined to its shipment
/// and checked against the other filters, and the query stops after `limit` rows. No match's
/// date is read unless its row is on the page (or fails another filter).
pub(super) fn fts_date_sql(
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
    p.push(crate::fts::phrase(text).into());
    w.insert(0, format!("shipment_fts MATCH ?{}", p.len()));
    let dir = if desc { "DESC" } else { "ASC" };
    if let Some(c) = after {
        p.push(c.value.clone().map(Value::Text).unwrap_or(Value::Null));
        p.push(c.id.into());
        let cmp = if desc { "<" } else { ">" };
        w.push(format!(
            "shipment_fts.rowid {cmp} {}",
            crate::fts::key_of_params(p.len() - 1, p.len())
        ));
    }
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM shipment_fts
         CROSS JOIN shipment s ON s.id = {}
         LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id
         WHERE {} ORDER BY shipment_fts.rowid {dir} LIMIT {limit}",
        crate::fts::id_of("shipment_fts.rowid"),
        w.join(" AND ")
    );
    (sql, p)
}

pub(super) fn select_sql(w: &[String], key: &str, dir: &str, limit: usize) -> String {
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
pub(super) fn narrow_sort(f: &ShipmentFilter, key: SortKey) -> bool {
    fts_text(f).is_some()
        && matches!(
            key,
            SortKey::Date | SortKey::Hs | SortKey::Origin | SortKey::Destination
        )
}

pub(super) fn narrow_sql(w: &[String], key: &str, dir: &str, limit: usize) -> String {
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

pub(super) fn select(
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
        let (sql, p) = fts_date_sql(f, &text, listed, sort.desc, None, limit + 1);
        return crate::explain(conn, &sql, &p);
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
    crate::explain(conn, &sql, &p)
}

pub(super) fn sort_value(r: &ShipmentRow, key: SortKey) -> Option<String> {
    match key {
        SortKey::Date => r.ship_date.clone(),
        SortKey::Shipper => r.shipper.clone(),
        SortKey::Consignee => r.consignee.clone(),
        SortKey::Origin => r.origin.clone(),
        SortKey::Destination => r.destination.clone(),
        SortKey::Hs => r.hs_code.clone(),
    }
}
