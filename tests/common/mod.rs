//! Helpers shared by the integration tests: a fresh database in a temporary directory, imports
//! of repository files, and row counts to prove that a failed import changed nothing.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tradescope::db;
use tradescope::db::import::{self, Format, ImportOptions, ImportReport, Input};
use tradescope::progress::NoProgress;

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
