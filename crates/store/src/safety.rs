//! Trusting a database file: it may have been copied from another machine, downloaded, or
//! crafted. Before the program uses a file it checks, in this order:
//!
//! 1. SQLite's own header checks (not a database, truncated file → SQLITE_NOTADB/CORRUPT),
//!    reported as a corrupt file.
//! 2. The schema: every object in `sqlite_schema` must be one `schema.sql` creates, with the
//!    same definition, and none may be missing. A foreign trigger, view, table or index is
//!    refused by name before anything could run it; triggers and views are also switched off
//!    on the connection unless tradescope's own schema has some (belt and braces).
//! 3. Integrity (`PRAGMA quick_check`, seconds on a 10M-row database): when asked
//!    ([`Integrity::Always`], the CLI's `--check`), and automatically when the file was not
//!    created in place by this program — its identity (device, inode) differs from the one
//!    stamped into `meta` by the last import (the stamp is written inside the import's
//!    transaction, so a refused import changes nothing). A copied, restored or downloaded file
//!    is therefore checked by every open until an import into it succeeds. Any corruption
//!    error SQLite raises later is reported as a corrupt file too (see `db_error`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use rusqlite::{Connection, OptionalExtension};

use super::migrate::{SCHEMA_SQL, SCHEMA_VERSION};
use super::sql_text::{called_functions, normalize_sql};
use crate::error::{Error, Result};
use tradescope_core::text::truncate_to_width;

/// When to run the full integrity check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Integrity {
    /// Only when the file was not created in place by this program (see the module docs).
    #[default]
    Auto,
    /// Always (the CLI's `--check`).
    Always,
}

const STAMP_KEY: &str = "file_identity";

/// Tables SQLite itself creates (ANALYZE, AUTOINCREMENT); their names are reserved, so a file
/// cannot use them to carry code.
const SQLITE_INTERNAL: &[&str] = &["sqlite_stat1", "sqlite_stat4", "sqlite_sequence"];

/// One row of `sqlite_schema`.
#[derive(Debug, Clone)]
pub(super) struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

/// The objects `schema.sql` creates, keyed by (type, name): what a tradescope database holds.
pub(super) struct Reference {
    objects: BTreeMap<(String, String), Object>,
}

impl Reference {
    fn build() -> Result<Self> {
        Self::from_sql(SCHEMA_SQL)
    }

    /// The objects `sql` (a whole schema) creates, loaded into an in-memory database.
    pub(super) fn from_sql(sql: &str) -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(sql)?;
        let objects = read_schema(&conn)?
            .into_iter()
            .map(|o| ((o.kind.clone(), o.name.clone()), o))
            .collect();
        Ok(Reference { objects })
    }

    /// Built once per process from `schema.sql` in an in-memory database.
    fn get() -> Result<&'static Reference> {
        static REFERENCE: OnceLock<std::result::Result<Reference, String>> = OnceLock::new();
        REFERENCE
            .get_or_init(|| Reference::build().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| {
                Error::Io(std::io::Error::other(format!(
                    "schema.sql does not load: {e}"
                )))
            })
    }

    fn has(&self, kind: &str) -> bool {
        self.objects.keys().any(|(k, _)| k == kind)
    }
}

