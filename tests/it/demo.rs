//! The demo generator: deterministic, synthetic, and it contains what the demo is for.

use crate::common;

use common::*;
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use tradescope::demo::{self, DemoReport};
use tradescope::progress::NoProgress;

fn generate(seed: u64) -> (TestDb, DemoReport) {
    let mut t = new_db();
    let (report, demo) = demo::import(&mut t.conn, seed, &NoProgress).expect("demo");
    assert!(!report.already_imported);
    let demo = demo.expect("a demo report on first generation");
    assert_eq!(report.rows, demo.shipments);
    (t, demo)
}

/// Hash of everything the generator writes, row by row in id order.
fn content_hash(conn: &Connection) -> String {
    let mut h = Sha256::new();
    for sql in [
        "SELECT id, source_line, name, norm, address, city, country, synthetic, n_shipped,
                n_received, n_notified FROM party ORDER BY id",
        "SELECT * FROM shipment ORDER BY id",
        "SELECT * FROM shipment_hs ORDER BY shipment_id, seq",
        "SELECT rowid FROM shipment_fts WHERE shipment_fts MATCH '\"2CD2143\"' ORDER BY rowid",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                h.update(format!("{v:?}\u{1f}").as_bytes());
            }
            h.update(b"\n");
        }
    }
    format!("{:x}", h.finalize())
}

#[test]
fn same_seed_same_database_content() {
    let (a, ra) = generate(7);
    let (b, rb) = generate(7);
    assert_eq!(ra, rb);
    assert_eq!(content_hash(&a.conn), content_hash(&b.conn));
    let (c, _) = generate(8);
    assert_ne!(
        content_hash(&a.conn),
        content_hash(&c.conn),
        "the seed matters"
    );
}

#[test]
fn demo_is_a_few_thousand_synthetic_bills_among_a_few_hundred_parties() {
    let (t, r) = generate(demo::DEFAULT_SEED);
    assert!((2_000..=6_000).contains(&r.shipments), "{r:?}");
    assert!((150..=600).contains(&r.parties), "{r:?}");
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM shipment WHERE synthetic = 0"),
        0
    );
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM party WHERE synthetic = 0"),
        0
    );
    assert_eq!(count(&t.conn, "SELECT synthetic FROM source"), 1);
    assert!(
        r.hikvision_before_el > 0 && r.hikvision_after_el > 0,
        "{r:?}"
    );
    let before = count(
        &t.conn,
        "SELECT count(*) FROM shipment s JOIN party p ON p.id = s.shipper_id
         WHERE p.name LIKE '%HIK%VISION%' AND s.ship_date < '2019-10-09'",
    );
    assert_eq!(before as u64, r.hikvision_before_el);
    // "TO ORDER" bills hide the buyer: no consignee party, the buyer is the notify party.
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM party WHERE name LIKE 'TO %ORDER%'"
        ),
        0
    );
    assert!(
        count(
            &t.conn,
            "SELECT count(*) FROM shipment WHERE consignee_id IS NULL AND notify_id IS NOT NULL"
        ) > 0
    );
    for who in ["PHUONG VIET DISTRIBUTION", "MACROQUIL"] {
        assert!(
            count(
                &t.conn,
                &format!("SELECT n_received FROM party WHERE name = '{who}'")
            ) > 0,
            "{who} receives goods"
        );
    }
    let countries: Vec<String> = t
        .conn
        .prepare("SELECT DISTINCT dest_country FROM shipment ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(countries, vec!["EC", "IN", "MX", "US", "VN"]);
    // Spelling variants of a listed maker are distinct parties.
    assert!(
        count(
            &t.conn,
            "SELECT count(*) FROM party WHERE name LIKE '%HIK%VISION%'"
        ) >= 3
    );
    // Generating the same seed again is recognised.
    let mut conn = t.conn;
    let (again, none) = demo::import(&mut conn, demo::DEFAULT_SEED, &NoProgress).unwrap();
    assert!(again.already_imported && none.is_none());
}

#[test]
fn hikvision_to_phuong_viet_to_a_us_importer() {
    let (t, r) = generate(demo::DEFAULT_SEED);
    let trail = &r.trail;
    assert_eq!(trail.distributor, "PHUONG VIET DISTRIBUTION");
    assert!((30..=180).contains(&trail.days));
    let leg = |id: i64| -> (String, String, String, String, String) {
        t.conn
            .query_row(
                "SELECT sh.name, co.name, co.country, s.ship_date, s.description
                 FROM shipment s JOIN party sh ON sh.id = s.shipper_id
                 JOIN party co ON co.id = s.consignee_id WHERE s.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap()
    };
    let first = leg(trail.maker_shipment);
    let onward = leg(trail.onward_shipment);
    assert_eq!(first.0, "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.");
    assert_eq!(first.1, "PHUONG VIET DISTRIBUTION");
    assert_eq!(first.2, "VN");
    assert_eq!(onward.0, "PHUONG VIET DISTRIBUTION");
    assert_eq!(onward.2, "US");
    assert_eq!(onward.1, trail.importer);
    let days = count(
        &t.conn,
        &format!(
            "SELECT CAST(julianday('{}') - julianday('{}') AS INTEGER)",
            onward.3, first.3
        ),
    );
    assert!((30..=180).contains(&days), "{days} days");
    // Both legs are found by a model-number fragment.
    let hits: Vec<i64> = t
        .conn
        .prepare(
            "SELECT rowid & 4294967295 FROM shipment_fts WHERE shipment_fts MATCH '\"2CD7A46G0\"'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(hits.contains(&trail.maker_shipment) && hits.contains(&trail.onward_shipment));
    // The trail is one of many onward shipments within 30–180 days of a maker export.
    assert!(r.onward_shipments > 100, "{r:?}");
}

#[test]
fn demo_after_lists_links_listed_makers() {
    let mut t = new_db();
    import(
        &mut t.conn,
        tradescope::db::import::Format::Csl,
        &[repo("data/lists/csl_consolidated_2022-05.csv.gz")],
    )
    .unwrap();
    let (report, _) = demo::import(&mut t.conn, demo::DEFAULT_SEED, &NoProgress).unwrap();
    assert!(report.links.party_links > 0);
    let linked = count(
        &t.conn,
        "SELECT count(DISTINCT p.id) FROM link_party l JOIN party p ON p.id = l.party_id
         JOIN list_entry e ON e.id = l.entry_id
         WHERE p.name LIKE '%HIKVISION%' AND e.list_code = 'EL'",
    );
    assert!(
        linked >= 1,
        "Hikvision spellings link to the Entity List entry"
    );
}
