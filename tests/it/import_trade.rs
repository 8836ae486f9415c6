//! Shipment importers on the real AMS rows, the synthetic AMS table set in the real layout, and
//! the plain shipments CSV (the seed case).

use crate::common;

use common::*;
use tradescope::db::import::{Format, ImportOptions};

const AMS_DIR: &str = "tests/fixtures/ams";

/// description, hs_code, containers, master_bol, bill_type, "shipper | address | country"
type BillRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn ams_set() -> Vec<std::path::PathBuf> {
    [
        "ams__header_2021__202103160000.csv",
        "ams__billgen_2021__202103160000.csv",
        "ams__shipper_2021__202103160000.csv",
        "ams__consignee_2021__202103160000.csv",
        "ams__notifyparty_2021__202103160000.csv",
        "ams__cargodesc_2021__202103160000_part_0.csv",
        "ams__cargodesc_2021__202103160000_part_1.csv",
        "ams__tariff_2021__202103160000.csv",
        "ams__container_2021__202103160000.csv",
        "ams__hazmat_2021__202103160000.csv",
    ]
    .iter()
    .map(|f| repo(&format!("{AMS_DIR}/{f}")))
    .collect()
}

#[test]
fn real_ams_header_and_consignee_rows_import_though_they_do_not_join() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Ams,
        &[
            repo("data/manifests/header.csv"),
            repo("data/manifests/consignee.csv"),
        ],
    )
    .expect("import real AMS rows");
    assert_eq!(r.rows, 1, "the one real header row is one bill");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("11 consignee row(s)") && w.contains("202001061634")),
        "unjoined consignee rows are reported: {:?}",
        r.warnings
    );
    let (ident, kind, status, unlading, lading, origin, date, vessel, weight_kg): (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        f64,
    ) = t
        .conn
        .query_row(
            "SELECT identifier, typeof(identifier), record_status, port_of_unlading, port_of_lading,
                    origin_country, ship_date, vessel_name, weight_kg FROM shipment",
            [],
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
                ))
            },
        )
        .expect("the shipment");
    assert_eq!(ident, "2020072777336");
    assert_eq!(kind, "text", "identifiers are text, never numbers");
    assert_eq!(status, "Deleted");
    assert_eq!(unlading, "Port Hueneme, California");
    assert_eq!(lading, "Puerto Bolivar,Ecuador");
    assert_eq!(origin, "EC");
    assert_eq!(date, "2020-07-26");
    assert_eq!(vessel, "MAERSK NESTON");
    assert!(
        (weight_kg - 59_739.93).abs() < 0.01,
        "131704 pounds in kg: {weight_kg}"
    );
    assert_eq!(count(&t.conn, "SELECT count(*) FROM party"), 0);
}

#[test]
fn trimmed_21_column_header_imports() {
    let mut t = new_db();
    let r = import(
        &mut t.conn,
        Format::Ams,
        &[repo(&format!("{AMS_DIR}/trimmed_header_21col.csv"))],
    )
    .expect("21-column header");
    assert_eq!(r.rows, 2);
    let dates: Vec<(String, String)> = t
        .conn
        .prepare("SELECT identifier, ship_date FROM shipment ORDER BY identifier")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        dates,
        vec![
            ("2020011512".to_string(), "2020-01-15".to_string()),
            // No actual arrival: the estimated date (written MM/DD/YYYY) stands in.
            ("20200115123".to_string(), "2020-01-16".to_string()),
        ]
    );
    let origin: String = t
        .conn
        .query_row(
            "SELECT origin_country FROM shipment WHERE identifier = '2020011512'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(origin, "TW", "Kaohsiung,China (Taiwan)");
}

