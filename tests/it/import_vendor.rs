//! Vendor shipment exports (issue 15 item 5): a 61-column US-import export and an Indian export
//! (tests/fixtures/vendor, shaped from the description of real files; see PROVENANCE.md
//! there), the column table (`columns export|import`) and `--map`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common;

use common::*;
use rusqlite::Connection;
use tradescope::db::import::{Format, ImportOptions};

fn fixture(name: &str) -> PathBuf {
    repo(&format!("tests/fixtures/vendor/{name}"))
}

/// (ship_date, shipper, consignee, notify, origin, dest, lading, unlading, weight_kg, weight,
/// unit, mode, bill_type) of the bill with this identifier.
type Bill = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn bill(conn: &Connection, identifier: &str) -> Bill {
    conn.query_row(
        "SELECT s.ship_date, sp.name, cp.name, np.name, s.origin_country, s.dest_country,
                s.port_of_lading, s.port_of_unlading, s.weight_kg, s.weight, s.weight_unit,
                s.mode, s.bill_type
         FROM shipment s
         LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id
         LEFT JOIN party np ON np.id = s.notify_id
         WHERE s.identifier = ?1",
        [identifier],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
            ))
        },
    )
    .unwrap_or_else(|e| panic!("bill {identifier}: {e}"))
}

fn port_code(conn: &Connection, identifier: &str, role: &str) -> Option<String> {
    conn.query_row(
        "SELECT c.code FROM shipment_port_code c JOIN shipment s ON s.id = c.shipment_id
         WHERE s.identifier = ?1 AND c.role = ?2",
        [identifier, role],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn us_import_export_reads_weights_parties_countries_and_ports() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Shipments,
        &[fixture("us_import_61col.csv")],
    )
    .expect("the 61-column vendor export imports");
    assert_eq!(r.rows, 6);
    let cols = r.columns.as_ref().expect("the column report");
    assert_eq!(cols.layout.as_deref(), Some("us-import"));
    assert_eq!(cols.used["date"], "ACTUAL_ARRIVAL_DATE");
    assert_eq!(cols.used["origin_country"], "COUNTRY");
    assert_eq!(cols.used["weight_kg"], "WEIGHT_IN_KG");
    assert_eq!(cols.used["mode"], "MODE_OF_TRANSPORTATION");
    assert_eq!(cols.used["bill_type"], "BILL_TYPE");
    assert_eq!(
        cols.used.len() + cols.ignored.len(),
        61,
        "every column accounted for"
    );

    // Pounds with a kilogram column: the kilogram column, the pounds kept as published.
    let b1 = bill(&t.conn, "MAEU230001");
    assert_eq!(b1.0, "2023-07-14");
    assert_eq!(b1.1.as_deref(), Some("KESAR EXAMPLE TEXTILES PVT LTD"));
    assert_eq!(b1.2.as_deref(), Some("LAKESHORE SAMPLE HOME INC"));
    assert_eq!(b1.3, None, "notify N/A is no party");
    assert_eq!((b1.4.as_deref(), b1.5.as_deref()), (Some("IN"), Some("US")));
    assert_eq!(b1.6.as_deref(), Some("MUNDRA"));
    assert_eq!(b1.7.as_deref(), Some("NEW YORK, NEW YORK"));
    assert_eq!(
        (b1.8, b1.9, b1.10.as_deref()),
        (Some(10000.0), Some(22046.0), Some("LB"))
    );
    assert_eq!(b1.11.as_deref(), Some("Vessel, containerized"));
    assert_eq!(b1.12.as_deref(), Some("Regular Bill"));
    assert_eq!(
        port_code(&t.conn, "MAEU230001", "lading").as_deref(),
        Some("53306")
    );
    assert_eq!(
        port_code(&t.conn, "MAEU230001", "unlading").as_deref(),
        Some("1001")
    );

    // `K` with WEIGHT_IN_KG = N/A: kilograms as published.
    let b2 = bill(&t.conn, "MAEU230002");
    assert_eq!(
        (b2.8, b2.9, b2.10.as_deref()),
        (Some(7350.0), Some(7350.0), Some("K"))
    );
    assert_eq!(b2.2, None, "consignee N/A is no party");
    assert_eq!(b2.3.as_deref(), Some("HARBOR EXAMPLE LOGISTICS LLC"));
    // Pounds without a kilogram value: converted.
    let b3 = bill(&t.conn, "MAEU230003");
    assert_eq!(
        (b3.8, b3.9, b3.10.as_deref()),
        (Some(8164.663), Some(18000.0), Some("LB"))
    );
    assert_eq!(b3.2, None, "TO ORDER is no party");
    assert_eq!(b3.12.as_deref(), Some("House Bill"));
    assert_eq!(b3.7.as_deref(), Some("CHICAGO, ILLINOIS"));
    // Metric tons; another foreign port.
    let b4 = bill(&t.conn, "MAEU230004");
    assert_eq!((b4.8, b4.10.as_deref()), (Some(16200.0), Some("MT")));
    assert_eq!(b4.6.as_deref(), Some("KANDLA"));
    assert_eq!(
        port_code(&t.conn, "MAEU230004", "lading").as_deref(),
        Some("53313")
    );
    // A unit that is no mass: not guessed.
    let b6 = bill(&t.conn, "MAEU230006");
    assert_eq!(
        (b6.8, b6.9, b6.10.as_deref()),
        (None, Some(26.0), Some("CBM"))
    );
    assert_eq!(b6.2, None, "TO THE ORDER OF … is no party");

    // The two N/A shippers are not one party linking unrelated bills; no placeholder party.
    assert_eq!(bill(&t.conn, "MAEU230004").1, None);
    assert_eq!(bill(&t.conn, "MAEU230005").1, None);
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM party WHERE name IN ('N/A', 'TO ORDER') OR name LIKE 'TO THE ORDER%'"
        ),
        0
    );
    // Parties: 2 shippers, 2 consignees (Lakeshore twice), 2 notify parties.
    assert_eq!(count(&t.conn, "SELECT count(*) FROM party"), 6);

    let w = r.warnings.join("\n");
    assert!(w.contains("ignored columns: "), "{w}");
    for c in [
        "CARRIER_NAME",
        "VOYAGE_NUMBER",
        "MEASUREMENT_UNIT",
        "VALUE_USD",
        "ROW_ID",
    ] {
        assert!(
            cols.ignored.iter().any(|(i, _)| i == c),
            "{c} in {:?}",
            cols.ignored
        );
        assert!(w.contains(c), "{c} named in the warning: {w}");
    }
    assert!(
        w.contains("placeholder party names not made into parties: N/A ×6, TO ORDER ×1, TO THE ORDER OF STATE BANK OF INDIA ×1"),
        "{w}"
    );
    assert!(
        w.contains("1 weights in unit `CBM` not converted to kg"),
        "{w}"
    );
    assert!(w.contains("first on line 7"), "{w}");
}

