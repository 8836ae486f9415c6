//! Hostile and damaged database files, and an import running while another connection browses.

use crate::common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;

use common::{content_digest, count_at, data, import_files};
use rusqlite::Connection;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::{self, Integrity};
use tradescope::progress::Progress;

fn dpl_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.db");
    import_files(
        &db,
        Format::Dpl,
        &[data("lists/bis_dpl.txt")],
        &ImportOptions::default(),
    )
    .expect("import the bundled DPL");
    db
}

/// Change the file behind tradescope's back, as another tool (or an attacker) would.
fn tamper(db: &Path, sql: &str) {
    let conn = Connection::open(db).expect("open with plain SQLite");
    conn.execute_batch(sql).expect("tamper");
}

fn err_text(r: tradescope::Result<Connection>) -> String {
    match r {
        Ok(_) => panic!("the database was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_foreign_trigger_is_refused_by_name_and_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    tamper(
        &db,
        "CREATE TABLE loot (v TEXT);
         CREATE TRIGGER steal AFTER INSERT ON list_entry BEGIN
           INSERT INTO loot VALUES (new.name); SELECT load_extension('/tmp/evil.so'); END;",
    );
    let msg = err_text(db::open_ro(&db));
    // The first foreign object found is named; both are foreign.
    assert!(
        msg.contains("`steal`") || msg.contains("`loot`"),
        "names the object: {msg}"
    );
    assert!(
        msg.contains("not used and nothing in it was executed"),
        "{msg}"
    );
    let msg = err_text(db::open_rw(&db));
    assert!(msg.contains("tradescope does not create"), "{msg}");
    // An import would have fired the trigger: it was refused before, so loot stays empty.
    let r = import_files(
        &db,
        Format::Ofac,
        &[data("lists/ofac_consolidated/cons_prim.csv")],
        &ImportOptions::default(),
    );
    assert!(r.is_err());
    assert_eq!(count_at(&db, "SELECT count(*) FROM loot"), 0);
}

#[test]
fn a_view_calling_functions_is_refused_naming_the_functions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    tamper(
        &db,
        "CREATE VIEW entry_view AS SELECT load_extension('/tmp/evil.so'), name FROM list_entry;",
    );
    let msg = err_text(db::open_ro(&db));
    assert!(msg.contains("view `entry_view`"), "{msg}");
    assert!(msg.contains("load_extension()"), "{msg}");
}

#[test]
fn an_altered_or_incomplete_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    tamper(
        &db,
        "ALTER TABLE list_entry ADD COLUMN x TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL;",
    );
    let msg = err_text(db::open_ro(&db));
    assert!(
        msg.contains("table `list_entry`") && msg.contains("differs") && msg.contains("upper()"),
        "{msg}"
    );

    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    tamper(&db, "DROP INDEX entry_name_norm;");
    let msg = err_text(db::open_ro(&db));
    assert!(
        msg.contains("`entry_name_norm`") && msg.contains("missing"),
        "{msg}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    std::fs::write(&db, "these are my notes, not a database\n".repeat(200)).unwrap();
    let msg = err_text(db::open_ro(&db));
    assert!(
        msg.contains("corrupt") && msg.contains("not a database"),
        "{msg}"
    );
}

/// Overwrite one whole page in the middle of the file with garbage.
fn smash_middle_page(db: &Path) {
    let page_size = 4096;
    let mut bytes = std::fs::read(db).unwrap();
    let pages = bytes.len() / page_size;
    assert!(pages > 8, "the test database has {pages} pages");
    let start = (pages / 2) * page_size;
    for (i, b) in bytes[start..start + page_size].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37) ^ 0xa5;
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn corrupt_pages_give_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    assert!(db::open_ro_with(&db, Integrity::Always).is_ok());
    smash_middle_page(&db);

    // --check finds it.
    let msg = err_text(db::open_ro_with(&db, Integrity::Always));
    eprintln!("{msg}");
    assert!(msg.contains("corrupt"), "{msg}");
    let msg = err_text(db::open_rw_with(&db, Integrity::Always));
    assert!(msg.contains("corrupt"), "{msg}");

    // A copy is a file from elsewhere: checked without being asked.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let msg = err_text(db::open_ro(&copy));
    assert!(msg.contains("corrupt"), "{msg}");

    // In place and unchecked, reading the damaged page fails with an error that says what is
    // wrong (and does not panic).
    let conn = db::open_ro(&db).expect("the schema pages are intact");
    let scan = conn
        .prepare("SELECT * FROM list_entry")
        .and_then(|mut s| s.query_map([], |_| Ok(()))?.collect::<Result<Vec<_>, _>>());
    if let Err(e) = scan {
        let msg = tradescope::Error::from(e).to_string();
        eprintln!("{msg}");
        assert!(
            msg.contains("corrupt") || msg.contains("malformed"),
            "{msg}"
        );
    }
}

