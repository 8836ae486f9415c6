//! The hostile-input corpus (tests/hostile/, plus large files generated here): every case is
//! either imported correctly — checked by what was stored — or rejected with an error naming
//! file, line and field, and then the database content is exactly what it was before.
//! docs/hardening.md lists the cases and why each behaves as it does.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::verdict::{verdict, Expected};
use common::{content_digest, data, import_files};
use rusqlite::{Connection, OpenFlags};
use tradescope::db::import::{Format, ImportOptions};
use tradescope::text::sanitize;

enum Expect {
    /// Imported; the function checks what the newest source stored.
    Imported(fn(&Stored)),
    /// Rejected; the error message contains this (file:line: field `name`, or the file-level
    /// problem).
    Rejected(&'static str),
}

struct Case {
    name: &'static str,
    format: Format,
    /// Files under tests/hostile/ (an OFAC case names its set's files).
    files: &'static [&'static str],
    expect: Expect,
}

/// What the import under test stored: the rows of the newest source.
struct Stored {
    conn: Connection,
    source: i64,
}

impl Stored {
    fn names(&self) -> Vec<String> {
        self.column("name")
    }

    fn column(&self, col: &str) -> Vec<String> {
        let sql = format!(
            "SELECT coalesce({col}, '') FROM list_entry WHERE source_id = ?1 ORDER BY source_line"
        );
        let mut stmt = self.conn.prepare(&sql).unwrap();
        stmt.query_map([self.source], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn lines(&self) -> Vec<i64> {
        let mut stmt = self
            .conn
            .prepare("SELECT source_line FROM list_entry WHERE source_id = ?1 ORDER BY source_line")
            .unwrap();
        stmt.query_map([self.source], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn aliases(&self) -> Vec<String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT n.name FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
                 WHERE e.source_id = ?1 AND n.name_type <> 'primary' ORDER BY n.id",
            )
            .unwrap();
        stmt.query_map([self.source], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

/// Published text that would drive a terminal is stored as published, and shows safely.
fn assert_stored_verbatim_and_displays_safely(stored: &[String], published: &[&str]) {
    for p in published {
        assert!(stored.iter().any(|s| s == p), "{p:?} stored as published");
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
    // --- CSL ---
    Case {
        name: "csl_bom",
        format: Format::Csl,
        files: &["csl/bom.csv"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names(), ["ACME TRADING CO.", "BETA ELECTRONICS LTD"]);
            assert_eq!(s.column("source_uid"), ["a1", "a2"]);
        }),
    },
    Case {
        name: "csl_windows_1252",
        format: Format::Csl,
        files: &["csl/cp1252.csv"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names(), ["São Paulo Equipamentos “SPE”"]);
        }),
    },
    Case {
        name: "csl_crlf_and_multiline_field",
        format: Format::Csl,
        files: &["csl/crlf_multiline.csv"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names(), ["MULTI LINE CO", "NEXT ROW CO"]);
            // The quoted address spans lines 2–3, so the next row is on line 4.
            assert_eq!(s.lines(), [2, 4]);
            assert_eq!(
                s.column("addresses")[0],
                "Building 5\nNo. 1 Road, Hangzhou, CN"
            );
        }),
    },
    Case {
        name: "csl_escapes_and_bidi_in_names",
        format: Format::Csl,
        files: &["csl/escapes_bidi.csv"],
        expect: Expect::Imported(|s| {
            let names = s.names();
            assert_stored_verbatim_and_displays_safely(
                &names,
                &[
                    "EVIL\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07 CORP",
                    "\x1b]0;pwned\x1b\\TITLE SET LTD",
                    "\x1b[2J\x1b[HCLEAR SCREEN CO",
                    "invoice\u{202e}txt.exe TRADING",
                ],
            );
            assert_eq!(sanitize(&names[0]), "EVIL\u{fffd} CORP");
            assert_stored_verbatim_and_displays_safely(&s.aliases(), &["\x1b[31mRED ALIAS\x1b[0m"]);
        }),
    },
    Case {
        name: "csl_ragged_row",
        format: Format::Csl,
        files: &["csl/ragged_row.csv"],
        expect: Expect::Rejected(
            "ragged_row.csv:3: field `title`: 6 fields where the header has 29",
        ),
    },
    Case {
        name: "csl_extra_fields",
        format: Format::Csl,
        files: &["csl/long_row.csv"],
        expect: Expect::Rejected("long_row.csv:3: field `(column 30)`: 31 fields"),
    },
    Case {
        name: "csl_unclosed_quote",
        format: Format::Csl,
        files: &["csl/unclosed_quote.csv"],
        expect: Expect::Rejected(
            "unclosed_quote.csv:3: field `name`: text follows the closing quote",
        ),
    },
    Case {
        name: "csl_nul_byte",
        format: Format::Csl,
        files: &["csl/nul.csv"],
        expect: Expect::Rejected("nul.csv:2: field `name`: contains a NUL byte"),
    },
    Case {
        name: "csl_utf16",
        format: Format::Csl,
        files: &["csl/utf16.csv"],
        expect: Expect::Rejected("utf16.csv: the file is UTF-16 text"),
    },
    Case {
        name: "csl_empty_file",
        format: Format::Csl,
        files: &["csl/empty.csv"],
        expect: Expect::Rejected("empty.csv: the file is empty"),
    },
    Case {
        name: "csl_header_only",
        format: Format::Csl,
        files: &["csl/header_only.csv"],
        expect: Expect::Rejected("header_only.csv: no entries found"),
    },
    Case {
        name: "csl_duplicate_header",
        format: Format::Csl,
        files: &["csl/dup_header.csv"],
        expect: Expect::Rejected("dup_header.csv:1: field `name`: this column name appears twice"),
    },
    Case {
        name: "csl_missing_name_column",
        format: Format::Csl,
        files: &["csl/missing_name_column.csv"],
        expect: Expect::Rejected(
            "missing_name_column.csv:1: field `name`: required column is missing",
        ),
    },
    Case {
        name: "csl_empty_name",
        format: Format::Csl,
        files: &["csl/empty_name.csv"],
        expect: Expect::Rejected("empty_name.csv:2: field `name`: empty name"),
    },
    Case {
        name: "csl_impossible_date",
        format: Format::Csl,
        files: &["csl/date_31_02.csv"],
        expect: Expect::Rejected(
            "date_31_02.csv:3: field `start_date`: `31/02/2020` is not a valid date",
        ),
    },
    Case {
        name: "csl_truncated_gzip",
        format: Format::Csl,
        files: &["csl/truncated.csv.gz"],
        expect: Expect::Rejected("truncated.csv.gz: the gzip stream ends early, near byte"),
    },
    // --- DPL ---
    Case {
        name: "dpl_bom",
        format: Format::Dpl,
        files: &["dpl/bom.txt"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names(), ["ADRIAN EXAMPLE", "JANE EXAMPLE"]);
        }),
    },
    Case {
        name: "dpl_windows_1252",
        format: Format::Dpl,
        files: &["dpl/cp1252.txt"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names(), ["JOSÉ MARÍA “EL TIO”"]);
        }),
    },
    Case {
        name: "dpl_escapes_and_bidi",
        format: Format::Dpl,
        files: &["dpl/escapes_bidi.txt"],
        expect: Expect::Imported(|s| {
            assert_stored_verbatim_and_displays_safely(
                &s.names(),
                &["EVIL\x1b]52;c;Y3VybA==\x07 PERSON", "\u{202e}REVERSED NAME"],
            );
            assert_stored_verbatim_and_displays_safely(&s.column("addresses"), &[]);
            assert!(s.column("addresses")[1].starts_with("\x1b[2J1 MAIN ST"));
        }),
    },
    Case {
        name: "dpl_ragged_row",
        format: Format::Dpl,
        files: &["dpl/ragged_row.txt"],
        expect: Expect::Rejected(
            "ragged_row.txt:3: field `City`: 2 fields where the header has 12",
        ),
    },
    Case {
        name: "dpl_unclosed_quote",
        format: Format::Dpl,
        files: &["dpl/unclosed_quote.txt"],
        expect: Expect::Rejected(
            "unclosed_quote.txt:3: field `Name`: text follows the closing quote",
        ),
    },
    Case {
        name: "dpl_nul_byte",
        format: Format::Dpl,
        files: &["dpl/nul.txt"],
        expect: Expect::Rejected("nul.txt:2: field `Name`: contains a NUL byte"),
    },
    Case {
        name: "dpl_duplicate_header",
        format: Format::Dpl,
        files: &["dpl/dup_header.txt"],
        expect: Expect::Rejected("dup_header.txt:1: field `NAME`: this column name appears twice"),
    },
    Case {
        name: "dpl_date_02_31",
        format: Format::Dpl,
        files: &["dpl/date_02_31.txt"],
        expect: Expect::Rejected(
            "date_02_31.txt:3: field `Effective_Date`: `02/31/2020` is not a valid date",
        ),
    },
    Case {
        name: "dpl_date_31_02",
        format: Format::Dpl,
        files: &["dpl/date_31_02.txt"],
        expect: Expect::Rejected(
            "date_31_02.txt:3: field `Effective_Date`: `31/02/2020` is not a valid date",
        ),
    },
    Case {
        name: "dpl_empty_file",
        format: Format::Dpl,
        files: &["dpl/empty.txt"],
        expect: Expect::Rejected("empty.txt: the file is empty"),
    },
    Case {
        name: "dpl_truncated_gzip",
        format: Format::Dpl,
        files: &["dpl/truncated.txt.gz"],
        expect: Expect::Rejected("truncated.txt.gz: the gzip stream ends early, near byte"),
    },
    // --- OFAC legacy sets ---
    Case {
        name: "ofac_bom",
        format: Format::Ofac,
        files: &["ofac/bom/sdn.csv"],
        expect: Expect::Imported(|s| {
            assert_eq!(s.column("entity_number"), ["36", "173"]);
        }),
    },
    Case {
        name: "ofac_windows_1252",
        format: Format::Ofac,
        files: &["ofac/cp1252/sdn.csv"],
        expect: Expect::Imported(|s| {
            assert!(s
                .names()
                .contains(&"BANCO NACIONAL DE CRÉDITO – SÃO".to_string()));
        }),
    },
    Case {
        name: "ofac_crlf_and_dos_eof_marker",
        format: Format::Ofac,
        files: &["ofac/dos_eof/sdn.csv", "ofac/dos_eof/alt.csv"],
        expect: Expect::Imported(|s| {
            assert_eq!(
                s.names(),
                ["AEROCARIBBEAN AIRLINES", "ANGLO-CARIBBEAN CO., LTD."]
            );
            assert_eq!(s.lines(), [1, 2]);
            assert_eq!(s.aliases(), ["AERO-CARIBBEAN"]);
        }),
    },
    Case {
        name: "ofac_escapes_and_bidi",
        format: Format::Ofac,
        files: &["ofac/escapes_bidi/sdn.csv", "ofac/escapes_bidi/alt.csv"],
        expect: Expect::Imported(|s| {
            assert_stored_verbatim_and_displays_safely(
                &s.names(),
                &["EVIL\x1b]52;c;Y3VybA==\x07 BANK", "NAME\u{202e}ESREVER"],
            );
            assert_stored_verbatim_and_displays_safely(&s.aliases(), &["\x1b[2JALIAS CLEAR"]);
        }),
    },
    Case {
        name: "ofac_dangling_references",
        format: Format::Ofac,
        files: &[
            "ofac/dangling_refs/sdn.csv",
            "ofac/dangling_refs/alt.csv",
            "ofac/dangling_refs/add.csv",
        ],
        expect: Expect::Imported(|s| {
            assert_eq!(s.names().len(), 2);
            assert_eq!(s.aliases(), ["AERO-CARIBBEAN"]);
        }),
    },
    Case {
        name: "ofac_impossible_listing_date",
        format: Format::Ofac,
        files: &["ofac/bad_listing_date/cons_prim.csv"],
        expect: Expect::Imported(|s| {
            // A remark is text as published: an impossible date in it is not a start date.
            assert_eq!(s.column("start_date"), [""]);
            assert!(s.column("remarks")[0].contains("31 Feb 2021"));
        }),
    },
    Case {
        name: "ofac_ragged_row",
        format: Format::Ofac,
        files: &["ofac/ragged_row/sdn.csv"],
        expect: Expect::Rejected("sdn.csv:3: field `Call_Sign`: 5 fields where this file has 12"),
    },
    Case {
        name: "ofac_unclosed_quote",
        format: Format::Ofac,
        files: &["ofac/unclosed_quote/sdn.csv"],
        expect: Expect::Rejected("sdn.csv:2: field `SDN_Name`: text follows the closing quote"),
    },
    Case {
        name: "ofac_nul_byte",
        format: Format::Ofac,
        files: &["ofac/nul/sdn.csv"],
        expect: Expect::Rejected("sdn.csv:3: field `SDN_Name`: contains a NUL byte"),
    },
    Case {
        name: "ofac_bad_ent_num",
        format: Format::Ofac,
        files: &["ofac/bad_ent_num/sdn.csv"],
        expect: Expect::Rejected("sdn.csv:3: field `ent_num`: `X12` is not a number"),
    },
    Case {
        name: "ofac_duplicate_ent_num",
        format: Format::Ofac,
        files: &["ofac/duplicate_ent_num/sdn.csv"],
        expect: Expect::Rejected(
            "sdn.csv:3: field `ent_num`: ent_num 36 already appears on line 1",
        ),
    },
    Case {
        name: "ofac_empty_file",
        format: Format::Ofac,
        files: &["ofac/empty/sdn.csv"],
        expect: Expect::Rejected("sdn.csv: no entries found"),
    },
    Case {
        name: "ofac_truncated_gzip",
        format: Format::Ofac,
        files: &["ofac/truncated_gz/sdn.csv.gz"],
        expect: Expect::Rejected("sdn.csv.gz: the gzip stream ends early, near byte"),
    },
];