#[test]
fn ams_table_set_joins_on_identifier() {
    let mut t = new_db();
    let mut files = ams_set();
    files.reverse(); // tables are recognised by their headers, not their order or names
    let r = import(&mut t.conn, Format::Ams, &files).expect("AMS set");
    assert_eq!(r.rows, 3);
    assert!(
        r.warnings.iter().any(|w| w.contains("hazmat")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("1 tariff row(s)") && w.contains("2021031500001")),
        "{:?}",
        r.warnings
    );

    let row = |ident: &str| -> BillRow {
        t.conn
            .query_row(
                "SELECT s.description, s.hs_code, s.containers, s.master_bol, s.bill_type,
                        sh.name || ' | ' || COALESCE(sh.address, '') || ' | ' || COALESCE(sh.country, '')
                 FROM shipment s LEFT JOIN party sh ON sh.id = s.shipper_id
                 WHERE s.identifier = ?1",
                [ident],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .expect(ident)
    };
    let (desc, hs, containers, master, bill_type, shipper) = row("2021031512345");
    assert_eq!(
        desc.as_deref(),
        Some("CCTV CAMERA IDS-2CD7A46G0-IZHS 2.8-12MM\nIDS-7208HUHI-M2/S 8CH DVR"),
        "lines in sequence order, across part files, each once"
    );
    assert_eq!(hs.as_deref(), Some("852589"));
    assert_eq!(containers.as_deref(), Some("OOLU1234567; OOLU7654321"));
    assert_eq!(master.as_deref(), Some("OOLU2650001234"));
    assert_eq!(bill_type.as_deref(), Some("Regular Bill"));
    assert_eq!(shipper.as_deref(), Some("PHUONG VIET DISTRIBUTION |  | VN"));
    let hs_all: Vec<String> = t
        .conn
        .prepare(
            "SELECT h.hs_code FROM shipment_hs h JOIN shipment s ON s.id = h.shipment_id
             WHERE s.identifier = '2021031512345' ORDER BY h.seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(hs_all, vec!["852589", "852190"]);

    let (_, hs, _, _, bill_type, shipper) = row("202103151");
    assert_eq!(hs.as_deref(), Some("85258900"));
    assert_eq!(bill_type.as_deref(), Some("House Bill"));
    assert_eq!(
        shipper.as_deref(),
        Some(
            "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO.,LTD | NO.555 QIANMO ROAD, BINJIANG DISTRICT, \
             HANGZHOU 310051, ZHEJIANG 310051 | CN"
        ),
        "an address cut at 35 characters continues without a space"
    );
    // "TO ORDER" is a negotiable bill's placeholder, not a party: one party of that name
    // would link every such bill. The notify party (the real buyer) stays.
    let (consignee, notify): (Option<i64>, String) = t
        .conn
        .query_row(
            "SELECT s.consignee_id, n.name FROM shipment s
             JOIN party n ON n.id = s.notify_id WHERE s.identifier = '202103151'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(consignee, None, "TO ORDER is no party");
    assert_eq!(notify, "PACIFIC BRIDGE FREIGHT SERVICES INC");
    assert_eq!(
        t.conn
            .query_row(
                "SELECT count(*) FROM party WHERE name LIKE 'TO %ORDER%'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        0
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("placeholder party names not made into parties: TO ORDER ×")),
        "{:?}",
        r.warnings
    );

    let status: String = t
        .conn
        .query_row(
            "SELECT record_status FROM shipment WHERE identifier = '20210315999'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "Deleted");

    // Party counts are maintained, and descriptions are searchable by model number fragments.
    assert_eq!(
        count(
            &t.conn,
            "SELECT n_shipped FROM party WHERE name = 'PHUONG VIET DISTRIBUTION'"
        ),
        1
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT n_notified FROM party WHERE name = 'PACIFIC BRIDGE FREIGHT SERVICES INC'"
        ),
        1
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM shipment_fts WHERE shipment_fts MATCH '\"2CD7A46\"'"
        ),
        1
    );
}

#[test]
fn reimporting_the_same_set_changes_nothing() {
    let mut t = new_db();
    let first = import(&mut t.conn, Format::Ams, &ams_set()).expect("first import");
    assert!(!first.already_imported);
    let before = table_counts(&t.conn);
    let second = import(&mut t.conn, Format::Ams, &ams_set()).expect("second import");
    assert!(second.already_imported);
    assert_eq!(second.source_id, first.source_id);
    assert_eq!(table_counts(&t.conn), before);
}

#[test]
fn bad_date_is_rejected_with_file_line_field_and_nothing_changes() {
    let mut t = new_db();
    import(&mut t.conn, Format::Ams, &ams_set()).expect("a good import first");
    let before = table_counts(&t.conn);
    let real = std::fs::read_to_string(repo("data/manifests/header.csv")).unwrap();
    let bad = t.dir.path().join("ams__header_bad.csv");
    std::fs::write(&bad, real.replacen(",2020-07-26,", ",2020-02-30,", 1)).unwrap();
    let err = import(&mut t.conn, Format::Ams, std::slice::from_ref(&bad))
        .expect_err("an impossible date must be rejected")
        .to_string();
    assert!(
        err.contains(&format!(
            "{}:2: field `estimated_arrival_date`",
            bad.display()
        )),
        "{err}"
    );
    assert!(err.contains("2020-02-30"), "{err}");
    assert_eq!(table_counts(&t.conn), before);
}

#[test]
fn ragged_row_is_rejected_with_its_line() {
    let mut t = new_db();
    let bad = t.dir.path().join("shipments.csv");
    std::fs::write(
        &bad,
        "record_id,date,shipper,consignee\nA1,2021-01-02,ACME TRADING CO,BETA LLC\nA2,2021-01-03,ACME TRADING CO\n",
    )
    .unwrap();
    let before = table_counts(&t.conn);
    let err = import(&mut t.conn, Format::Shipments, std::slice::from_ref(&bad))
        .expect_err("ragged row")
        .to_string();
    assert!(
        err.contains(&format!("{}:3: field `consignee`", bad.display())),
        "{err}"
    );
    assert_eq!(
        table_counts(&t.conn),
        before,
        "not even the source row is kept"
    );
}

#[test]
fn shipments_csv_errors_name_the_field() {
    let mut t = new_db();
    let cases = [
        (
            "date,shipper,shipper_country\n2021-13-01,ACME,CN\n",
            "2: field `date`",
        ),
        (
            "date,shipper,shipper_country\n2021-01-01,ACME,Atlantis\n",
            "2: field `shipper_country`",
        ),
        ("date,shipper\n2021-01-01,\n", "2: field `shipper`"),
        (
            "date,shipper,hs_codes\n2021-01-01,ACME,8525.89; cameras\n",
            "2: field `hs_codes`",
        ),
        ("shipper,consignee\nACME,BETA\n", "1: field `date`"),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = t.dir.path().join(format!("case{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let err = import(&mut t.conn, Format::Shipments, &[path])
            .expect_err(expected)
            .to_string();
        assert!(err.contains(expected), "case {i}: {err}");
    }
    assert_eq!(count(&t.conn, "SELECT count(*) FROM source"), 0);
}

#[test]
fn seed_shipments_import_as_synthetic_with_their_parties() {
    let mut t = new_db();
    let opts = ImportOptions {
        synthetic: true,
        ..Default::default()
    };
    let r = import_opts(
        &mut t.conn,
        Format::Shipments,
        &[repo("data/demo/seed_shipments.csv")],
        &opts,
    )
    .expect("seed shipments");
    assert_eq!(r.rows, 9);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM shipment WHERE synthetic = 1"),
        9
    );
    assert_eq!(
        count(&t.conn, "SELECT count(*) FROM party WHERE synthetic = 1"),
        6
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT n_shipped FROM party WHERE name = 'HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.' AND country = 'CN'"
        ),
        9
    );
    let phuong: (String, String, String) = t
        .conn
        .query_row(
            "SELECT s.description, s.dest_country, group_concat(h.hs_code, ',')
             FROM shipment s JOIN party c ON c.id = s.consignee_id
             JOIN shipment_hs h ON h.shipment_id = s.id
             WHERE c.name = 'PHUONG VIET DISTRIBUTION' GROUP BY s.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(phuong
        .0
        .starts_with("Camera recorder image CCTV IDS 2CD7A46G0 IZHS"));
    assert_eq!(phuong.1, "VN");
    assert_eq!(phuong.2, "852589,852190");
}

#[test]
fn hikvision_entity_list_entry_links_to_the_seed_shipper() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Csl,
        &[repo("data/lists/csl_consolidated_2022-05.csv.gz")],
    )
    .expect("CSL");
    let opts = ImportOptions {
        synthetic: true,
        ..Default::default()
    };
    let r = import_opts(
        &mut t.conn,
        Format::Shipments,
        &[repo("data/demo/seed_shipments.csv")],
        &opts,
    )
    .expect("seed shipments");
    assert!(r.links.party_links > 0, "{:?}", r.links);
    let linked = count(
        &t.conn,
        "SELECT count(*) FROM link_party l
         JOIN list_entry e ON e.id = l.entry_id
         JOIN party p ON p.id = l.party_id
         WHERE e.list_code = 'EL' AND e.name = 'Hangzhou Hikvision Digital Technology Co., Ltd.'
           AND p.name = 'HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.'",
    );
    // Uses the provisional matcher (src/matching) as it stands.
    assert_eq!(linked, 1, "EL Hikvision ↔ the Hikvision shipper party");
}

#[test]
fn deferred_indexes_are_rebuilt_or_restored() {
    use tradescope::db::import::trade::{NewParty, NewShipment, TradeWriter};
    let mut t = new_db();
    let indexes = |conn: &rusqlite::Connection| -> Vec<String> {
        conn.prepare(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'shipment'
             AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let before = indexes(&t.conn);
    assert!(before.len() >= 10);
    for commit in [false, true] {
        let tx = t.conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO source (dataset, format, path, sha256, imported_at)
             VALUES ('test', 'test', 'test', ?1, 'now')",
            [commit.to_string()],
        )
        .unwrap();
        let source = tx.last_insert_rowid();
        let mut w = TradeWriter::new(&tx, source, false).unwrap();
        w.defer_indexes().unwrap();
        let shipper = w
            .party(&NewParty {
                name: "ACME TRADING CO".into(),
                country: Some("CN".into()),
                ..Default::default()
            })
            .unwrap();
        w.shipment(&NewShipment {
            ship_date: Some("2021-01-02".into()),
            shipper_id: shipper,
            hs_codes: vec!["852589".into()],
            description: Some("IP CAMERA".into()),
            ..Default::default()
        })
        .unwrap();
        if commit {
            w.finish().unwrap();
            tx.commit().unwrap();
        } else {
            drop(w);
            drop(tx); // a failed import rolls back: the indexes come back
        }
        assert_eq!(indexes(&t.conn), before);
    }
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM shipment WHERE hs_code = '852589'"
        ),
        1
    );
    assert_eq!(count(&t.conn, "SELECT n_shipped FROM party"), 1);
}
