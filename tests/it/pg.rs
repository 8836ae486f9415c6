//! tradescope on PostgreSQL (issue 19, first part), against a real server: a throwaway
//! cluster started by the test itself (or the one `.ci/run` started, `TRADESCOPE_TEST_PG`).
//! Nothing here is skipped when no server can be had: the test fails, saying why.

use std::path::{Path, PathBuf};
use std::process::Output;

use tradescope_pg::cluster::{self, TempCluster};

use super::migrations::{cli, copy_fixture, user_rows};

/// A server to test against, and its admin URL; the cluster stops when the first is dropped.
pub(super) fn server() -> (Option<TempCluster>, String) {
    if let Ok(url) = std::env::var("TRADESCOPE_TEST_PG") {
        return (None, url);
    }
    let c = TempCluster::start().unwrap_or_else(|e| {
        panic!("no PostgreSQL server for the tests: {e} (install postgresql, or set TRADESCOPE_TEST_PG to an admin URL)")
    });
    let url = c.url("postgres");
    (Some(c), url)
}

pub(super) fn new_database(admin: &str, tag: &str) -> String {
    let name = format!("t_{tag}_{}_{}", std::process::id(), fastrand::u32(..));
    cluster::create_database(admin, &name).expect("createdb")
}

pub(super) fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/releases/d23aab3.db")
}

/// A release's database (lists, shipments, patents, links, a confirmed link, a case and a
/// keyed audit log) goes to PostgreSQL and back: every row of every table is the same, the
/// audit chain verifies on the copy, and description search works on the rebuilt index.
#[test]
fn copy_moves_a_database_to_postgresql_and_back_whole() {
    let (_server, admin) = server();
    let url = new_database(&admin, "round");
    let dir = tempfile::tempdir().expect("tmp");
    let src = copy_fixture(&fixture(), dir.path());

    let out = ok(cli(
        &src,
        &[
            "copy",
            "--from",
            src.to_str().expect("path"),
            "--to",
            &url,
            "--json",
        ],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["verified"], true);
    assert!(
        report["audit"]["rows"].as_u64().expect("rows") >= 3,
        "{report}"
    );
    let before = user_rows(&src);
    let shipments = before["shipment"].len() as u64;
    let copied = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["table"] == "shipment")
        .expect("shipment table")["rows"]
        .as_u64();
    assert_eq!(copied, Some(shipments));

    // In PostgreSQL: the shipments sit in year partitions, the user data is there.
    let mut pg = tradescope_pg::connect(&url).expect("connect");
    let partitions: i64 = pg
        .query_one(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'shipment'::regclass",
            &[],
        )
        .expect("partitions")
        .get(0);
    assert!(partitions >= 2, "{partitions} partitions");
    let confirmed: i64 = pg
        .query_one(
            "SELECT count(*) FROM link_party WHERE status = 'confirmed'",
            &[],
        )
        .expect("links")
        .get(0);
    assert_eq!(confirmed, 1);
    // Sequences continue after the copied ids.
    let next: i64 = pg
        .query_one(
            "SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))",
            &[],
        )
        .expect("seq")
        .get(0);
    assert_eq!(next as usize, before["audit_log"].len() + 1);
    // pg_trgm serves substring search over descriptions.
    let nvr: i64 = pg
        .query_one(
            "SELECT count(*) FROM shipment WHERE description ILIKE '%nvr%'",
            &[],
        )
        .expect("trgm")
        .get(0);
    assert!(nvr > 0);

    // And back, into a new file: the same rows, table by table.
    let back = dir.path().join("back.db");
    let out = ok(cli(
        &back,
        &["copy", "--from", &url, "--to", back.to_str().expect("path")],
    ));
    assert!(out.contains("verified against the source"), "{out}");
    assert_eq!(user_rows(&back), before);
    let verify = ok(cli(&back, &["audit", "verify"]));
    assert!(!verify.is_empty());
    let found = ok(cli(
        &back,
        &["shipments", "--text", "nvr", "--limit", "100000", "--json"],
    ));
    let found: serde_json::Value = serde_json::from_str(&found).expect("json");
    assert_eq!(
        found["rows"].as_array().map(|a| a.len() as i64),
        Some(nvr),
        "{found}"
    );
}

