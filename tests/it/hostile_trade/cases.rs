//! The trade and patent hostile cases: each file (or file set) under tests/hostile/ and what
//! must happen to it.

use rusqlite::Connection;
use tradescope::db::import::Format;
use tradescope::text::sanitize;

pub enum Expect {
    /// Imported; the function checks what the newest source stored.
    Imported(fn(&Stored)),
    /// Rejected; the error message contains this.
    Rejected(&'static str),
}

pub struct Case {
    pub name: &'static str,
    pub format: Format,
    /// A file, or a directory whose files form the set, under tests/hostile/.
    pub path: &'static str,
    pub expect: Expect,
}

pub struct Stored {
    pub conn: Connection,
    pub source: i64,
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

pub const CASES: &[Case] = &[
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
        expect: Expect::Rejected("truncated.csv.gz: the gzip stream ends early, near byte 2253 of the file (after line 220 of its text)"),
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
        expect: Expect::Rejected("g_patent.tsv.gz: the gzip stream ends early, near byte 1052 of the file (after line 337 of its text)"),
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