#[test]
fn indian_export_keeps_goods_description_country_and_destination_port() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Shipments,
        &[fixture("india_export.csv")],
    )
    .expect("Indian export imports");
    assert_eq!(r.rows, 3);
    let cols = r.columns.as_ref().unwrap();
    assert_eq!(cols.layout.as_deref(), Some("india-export"));
    let (desc, dest, lading, unlading, shipper, date): (
        String,
        String,
        String,
        String,
        String,
        String,
    ) = t
        .conn
        .query_row(
            "SELECT s.description, s.dest_country, s.port_of_lading, s.port_of_unlading, p.name,
                    s.ship_date
             FROM shipment s JOIN party p ON p.id = s.shipper_id WHERE s.identifier = '7345012'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(desc, "CCTV CAMERA MODULE PARTS");
    assert_eq!(dest, "AE", "COUNTRY of an export is the destination");
    assert_eq!(lading, "NHAVA SHEVA SEA", "the UN/LOCODE is split off");
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM shipment_port_code c JOIN shipment s ON s.id = c.shipment_id
             WHERE s.identifier = '7345012' AND c.role = 'lading' AND c.code = 'INNSA1'"
        ),
        1
    );
    assert_eq!(unlading, "JEBEL ALI");
    assert_eq!(shipper, "DECCAN EXAMPLE ELECTRONICS PVT LTD");
    assert_eq!(date, "2023-06-03");
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM shipment WHERE identifier = '7345877' AND consignee_id IS NULL AND dest_country = 'US'"
        ),
        1,
        "buyer N/A: no party, the country still set"
    );
    let ignored: Vec<&str> = cols.ignored.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        ignored,
        ["UNIT PRICE INR", "TOTAL FOB INR", "FOB USD", "IEC"]
    );
}

