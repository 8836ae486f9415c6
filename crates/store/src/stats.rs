//! Counts per table and per source, for `tradescope stats` and the status line.

use serde::Serialize;

use crate::error::Result;
use crate::sql::Sql;

#[derive(Debug, Clone, Serialize)]
pub struct SourceStats {
    pub id: i64,
    pub dataset: String,
    pub format: String,
    pub path: String,
    pub sha256: String,
    pub imported_at: String,
    pub as_of: Option<String>,
    /// How `as_of` was found: "Last_Update column", "given (--as-of)", "newest start date" …
    pub as_of_source: Option<String>,
    /// True when `as_of` was derived from the data (a lower bound), not stated.
    pub as_of_derived: bool,
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

/// The counts, on either engine.
pub fn stats(conn: &dyn Sql) -> Result<Stats> {
    let mut tables = Vec::new();
    for t in TABLES {
        // MAX(rowid) would be faster on huge tables but wrong after deletes; counts are exact.
        let n: i64 = conn.one(&format!("SELECT count(*) FROM {t}"), &[])?;
        tables.push((t.to_string(), n));
    }
    let lists = conn.map(
        "SELECT list_code, count(*) FROM list_entry WHERE current = 1 GROUP BY list_code
         ORDER BY 2 DESC, 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let sources = conn.map(
        "SELECT s.id, s.dataset, s.format, s.path, s.sha256, s.imported_at, s.as_of, s.row_count,
           s.current, s.synthetic, a.basis, coalesce(a.derived, 0)
         FROM source s LEFT JOIN source_as_of a ON a.source_id = s.id ORDER BY s.id",
        &[],
        |r| {
            Ok(SourceStats {
                id: r.get(0)?,
                dataset: r.get(1)?,
                format: r.get(2)?,
                path: r.get(3)?,
                sha256: r.get(4)?,
                imported_at: r.get(5)?,
                as_of: r.get(6)?,
                as_of_source: r.get(10)?,
                as_of_derived: r.get(11)?,
                rows: r.get(7)?,
                current: r.get(8)?,
                synthetic: r.get(9)?,
            })
        },
    )?;
    Ok(Stats {
        tables,
        lists,
        sources,
    })
}
