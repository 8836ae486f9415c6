//! The frequency table at scale (issue 20, item 12): a filter that names no party (all
//! shipments, a country, a port, a date range…) matches millions of rows at 10M, and one
//! GROUP BY over them takes seconds (month ≈ 5 s, HS ≈ 3 s). Such a table is counted in
//! chunks of shipment ids instead: each chunk is one GROUP BY over a rowid range (the table
//! read in id order, no index), the counts are summed in Rust, and after every chunk the caller
//! gets the table so far with how far the scan is — it shows it, and stops the scan (Esc) by
//! answering false. A filter that names a party (a drill) reads its shipments by index: one
//! GROUP BY, as [`super::freq::frequency`].

use std::collections::HashMap;
use std::time::Instant;

use crate::sql::{sqlite_value, Value};
use rusqlite::{params_from_iter, Connection};

use super::freq::{self, key_of, label_rows, FreqColumn, FreqKey, FreqValue, Frequency, Scanned};
use super::ShipmentFilter;
use crate::error::Result;

/// Ids the first chunk reads: small, so the first screen comes quickly.
pub const FIRST_CHUNK: i64 = 100_000;
/// What a chunk should take; later chunks are sized to it from the ones before.
const CHUNK_MS: f64 = 250.0;
const MIN_CHUNK: i64 = 20_000;
const MAX_CHUNK: i64 = 4_000_000;

/// Whether the table over `f` is counted in chunks: the filter names no party, so its rows
/// are not read by a party index but by a scan that grows with the database.
pub fn scans(f: &ShipmentFilter) -> bool {
    f.shipper_id.is_none()
        && f.consignee_id.is_none()
        && f.notify_id.is_none()
        && f.party_id.is_none()
        && f.entity_id.is_none()
        && f.listed_at_date != Some(true)
}

/// The frequency table of `column` over the shipments `f` matches, streamed: `partial` gets
/// the table so far after each chunk (its `scanned` says how far) and returns false to stop
/// the scan. Returns the whole table (`scanned` None), or None when stopped. A filter that
/// [`scans`] does not is one GROUP BY (no partial table).
pub fn frequency_streamed(
    conn: &Connection,
    f: &ShipmentFilter,
    column: FreqColumn,
    limit: usize,
    partial: &mut dyn FnMut(&Frequency) -> bool,
) -> Result<Option<Frequency>> {
    if !column.is_shipment() || !scans(f) {
        return freq::frequency(conn, f, column, limit).map(Some);
    }
    let Some((w, p)) = freq::matching_where(conn, f)? else {
        return Ok(Some(Frequency::empty(column)));
    };
    let (lo, hi): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(id), max(id) FROM shipment", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(Some(Frequency::empty(column)));
    };
    let chunk = Chunk::new(column, &w, p.len());
    let mut counts: HashMap<FreqKey, i64> = HashMap::new();
    let mut total = 0i64;
    let span = hi - lo + 1;
    let mut at = lo;
    let mut size = FIRST_CHUNK;
    while at <= hi {
        let end = at.saturating_add(size).min(hi + 1);
        let t0 = Instant::now();
        total += chunk.run(conn, &p, at, end, &mut counts)?;
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        at = end;
        if at > hi {
            break;
        }
        let mut t = table(conn, column, &counts, total, limit)?;
        t.scanned = Some(Scanned {
            done: at - lo,
            total: span,
        });
        if !partial(&t) {
            return Ok(None);
        }
        // The next chunk sized to take about CHUNK_MS at the pace of this one.
        let pace = (size as f64 / ms.max(1.0)) * CHUNK_MS;
        size = (pace as i64).clamp(MIN_CHUNK, MAX_CHUNK);
    }
    table(conn, column, &counts, total, limit).map(Some)
}

/// The statements of one chunk: the counts of a rowid range, and (HS, where a bill counts
/// under each of its codes) the shipments of the range for the total.
struct Chunk {
    column: FreqColumn,
    counts: String,
    total: Option<String>,
}