/// A copy never overwrites: into a PostgreSQL database that holds a schema already, or onto
/// an existing file, it is refused and the target is left exactly as it was.
#[test]
fn copy_refuses_a_target_that_is_not_empty_and_changes_nothing() {
    let (_server, admin) = server();
    let url = new_database(&admin, "twice");
    let dir = tempfile::tempdir().expect("tmp");
    let src = copy_fixture(&fixture(), dir.path());
    let from = src.to_str().expect("path");
    ok(cli(&src, &["copy", "--from", from, "--to", &url]));
    let mut pg = tradescope_pg::connect(&url).expect("connect");
    let rows = |pg: &mut postgres::Client| -> i64 {
        pg.query_one("SELECT count(*) FROM audit_log", &[])
            .expect("n")
            .get(0)
    };
    let n = rows(&mut pg);

    let again = cli(&src, &["copy", "--from", from, "--to", &url]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already holds a tradescope schema"), "{err}");
    assert_eq!(rows(&mut pg), n);

    let existing = dir.path().join("existing.db");
    std::fs::write(&existing, b"not mine").expect("write");
    let out = cli(
        &existing,
        &[
            "copy",
            "--from",
            &url,
            "--to",
            existing.to_str().expect("p"),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read(&existing).expect("read"), b"not mine");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The PostgreSQL schema has every table and column of the SQLite schema, and no other:
/// the check that keeps the two hand-written schemas in step.
#[test]
fn postgresql_schema_has_the_sqlite_tables_column_for_column() {
    let (_server, admin) = server();
    let url = new_database(&admin, "schema");
    let dir = tempfile::tempdir().expect("tmp");
    let fresh = tradescope::db::dump::Database::create(&dir.path().join("fresh.db")).expect("db");
    let tables = fresh.tables().expect("tables");
    assert!(tables.iter().any(|t| t.name == "decision"));
    assert!(!tables.iter().any(|t| t.name.starts_with("shipment_fts")));
    let mut pg = tradescope_pg::connect(&url).expect("connect");
    let mut tx = pg.transaction().expect("tx");
    tradescope_pg::schema::create_tables(&mut tx).expect("tables");
    tradescope_pg::schema::create_indexes(&mut tx).expect("indexes");
    tradescope_pg::copy::check_columns(&mut tx, &tables).expect("same columns");
    tx.commit().expect("commit");
    assert_eq!(
        tradescope_pg::schema::version(&mut pg).expect("v"),
        Some(tradescope_pg::schema::SCHEMA_VERSION)
    );
}

/// A database of PostgreSQL schema v3 (the drill indexes sorting NULL dates last) is brought
/// to v4 when opened: the version recorded, every drill index rebuilt `NULLS FIRST`, no row
/// lost, and the entity drill answers as before.
#[test]
fn a_version_3_database_is_upgraded_to_version_4_on_open() {
    use tradescope_store::shipments::{ShipmentFilter, Sort};
    use tradescope_store::Store;

    let (_server, admin) = server();
    let url = new_database(&admin, "v3");
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("v3.db");
    let src = rusqlite::Connection::open(super::investigate::default_db()).expect("open");
    src.execute("VACUUM INTO ?1", [db.to_str().expect("path")])
        .expect("vacuum into");
    drop(src);
    tradescope_pg::copy::sqlite_to_pg(&db, &url, &tradescope_core::progress::NoProgress)
        .expect("copy");

    // Make it what a v3 build wrote: the same indexes, NULL dates last.
    let mut c = tradescope_pg::connect(&url).expect("connect");
    let indexes: Vec<(String, String)> = c
        .query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('shipment', \
             'shipment_hs') AND indexdef LIKE '%NULLS FIRST%'",
            &[],
        )
        .expect("indexes")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(indexes.len() >= 10, "{indexes:?}");
    for (name, def) in &indexes {
        let old = def.replace(" NULLS FIRST", "");
        c.batch_execute(&format!("DROP INDEX {name}; {old}"))
            .expect("v3 index");
    }
    c.batch_execute("UPDATE tradescope_schema SET version = 3")
        .expect("v3 version");
    let before: i64 = c
        .query_one("SELECT count(*) FROM shipment", &[])
        .expect("count")
        .get(0);
    let eid = super::investigate::hikvision_el(&tradescope_store::open_ro(&db).expect("ro"));
    let filter = ShipmentFilter {
        entity_id: Some(eid),
        ..Default::default()
    };
    let sqlite = tradescope_store::SqliteStore::open(&db).expect("sqlite store");
    let want = sqlite
        .shipments_page(&filter, Sort::default(), None, 50)
        .expect("sqlite page");

    let pg = tradescope_pg::PgStore::open(&url).expect("open upgrades");
    let version: i64 = c
        .query_one("SELECT max(version) FROM tradescope_schema", &[])
        .expect("version")
        .get(0);
    assert_eq!(version, tradescope_pg::schema::SCHEMA_VERSION);
    let after: Vec<String> = c
        .query(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'shipment' \
             AND indexname = 'shipment_shipper'",
            &[],
        )
        .expect("indexes")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        after.len() == 1 && after[0].contains("ship_date NULLS FIRST"),
        "{after:?}"
    );
    let n: i64 = c
        .query_one("SELECT count(*) FROM shipment", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, before);
    let got = pg
        .shipments_page(&filter, Sort::default(), None, 50)
        .expect("pg page");
    let ids =
        |p: &tradescope_store::shipments::Page| p.rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert!(!want.rows.is_empty());
    assert_eq!(ids(&got), ids(&want));
}
