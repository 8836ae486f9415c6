//! The database layer: every SQL statement of the program lives under this module.
//!
//! `open_rw` is for commands that write (init, import, gen); `open_ro` is for browsing and
//! reporting. Both harden the connection (defensive mode, untrusted schema, busy timeout, no
//! triggers/views unless our schema has them), check the schema version, refuse files whose
//! schema objects are not exactly tradescope's, and run `PRAGMA quick_check` when the file
//! comes from elsewhere or `--check` asks (see [`safety`]). Only `open_rw` migrates.

pub mod asof;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod cet;
pub mod changes;
pub mod covered;
pub mod decisions;
pub mod dump;
pub mod entities;
pub mod error;
pub mod export;
mod file;
pub mod fts;
pub mod import;
pub mod intersect;
pub mod lapsed;
pub mod link;
pub mod link_review;
pub mod links;
mod migrate;
pub mod names;
pub mod parties;
pub mod patents;
pub mod place;
pub mod products;
pub mod profile;
pub mod record_view;
mod reference_tsv;
pub mod safety;
pub mod search;
pub mod shipments;
pub mod sources;
pub mod sql;
mod sql_text;
pub mod stats;
mod store;
pub mod trail;
pub mod watch;

pub use store::{ChangeWatch, Lists, SqliteStore, Store};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

pub use migrate::SCHEMA_VERSION;
pub use safety::Integrity;

/// How long a write waits for a database another process is writing before it fails (and
/// the workbench holds its audit record back): SQLite's busy timeout, PostgreSQL's lock
/// timeout on the audit log.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The database used when neither `--db` nor `$TRADESCOPE_DB` names one:
/// `$XDG_DATA_HOME/tradescope/tradescope.db` (or the platform's equivalent).
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "tradescope")
        .map(|d| d.data_dir().join("tradescope.db"))
        .unwrap_or_else(|| PathBuf::from("tradescope.db"))
}

/// Refuse a path that exists and is not a regular file (a directory, a FIFO, a device such as
/// `/dev/null`, or a dangling symlink), by `stat` alone.
pub fn check_path(path: &Path) -> Result<()> {
    file::check_kind(path)
}

/// Open (creating if needed) a database for writing, and migrate it to the current schema.
pub fn open_rw(path: &Path) -> Result<Connection> {
    open_rw_with(path, Integrity::Auto)
}

/// `open_rw`, choosing when the integrity check runs.
///
/// Nothing is written before the file passed every check: the journal mode is switched to WAL,
/// a new schema created or an old one upgraded (after a backup) only then.
pub fn open_rw_with(path: &Path, integrity: Integrity) -> Result<Connection> {
    file::check_kind(path)?;
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    file::check_wal(path)?;
    let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
    harden(&conn, path, false)?;
    let plan = migrate::plan(&conn, path).map_err(|e| corruption(path, e))?;
    match plan {
        migrate::Plan::Current => {
            safety::check_schema(&conn, path)?;
            // The file is stamped as checked by the next import, inside its transaction: a
            // refused import leaves the content exactly as it was.
            safety::check_integrity(&conn, path, integrity)?;
        }
        // An upgrade reads every page (the backup) anyway: check it first, whatever its stamp.
        migrate::Plan::Upgrade { .. } => safety::quick_check(&conn, path)?,
        migrate::Plan::Create => {}
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| db_error(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| db_error(path, e))?;
    match plan {
        migrate::Plan::Create => migrate::create(&conn).map_err(|e| corruption(path, e))?,
        migrate::Plan::Upgrade { from, form } => {
            migrate::upgrade(&conn, path, from, form)?;
            safety::check_schema(&conn, path)?;
        }
        migrate::Plan::Current => {}
    }
    Ok(conn)
}

/// Open an existing database read-only, as the workbench and the reporting commands do.
pub fn open_ro(path: &Path) -> Result<Connection> {
    open_ro_with(path, Integrity::Auto)
}

/// `open_ro`, choosing when the integrity check runs.
///
/// A database an older release wrote is upgraded first (with a backup, see [`open_rw`]) when
/// it can be written where it is; otherwise the error says how to upgrade it. A file that
/// cannot be written (read-only media) is opened `immutable`, so that SQLite needs no `-shm`.
pub fn open_ro_with(path: &Path, integrity: Integrity) -> Result<Connection> {
    file::check_kind(path)?;
    if !path.exists() {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: "no database here; run `tradescope init` to build one".into(),
        });
    }
    file::check_wal(path)?;
    let writable = file::writable(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = if writable {
        Connection::open_with_flags(path, flags)
    } else if file::has_wal(path) {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "it is on read-only storage with changes not yet written into it (in {}), \
                 which SQLite can only apply where it can write; copy the database together \
                 with that file to a writable place and open the copy",
                file::wal_path(path).display()
            ),
        });
    } else {
        Connection::open_with_flags(file::uri(path, "immutable=1"), flags)
    }
    .map_err(|e| db_error(path, e))?;
    harden(&conn, path, true)?;
    match migrate::plan(&conn, path).map_err(|e| corruption(path, e))? {
        migrate::Plan::Current => {}
        migrate::Plan::Create => {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: "an empty file, not a tradescope database (no schema version); run \
                          `tradescope init` to build one"
                    .into(),
            })
        }
        migrate::Plan::Upgrade { from, .. } => {
            drop(conn);
            if !writable {
                return Err(migrate::older_read_only(path, from));
            }
            drop(open_rw_with(path, integrity)?);
            return open_ro_with(path, integrity);
        }
    }
    safety::check_schema(&conn, path)?;
    safety::check_integrity(&conn, path, integrity)?;
    Ok(conn)
}

/// Write a consistent copy of the database at `path` to `dest` (default: next to it, named
/// with its schema version and the date). The database is opened as for reading (checked,
/// and upgraded first if an older release wrote it). Returns the copy's path.
pub fn backup(path: &Path, dest: Option<&Path>) -> Result<PathBuf> {
    let conn = open_ro(path)?;
    let dest = match dest {
        Some(d) => d.to_path_buf(),
        None => backup::default_path(path, SCHEMA_VERSION),
    };
    backup::copy_to(&conn, &dest)?;
    Ok(dest)
}

static NOTICES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The notices given since the last call (the workbench shows them in its status line).
pub fn take_notices() -> Vec<String> {
    NOTICES
        .lock()
        .map(|mut n| std::mem::take(&mut *n))
        .unwrap_or_default()
}

/// A message about the database the user should see (an upgrade and where its backup is), on
/// stderr, sanitized, and kept for [`take_notices`].
fn notice(text: &str) {
    use std::io::Write;
    if let Ok(mut n) = NOTICES.lock() {
        n.push(text.to_string());
    }
    let mut line = tradescope_core::text::sanitize(text).into_owned();
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// The settings of a connection that only peeks into a file before it is checked.
fn harden_probe(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    safety::restrict(conn, true)
}

/// Settings every connection gets: a database file may come from elsewhere, so it must not be
/// able to run code through its schema (triggers, views, defaults calling functions).
fn harden(conn: &Connection, path: &Path, read_only: bool) -> Result<()> {
    let e = |err| db_error(path, err);
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(e)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(e)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(e)?;
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
