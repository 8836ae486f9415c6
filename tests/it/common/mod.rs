//! Helpers shared by the integration tests: fresh databases in temporary directories, imports
//! of repository files, row counts and content digests to prove a failed import changed nothing.
#![allow(dead_code)]

pub mod verdict;

use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};
use tradescope::db;
use tradescope::db::import::{self, Format, ImportOptions, ImportReport, Input};
use tradescope::progress::NoProgress;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

/// Import `files` of `format` into the database at `db` (created if needed).
pub fn import_files(
    db: &Path,
    format: Format,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> tradescope::Result<ImportReport> {
    let mut conn = tradescope::db::open_rw(db)?;
    let inputs: Vec<Input> = files.iter().map(Input::path).collect();
    import::import(&mut conn, format, &inputs, opts, &NoProgress)
}

/// A canonical digest of everything the database holds: every table (FTS shadow tables
/// included, virtual tables excluded: they read other tables) dumped in full ORDER BY every
/// column, hashed. Equal digests mean equal content, whatever SQLite did to the file's pages
/// or header.
pub fn content_digest(db: &Path) -> String {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open database for the digest");
    let mut tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .expect("list tables");
    tables.sort();
    let mut h = Sha256::new();
    for t in tables {
        let stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("prepare");
        let n = stmt.column_count();
        drop(stmt);
        let order: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT * FROM \"{t}\" ORDER BY {}",
                order.join(", ")
            ))
            .expect("prepare ordered dump");
        let mut rows = stmt.query([]).expect("dump");
        h.update(format!("table {t}\n").as_bytes());
        while let Some(r) = rows.next().expect("row") {
            for i in 0..n {
                let v = match r.get_ref(i).expect("value") {
                    ValueRef::Null => "N".to_string(),
                    ValueRef::Integer(x) => format!("I{x}"),
                    ValueRef::Real(x) => format!("R{x:?}"),
                    ValueRef::Text(b) => format!("T{}:{}", b.len(), String::from_utf8_lossy(b)),
                    ValueRef::Blob(b) => format!("B{}:{b:?}", b.len()),
                };
                h.update(v.as_bytes());
                h.update(b"\x1f");
            }
            h.update(b"\n");
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A query's single integer result, on the database file at `db`.
pub fn count_at(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub conn: Connection,
}

pub fn new_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let conn = db::open_rw(&dir.path().join("t.db")).expect("open database");
    TestDb { dir, conn }
}

/// A file of the repository, by its path from the repository root.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn import_opts(
    conn: &mut Connection,
    format: Format,
    paths: &[PathBuf],
    opts: &ImportOptions,
) -> tradescope::Result<ImportReport> {
    let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
    import::import(conn, format, &inputs, opts, &NoProgress)
}

pub fn import(
    conn: &mut Connection,
    format: Format,
    paths: &[PathBuf],
) -> tradescope::Result<ImportReport> {
    import_opts(conn, format, paths, &ImportOptions::default())
}

pub fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Row counts of every table an import writes, to compare before and after.
pub fn table_counts(conn: &Connection) -> Vec<(String, i64)> {
    [
        "source",
        "list_entry",
        "party",
        "shipment",
        "shipment_hs",
        "patent",
        "assignee",
        "patent_assignee",
        "patent_cpc",
        "link_party",
        "link_assignee",
    ]
    .iter()
    .map(|t| {
        (
            t.to_string(),
            count(conn, &format!("SELECT count(*) FROM {t}")),
        )
    })
    .collect()
}
