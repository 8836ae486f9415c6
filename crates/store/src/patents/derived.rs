//! `patent_cet` and `assignee_patent` rows for a range of patents (see super::index), computed
//! in memory chunk by chunk: each patent's date key once from one pass over its rows, then one
//! pass over the range's CPC and assignee rows, the rows sorted and inserted in key order.
//! Joining every CPC or assignee row to its (wide) patent row in SQL read a patent row per
//! CPC code, in CPC order: a quarter of a 500K-patent import.

use rusqlite::{params, Connection};

use super::index::date_key;
use crate::error::Result;

/// Patent ids per chunk: memory stays bounded by the chunk (8 bytes a patent for the keys,
/// 16 per derived row), however many patents an import brings.
const CHUNK: i64 = 1_000_000;

/// Which derived tables to write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Cet,
    Assignees,
}

/// Write the `which` rows of patents `first..=last`. Returns the rows written.
pub fn rows(conn: &Connection, which: Which, first: i64, last: i64) -> Result<u64> {
    let max: Option<i64> = conn.query_row(
        "SELECT max(id) FROM patent WHERE id BETWEEN ?1 AND ?2",
        params![first, last],
        |r| r.get(0),
    )?;
    let Some(last) = max else { return Ok(0) };
    let prefixes = match which {
        Which::Cet => cet_prefixes(conn)?,
        Which::Assignees => Vec::new(),
    };
    if which == Which::Cet && prefixes.is_empty() {
        return Ok(0);
    }
    let mut n = 0;
    let mut lo = first.max(1);
    while lo <= last {
        let hi = lo.saturating_add(CHUNK - 1).min(last);
        let keys = keys(conn, lo, hi)?;
        n += match which {
            Which::Cet => cet_chunk(conn, &prefixes, &keys, lo, hi)?,
            Which::Assignees => assignee_chunk(conn, &keys, lo, hi)?,
        };
        lo = hi + 1;
    }
    Ok(n)
}

/// The date key of each patent `lo..=hi` (index `id - lo`; -1 where there is no patent).
fn keys(conn: &Connection, lo: i64, hi: i64) -> Result<Vec<i64>> {
    let mut keys = vec![-1i64; (hi - lo + 1) as usize];
    let mut stmt =
        conn.prepare_cached("SELECT id, publication_date FROM patent WHERE id BETWEEN ?1 AND ?2")?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let date: Option<String> = r.get(1)?;
        keys[(id - lo) as usize] = date_key(date.as_deref(), id);
    }
    Ok(keys)
}

/// The CET table's prefixes, in area-code order.
fn cet_prefixes(conn: &Connection) -> Result<Vec<Prefix>> {
    let mut stmt = conn.prepare("SELECT area_code, cpc_prefix FROM cet_cpc ORDER BY 1, 2")?;
    let rows = stmt.query_map([], |r| {
        let area: String = r.get(0)?;
        let prefix: String = r.get(1)?;
        let low = prefix.into_bytes();
        let mut high = low.clone();
        high.push(b'~');
        Ok(Prefix { area, low, high })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A CET prefix: its area, the prefix and its upper bound (`prefix || '~'`), so a CPC code
/// falls under it exactly as the SQL range `cpc >= prefix AND cpc < prefix || '~'` has it
/// (byte order, SQLite's BINARY collation).
struct Prefix {
    area: String,
    low: Vec<u8>,
    high: Vec<u8>,
}

impl Prefix {
    fn covers(&self, cpc: &[u8]) -> bool {
        cpc >= self.low.as_slice() && cpc < self.high.as_slice()
    }
}

fn cet_chunk(
    conn: &Connection,
    prefixes: &[Prefix],
    keys: &[i64],
    lo: i64,
    hi: i64,
) -> Result<u64> {
    let mut found: Vec<(usize, i64)> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT patent_id, cpc FROM patent_cpc WHERE patent_id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let key = keys[(id - lo) as usize];
        if key < 0 {
            continue;
        }
        let cpc: String = r.get(1)?;
        let cpc = cpc.as_bytes();
        for (i, prefix) in prefixes.iter().enumerate() {
            if prefix.covers(cpc) {
                found.push((i, key));
            }
        }
    }
    drop(rows);
    // Area codes in order, keys in order within each: the index is appended to, not split.
    let area = |i: usize| prefixes[i].area.as_str();
    found.sort_unstable_by(|a, b| area(a.0).cmp(area(b.0)).then(a.1.cmp(&b.1)));
    found.dedup_by(|a, b| area(a.0) == area(b.0) && a.1 == b.1);
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO patent_cet (area_code, patent_key) VALUES (?1, ?2)",
    )?;
    let mut n = 0;
    for (i, key) in &found {
        n += insert.execute(params![prefixes[*i].area, key])? as u64;
    }
    Ok(n)
}

fn assignee_chunk(conn: &Connection, keys: &[i64], lo: i64, hi: i64) -> Result<u64> {
    let mut found: Vec<(i64, i64)> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT patent_id, assignee_id FROM patent_assignee WHERE patent_id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let key = keys[(id - lo) as usize];
        if key >= 0 {
            found.push((r.get(1)?, key));
        }
    }
    drop(rows);
    found.sort_unstable();
    found.dedup();
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO assignee_patent (assignee_id, patent_key) VALUES (?1, ?2)",
    )?;
    let mut n = 0;
    for (a, key) in &found {
        n += insert.execute(params![a, key])? as u64;
    }
    Ok(n)
}