pub(super) fn read_schema(conn: &Connection) -> Result<Vec<Object>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |r| {
        Ok(Object {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Switch off schema features tradescope's own schema does not use, so that a foreign trigger
/// or view could not run even if it got past [`check_schema`]. Read-only connections never
/// fire triggers, so they are off there regardless.
pub(super) fn restrict(conn: &Connection, read_only: bool) -> Result<()> {
    use rusqlite::config::DbConfig;
    let reference = Reference::get()?;
    conn.set_db_config(
        DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
        !read_only && reference.has("trigger"),
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, reference.has("view"))?;
    // Extra page checks on every read, and no memory-mapped I/O: both recommended by SQLite
    // for files that may be hostile.
    conn.pragma_update(None, "cell_size_check", "ON")?;
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(())
}

/// Refuse a database whose schema objects are not exactly tradescope's.
pub fn check_schema(conn: &Connection, path: &Path) -> Result<()> {
    let reference = Reference::get()?;
    let actual = read_schema(conn).map_err(|e| with_path(path, e))?;
    let mismatch = compare(&actual, reference);
    if mismatch.is_empty() {
        return Ok(());
    }
    Err(mismatch.refusal(path, &format!("version {SCHEMA_VERSION}")))
}

/// How a file's schema differs from a reference schema.
#[derive(Debug, Default)]
pub(super) struct Mismatch {
    /// Objects the reference does not have.
    foreign: Vec<Object>,
    /// Objects the reference has with another definition.
    changed: Vec<Object>,
    /// The reference's objects the file lacks: (type, name).
    missing: Vec<(String, String)>,
}

impl Mismatch {
    pub(super) fn is_empty(&self) -> bool {
        self.foreign.is_empty() && self.changed.is_empty() && self.missing.is_empty()
    }

    /// A measure of distance, to name the closest of several reference schemas.
    pub(super) fn size(&self) -> usize {
        self.foreign.len() + self.changed.len() + self.missing.len()
    }

    /// The error refusing the file: foreign objects first (by name), then missing ones.
    /// `schema` names the reference ("version 2", "version 1 (…)").
    pub(super) fn refusal(&self, path: &Path, schema: &str) -> Error {
        let others = |skip: &Object| {
            let rest: Vec<String> = self
                .foreign
                .iter()
                .chain(&self.changed)
                .filter(|o| !(o.kind == skip.kind && o.name == skip.name))
                .take(10)
                .map(|o| format!("{} `{}`", o.kind, truncate_to_width(&o.name, 40)))
                .collect();
            if rest.is_empty() {
                String::new()
            } else {
                format!(" (also not tradescope's: {})", rest.join(", "))
            }
        };
        if let Some(o) = self.foreign.first() {
            return refused(path, o, "that tradescope does not create", &others(o));
        }
        if let Some(o) = self.changed.first() {
            return refused(
                path,
                o,
                "whose definition differs from the one tradescope creates",
                &others(o),
            );
        }
        let (kind, name) = self
            .missing
            .first()
            .cloned()
            .unwrap_or_else(|| (String::from("object"), String::from("?")));
        Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "the {kind} `{name}` of tradescope's schema ({schema}) is missing: \
                 this is not a complete tradescope database; choose another file with --db or \
                 rebuild it by importing the lists"
            ),
        }
    }
}

/// Compare the objects of a file's `sqlite_schema` with a reference schema.
pub(super) fn compare(actual: &[Object], reference: &Reference) -> Mismatch {
    let mut m = Mismatch::default();
    let mut seen = Vec::new();
    for o in actual {
        if o.kind == "table" && SQLITE_INTERNAL.contains(&o.name.as_str()) {
            continue;
        }
        let key = (o.kind.clone(), o.name.clone());
        match reference.objects.get(&key) {
            None => m.foreign.push(o.clone()),
            Some(r) if r.table != o.table || normalize_sql(&r.sql) != normalize_sql(&o.sql) => {
                m.changed.push(o.clone())
            }
            Some(_) => seen.push(key),
        }
    }
    m.missing = reference
        .objects
        .keys()
        .filter(|k| !seen.contains(k))
        .cloned()
        .collect();
    m
}

fn refused(path: &Path, o: &Object, what: &str, others: &str) -> Error {
    let sql = o.sql.as_deref().unwrap_or("");
    let calls = called_functions(sql, &o.name);
    let calls = if calls.is_empty() {
        String::new()
    } else {
        format!(" and calls {}", calls.join(", "))
    };
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "it contains a {} `{}` (on `{}`) {what}{calls}: `{}`{others}. A database with foreign schema \
             objects could run code when it is read, so it was not used and nothing in it was \
             executed. Use a database built by tradescope (--db), or inspect this one with the \
             sqlite3 shell",
            o.kind,
            truncate_to_width(&o.name, 60),
            truncate_to_width(&o.table, 60),
            truncate_to_width(&normalize_sql(&o.sql), 100),
        ),
    }
}

/// `PRAGMA quick_check` when `integrity` asks for it or the file is not the one this program
/// created or last imported into in place.
pub fn check_integrity(conn: &Connection, path: &Path, integrity: Integrity) -> Result<()> {
    if integrity == Integrity::Auto && stamp_matches(conn, path)? {
        return Ok(());
    }
    quick_check(conn, path)
}

/// Run `PRAGMA quick_check`; a corrupt file is an error listing the first problems found.
pub fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn
        .prepare("PRAGMA quick_check(5)")
        .map_err(|e| with_path(path, e))?;
    let findings = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
        .map_err(|e| with_path(path, e))?;
    if findings.len() == 1 && findings[0] == "ok" {
        return Ok(());
    }
    Err(corrupt(path, &findings.join("; ")))
}

/// Record the file's identity in `meta`, so later opens know it was created or written here
/// (and checked when it was opened for that). Called inside each import's transaction.
pub fn stamp(conn: &Connection) -> Result<()> {
    let Some(id) = conn.path().and_then(|p| file_identity(Path::new(p))) else {
        return Ok(());
    };
    // A nonce per import: a `-wal` holding an import then carries a stamp no other copy of
    // the database has (see `db::file::check_wal`).
    let id = format!("{id}:{:016x}", fastrand::u64(..));
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [STAMP_KEY, &id],
    )?;
    Ok(())
}

fn stamp_matches(conn: &Connection, path: &Path) -> Result<bool> {
    let Some(id) = file_identity(path) else {
        // No notion of file identity on this platform: rely on --check.
        return Ok(true);
    };
    let stamped: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [STAMP_KEY], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| with_path(path, e))?;
    Ok(stamped.as_deref().is_some_and(|s| same_file(s, &id)))
}

/// Whether a stamp (`DEV:INODE`, with a `:NONCE` since stamps carry one) names the file whose
/// identity is `id` (`DEV:INODE`).
pub(super) fn same_file(stamp: &str, id: &str) -> bool {
    stamp == id
        || stamp
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with(':'))
}

#[cfg(unix)]
pub(super) fn file_identity(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(format!("{}:{}", m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub(super) fn file_identity(_path: &Path) -> Option<String> {
    None
}

/// The error for a file SQLite or quick_check found damaged.
pub fn corrupt(path: &Path, detail: &str) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "the file is corrupt ({}); restore it from a backup, or build a new database by \
             importing the lists again",
            truncate_to_width(detail, 300)
        ),
    }
}

/// True for SQLite errors that mean the file is damaged or not a database.
pub fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

pub(super) fn with_path(path: &Path, e: impl Into<Error>) -> Error {
    match e.into() {
        Error::Sqlite(e) if is_corruption(&e) => corrupt(path, &e.to_string()),
        Error::Sqlite(e) => Error::Database {
            path: path.to_path_buf(),
            message: e.to_string(),
        },
        other => other,
    }
}
