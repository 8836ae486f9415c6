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
