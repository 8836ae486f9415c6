//! The workbench tests' fixture: a database built with the real importers from the bundled
//! files as `init` does — the reference tables (product patterns, covered equipment), the OFAC,
//! DPL and CSL lists, the curated patent records, the seed case (Hikvision's shipments to its
//! trade partners), the CET table and the deterministic demo shipments; only the 47,000
//! PatentsView assignees of the default database are left out, to keep the build fast.
//! Also a synchronous driver: run `update`'s commands on a `Worker` in this thread until
//! nothing is pending, so tests see exactly what the user would once loading settles.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use tradescope::app::{update, Action, Command, Model, Worker};
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::progress::NoProgress;

pub struct Fixture {
    pub path: PathBuf,
    /// The Entity List entry of Hangzhou Hikvision.
    pub hik_el: i64,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

pub fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(build)
}

fn build() -> Fixture {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    // One file per test binary (they run one after the other), rebuilt on every run.
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(|p| p.file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or("tests");
    let path = dir.join(format!("workbench-fixture-{stem}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    // A database built anew at the same path: its audit anchor from the last run is not
    // evidence of anything (as `init` does).
    let _ = tradescope::db::audit::anchor::forget(&path);
    let mut conn = tradescope::db::open_rw(&path).expect("fixture database");
    // Reference tables first, as `init` does: shipments are scanned for products as they are
    // imported, and list imports link the pattern makers to their entries.
    let tx = conn.transaction().expect("transaction");
    tradescope::db::products::load_tsv(
        &tx,
        "data/reference/product_patterns.tsv",
        tradescope::products::DEFAULT_TSV,
    )
    .expect("product patterns");
    tradescope::db::covered::load_tsv(
        &tx,
        "data/reference/covered_equipment.tsv",
        tradescope::db::covered::DEFAULT_TSV,
    )
    .expect("covered equipment");
    tx.commit().expect("commit");
    // Embedded under their repository paths, so the "Source" shown does not depend on the
    // checkout's location.
    // The default database's imports (real lists, curated patents, the seed case) without
    // the 47,000 PatentsView assignees.
    for step in tradescope::bundle::steps() {
        if step.format == Format::Patentsview {
            continue;
        }
        let inputs: Vec<Input> = step
            .files
            .iter()
            .map(|b| Input::embedded(format!("data/{}", b.path), b.bytes))
            .collect();
        let opts = ImportOptions {
            as_of: step.as_of.map(str::to_string),
            synthetic: step.synthetic,
            ..Default::default()
        };
        import::import(&mut conn, step.format, &inputs, &opts, &NoProgress)
            .unwrap_or_else(|e| panic!("import {:?}: {e}", step.format));
    }
    let tx = conn.transaction().expect("transaction");
    tradescope::db::cet::load_tsv(
        &tx,
        "data/reference/cet_cpc.tsv",
        tradescope::db::cet::DEFAULT_TSV,
    )
    .expect("CET table");
    tx.commit().expect("commit");
    tradescope::demo::import(&mut conn, tradescope::demo::DEFAULT_SEED, &NoProgress)
        .expect("demo shipments");
    let hik_el: i64 = conn
        .query_row(
            "SELECT id FROM list_entry WHERE list_code = 'EL' AND name LIKE 'Hangzhou Hikvision%'",
            [],
            |r| r.get(0),
        )
        .expect("Hikvision is on the Entity List in the CSL file");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(conn);
    Fixture { path, hik_el }
}

/// A model and a worker over the fixture, started and settled (names loaded).
pub fn start(width: u16, height: u16) -> (Model, Worker) {
    let mut m = Model::new("fixture.db", width, height, true);
    let mut w = Worker::new(&fixture().path);
    let cmds = update(&mut m, Action::Start);
    settle(&mut m, &mut w, cmds);
    (m, w)
}

/// Run commands (and the commands their answers lead to) until nothing is pending.
pub fn settle(m: &mut Model, w: &mut Worker, cmds: Vec<Command>) {
    let mut queue: std::collections::VecDeque<Command> = cmds.into();
    let mut steps = 0;
    while let Some(cmd) = queue.pop_front() {
        steps += 1;
        assert!(steps < 1000, "commands keep coming: {cmd:?}");
        if let Some(a) = w.run(cmd, &|| false) {
            queue.extend(update(m, a));
        }
    }
}

/// Apply a user action and settle.
pub fn press(m: &mut Model, w: &mut Worker, a: Action) {
    let cmds = update(m, a);
    settle(m, w, cmds);
}

/// Type text into the current input line.
pub fn type_text(m: &mut Model, w: &mut Worker, s: &str) {
    for c in s.chars() {
        press(m, w, Action::Insert(c));
    }
}

/// A model and a worker over a private copy of the fixture (for tests that write to it, e.g.
/// decisions, which would change what other tests see), started and settled. Keep the
/// directory alive while the worker is used.
pub fn start_private(width: u16, height: u16) -> (Model, Worker, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("private.db");
    let conn = tradescope::db::open_ro(&fixture().path).expect("open the fixture");
    tradescope::db::backup::copy_to(&conn, &path).expect("copy the fixture");
    drop(conn);
    let mut m = Model::new("fixture.db", width, height, true);
    let mut w = Worker::new(&path);
    let cmds = update(&mut m, Action::Start);
    settle(&mut m, &mut w, cmds);
    (m, w, dir)
}