#[test]
fn a_truncated_file_is_reported_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 2).unwrap();
    drop(f);
    let msg = err_text(db::open_ro(&db));
    assert!(msg.contains("corrupt"), "{msg}");
}

/// At the point of the import where all rows are written but not committed, lets the test
/// look at the database from another connection.
struct PauseMidImport<'a> {
    barrier: &'a Barrier,
    paused: AtomicBool,
}

impl Progress for PauseMidImport<'_> {
    fn stage(&self, name: &str, _total: Option<u64>) {
        if name == "linking names" && !self.paused.swap(true, Ordering::SeqCst) {
            self.barrier.wait(); // rows written, transaction open
            self.barrier.wait(); // the reader has looked
        }
    }
    fn inc(&self, _n: u64) {}
}

#[test]
fn an_import_runs_while_another_connection_browses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dpl_db(dir.path());
    let dpl_rows = count_at(&db, "SELECT count(*) FROM list_entry WHERE current = 1");
    let browser = db::open_ro(&db).unwrap();
    let current = |c: &Connection| -> i64 {
        c.query_row(
            "SELECT count(*) FROM list_entry WHERE current = 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(current(&browser), dpl_rows);

    let barrier = Barrier::new(2);
    let progress = PauseMidImport {
        barrier: &barrier,
        paused: AtomicBool::new(false),
    };
    let imported = std::thread::scope(|s| {
        let importer = s.spawn(|| {
            let mut conn = db::open_rw(&db).unwrap();
            let files = ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"]
                .map(|f| Input::path(data(&format!("lists/ofac_consolidated/{f}"))));
            import::import(
                &mut conn,
                Format::Ofac,
                &files,
                &ImportOptions::default(),
                &progress,
            )
            .unwrap()
            .rows as i64
        });
        barrier.wait();
        // The import has written its rows but not committed: the browser sees the old data,
        // and is not blocked.
        assert_eq!(current(&browser), dpl_rows);
        barrier.wait();
        importer.join().unwrap()
    });
    assert!(imported > 0);
    assert_eq!(current(&browser), dpl_rows + imported);
}

#[test]
fn a_shrinking_list_update_needs_allow_shrink() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let full = std::fs::read_to_string(data("lists/bis_dpl.txt")).unwrap();
    let lines: Vec<&str> = full.lines().collect();
    // The header and the first 60% of the rows: a 40% shrink, past the 20% limit.
    let keep = 1 + (lines.len() - 1) * 6 / 10;
    let shrunk = dir.path().join("dpl_shrunk.txt");
    std::fs::write(&shrunk, lines[..keep].join("\n") + "\n").unwrap();
    let at = |d: &str| ImportOptions {
        as_of: Some(d.into()),
        ..Default::default()
    };
    import_files(
        &db,
        Format::Dpl,
        &[data("lists/bis_dpl.txt")],
        &at("2022-01-01"),
    )
    .unwrap();
    let before = content_digest(&db);
    let full_rows = count_at(&db, "SELECT count(*) FROM list_entry WHERE current = 1");

    let err = import_files(
        &db,
        Format::Dpl,
        std::slice::from_ref(&shrunk),
        &at("2022-06-01"),
    )
    .expect_err("a 40% shrink is refused");
    assert!(err.to_string().contains("--allow-shrink"), "{err}");
    assert_eq!(
        content_digest(&db),
        before,
        "the refused update changed nothing"
    );

    let allowed = ImportOptions {
        allow_shrink: true,
        ..at("2022-06-01")
    };
    let report = import_files(&db, Format::Dpl, &[shrunk], &allowed).unwrap();
    let version = report.version.unwrap();
    assert!(version.became_current);
    assert_eq!(version.removed as i64, full_rows - (keep as i64 - 1));
    assert_eq!(
        count_at(&db, "SELECT count(*) FROM list_entry WHERE current = 1"),
        keep as i64 - 1
    );
}
