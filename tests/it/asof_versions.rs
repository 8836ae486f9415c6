//! As-of screening across list versions: a listing a newer version dropped is "delisted" for
//! shipments after that version's date, and parties imported after the removal are still
//! linked to the past listing.

use crate::common;

use std::path::PathBuf;

use tradescope::db;
use tradescope::db::asof::{self, AsOfStatus};
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::shipments::{self, ShipmentFilter, Sort};
use tradescope::progress::NoProgress;

/// A company dropped by a newer list version is "delisted" for shipments after that version,
/// and a party imported after the removal is still linked to the past listing.
#[test]
fn a_listing_removed_by_a_newer_version_is_delisted_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    let text = std::fs::read_to_string(common::data("lists/bis_dpl.txt")).unwrap();
    let v1 = dir.path().join("dpl_2019.txt");
    std::fs::write(&v1, &text).unwrap();
    let v2 = dir.path().join("dpl_2020.txt");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("DAHUA ELECTRONICS CORPORATION"))
        .collect();
    assert_eq!(kept.len() + 1, text.lines().count());
    std::fs::write(&v2, kept.join("\n")).unwrap();
    let header =
        "record_id,date,shipper,shipper_country,consignee,consignee_country,hs_codes,description\n";
    let ship_a = dir.path().join("a.csv");
    std::fs::write(
        &ship_a,
        format!("{header}A-1,2019-12-01,SHENZHEN CAMERA FACTORY,CN,DAHUA ELECTRONICS CORPORATION,US,8525.89,IP CAMERA\n"),
    )
    .unwrap();
    let ship_b = dir.path().join("b.csv");
    std::fs::write(
        &ship_b,
        format!("{header}B-1,2020-12-01,SHENZHEN CAMERA FACTORY,CN,DAHUA ELECTRONICS CORPORATION,CA,8525.89,IP CAMERA\n"),
    )
    .unwrap();
    let mut conn = db::open_rw(&path).unwrap();
    let mut run = |format: Format, file: &PathBuf, as_of: Option<&str>| {
        import::import(
            &mut conn,
            format,
            &[Input::path(file)],
            &ImportOptions {
                as_of: as_of.map(str::to_string),
                ..Default::default()
            },
            &NoProgress,
        )
        .expect("import")
    };
    run(Format::Dpl, &v1, Some("2019-06-05"));
    run(Format::Shipments, &ship_a, None);
    let r = run(Format::Dpl, &v2, Some("2020-06-01"));
    assert_eq!(r.version.map(|v| v.removed), Some(1));
    run(Format::Shipments, &ship_b, None);
    let id = |rid: &str| -> i64 {
        conn.query_row(
            "SELECT id FROM shipment WHERE identifier = ?1",
            [rid],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (a, b) = (id("A-1"), id("B-1"));
    let flags_a = asof::shipment(&conn, a).unwrap();
    assert_eq!(flags_a.consignee.len(), 1, "{flags_a:?}");
    assert_eq!(flags_a.consignee[0].status, AsOfStatus::ListedAtDate);
    let flags_b = asof::shipment(&conn, b).unwrap();
    assert_eq!(flags_b.consignee.len(), 1, "{flags_b:?}");
    assert_eq!(flags_b.consignee[0].status, AsOfStatus::Delisted);
    assert!(
        flags_b.consignee[0].reason.contains("2020-06-01"),
        "{flags_b:?}"
    );
    // The same shipment a year earlier would have been listed: the flag is about its date.
    let f = ShipmentFilter {
        listed_at_date: Some(true),
        ..Default::default()
    };
    let listed: Vec<i64> = shipments::page(&conn, &f, Sort::default(), None, 100)
        .expect("shipments")
        .rows
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, vec![a]);
}
