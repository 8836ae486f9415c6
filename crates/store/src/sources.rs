//! What the status line says about the data: which list versions are loaded.

use rusqlite::Connection;

use crate::error::Result;

/// (dataset, as-of date) of every current watch-list source, in import order.
pub fn current_as_of(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT dataset, max(as_of) FROM source
         WHERE current = 1 AND dataset IN ('csl', 'ofac_sdn', 'ofac_cons', 'dpl')
         GROUP BY dataset ORDER BY min(id)",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One current watch-list version, as a screening report names it for an auditor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ListVersion {
    pub dataset: String,
    pub source_id: i64,
    pub format: String,
    /// The file(s) imported, as given.
    pub path: String,
    /// SHA-256 of the imported file (of the per-file hashes, for a file set).
    pub sha256: String,
    /// The date the publisher's data stood at, if known.
    pub as_of: Option<String>,
    pub imported_at: String,
    pub rows: i64,
}

/// The current watch-list versions a screen runs against, in import order.
pub fn current_lists(conn: &Connection) -> Result<Vec<ListVersion>> {
    let mut stmt = conn.prepare(
        "SELECT dataset, id, format, path, sha256, as_of, imported_at, row_count FROM source
         WHERE current = 1 AND dataset IN ('csl', 'ofac_sdn', 'ofac_cons', 'dpl') ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ListVersion {
            dataset: r.get(0)?,
            source_id: r.get(1)?,
            format: r.get(2)?,
            path: r.get(3)?,
            sha256: r.get(4)?,
            as_of: r.get(5)?,
            imported_at: r.get(6)?,
            rows: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
