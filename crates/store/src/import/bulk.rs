//! Settings and index handling for a bulk load (the PatentsView tables: millions of rows in one
//! transaction, issue 16).
//!
//! - [`with_bulk_settings`]: for the length of the import, a larger page cache (fewer pages
//!   spilled to the WAL and read back), statement journals in memory, and the query planner
//!   stability guarantee. The last matters most: the databases hold `sqlite_stat4`, and with
//!   it every statement whose plan looked at a bound value is prepared anew each time a value
//!   is bound — a fifth of the import's time went to re-parsing the same INSERTs.
//! - [`SecondaryIndexes`]: indexes dropped while a load much larger than the tables it goes
//!   into runs, and created again (from their own SQL, so the schema stays exactly
//!   tradescope's) before anything reads them: one sort instead of millions of scattered
//!   B-tree inserts. Inside the import's transaction, so a failed import leaves them as they
//!   were.

use rusqlite::config::DbConfig;
use rusqlite::Connection;

use crate::error::Result;

/// Page cache during a bulk load, in KiB (SQLite's default is 2 MiB). Bounds the import's
/// memory: RSS stays near this plus the full-text hash (crate::patents::index).
const BULK_CACHE_KIB: i64 = 128 * 1024;

/// Run `f` with the bulk-load settings, restored afterwards whatever `f` returns.
pub fn with_bulk_settings<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    let temp: i64 = conn.pragma_query_value(None, "temp_store", |r| r.get(0))?;
    let qpsg = conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)?;
    conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
    conn.pragma_update(None, "temp_store", 2)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    let result = f(conn);
    let restored = conn
        .pragma_update(None, "cache_size", cache)
        .and_then(|_| conn.pragma_update(None, "temp_store", temp))
        .and_then(|_| conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, qpsg));
    let value = result?;
    restored?;
    Ok(value)
}

/// Indexes taken down for a bulk load; [`SecondaryIndexes::restore`] creates them again.
pub struct SecondaryIndexes {
    sql: Vec<String>,
}

impl SecondaryIndexes {
    /// Drop the named indexes (those that exist), remembering their SQL.
    pub fn drop(conn: &Connection, names: &[&str]) -> Result<Self> {
        let mut sql = Vec::new();
        for name in names {
            let found: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                [name],
                |r| r.get(0),
            ))?;
            if let Some(s) = found {
                conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                sql.push(s);
            }
        }
        Ok(SecondaryIndexes { sql })
    }

    /// Nothing dropped (a load too small to be worth it).
    pub fn none() -> Self {
        SecondaryIndexes { sql: Vec::new() }
    }

    /// Create the dropped indexes again, as they were.
    pub fn restore(self, conn: &Connection) -> Result<()> {
        for s in &self.sql {
            conn.execute_batch(s)?;
        }
        Ok(())
    }
}