#[test]
fn the_plain_format_reads_as_before() {
    // `weight` without a unit column is kilograms; a file without a layout reads the plain
    // aliases; nothing unused: no warning.
    let mut t = new_db();
    let f = t.dir.path().join("plain.csv");
    std::fs::write(
        &f,
        "record_id,date,shipper,shipper_country,consignee,weight,hs_codes\n\
         P1,2021-01-02,ACME TRADING CO,CN,BETA LLC,1200,8525.89\n",
    )
    .unwrap();
    let r = import(&mut t.conn, Format::Shipments, &[f]).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let b = bill(&t.conn, "P1");
    assert_eq!(
        (b.8, b.9, b.10.as_deref()),
        (Some(1200.0), Some(1200.0), Some("kg"))
    );
    assert_eq!(b.4.as_deref(), Some("CN"));
    assert_eq!(r.columns.unwrap().layout, None);
}

#[test]
fn map_overrides_name_a_one_off_layout_and_bad_maps_are_errors() {
    let mut t = new_db();
    let f = t.dir.path().join("odd.csv");
    std::fs::write(
        &f,
        "Arrived On,Seller,Purchaser,Net Kg,Remarks\n2022-03-04,ACME TRADING CO,BETA LLC,55,fragile\n",
    )
    .unwrap();
    let err = import(&mut t.conn, Format::Shipments, std::slice::from_ref(&f))
        .expect_err("no date column without a map")
        .to_string();
    assert!(err.contains("odd.csv:1: field `date`"), "{err}");
    assert!(err.contains("--map date=COLUMN"), "{err}");

    let opts = |m: &[(&str, &str)]| ImportOptions {
        columns: m
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..Default::default()
    };
    let err = import_opts(
        &mut t.conn,
        Format::Shipments,
        std::slice::from_ref(&f),
        &opts(&[("date", "Shipped On")]),
    )
    .expect_err("a mapped column that is not there")
    .to_string();
    assert!(err.contains("odd.csv:1: field `Shipped On`"), "{err}");
    assert_eq!(count(&t.conn, "SELECT count(*) FROM source"), 0);

    let r = import_opts(
        &mut t.conn,
        Format::Shipments,
        &[f],
        &opts(&[
            ("date", "Arrived On"),
            ("shipper", "seller"),
            ("consignee", "PURCHASER"),
            ("weight_kg", "Net Kg"),
        ]),
    )
    .expect("mapped");
    let cols = r.columns.unwrap();
    assert_eq!(cols.used["date"], "Arrived On");
    assert_eq!(cols.ignored, [("Remarks".to_string(), String::new())]);
    let (shipper, consignee, kg): (String, String, f64) = t
        .conn
        .query_row(
            "SELECT sp.name, cp.name, s.weight_kg FROM shipment s
             JOIN party sp ON sp.id = s.shipper_id JOIN party cp ON cp.id = s.consignee_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (shipper.as_str(), consignee.as_str(), kg),
        ("ACME TRADING CO", "BETA LLC", 55.0)
    );
}