impl Chunk {
    fn new(column: FreqColumn, w: &str, params: usize) -> Self {
        let (a, b) = (params + 1, params + 2);
        let and_w = if w.is_empty() {
            String::new()
        } else {
            format!("({w}) AND ")
        };
        // NOT INDEXED: the rowid range, never an index of the filter's columns (which would
        // read all of a country's rows for every chunk).
        let shipments = format!("shipment s NOT INDEXED WHERE {and_w}s.id >= ?{a} AND s.id < ?{b}");
        match column.expr() {
            Some(e) => Chunk {
                column,
                counts: format!("SELECT {e}, count(*) FROM {shipments} GROUP BY 1"),
                total: None,
            },
            None => Chunk {
                column,
                counts: if w.is_empty() {
                    format!(
                        "SELECT h.hs_code, count(DISTINCT h.shipment_id) FROM shipment_hs h
                         WHERE h.shipment_id >= ?{a} AND h.shipment_id < ?{b} GROUP BY 1"
                    )
                } else {
                    format!(
                        "SELECT h.hs_code, count(DISTINCT h.shipment_id) FROM shipment_hs h
                         WHERE h.shipment_id >= ?{a} AND h.shipment_id < ?{b}
                           AND h.shipment_id IN (SELECT s.id FROM {shipments})
                         GROUP BY 1"
                    )
                },
                total: Some(format!("SELECT count(*) FROM {shipments}")),
            },
        }
    }

    /// Add the counts of ids `lo..hi` to `counts`; the shipments they cover.
    fn run(
        &self,
        conn: &Connection,
        p: &[Value],
        lo: i64,
        hi: i64,
        counts: &mut HashMap<FreqKey, i64>,
    ) -> Result<i64> {
        let mut params = p.to_vec();
        params.push(lo.into());
        params.push(hi.into());
        let mut stmt = conn.prepare_cached(&self.counts)?;
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        let mut sum = 0;
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(1)?;
            sum += n;
            let key = key_of(self.column, sqlite_value(r.get_ref(0)?));
            *counts.entry(key).or_default() += n;
        }
        match &self.total {
            Some(sql) => Ok(conn.query_row(sql, params_from_iter(params.iter()), |r| r.get(0))?),
            None => Ok(sum),
        }
    }
}

/// The table of the counts so far: the `limit` most frequent values (ties by value, missing
/// first, as the one GROUP BY orders them) and the rest as "other".
fn table(
    conn: &Connection,
    column: FreqColumn,
    counts: &HashMap<FreqKey, i64>,
    total: i64,
    limit: usize,
) -> Result<Frequency> {
    let mut all: Vec<(&FreqKey, i64)> = counts.iter().map(|(k, n)| (k, *n)).collect();
    let order = |a: &(&FreqKey, i64), b: &(&FreqKey, i64)| {
        b.1.cmp(&a.1)
            .then_with(|| key_order(a.0).cmp(&key_order(b.0)))
    };
    // Only the head needs sorting (a million shippers: partition, then sort 200).
    if all.len() > limit && limit > 0 {
        all.select_nth_unstable_by(limit - 1, order);
    }
    let (head, rest) = all.split_at_mut(limit.min(counts.len()));
    head.sort_unstable_by(order);
    let mut out = Frequency::empty(column);
    out.total = total;
    out.other_values = rest.len() as i64;
    out.other_count = rest.iter().map(|(_, n)| n).sum();
    out.rows = head
        .iter()
        .map(|(k, n)| FreqValue {
            key: (*k).clone(),
            label: String::new(),
            count: *n,
        })
        .collect();
    label_rows(conn, column, &mut out.rows)?;
    Ok(out)
}

/// SQLite's order of grouped values: NULL, then integers, then text.
fn key_order(k: &FreqKey) -> (u8, i64, &str) {
    match k {
        FreqKey::Missing => (0, 0, ""),
        FreqKey::Party(id) | FreqKey::Assignee(id) => (1, *id, ""),
        FreqKey::Text(s) => (2, 0, s),
    }
}
