//! The database layer: every SQL statement of the program lives under this module.
//!
//! `open_rw` is for commands that write (init, import, gen); `open_ro` is for browsing and
//! reporting. Both harden the connection (defensive mode, untrusted schema, busy timeout, no
//! triggers/views unless our schema has them), check the schema version, refuse files whose
//! schema objects are not exactly tradescope's, and run `PRAGMA quick_check` when the file
//! comes from elsewhere or `--check` asks (see [`safety`]). Only `open_rw` migrates.

pub mod asof;
pub mod audit;
pub mod cases;
pub mod cet;
pub mod covered;
pub mod entities;
pub mod error;
pub mod export;
pub mod fts;
pub mod import;
pub mod intersect;
pub mod link;
pub mod links;
mod migrate;
pub mod names;
pub mod parties;
pub mod patents;
pub mod products;
mod reference_tsv;
pub mod safety;
pub mod search;
pub mod shipments;
pub mod sources;
mod sql_text;
pub mod stats;
pub mod trail;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

pub use migrate::SCHEMA_VERSION;
pub use safety::Integrity;

/// The database used when neither `--db` nor `$TRADESCOPE_DB` names one:
/// `$XDG_DATA_HOME/tradescope/tradescope.db` (or the platform's equivalent).
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "tradescope")
        .map(|d| d.data_dir().join("tradescope.db"))
        .unwrap_or_else(|| PathBuf::from("tradescope.db"))
}

/// Open (creating if needed) a database for writing, and migrate it to the current schema.
pub fn open_rw(path: &Path) -> Result<Connection> {
    open_rw_with(path, Integrity::Auto)
}

/// `open_rw`, choosing when the integrity check runs.
pub fn open_rw_with(path: &Path, integrity: Integrity) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
    harden(&conn, path, false)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| db_error(path, e))?;
    migrate::migrate(&conn, path).map_err(|e| corruption(path, e))?;
    safety::check_schema(&conn, path)?;
    // The file is stamped as checked by the next import, inside its transaction: a refused
    // import leaves the content exactly as it was.
    safety::check_integrity(&conn, path, integrity)?;
    Ok(conn)
}

/// Open an existing database read-only, as the workbench and the reporting commands do.
pub fn open_ro(path: &Path) -> Result<Connection> {
    open_ro_with(path, Integrity::Auto)
}

/// `open_ro`, choosing when the integrity check runs.
pub fn open_ro_with(path: &Path, integrity: Integrity) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: "no database here; run `tradescope init` to build one".into(),
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(path, e))?;
    harden(&conn, path, true)?;
    migrate::check_version(&conn, path).map_err(|e| corruption(path, e))?;
    safety::check_schema(&conn, path)?;
    safety::check_integrity(&conn, path, integrity)?;
    Ok(conn)
}

/// Settings every connection gets: a database file may come from elsewhere, so it must not be
/// able to run code through its schema (triggers, views, defaults calling functions).
fn harden(conn: &Connection, path: &Path, read_only: bool) -> Result<()> {
    let e = |err| db_error(path, err);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(e)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(e)?;
    conn.busy_timeout(Duration::from_secs(5)).map_err(e)?;
    safety::restrict(conn, read_only).map_err(|err| corruption(path, err))?;
    Ok(())
}

fn db_error(path: &Path, err: rusqlite::Error) -> Error {
    if safety::is_corruption(&err) {
        return safety::corrupt(path, &err.to_string());
    }
    Error::Database {
        path: path.to_path_buf(),
        message: err.to_string(),
    }
}

/// A SQLite corruption error raised while opening, reported as a corrupt file.
fn corruption(path: &Path, err: Error) -> Error {
    match err {
        Error::Sqlite(e) if safety::is_corruption(&e) => safety::corrupt(path, &e.to_string()),
        other => other,
    }
}

/// Current UTC time as ISO-8601 text, the timestamp format of every table.
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// EXPLAIN QUERY PLAN of `sql`, one line per plan step (indented by depth).
pub fn explain(
    conn: &Connection,
    sql: &str,
    params: &[rusqlite::types::Value],
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut depth: Vec<(i64, usize)> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let (id, parent, detail) = row?;
        let d = depth
            .iter()
            .find(|(i, _)| *i == parent)
            .map_or(0, |(_, d)| d + 1);
        depth.push((id, d));
        out.push(format!("{}{detail}", "  ".repeat(d)));
    }
    Ok(out)
}
