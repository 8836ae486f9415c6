//! The hostile-input corpus for the trade and patent importers (tests/hostile/{shipments,
//! patents,patentsview,ams}/, plus large files generated here), under the same rule as the
//! list importers (tests/hostile.rs): every file is either imported correctly — checked by what
//! was stored — or rejected naming file:line:field (or the file-level problem), and then the
//! database content is exactly what it was before. docs/hardening.md lists the cases.

mod common;

use std::path::{Path, PathBuf};

use common::{content_digest, data, import_files};
use rusqlite::{Connection, OpenFlags};
use tradescope::db::import::{Format, ImportOptions};
use tradescope::text::sanitize;

enum Expect {
    /// Imported; the function checks what the newest source stored.
    Imported(fn(&Stored)),
    /// Rejected; the error message contains this.
    Rejected(&'static str),
}

struct Case {
    name: &'static str,
    format: Format,
    /// A file, or a directory whose files form the set, under tests/hostile/.
    path: &'static str,
    expect: Expect,
}

struct Stored {
    conn: Connection,
    source: i64,
}

impl Stored {
    fn strings(&self, sql: &str) -> Vec<String> {
        let mut stmt = self.conn.prepare(sql).unwrap();
        stmt.query_map([self.source], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
    /// Shipper names of the source's shipments, in file order.
    fn shippers(&self) -> Vec<String> {
        self.strings(
            "SELECT p.name FROM shipment s JOIN party p ON p.id = s.shipper_id
             WHERE s.source_id = ?1 ORDER BY s.source_line",
        )
    }
    fn descriptions(&self) -> Vec<String> {
        self.strings(
            "SELECT coalesce(description, '') FROM shipment WHERE source_id = ?1
             ORDER BY source_line",
        )
    }
    fn lines(&self) -> Vec<String> {
        self.strings(
            "SELECT CAST(source_line AS TEXT) FROM shipment WHERE source_id = ?1
             ORDER BY source_line",
        )
    }
    fn titles(&self) -> Vec<String> {
        self.strings(
            "SELECT coalesce(title, '') FROM patent WHERE source_id = ?1 ORDER BY source_line",
        )
    }
    fn assignees(&self) -> Vec<String> {
        self.strings("SELECT name FROM assignee WHERE source_id = ?1 ORDER BY id")
    }
    fn parties(&self) -> Vec<String> {
        self.strings("SELECT name FROM party WHERE source_id = ?1 ORDER BY id")
    }
}

/// Published text that would drive a terminal is stored as published, and shows safely.
fn verbatim_and_safe(stored: &[String], published: &[&str]) {
    for p in published {
        assert!(
            stored.iter().any(|s| s == p),
            "{p:?} stored as published: {stored:?}"
        );
    }
    for s in stored {
        let shown = sanitize(s);
        assert!(
            !shown.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')),
            "{s:?} displays as {shown:?}"
        );
    }
}

const CASES: &[Case] = &[
    // --- shipments CSV ---
    Case {
        name: "shipments_bom",
        format: Format::Shipments,
        path: "shipments/bom.csv",
        expect: Expect::Imported(|s| {
            assert_eq!(s.shippers(), ["ACME EXPORT CO", "GAMMA TRADING LTD"]);
        }),
    },
    Case {
        name: "shipments_windows_1252",
        format: Format::Shipments,
        path: "shipments/cp1252.csv",
        expect: Expect::Imported(|s| {
            assert_eq!(s.shippers(), ["São Paulo Equipamentos “SPE”"]);
        }),
    },
    Case {
        name: "shipments_crlf_and_multiline_field",
        format: Format::Shipments,
        path: "shipments/crlf_multiline.csv",
        expect: Expect::Imported(|s| {
            // The line break inside the quoted field is kept as published (CRLF); the detail
            // view shows it as one line break.
            let d = s.descriptions();
            assert_eq!(d, ["LINE ONE\r\nLINE TWO", "NETWORK CAMERAS"]);
            assert_eq!(
                tradescope::text::sanitize_multiline(&d[0]),
                "LINE ONE\nLINE TWO"
            );
            // The quoted description spans lines 2–3, so the next row is on line 4.
            assert_eq!(s.lines(), ["2", "4"]);
        }),
    },
    Case {
        name: "shipments_escapes_and_bidi",
        format: Format::Shipments,
        path: "shipments/escapes_bidi.csv",
        expect: Expect::Imported(|s| {
            verbatim_and_safe(
                &s.shippers(),
                &[
                    "EVIL\u{1b}]52;c;cm0gLXJmIH4=\u{7} CORP",
                    "שלום TRADING \u{200b}LTD",
                ],
            );
            verbatim_and_safe(
                &s.descriptions(),
                &["CAMERAS \u{1b}[2J\u{1b}[H\u{202e}SRETUPMOC"],
            );
        }),
    },
    Case {
        name: "shipments_ragged_row",
        format: Format::Shipments,
        path: "shipments/ragged_row.csv",
        expect: Expect::Rejected("ragged_row.csv:3: field `house_bol`: 3 fields where the header has 28"),
    },
    Case {
        name: "shipments_extra_fields",
        format: Format::Shipments,
        path: "shipments/long_row.csv",
        expect: Expect::Rejected("long_row.csv:3: field `(column 29)`: 30 fields"),
    },
    Case {
        name: "shipments_unclosed_quote",
        format: Format::Shipments,
        path: "shipments/unclosed_quote.csv",
        expect: Expect::Rejected("unclosed_quote.csv:3: field `shipper`: the quoted field opened here is never closed"),
    },
    Case {
        name: "shipments_nul_byte",
        format: Format::Shipments,
        path: "shipments/nul.csv",
        expect: Expect::Rejected("nul.csv:2: field `shipper`: contains a NUL byte"),
    },
    Case {
        name: "shipments_utf16",
        format: Format::Shipments,
        path: "shipments/utf16.csv",
        expect: Expect::Rejected("utf16.csv: the file is UTF-16 text"),
    },
    Case {
        name: "shipments_empty_file",
        format: Format::Shipments,
        path: "shipments/empty.csv",
        expect: Expect::Rejected("empty.csv: the file is empty"),
    },
    Case {
        name: "shipments_header_only",
        format: Format::Shipments,
        path: "shipments/header_only.csv",
        expect: Expect::Rejected("header_only.csv: no records found in this file"),
    },
    Case {
        name: "shipments_duplicate_header",
        format: Format::Shipments,
        path: "shipments/dup_header.csv",
        expect: Expect::Rejected("dup_header.csv:1: field `shipper`: this column name appears twice"),
    },
    Case {
        name: "shipments_date_31_02",
        format: Format::Shipments,
        path: "shipments/date_31_02.csv",
        expect: Expect::Rejected("date_31_02.csv:3: field `date`: `31/02/2020` is not a valid date"),
    },
    Case {
        name: "shipments_date_02_31",
        format: Format::Shipments,
        path: "shipments/date_02_31.csv",
        expect: Expect::Rejected("date_02_31.csv:2: field `date`: `2020-02-31` is not a valid date"),
    },
    Case {
        name: "shipments_bad_weight",
        format: Format::Shipments,
        path: "shipments/bad_weight.csv",
        expect: Expect::Rejected("bad_weight.csv:2: field `weight_kg`: `12 tons` is not a number"),
    },
    Case {
        name: "shipments_truncated_gzip",
        format: Format::Shipments,
        path: "shipments/truncated.csv.gz",
        expect: Expect::Rejected("truncated.csv.gz: reading stopped at line 221: the gzip stream ends early"),
    },
    // --- curated patents TSV ---
    Case {
        name: "patents_bom",
        format: Format::Patents,
        path: "patents/bom.tsv",
        expect: Expect::Imported(|s| assert_eq!(s.titles(), ["Camera housing", "Lens mount"])),
    },
    Case {
        name: "patents_windows_1252",
        format: Format::Patents,
        path: "patents/cp1252.tsv",
        expect: Expect::Imported(|s| assert_eq!(s.titles(), ["Método de câmara “rápida”"])),
    },
    Case {
        name: "patents_escapes_and_bidi",
        format: Format::Patents,
        path: "patents/escapes_bidi.tsv",
        expect: Expect::Imported(|s| {
            verbatim_and_safe(
                &s.titles(),
                &["Face \u{1b}]0;pwned\u{7}liveness \u{1b}[31mRED\u{1b}[0m"],
            );
            verbatim_and_safe(&s.assignees(), &["\u{202e}OC SCITPO EMCA"]);
        }),
    },
    Case {
        name: "patents_ragged_row",
        format: Format::Patents,
        path: "patents/ragged_row.tsv",
        expect: Expect::Rejected("ragged_row.tsv:3: field `application_number`: 3 fields where the header has 11"),
    },
    Case {
        name: "patents_nul_byte",
        format: Format::Patents,
        path: "patents/nul.tsv",
        expect: Expect::Rejected("nul.tsv:2: field `title`: contains a NUL byte"),
    },
    Case {
        name: "patents_utf16",
        format: Format::Patents,
        path: "patents/utf16.tsv",
        expect: Expect::Rejected("utf16.tsv: the file is UTF-16 text"),
    },
    Case {
        name: "patents_empty_file",
        format: Format::Patents,
        path: "patents/empty.tsv",
        expect: Expect::Rejected("empty.tsv: the file is empty"),
    },
    Case {
        name: "patents_header_only",
        format: Format::Patents,
        path: "patents/header_only.tsv",
        expect: Expect::Rejected("header_only.tsv: no records found in this file"),
    },
    Case {
        name: "patents_duplicate_header",
        format: Format::Patents,
        path: "patents/dup_header.tsv",
        expect: Expect::Rejected("dup_header.tsv:1: field `title`: this column name appears twice"),
    },
    Case {
        name: "patents_date_02_30",
        format: Format::Patents,
        path: "patents/date_02_30.tsv",
        expect: Expect::Rejected("date_02_30.tsv:3: field `publication_date`: `2022-02-30` is not a valid date"),
    },
    Case {
        name: "patents_bad_number",
        format: Format::Patents,
        path: "patents/bad_number.tsv",
        expect: Expect::Rejected("bad_number.tsv:2: field `publication_number`: `NOT-A-NUMBER` is not a patent number"),
    },
    Case {
        name: "patents_truncated_gzip",
        format: Format::Patents,
        path: "patents/truncated.tsv.gz",
        expect: Expect::Rejected("truncated.tsv.gz: the gzip stream ends early"),
    },
    // --- PatentsView TSVs ---
    Case {
        name: "patentsview_bom",
        format: Format::Patentsview,
        path: "patentsview/bom",
        expect: Expect::Imported(|s| assert_eq!(s.titles(), ["Camera housing", "Lens mount"])),
    },
    Case {
        name: "patentsview_escapes_and_bidi",
        format: Format::Patentsview,
        path: "patentsview/escapes_bidi",
        expect: Expect::Imported(|s| {
            verbatim_and_safe(
                &s.titles(),
                &["Face \u{1b}]52;c;ZWNobyBoaQ==\u{7}liveness"],
            );
            verbatim_and_safe(&s.assignees(), &["\u{202e}DTL OC SCITPO\u{1b}[2J"]);
        }),
    },
    Case {
        name: "patentsview_ragged_row",
        format: Format::Patentsview,
        path: "patentsview/ragged_row",
        expect: Expect::Rejected("g_patent.tsv:3: field `patent_date`: 2 fields where the header has 8"),
    },
    Case {
        name: "patentsview_unclosed_quote",
        format: Format::Patentsview,
        path: "patentsview/unclosed_quote",
        expect: Expect::Rejected("g_patent.tsv:3: field `patent_title`: text follows the closing quote"),
    },
    Case {
        name: "patentsview_nul_byte",
        format: Format::Patentsview,
        path: "patentsview/nul",
        expect: Expect::Rejected("g_assignee_disambiguated.tsv:2: field `disambig_assignee_organization`: contains a NUL byte"),
    },
    Case {
        name: "patentsview_date_02_30",
        format: Format::Patentsview,
        path: "patentsview/date_02_30",
        expect: Expect::Rejected("g_patent.tsv:3: field `patent_date`: `2022-02-30` is not a valid date"),
    },
    Case {
        name: "patentsview_bad_patent_id",
        format: Format::Patentsview,
        path: "patentsview/bad_patent_id",
        expect: Expect::Rejected("g_patent.tsv:2: field `patent_id`: `11,000;001x` is not a US patent number"),
    },
    Case {
        name: "patentsview_unknown_table",
        format: Format::Patentsview,
        path: "patentsview/unknown_table",
        expect: Expect::Rejected("g_inventor.tsv: not a PatentsView table tradescope reads"),
    },
    Case {
        name: "patentsview_empty_file",
        format: Format::Patentsview,
        path: "patentsview/empty",
        expect: Expect::Rejected("g_patent.tsv: the file is empty"),
    },
    Case {
        name: "patentsview_duplicate_header",
        format: Format::Patentsview,
        path: "patentsview/dup_header",
        expect: Expect::Rejected("g_patent.tsv:1: field `patent_title`: this column name appears twice"),
    },
    Case {
        name: "patentsview_truncated_gzip",
        format: Format::Patentsview,
        path: "patentsview/truncated_gz",
        expect: Expect::Rejected("g_patent.tsv.gz: reading stopped at line 338: the gzip stream ends early"),
    },
    // --- AMS table sets ---
    Case {
        name: "ams_bom",
        format: Format::Ams,
        path: "ams/bom",
        expect: Expect::Imported(|s| {
            let shippers = s.shippers();
            assert_eq!(shippers.len(), 3, "{shippers:?}");
            assert!(shippers.iter().any(|p| p == "PHUONG VIET DISTRIBUTION"));
        }),
    },
    Case {
        name: "ams_crlf",
        format: Format::Ams,
        path: "ams/crlf",
        expect: Expect::Imported(|s| {
            let shippers = s.shippers();
            assert!(shippers.iter().any(|p| p == "PHUONG VIET DISTRIBUTION"));
            assert!(shippers.iter().all(|p| !p.contains('\r')), "{shippers:?}");
            assert!(s.descriptions().iter().all(|d| !d.ends_with('\r')));
        }),
    },
    Case {
        name: "ams_escapes_and_bidi",
        format: Format::Ams,
        path: "ams/escapes_bidi",
        expect: Expect::Imported(|s| {
            verbatim_and_safe(
                &s.parties(),
                &["PHUONG VIET\u{1b}]52;c;cm0gLXJm\u{7} \u{202e}DISTRIBUTION\u{200b}"],
            );
            let descriptions = s.descriptions();
            assert!(
                descriptions.iter().any(|d| d.contains("NETWORK \u{1b}[2JCAMERA")),
                "{descriptions:?}"
            );
            verbatim_and_safe(&descriptions, &[]);
        }),
    },
    Case {
        name: "ams_ragged_row",
        format: Format::Ams,
        path: "ams/ragged_row",
        expect: Expect::Rejected("ams__shipper_2021__202103160000.csv:3: field `shipper_party_address_1`: 2 fields where the header has 13"),
    },
    Case {
        name: "ams_unclosed_quote",
        format: Format::Ams,
        path: "ams/unclosed_quote",
        expect: Expect::Rejected("ams__shipper_2021__202103160000.csv:2: field `shipper_party_name`: text follows the closing quote"),
    },
    Case {
        name: "ams_nul_byte",
        format: Format::Ams,
        path: "ams/nul",
        expect: Expect::Rejected("ams__cargodesc_2021__202103160000.csv:3: field `description_text`: contains a NUL byte"),
    },
    Case {
        name: "ams_date_02_30",
        format: Format::Ams,
        path: "ams/date_02_30",
        expect: Expect::Rejected("ams__header_2021__202103160000.csv:2: field `estimated_arrival_date`: `2021-02-30` is not a valid date"),
    },
    Case {
        name: "ams_duplicate_header",
        format: Format::Ams,
        path: "ams/dup_header",
        expect: Expect::Rejected("ams__shipper_2021__202103160000.csv:1: field `city`: this column name appears twice"),
    },
    Case {
        name: "ams_empty_table",
        format: Format::Ams,
        path: "ams/empty_table",
        expect: Expect::Rejected("ams__consignee_2021__202103160000.csv: the file is empty"),
    },
    Case {
        name: "ams_without_header_table",
        format: Format::Ams,
        path: "ams/no_header_table",
        expect: Expect::Rejected("an AMS import needs the header table"),
    },
];

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
    match (expect, result) {
        (Expect::Imported(check), Ok(report)) => {
            let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
            let stored = Stored {
                conn,
                source: report.source_id.unwrap(),
            };
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&stored)))
                .err()
                .map(|_| format!("{name}: imported, but the stored rows are wrong (see above)"))
        }
        (Expect::Imported(_), Err(e)) => Some(format!("{name}: expected an import, got: {e}")),
        (Expect::Rejected(want), Ok(_)) => Some(format!(
            "{name}: expected rejection ({want}), but it imported"
        )),
        (Expect::Rejected(want), Err(e)) => {
            let msg = e.to_string();
            if !msg.contains(want) {
                Some(format!(
                    "{name}: error should contain {want:?}, got {msg:?}"
                ))
            } else if content_digest(&db) != before {
                Some(format!(
                    "{name}: rejected, but the database content changed"
                ))
            } else if msg.len() > 2000 {
                Some(format!("{name}: error message of {} bytes", msg.len()))
            } else {
                None
            }
        }
    }
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
