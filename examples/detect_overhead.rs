//! What product detection costs at import: 100,000 shipment descriptions written through the
//! shared trade writer with and without the product pattern table, and the detector alone.
//!
//! Run: `cargo run --example detect_overhead` (dev profile: dependencies at opt-level 2, the
//! crate at 1; a release build is faster still). Descriptions are the demo generator's, cycled.

use std::time::Instant;

use tradescope::db::import::trade::{NewParty, NewShipment, TradeWriter};
use tradescope::db::{self, products};
use tradescope::products::Detector;
use tradescope::progress::NoProgress;

const N: usize = 100_000;

fn descriptions() -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = db::open_rw(&dir.path().join("demo.db")).expect("db");
    tradescope::demo::import(&mut conn, tradescope::demo::DEFAULT_SEED, &NoProgress).expect("demo");
    let all: Vec<String> = conn
        .prepare("SELECT description FROM shipment WHERE description IS NOT NULL ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("descriptions");
    all.iter().cycle().take(N).cloned().collect()
}

/// Seconds to write N shipments (one transaction), with or without the pattern table.
fn import(descs: &[String], with_patterns: bool) -> (f64, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = db::open_rw(&dir.path().join("w.db")).expect("db");
    let tx = conn.transaction().expect("tx");
    if with_patterns {
        products::load_tsv(&tx, "bundled", tradescope::products::DEFAULT_TSV).expect("patterns");
    }
    tx.execute(
        "INSERT INTO source (dataset, format, path, sha256, imported_at) VALUES ('bench', 'bench', 'bench', 'x', 'now')",
        [],
    )
    .expect("source");
    let source = tx.last_insert_rowid();
    let start = Instant::now();
    {
        let mut w = TradeWriter::new(&tx, source, true).expect("writer");
        let shipper = w
            .party(&NewParty {
                name: "DISTRIBUTOR".into(),
                country: Some("VN".into()),
                ..Default::default()
            })
            .expect("party");
        for (i, d) in descs.iter().enumerate() {
            w.shipment(&NewShipment {
                line: i as u64 + 1,
                ship_date: Some("2021-03-09".into()),
                shipper_id: shipper,
                hs_codes: vec!["852589".into()],
                description: Some(d.clone()),
                ..Default::default()
            })
            .expect("shipment");
        }
        w.finish().expect("finish");
    }
    let secs = start.elapsed().as_secs_f64();
    let found: i64 = tx
        .query_row(
            "SELECT count(DISTINCT shipment_id) FROM shipment_product",
            [],
            |r| r.get(0),
        )
        .expect("count");
    tx.commit().expect("commit");
    (secs, found)
}

fn main() {
    let descs = descriptions();
    let det = Detector::default_table().expect("bundled patterns");
    let start = Instant::now();
    let hits: usize = descs.iter().map(|d| det.detect(d).len()).sum();
    let detect = start.elapsed().as_secs_f64();
    // Alternating runs, best of three each: the machine is shared.
    let (mut without, mut with, mut found) = (f64::MAX, f64::MAX, 0);
    for _ in 0..3 {
        without = without.min(import(&descs, false).0);
        let (s, f) = import(&descs, true);
        with = with.min(s);
        found = f;
    }
    println!("| per {N} descriptions | seconds |");
    println!("|---|---|");
    println!("| detector alone (RegexSet + extraction, {hits} hits) | {detect:.3} |");
    println!("| import without patterns | {without:.3} |");
    println!("| import with patterns ({found} shipments with products) | {with:.3} |");
    println!(
        "| overhead at import | {:.3} ({:+.0}%) |",
        with - without,
        (with / without - 1.0) * 100.0
    );
}