#[test]
fn disagreeing_codes_and_names_are_errors_not_guesses() {
    let mut t = new_db();
    let f = t.dir.path().join("bad.csv");
    std::fs::write(
        &f,
        "ACTUAL_ARRIVAL_DATE,SHIPPER_NAME,COUNTRY,LOADING_PORT\n\
         2023-01-02,ACME,\"IN, INDIA\",\"53306, MUNDRA\"\n\
         2023-01-03,ACME,\"IN, INDONESIA\",\"53306, MUNDRA\"\n",
    )
    .unwrap();
    let before = table_counts(&t.conn);
    let err = import(&mut t.conn, Format::Shipments, &[f])
        .expect_err("code IN and name Indonesia disagree")
        .to_string();
    assert!(err.contains("bad.csv:3: field `COUNTRY`"), "{err}");
    assert!(err.contains("India") && err.contains("Indonesia"), "{err}");
    assert_eq!(table_counts(&t.conn), before);
}

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TRADESCOPE_DB")
        .output()
        .expect("run tradescope")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn columns_export_import_and_map_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    drop(tradescope::db::open_rw(&db).unwrap());
    let out = cli(&db, &["columns", "export"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.contains("origin_country\tCOUNTRY\tus-import\n"),
        "{table}"
    );
    assert!(
        table.contains("dest_country\tCOUNTRY\tindia-export\n"),
        "{table}"
    );

    // An analyst's own table: SELLER is a shipper everywhere.
    let edited = dir.path().join("columns.tsv");
    std::fs::write(&edited, format!("{table}shipper\tSELLER\t\n")).unwrap();
    let out = cli(&db, &["columns", "import", edited.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("layouts: india-export, us-import"),
        "{}",
        text(&out.stdout)
    );
    let csv = dir.path().join("s.csv");
    std::fs::write(
        &csv,
        "date,SELLER,ETA,Extra\n2022-01-01,ACME TRADING CO,2022-01-05,x\n",
    )
    .unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(&map, "field,column\nestimated_arrival_date,ETA\n").unwrap();
    let out = cli(
        &db,
        &[
            "import",
            "shipments",
            csv.to_str().unwrap(),
            "--map",
            map.to_str().unwrap(),
            "--map",
            "ignore=Extra",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout)
            .contains("columns: read as the plain shipments format; 3 of 4 columns used"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("ignored columns: Extra (--map ignore)"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        count_at(&db, "SELECT count(*) FROM shipment s JOIN party p ON p.id = s.shipper_id WHERE p.name = 'ACME TRADING CO' AND s.estimated_arrival_date = '2022-01-05'"),
        1
    );

    // A bad row in the table names its line; the table stays as it was.
    let bad = dir.path().join("bad.tsv");
    std::fs::write(
        &bad,
        "field\tcolumn\tlayout\nshipper\tSELLER\t\nwhen\tETA\t\n",
    )
    .unwrap();
    let out = cli(&db, &["columns", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("bad.tsv:3: field `field`"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        count_at(
            &db,
            "SELECT count(*) FROM shipment_column WHERE heading = 'SELLER'"
        ) == 1
    );
    assert!(count_at(&db, "SELECT count(*) FROM shipment_column") > 100);

    let out = cli(
        &db,
        &["import", "dpl", csv.to_str().unwrap(), "--map", "date=X"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--map is for the shipments format"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn docs_list_every_alias_of_the_bundled_column_table() {
    let docs = std::fs::read_to_string(repo("docs/formats.md")).unwrap();
    let table = tradescope::db::import::columns::parse_tsv(
        "shipment_columns.tsv",
        tradescope::db::import::columns::DEFAULT_TSV,
    )
    .unwrap();
    for a in &table {
        let shown = if a.layout.is_empty() {
            format!("`{}`", a.heading)
        } else {
            format!("`{}` → {}", a.heading, a.field)
        };
        assert!(docs.contains(&shown), "docs/formats.md lacks {shown}");
    }
    for (f, _) in tradescope::db::import::columns::FIELDS {
        assert!(
            docs.contains(&format!("| `{f}` |")),
            "docs/formats.md lacks field {f}"
        );
    }
}

#[test]
fn the_record_view_shows_published_weights_and_port_codes() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Shipments,
        &[fixture("us_import_61col.csv")],
    )
    .unwrap();
    let field = |identifier: &str, label: &str| -> Option<String> {
        let id: i64 = t
            .conn
            .query_row(
                "SELECT id FROM shipment WHERE identifier = ?1",
                [identifier],
                |r| r.get(0),
            )
            .unwrap();
        let s = tradescope::db::shipments::get(&t.conn, id).unwrap();
        tradescope_core::view::shipment(&s)
            .fields
            .into_iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v)
    };
    assert_eq!(
        field("MAEU230001", "Weight").as_deref(),
        Some("10000 kg (22046 LB as published)")
    );
    assert_eq!(
        field("MAEU230006", "Weight").as_deref(),
        Some("26 CBM (not converted: not a known mass unit)")
    );
    assert_eq!(field("MAEU230005", "Weight").as_deref(), Some("4100 kg"));
    assert_eq!(
        field("MAEU230004", "Port of lading").as_deref(),
        Some("KANDLA (53313)")
    );
    assert_eq!(
        field("MAEU230004", "Port of unlading").as_deref(),
        Some("HOUSTON, TEXAS (5301)")
    );
}
