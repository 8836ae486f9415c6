//! The hostile-input corpus for the trade and patent importers (tests/hostile/{shipments,
//! patents,patentsview,ams}/, plus large files generated here), under the same rule as the
//! list importers (tests/hostile.rs): every file is either imported correctly — checked by what
//! was stored — or rejected naming file:line:field (or the file-level problem), and then the
//! database content is exactly what it was before. docs/hardening.md lists the cases.

#[path = "hostile_trade/cases.rs"]
mod cases;
use crate::common;

use std::path::{Path, PathBuf};

use cases::{Expect, Stored, CASES};
use common::verdict::{verdict, Expected};
use common::{content_digest, data, import_files};
use rusqlite::{Connection, OpenFlags};
use tradescope::db::import::{Format, ImportOptions};

fn hostile(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile")
        .join(rel)
}

/// The files of a case: the path itself, or the files of a directory in name order.
fn files_of(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    }
}

/// A database holding trade and patent data already: the seed shipments, the curated patents
/// and the PatentsView fixtures, so "unchanged" covers rows an import could touch.
fn template(dir: &Path) -> PathBuf {
    let db = dir.join("template.db");
    let opts = ImportOptions::default();
    import_files(
        &db,
        Format::Shipments,
        &[data("demo/seed_shipments.csv")],
        &opts,
    )
    .unwrap();
    import_files(
        &db,
        Format::Patents,
        &[data("patents/curated_us_patents.tsv")],
        &opts,
    )
    .unwrap();
    let pv = files_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/patentsview"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect::<Vec<_>>();
    import_files(&db, Format::Patentsview, &pv, &opts).unwrap();
    db
}

/// Run one case on a fresh copy of the template; returns a failure description.
fn run_case(
    dir: &Path,
    template: &Path,
    name: &str,
    format: Format,
    files: &[PathBuf],
    expect: &Expect,
) -> Option<String> {
    let db = dir.join(format!("{name}.db"));
    std::fs::copy(template, &db).unwrap();
    let before = content_digest(&db);
    let result = import_files(&db, format, files, &ImportOptions::default());
    let expected = match expect {
        Expect::Imported(check) => Expected::Imported(check),
        Expect::Rejected(want) => Expected::Rejected(want),
    };
    verdict(name, &db, &before, result, expected, |source| Stored {
        conn: Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap(),
        source,
    })
}

#[test]
fn trade_hostile_corpus_is_imported_correctly_or_rejected_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(dir.path());
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|c| {
            run_case(
                dir.path(),
                &template,
                c.name,
                c.format,
                &files_of(&hostile(c.path)),
                &c.expect,
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Shipments CSV header and one row whose description is `desc` (already CSV-quoted if needed).
fn shipment_row(id: usize, desc: &str) -> String {
    format!(
        "G-{id},2021-03-16,MBOL{id},,ACME EXPORT CO,,,CN,BETA IMPORTS LLC,,,US,,,CN,US,Ningpo,\
         Long Beach,,COSU,COSCO GLORY,Vessel,1840,10,CTN,,8525.89,{desc}\n"
    )
}

const SHIPMENTS_HEADER: &str = "record_id,date,master_bol,house_bol,shipper,shipper_address,\
    shipper_city,shipper_country,consignee,consignee_address,consignee_city,consignee_country,\
    notify_party,notify_country,origin_country,dest_country,port_of_lading,port_of_unlading,\
    place_of_receipt,carrier,vessel,mode,weight_kg,quantity,quantity_unit,containers,hs_codes,\
    description\n";

#[test]
fn generated_large_trade_files_are_rejected_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(dir.path());
    let mb = "X".repeat(1 << 20);
    let wide = vec!["c"; 100_000].join(",");
    let long_pv_title = format!("\"{}\"", "T".repeat(1 << 20));
    let cases: Vec<(&str, Format, &str, String, &str)> = vec![
        (
            "shipments_1mb_field",
            Format::Shipments,
            "big.csv",
            format!("{SHIPMENTS_HEADER}{}{}", shipment_row(1, "OK"), shipment_row(2, &mb)),
            "big.csv:3: field `description`: is 1048576 bytes long",
        ),
        (
            "shipments_100k_column_row",
            Format::Shipments,
            "wide.csv",
            format!("{SHIPMENTS_HEADER}{}{wide}\n", shipment_row(1, "OK")),
            "wide.csv:3: field `(column 29)`: 100000 fields where the header has 28",
        ),
        (
            "patents_1mb_title",
            Format::Patents,
            "big.tsv",
            format!(
                "publication_number\ttitle\tassignee\nUS11000001B2\t{mb}\tACME OPTICS CO\n"
            ),
            "big.tsv:2: field `title`: is 1048576 bytes long",
        ),
        (
            "patentsview_1mb_quoted_title",
            Format::Patentsview,
            "g_patent.tsv",
            format!(
                "\"patent_id\"\t\"patent_type\"\t\"patent_date\"\t\"patent_title\"\t\"wipo_kind\"\t\"num_claims\"\t\"withdrawn\"\t\"filename\"\n\
                 \"11000001\"\t\"utility\"\t\"2022-05-03\"\t{long_pv_title}\t\"B2\"\t\"1\"\t\"0\"\t\"x.xml\"\n"
            ),
            "g_patent.tsv:2: field `patent_title`: is 1048576 bytes long",
        ),
    ];
    let mut failures = Vec::new();
    for (name, format, file, text, want) in cases {
        let case_dir = dir.path().join(name);
        std::fs::create_dir_all(&case_dir).unwrap();
        let path = case_dir.join(file);
        std::fs::write(&path, text).unwrap();
        failures.extend(run_case(
            dir.path(),
            &template,
            name,
            format,
            &[path],
            &Expect::Rejected(want),
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Found by the `query` fuzz target: a NUL in the Shipments filter's free text ended the FTS5
/// query string early ("unterminated string", an SQL error in the workbench). Stored text
/// never holds a NUL, so the filter drops them and matches the rest.
#[test]
fn a_nul_in_the_shipments_text_filter_is_not_an_sql_error() {
    use tradescope::app::filter::parse_shipments;
    use tradescope::db::shipments::{self, Sort};
    let dir = tempfile::tempdir().unwrap();
    let db = template(dir.path());
    let conn = tradescope::db::open_ro(&db).unwrap();
    for (typed, matches) in [("Digital Came\0ras", true), ("-\u{ab}S9,87CE\0\0\0", false)] {
        let f = parse_shipments(typed).unwrap();
        let page = shipments::page(&conn, &f, Sort::default(), None, 5)
            .unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(!page.rows.is_empty(), matches, "{typed:?}");
        let n = shipments::count(&conn, &f, 100).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
        assert_eq!(n.unwrap_or_else(|cap| cap) > 0, matches, "{typed:?}");
    }
}
