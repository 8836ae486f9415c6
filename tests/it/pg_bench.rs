//! The side-by-side benchmark (`tradescope-bench bench --postgres URL`, issue 19 item 6) runs
//! end to end on a small database: both engines answer, the same counts, every figure present.

use tradescope_core::progress::NoProgress;

use super::investigate::default_db;
use super::pg::server;

#[test]
fn the_side_by_side_bench_measures_both_engines_on_the_same_rows() {
    let (_server, admin) = server();
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("bench.db");
    let src = rusqlite::Connection::open(default_db()).expect("open default");
    src.execute("VACUUM INTO ?1", [db.to_str().expect("path")])
        .expect("vacuum into");
    drop(src);

    let m = tradescope_bench::engines::measure(&db, &admin, 2, true, &NoProgress)
        .expect("the side-by-side run");
    let names: Vec<&str> = m.rows.iter().map(|r| r.name.as_str()).collect();
    for want in [
        "load of shipments",
        "drill entity → first page (warm)",
        "description substring \"2CD7A46\" → first page",
        "description substring \"2CD7A46\" → count",
        "database size per million shipments",
    ] {
        assert!(names.contains(&want), "{want:?} in {names:?}");
    }
    let readers = m
        .rows
        .iter()
        .find(|r| r.name.starts_with("8 sessions drilling"))
        .expect("the concurrency row");
    for cell in [&readers.sqlite, &readers.pg] {
        assert!(
            cell.starts_with("max ") && cell.contains(" drills over a "),
            "{cell}"
        );
    }
    let warm = &m.rows[1];
    for cell in [&warm.sqlite, &warm.pg] {
        assert!(cell.ends_with(')') && cell.contains(" ms (p99 "), "{cell}");
    }
    assert!(m.rows[0].pg.contains(" rows/s ("), "{}", m.rows[0].pg);
    let md = tradescope_bench::engines::markdown(&m);
    assert!(
        md.starts_with(&format!("| figure ({} shipments)", m.shipments)),
        "{md}"
    );
    assert!(
        md.contains("- **load of shipments**: PostgreSQL: `tradescope copy`"),
        "{md}"
    );
}
