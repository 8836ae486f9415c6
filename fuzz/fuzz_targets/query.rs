//! The query parsers on arbitrary text: the workbench's Shipments and Patents filter lines
//! (`party:"phuong viet" hs:8525 from:2020`, `cet:AI face`) and the patent-number readers used
//! by search and the importers, and the date reader behind `--as-of`. None may panic; a parsed
//! filter must run as SQL (on an empty database: every value is bound, never spliced), and
//! number and date parsing are stable.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use tradescope::app::filter::{parse_patents, parse_shipments};
use tradescope::db::import::fields;
use tradescope::db::import::patent_writer::parse_number;
use tradescope::db::patents::{self, number_digits, PatentSort};
use tradescope::db::shipments::{self, Sort};

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    if let Ok(f) = parse_shipments(&q) {
        common::with_db(|conn| {
            shipments::page(conn, &f, Sort::default(), None, 5).expect("shipments query runs");
            let _ = shipments::count(conn, &f, 100).expect("shipments count runs");
        });
    }
    if let Ok(f) = parse_patents(&q) {
        common::with_db(|conn| {
            patents::page(conn, &f, PatentSort::default(), None, 5).expect("patents query runs");
            let _ = patents::count(conn, &f, 100).expect("patents count runs");
        });
    }
    if let Some(d) = number_digits(&q) {
        assert!(d.len() >= 6 && d.bytes().all(|b| b.is_ascii_digit()), "{q:?} -> {d:?}");
    }
    // The date reader behind `--as-of`, `invest … --at` and every importer's date columns.
    if let Ok(Some(d)) = fields::date(&q) {
        assert_eq!(d.len(), 10, "{q:?} -> {d:?}");
        assert_eq!(fields::date(&d), Ok(Some(d.clone())), "a stored date reads back as itself");
    }
    if let Some(n) = parse_number(&q) {
        // The key is canonical: parsing it again gives the same key.
        let again = parse_number(&n.key).expect("a parsed key parses again");
        assert_eq!(again.key, n.key, "{q:?}");
    }
});
