//! Queries only the benchmark needs: the size of a database, sample records to drill into, and
//! the naive baseline queries each figure is compared against.

use rusqlite::{params, Connection, OptionalExtension};

use tradescope_store::error::Result;
use tradescope_store::shipments::ShipmentRow;

/// How big a database is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scale {
    pub shipments: i64,
    /// Shipments made by `tradescope-bench gen`.
    pub generated: i64,
    pub parties: i64,
    pub entry_names: i64,
}

pub fn scale(conn: &Connection) -> Result<Scale> {
    // MAX(id) is exact for the generator's dense ids and needs no scan.
    let shipments = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM shipment", [], |r| {
        r.get(0)
    })?;
    let parties = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM party", [], |r| r.get(0))?;
    let generated = conn.query_row(
        "SELECT COALESCE(sum(row_count), 0) FROM source WHERE dataset = 'gen'",
        [],
        |r| r.get(0),
    )?;
    let entry_names = conn.query_row(
        "SELECT count(*) FROM entry_name n JOIN list_entry e ON e.id = n.entry_id WHERE e.current = 1",
        [],
        |r| r.get(0),
    )?;
    Ok(Scale {
        shipments,
        generated,
        parties,
        entry_names,
    })
}

/// Entities linked to trade parties, spread over the range of activity (busiest to quiet):
/// `n` ids with the total shipment count of their linked parties.
pub fn linked_entities(conn: &Connection, n: usize) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT l.entry_id, sum(p.n_shipped + p.n_received) AS a FROM link_party l
         JOIN party p ON p.id = l.party_id JOIN list_entry e ON e.id = l.entry_id AND e.current = 1
         GROUP BY l.entry_id HAVING a > 0 ORDER BY a DESC, l.entry_id",
    )?;
    let all: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(spread(all, n))
}

/// Parties spread over the range of activity, with their shipment count in any role.
pub fn parties_by_activity(conn: &Connection, n: usize) -> Result<Vec<(i64, i64)>> {
    spread_by(conn, "n_shipped + n_received + n_notified", n)
}

/// Shippers spread over the range of their shipped count (the busiest parties overall are
/// mostly consignees, whose shipper drill would be empty).
pub fn shippers_by_activity(conn: &Connection, n: usize) -> Result<Vec<(i64, i64)>> {
    spread_by(conn, "n_shipped", n)
}

/// Parties spread over the range of `activity` (an expression over party counters).
fn spread_by(conn: &Connection, activity: &str, n: usize) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, {activity} AS a FROM party WHERE a > 0 ORDER BY a DESC, id LIMIT 20000"
    ))?;
    let all: Vec<(i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(spread(all, n))
}

fn spread<T: Clone>(all: Vec<T>, n: usize) -> Vec<T> {
    if all.len() <= n || n == 0 {
        return all;
    }
    (0..n)
        .map(|k| all[k * (all.len() - 1) / (n - 1).max(1)].clone())
        .collect()
}

// The row the Shipments pane shows, as `db::shipments` reads it: the baselines return the
// same rows as the real queries.
use tradescope_store::shipments::{row, FROM, ROW_COLUMNS as ROW};

/// The naive drill query: the entity's parties' shipments in one WHERE, sorted by date. The
/// party columns are found through an index, but the date order is not taken from one: every
/// matching row is read and sorted (what a single-column index on the party gives).
pub const NAIVE_ENTITY_WHERE: &str = "s.shipper_id IN (SELECT party_id FROM link_party WHERE entry_id = ?1 AND status <> 'rejected')
       OR s.consignee_id IN (SELECT party_id FROM link_party WHERE entry_id = ?1 AND status <> 'rejected')
    ORDER BY +s.ship_date DESC, s.id DESC LIMIT ?2";

pub fn naive_entity_page(conn: &Connection, entity: i64, limit: usize) -> Result<Vec<ShipmentRow>> {
    let sql = format!("SELECT {ROW} FROM {FROM} WHERE {NAIVE_ENTITY_WHERE}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![entity, limit as i64], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The naive substring query: LIKE '%…%' over descriptions, newest first.
pub fn naive_substring_page(
    conn: &Connection,
    text: &str,
    limit: usize,
) -> Result<Vec<ShipmentRow>> {
    let sql = format!(
        "SELECT {ROW} FROM {FROM} WHERE s.description LIKE ?1 ORDER BY s.ship_date DESC, s.id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![format!("%{text}%"), limit as i64], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Number of descriptions containing `text`, through the trigram index.
pub fn fts_count(conn: &Connection, text: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM shipment_fts WHERE shipment_fts MATCH ?1",
        [tradescope_store::fts::phrase(text)],
        |r| r.get(0),
    )?)
}

/// Number of descriptions containing `text`, by scanning every row.
pub fn naive_count(conn: &Connection, text: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM shipment WHERE description LIKE ?1",
        [format!("%{text}%")],
        |r| r.get(0),
    )?)
}

/// A value stored in `meta`.
pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}
