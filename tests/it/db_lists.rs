//! The list importers on the real bundled files: counts as published, the Hikvision entries,
//! versions (re-import idempotent, newer version replaces older with a change report), and a
//! malformed file rejected with its line number and the database unchanged.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::{self, entities};
use tradescope::progress::NoProgress;

const CSL: &str = "data/lists/csl_consolidated_2022-05.csv.gz";

fn tmp_db(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    (dir, path)
}

fn import_files(conn: &mut Connection, format: Format, files: &[&str]) -> import::ImportReport {
    let inputs: Vec<Input> = files.iter().map(Input::path).collect();
    import::import(
        conn,
        format,
        &inputs,
        &ImportOptions::default(),
        &NoProgress,
    )
    .unwrap_or_else(|e| panic!("import {files:?}: {e}"))
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn ofac_set(dir: &str, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|n| format!("data/lists/{dir}/{n}"))
        .collect()
}

#[test]
fn csl_counts_as_published_and_hikvision_on_el_and_cmic() {
    let (_d, path) = tmp_db("csl.db");
    let mut conn = db::open_rw(&path).unwrap();
    let r = import_files(&mut conn, Format::Csl, &[CSL]);
    assert_eq!(r.rows, 14_160);
    assert_eq!(
        r.as_of.as_deref(),
        Some("2022-04-21"),
        "newest start date in the file"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM list_entry WHERE list_code = 'SDN'"
        ),
        10_026
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM list_entry WHERE list_code = 'EL'"
        ),
        2_001
    );

    let el: i64 = conn
        .query_row(
            "SELECT id FROM list_entry WHERE list_code = 'EL'
             AND name = 'Hangzhou Hikvision Digital Technology Co., Ltd.'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let e = entities::get(&conn, el).unwrap();
    assert_eq!(e.start_date.as_deref(), Some("2019-10-09"));
    assert_eq!(
        e.federal_register_notice.as_deref(),
        Some("84 FR 54002; 85 FR 44159")
    );
    assert_eq!(e.aliases, vec!["Hikvision".to_string()]);
    assert_eq!(e.country.as_deref(), Some("CN"));

    let cmic: i64 = conn
        .query_row(
            "SELECT id FROM list_entry WHERE list_code = 'CMIC' AND entity_number = '30946'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let c = entities::get(&conn, cmic).unwrap();
    assert_eq!(c.name, "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.");
    assert!(c
        .ids
        .iter()
        .any(|i| i.value == "91330000733796106P" && i.id_type.contains("USCC")));
    assert!(c
        .ids
        .iter()
        .any(|i| i.value == "CNE100000PM8" && i.id_type == "ISIN"));
    // Every row traces back to its line in the published file.
    assert_eq!(e.source.path, CSL);
    assert!(e.source.line > 1);
    assert_eq!(e.source.sha256.len(), 64);
}

#[test]
fn ofac_legacy_sets_and_dpl_import_with_their_quirks() {
    let (_d, path) = tmp_db("ofac.db");
    let mut conn = db::open_rw(&path).unwrap();
    let sdn = ofac_set(
        "ofac_sdn",
        &["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"],
    );
    let sdn: Vec<&str> = sdn.iter().map(String::as_str).collect();
    let r = import_files(&mut conn, Format::Ofac, &sdn);
    assert_eq!(r.dataset, "ofac_sdn");
    assert_eq!(r.rows, 7_379, "SDN primaries as published");
    // sdn_comments.csv comes from a later release than sdn.csv: its orphan rows are reported.
    assert!(
        r.warnings.iter().any(|w| w.contains("10 rows")),
        "{:?}",
        r.warnings
    );
    // `-0-` nulls are NULL, not text.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM list_entry WHERE remarks LIKE '-0-%' OR title = '-0-'"
        ),
        0
    );
    // Vessels keep their type; an alias from alt.csv is attached.
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM list_entry WHERE entity_type = 'vessel'"
        ) > 300
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
             WHERE e.entity_number = '36' AND n.name = 'AERO-CARIBBEAN'"
        ),
        1
    );

    let cons = ofac_set(
        "ofac_consolidated",
        &[
            "cons_prim.csv",
            "cons_add.csv",
            "cons_alt.csv",
            "cons_comments.csv",
        ],
    );
    let cons: Vec<&str> = cons.iter().map(String::as_str).collect();
    let r = import_files(&mut conn, Format::Ofac, &cons);
    assert_eq!(r.dataset, "ofac_cons");
    assert_eq!(
        r.rows, 442,
        "CRLF rows and the trailing 0x1A byte are handled"
    );
    let hik: (String, Option<String>) = conn
        .query_row(
            "SELECT list_code, start_date FROM list_entry e JOIN source s ON s.id = e.source_id
             WHERE s.dataset = 'ofac_cons' AND entity_number = '30946'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(hik, ("CMIC".to_string(), Some("2021-06-03".to_string())));

    let r = import_files(&mut conn, Format::Dpl, &["data/lists/bis_dpl.txt"]);
    assert_eq!(r.rows, 546);
    let (start, end, country): (String, String, String) = conn
        .query_row(
            "SELECT start_date, end_date, country FROM list_entry
             WHERE list_code = 'DPL' AND name = 'DAHUA ELECTRONICS CORPORATION'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((start.as_str(), end.as_str()), ("2017-09-28", "2025-11-19"));
    assert_eq!(country, "US", "Flushing, NY with no country column");
}

#[test]
fn reimport_is_idempotent_and_a_new_version_reports_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.db");
    let mut conn = db::open_rw(&path).unwrap();
    let dpl = Path::new("data/lists/bis_dpl.txt");
    let text = std::fs::read_to_string(dpl).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // Version 1: the published file without its last 5 rows.
    let v1 = dir.path().join("dpl_v1.txt");
    std::fs::write(&v1, lines[..lines.len() - 5].join("\n")).unwrap();
    let first = import_files(&mut conn, Format::Dpl, &[v1.to_str().unwrap()]);
    assert_eq!(first.rows, 541);
    let again = import_files(&mut conn, Format::Dpl, &[v1.to_str().unwrap()]);
    assert!(again.already_imported);
    assert_eq!(count(&conn, "SELECT count(*) FROM source"), 1);

    // Version 2: the published file, minus its second data row.
    let removed_name = lines
        .remove(1)
        .split('\t')
        .next()
        .unwrap()
        .trim_matches('"')
        .trim()
        .to_string();
    let v2 = dir.path().join("dpl_v2.txt");
    std::fs::write(&v2, lines.join("\n")).unwrap();
    let second = import_files(&mut conn, Format::Dpl, &[v2.to_str().unwrap()]);
    let v = second.version.expect("list version report");
    assert_eq!(v.replaced, first.source_id);
    assert_eq!((v.added, v.removed), (5, 1));
    assert_eq!(v.removed_examples, vec![removed_name]);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM list_entry WHERE current = 1"),
        545
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM list_change WHERE change = 'added'"
        ),
        5
    );
}

