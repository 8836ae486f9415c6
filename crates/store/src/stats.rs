//! Counts per table and per source, for `tradescope stats` and the status line.

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;

#[derive(Debug, Clone, Serialize)]
pub struct SourceStats {
    pub id: i64,
    pub dataset: String,
    pub format: String,
    pub path: String,
    pub sha256: String,
    pub imported_at: String,
    pub as_of: Option<String>,
    pub rows: i64,
    pub current: bool,
    pub synthetic: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// (table, row count), in schema order.
    pub tables: Vec<(String, i64)>,
    /// Current list entries per list code.
    pub lists: Vec<(String, i64)>,
    pub sources: Vec<SourceStats>,
}

const TABLES: &[&str] = &[
    "source",
    "list_entry",
    "entry_name",
    "entry_ident",
    "party",
    "shipment",
    "patent",
    "assignee",
    "patent_cpc",
    "cet_area",
    "cet_cpc",
    "link_party",
    "link_assignee",
];

pub fn stats(conn: &Connection) -> Result<Stats> {
    let mut tables = Vec::new();
    for t in TABLES {
        // MAX(rowid) would be faster on huge tables but wrong after deletes; counts are exact.
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
        tables.push((t.to_string(), n));
    }
    let mut stmt = conn.prepare(
        "SELECT list_code, count(*) FROM list_entry WHERE current = 1 GROUP BY list_code ORDER BY 2 DESC",
    )?;
    let lists = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT id, dataset, format, path, sha256, imported_at, as_of, row_count, current, synthetic
         FROM source ORDER BY id",
    )?;
    let sources = stmt
        .query_map([], |r| {
            Ok(SourceStats {
                id: r.get(0)?,
                dataset: r.get(1)?,
                format: r.get(2)?,
                path: r.get(3)?,
                sha256: r.get(4)?,
                imported_at: r.get(5)?,
                as_of: r.get(6)?,
                rows: r.get(7)?,
                current: r.get(8)?,
                synthetic: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Stats {
        tables,
        lists,
        sources,
    })
}
