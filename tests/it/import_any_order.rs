//! Issue 21 item 2: shipment imports succeed whatever the order of their rows. The description
//! index is keyed by date (db::fts), so rows out of date order step its rowids backwards; that
//! once opened a new FTS5 segment per step and failed with "database or disk is full" at
//! FTS5's 2,000-segment limit (4,100 alternating dates; ~4,500 random ones; the fourth of
//! several 1,000-row random imports). Every import here is checked row for row, and the
//! description search must still page newest first exactly like a scan sorted by date.

use std::fmt::Write as _;

use rusqlite::Connection;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::shipments::{self, ShipmentFilter, Sort, SortKey};
use tradescope::progress::NoProgress;
use tradescope_bench::gen::{self, GenConfig};

/// CSV text of generated shipments (src/gen: realistic parties, descriptions with model
/// numbers, dates over six years), `n` rows, shuffled by `seed` so dates come in random order.
fn generated_csv(n: u64, seed: u64, shuffle: bool) -> String {
    let cfg = GenConfig {
        shipments: n,
        parties: 3_000,
        seed,
    };
    let (parties, roles) = gen::parties(&cfg, &[], &Default::default());
    let mut rows: Vec<_> = gen::Shipments::new(&cfg, roles).flatten().collect();
    if shuffle {
        fastrand::Rng::with_seed(seed).shuffle(&mut rows);
    }
    let mut out = String::from(
        "record_id,date,shipper,shipper_country,consignee,consignee_country,hs_codes,description\n",
    );
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (i, s) in rows.iter().enumerate() {
        let shipper = &parties[s.shipper as usize];
        let consignee = &parties[s.consignee as usize];
        let _ = writeln!(
            out,
            "S{seed}-{i},{},{},{},{},{},{},{}",
            s.ship_date,
            q(&shipper.name),
            shipper.country.as_deref().unwrap_or(""),
            q(&consignee.name),
            consignee.country.as_deref().unwrap_or(""),
            q(&s.hs_codes.join(";")),
            q(&s.description),
        );
    }
    out
}

fn import_csv(conn: &mut Connection, name: &str, text: String) -> u64 {
    let input = Input::bytes(name, text.into_bytes());
    let report = import::import(
        conn,
        Format::Shipments,
        &[input],
        &ImportOptions::default(),
        &NoProgress,
    )
    .unwrap_or_else(|e| panic!("import of {name} failed: {e}"));
    report.rows
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// FTS5 segments of the description index.
fn segments(conn: &Connection) -> i64 {
    // FTS5 keeps one `%_idx` row per leaf page (segid, first term, page): distinct segids.
    count(conn, "SELECT count(DISTINCT segid) FROM shipment_fts_idx")
}

fn check_index(conn: &Connection, shipments: i64) {
    assert_eq!(count(conn, "SELECT count(*) FROM shipment"), shipments);
    conn.execute(
        "INSERT INTO shipment_fts (shipment_fts, rank) VALUES ('integrity-check', 0)",
        [],
    )
    .expect("FTS5 integrity check");
    let segs = segments(conn);
    assert!(
        segs <= 200,
        "{segs} FTS5 segments after the imports: merging must bound them"
    );
}

/// Ids of every shipment whose description contains `text`, in (ship_date, id) order.
fn reference(conn: &Connection, text: &str, desc: bool) -> Vec<i64> {
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT id FROM shipment WHERE description LIKE '%' || ?1 || '%'
         ORDER BY ship_date {dir}, id {dir}"
    );
    let mut stmt = conn.prepare(&sql).expect(&sql);
    let rows = stmt.query_map([text], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// The first `pages` pages of the description search, newest (or oldest) first.
fn search_pages(conn: &Connection, text: &str, desc: bool, pages: usize) -> Vec<i64> {
    let f = ShipmentFilter {
        text: Some(text.to_string()),
        ..Default::default()
    };
    let sort = Sort {
        key: SortKey::Date,
        desc,
    };
    let mut out = Vec::new();
    let mut after = None;
    for _ in 0..pages {
        let page = shipments::page(conn, &f, sort, after.as_ref(), 50).expect("page");
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    out
}

fn check_search(conn: &Connection, text: &str, pages: usize) {
    for desc in [true, false] {
        let got = search_pages(conn, text, desc, pages);
        let want = reference(conn, text, desc);
        assert!(
            !want.is_empty(),
            "`{text}` matches nothing: a useless check"
        );
        let n = got.len();
        assert_eq!(
            got,
            want[..n.min(want.len())].to_vec(),
            "`{text}` desc={desc}: pages differ from the sorted scan"
        );
        assert_eq!(n, want.len().min(pages * 50));
    }
}

#[test]
fn issue21_item2_200k_shipments_in_random_date_order_in_one_import() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = tradescope::db::open_rw(&dir.path().join("t.db")).expect("open");
    let csv = generated_csv(200_000, 21, true);
    // The rows really are out of order: most steps between neighbours go back in time.
    let dates: Vec<&str> = csv
        .lines()
        .skip(1)
        .take(1000)
        .map(|l| l.split(',').nth(1).unwrap_or_default())
        .collect();
    let back = dates.windows(2).filter(|w| w[1] < w[0]).count();
    assert!(back > 250, "only {back} of 999 steps go back in time");
    assert_eq!(import_csv(&mut conn, "random200k.csv", csv), 200_000);
    check_index(&conn, 200_000);
    check_search(&conn, "CAMERA", 4);
    check_search(&conn, gen::describe::KNOWN_MODEL, 3);
}

#[test]
fn issue21_item2_several_small_unsorted_imports_in_a_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = tradescope::db::open_rw(&dir.path().join("t.db")).expect("open");
    // The failure was the fourth of 1,000-row random imports; run well past it.
    for k in 0..12u64 {
        let n = import_csv(
            &mut conn,
            &format!("part{k}.csv"),
            generated_csv(1_000, 100 + k, true),
        );
        assert_eq!(n, 1_000, "import {k}");
    }
    check_index(&conn, 12_000);
    check_search(&conn, "CAMERA", 3);
}

#[test]
fn issue21_item2_alternating_dates_4100_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = tradescope::db::open_rw(&dir.path().join("t.db")).expect("open");
    let mut csv = String::from("record_id,date,shipper,shipper_country,consignee,description\n");
    for i in 0..4_100 {
        let date = if i % 2 == 0 {
            "2021-01-02"
        } else {
            "2021-01-01"
        };
        let _ = writeln!(
            csv,
            "A{i},{date},SHIPPER {} CO LTD,CN,CONSIGNEE {} INC,IP CAMERA DS-2CD{i:04} LOT {i}",
            i % 17,
            i % 11
        );
    }
    assert_eq!(import_csv(&mut conn, "alternate.csv", csv), 4_100);
    // And the sorted case keeps working next to it.
    let sorted = generated_csv(3_000, 7, false);
    assert_eq!(import_csv(&mut conn, "sorted.csv", sorted), 3_000);
    check_index(&conn, 7_100);
    check_search(&conn, "CAMERA", 3);
    check_search(&conn, "DS-2CD00", 2);
}