/// A database with data in it already (the bundled DPL and OFAC non-SDN lists), made once
/// and copied for each case.
fn template(dir: &Path) -> PathBuf {
    let db = dir.join("template.db");
    import_files(
        &db,
        Format::Dpl,
        &[data("lists/bis_dpl.txt")],
        &ImportOptions::default(),
    )
    .unwrap();
    let cons: Vec<PathBuf> = ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"]
        .iter()
        .map(|f| data(&format!("lists/ofac_consolidated/{f}")))
        .collect();
    import_files(&db, Format::Ofac, &cons, &ImportOptions::default()).unwrap();
    db
}

/// Run one case against a fresh copy of the template; returns a failure description.
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
    // Parsing is under test, not the shrink guard or version order.
    let opts = ImportOptions {
        allow_shrink: true,
        ..Default::default()
    };
    let result = import_files(&db, format, files, &opts);
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
fn hostile_corpus_is_imported_correctly_or_rejected_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let template = template(dir.path());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|c| {
            let files: Vec<PathBuf> = c.files.iter().map(|f| corpus.join(f)).collect();
            run_case(dir.path(), &template, c.name, c.format, &files, &c.expect)
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const CSL_HEADER: &str = "_id,source,entity_number,type,programs,name,title,addresses,\
federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,\
call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,\
source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,\
source_information_url,ids";

/// A CSL row with `remarks` (column 21) set.
fn csl_row(id: &str, name: &str, remarks: &str) -> String {
    let mut f = vec![String::new(); 29];
    f[0] = id.into();
    f[1] = "Entity List (EL) - Bureau of Industry and Security".into();
    f[3] = "Entity".into();
    f[5] = name.into();
    f[20] = remarks.into();
    f.join(",")
}

fn write(dir: &Path, name: &str, parts: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for p in parts {
        f.write_all(p.as_bytes()).unwrap();
    }
    f.flush().unwrap();
    path
}

/// Large hostile files, generated rather than committed.
#[test]
fn generated_large_hostile_files_are_rejected_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let template = template(d);
    let good = csl_row("g1", "GOOD ROW", "");
    let mb = "A".repeat(1 << 20);
    let quoted_mb = format!("\"{}\"", "line, with comma\n".repeat(60_000));
    let wide_row = format!("{good}{}", ",x".repeat(100_000));
    let wide_header: Vec<String> = (0..100_000).map(|i| format!("col{i}")).collect();
    let dpl_header = "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\t\
                      Expiration_Date\tStandard_Order\tLast_Update\tAction\tFR_Citation";
    let dpl_big = format!("{mb}\t\t\t\t\t\t\t\t\t\t\t");
    let sdn_wide = format!(
        "36,\"X\",-0- ,\"P\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- {}\n",
        ",-0- ".repeat(100_000)
    );
    let no_newline = "B".repeat(17 << 20);
    let open_to_eof = csl_row("q1", "\"NEVER CLOSED", "");

    let cases: Vec<(&str, Format, PathBuf, &str)> = vec![
        (
            "csl_1mb_field",
            Format::Csl,
            write(
                d,
                "big_field.csv",
                &[
                    CSL_HEADER,
                    "\n",
                    &good,
                    "\n",
                    &csl_row("b1", "BIG", &mb),
                    "\n",
                ],
            ),
            "big_field.csv:3: field `remarks`: is 1048576 bytes long",
        ),
        (
            "csl_1mb_quoted_multiline_field",
            Format::Csl,
            write(
                d,
                "big_quoted.csv",
                &[CSL_HEADER, "\n", &csl_row("b1", "BIG", &quoted_mb), "\n"],
            ),
            "big_quoted.csv:2: field `remarks`: is 1020000 bytes long",
        ),
        (
            "csl_100k_column_row",
            Format::Csl,
            write(
                d,
                "wide_row.csv",
                &[CSL_HEADER, "\n", &good, "\n", &wide_row, "\n"],
            ),
            "wide_row.csv:3: field `(column 30)`: 100029 fields where the header has 29",
        ),
        (
            "csl_100k_column_header",
            Format::Csl,
            write(
                d,
                "wide_header.csv",
                &[&wide_header.join(","), "\n", &good, "\n"],
            ),
            "wide_header.csv:1: field `source`: required column is missing",
        ),
        (
            "csl_17mb_line_without_newline",
            Format::Csl,
            write(d, "no_newline.csv", &[CSL_HEADER, "\n", &no_newline]),
            "no_newline.csv:2: field `_id`: the line is longer than 16 MiB",
        ),
        (
            "csl_quote_open_to_end_of_file",
            Format::Csl,
            write(
                d,
                "open_to_eof.csv",
                &[CSL_HEADER, "\n", &good, "\n", &open_to_eof, "\n"],
            ),
            "open_to_eof.csv:3: field `name`: the quoted field opened here is never closed",
        ),
        (
            "dpl_1mb_field",
            Format::Dpl,
            write(d, "dpl_big.txt", &[dpl_header, "\n", &dpl_big, "\n"]),
            "dpl_big.txt:2: field `Name`: is 1048576 bytes long",
        ),
        (
            "ofac_100k_column_row",
            Format::Ofac,
            write(d, "sdn.csv", &[&sdn_wide]),
            "sdn.csv:1: field `(column 13)`: 100012 fields where this file has 12",
        ),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, format, file, want)| {
            run_case(
                d,
                &template,
                name,
                *format,
                std::slice::from_ref(file),
                &Expect::Rejected(want),
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