#[test]
fn malformed_file_is_rejected_with_its_line_and_the_database_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut conn = db::open_rw(&path).unwrap();
    import_files(&mut conn, Format::Dpl, &["data/lists/bis_dpl.txt"]);
    let before = count(&conn, "SELECT count(*) FROM list_entry");

    let text = std::fs::read_to_string("data/lists/bis_dpl.txt").unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 40: an impossible effective date.
    let bad_row = lines[39].clone();
    let date_col = bad_row.split('\t').nth(6).unwrap().to_string();
    lines[39] = bad_row.replace(&date_col, "\"02/31/2020\"");
    let bad = dir.path().join("dpl_bad.txt");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = import::import(
        &mut conn,
        Format::Dpl,
        &[Input::path(&bad)],
        &ImportOptions::default(),
        &NoProgress,
    )
    .expect_err("impossible date must be rejected");
    let msg = err.to_string();
    assert!(msg.contains("dpl_bad.txt:40:"), "{msg}");
    assert!(msg.contains("Effective_Date"), "{msg}");
    assert!(msg.contains("02/31/2020"), "{msg}");
    assert_eq!(count(&conn, "SELECT count(*) FROM list_entry"), before);
    assert_eq!(count(&conn, "SELECT count(*) FROM source"), 1);
}
