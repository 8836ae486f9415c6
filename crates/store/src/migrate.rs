//! Schema versioning by `PRAGMA user_version`.
//!
//! A new database gets the whole of schema.sql (always the latest schema). An older database gets
//! the steps in `STEPS` after its version, each in the same transaction as the version bump.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// The complete, current schema.
pub const SCHEMA_SQL: &str = include_str!("../schema.sql");

/// Upgrade steps: `STEPS[i]` takes a database from version `i + 1` to `i + 2`.
const STEPS: &[&str] = &[];

pub const SCHEMA_VERSION: i64 = 1 + STEPS.len() as i64;

fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let v = version(conn)?;
    if v > SCHEMA_VERSION {
        return Err(newer(path, v));
    }
    if v == SCHEMA_VERSION {
        return Ok(());
    }
    if v == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: "this SQLite file is not a tradescope database (it has tables but no \
                          tradescope schema version); choose another path with --db"
                    .into(),
            });
        }
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA_SQL}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        ))?;
        return Ok(());
    }
    for (i, step) in STEPS.iter().enumerate().skip(v as usize - 1) {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {step}; PRAGMA user_version = {}; COMMIT;",
            i as i64 + 2
        ))?;
    }
    Ok(())
}

pub(super) fn check_version(conn: &Connection, path: &Path) -> Result<()> {
    let v = version(conn)?;
    match v {
        0 => Err(Error::Database {
            path: path.to_path_buf(),
            message: "not a tradescope database (no schema version); run `tradescope init`".into(),
        }),
        v if v > SCHEMA_VERSION => Err(newer(path, v)),
        v if v < SCHEMA_VERSION => Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "schema version {v} is older than this program's {SCHEMA_VERSION}; \
                 run any import (or `tradescope init`) to migrate it"
            ),
        }),
        _ => Ok(()),
    }
}

fn newer(path: &Path, v: i64) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "schema version {v} was written by a newer tradescope (this one knows {SCHEMA_VERSION}); \
             upgrade tradescope"
        ),
    }
}
