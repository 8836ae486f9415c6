//! Shared by the importer targets: one scratch database per fuzzing process, and `dry_run`
//! (the whole import inside a transaction that is rolled back) so every input starts from
//! the same empty database.
#![allow(dead_code)]

use std::cell::RefCell;

use rusqlite::Connection;
use tradescope::db;
use tradescope::db::import::{self, Format, ImportOptions, ImportReport, Input};
use tradescope::error::Result;
use tradescope::progress::NoProgress;

thread_local! {
    static DB: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

/// Split `data` at 0x1E (record separator) into up to `max` files named `name(i)`.
pub fn files(data: &[u8], max: usize, name: impl Fn(usize) -> String) -> Vec<Input> {
    data.split(|&b| b == 0x1e)
        .take(max)
        .enumerate()
        .map(|(i, part)| Input::bytes(name(i), part.to_vec()))
        .collect()
}

/// Run `f` on the scratch database (schema only, empty).
pub fn with_db<T>(f: impl FnOnce(&mut Connection) -> T) -> T {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let conn = slot.get_or_insert_with(|| {
            // One per process (libFuzzer may run several with -jobs), fresh each start.
            let path =
                std::env::temp_dir().join(format!("tradescope-fuzz-{}.db", std::process::id()));
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
            db::open_rw(&path).expect("scratch database")
        });
        f(conn)
    })
}

/// Import `inputs` as `format` into the scratch database, rolled back afterwards; the
/// database must be unchanged whatever the outcome.
pub fn dry_run(format: Format, inputs: &[Input]) -> Result<ImportReport> {
    with_db(|conn| {
        let report = import::dry_run(conn, format, inputs, &ImportOptions::default(), &NoProgress);
        for table in ["source", "shipment", "party", "patent", "assignee"] {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .expect("count rows");
            assert_eq!(n, 0, "a dry run left rows in {table}");
        }
        report
    })
}
