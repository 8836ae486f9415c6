//! Items 2 and 4: a 2023-style CSL over a 2022-style one of the same entries (the `_id` scheme
//! changed) and two DPL versions report the added / removed / changed counts of a by-hand
//! comparison (tests/fixtures/drift/PROVENANCE.md); matched entries keep their listing key;
//! as-of dates say where they came from.

use rusqlite::Connection;
use serde_json::Value;

use super::{json, ok};

const CSL22: &str = "tests/fixtures/drift/csl_2022-style.csv";
const CSL23: &str = "tests/fixtures/drift/csl_2023-style.csv";
const DPL1: &str = "tests/fixtures/drift/dpl_v1.txt";
const DPL2: &str = "tests/fixtures/drift/dpl_v2.txt";

fn names(v: &Value, kind: &str) -> Vec<String> {
    v[kind]
        .as_array()
        .expect(kind)
        .iter()
        .map(|e| match e["fields"].as_array() {
            Some(f) => format!(
                "{} ({})",
                e["name"].as_str().unwrap(),
                f.iter()
                    .map(|x| x.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => e["name"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn changes_of(dir: &std::path::Path, dataset: &str) -> Value {
    let all = json(dir, &["stats", "--changes", "--json"]);
    all.as_array()
        .expect("array")
        .iter()
        .find(|v| v["dataset"] == dataset)
        .unwrap_or_else(|| panic!("no {dataset} changes in {all}"))
        .clone()
}

fn import_json(dir: &std::path::Path, format: &str, file: &str) -> Value {
    json(dir, &["import", format, file, "--json"])
}

/// The by-hand comparison of the two CSL fixtures.
fn assert_csl_changes(dir: &std::path::Path, report: &Value) {
    let v = &report["version"];
    assert_eq!(
        (&v["added"], &v["removed"], &v["changed"]),
        (&2.into(), &2.into(), &3.into()),
        "{report}"
    );
    let c = changes_of(dir, "csl");
    assert_eq!(
        names(&c, "added"),
        [
            "New Optics Technology Co., Ltd.",
            "Sinobright Import and Export Company"
        ]
    );
    assert_eq!(
        names(&c, "removed"),
        [
            "Old Proliferator Trading Company",
            "Removed Components Ltd."
        ]
    );
    assert_eq!(
        names(&c, "changed"),
        [
            "China Electronics Technology Group Corporation 13th Research Institute (aliases)",
            "Huawei Technologies Co., Ltd. (addresses)",
            "RIM, Ryong Nam (programs)",
        ]
    );
}

/// Listing keys of the entries of a source, by name and first address.
fn keys(conn: &Connection, source: i64) -> Vec<(String, String)> {
    let mut s = conn
        .prepare(
            "SELECT name || ' @ ' || coalesce(addresses, ''), listing_key FROM list_entry
             WHERE source_id = ?1 ORDER BY 1",
        )
        .unwrap();
    s.query_map([source], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn csl_id_scheme_change_reports_the_real_changes_and_keys_follow() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    import_json(d, "csl", CSL22);
    let report = import_json(d, "csl", CSL23);
    assert_csl_changes(d, &report);
    // Every entry kept from 2022 has the listing key it had (Huawei's edited row included).
    let conn = Connection::open(d.join("t.db")).unwrap();
    let shared: i64 = conn
        .query_row(
            "SELECT count(*) FROM list_entry n JOIN list_entry o ON o.listing_key = n.listing_key
             AND o.list_code = n.list_code WHERE n.source_id = 2 AND o.source_id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(shared, 8, "{:?}", keys(&conn, 2));
    // Huawei's two Entity List rows are two listings.
    let huawei: i64 = conn
        .query_row(
            "SELECT count(DISTINCT listing_key) FROM list_entry WHERE source_id = 2
             AND name LIKE 'Huawei%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(huawei, 2);
}

#[test]
fn a_database_keyed_by_the_old_ids_follows_entries_onto_the_new_ids() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    import_json(d, "csl", CSL22);
    // As a database built before stable keys: listings keyed by the publisher's `_id`.
    let conn = Connection::open(d.join("t.db")).unwrap();
    conn.execute(
        "UPDATE list_entry SET listing_key = 'csl:' || source_uid WHERE listing_key NOT LIKE 'ofac:%'",
        [],
    )
    .unwrap();
    let before = keys(&conn, 1);
    drop(conn);
    let report = import_json(d, "csl", CSL23);
    assert_csl_changes(d, &report);
    assert_eq!(report["version"]["rekeyed"], 7, "{report}");
    let conn = Connection::open(d.join("t.db")).unwrap();
    let after = keys(&conn, 2);
    // The unchanged entries carry their 2022 keys under their 2023 `_id`s.
    for name in ["Atlas Sanatgaran", "I. ASH", "Cesareo Estanislao Benitez"] {
        let old = before.iter().find(|(n, _)| n.starts_with(name)).unwrap();
        let new = after.iter().find(|(n, _)| n.starts_with(name)).unwrap();
        assert_eq!(old.1, new.1, "{name}");
        assert!(new.1.starts_with("csl:") && new.1.len() == 44, "{new:?}");
    }
}

/// A case that noted an entry of the 2022 file follows it onto the 2023 version (new `_id`,
/// same listing), and says so for an entry the new version no longer lists.
#[test]
fn case_items_follow_their_listing_onto_the_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    import_json(d, "csl", CSL22);
    let conn = Connection::open(d.join("t.db")).unwrap();
    let pick = |sql: &str| -> (i64, String) {
        conn.query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
    };
    let (kept, kept_key) = pick(
        "SELECT id, listing_key FROM list_entry WHERE source_id = 1
         AND name LIKE 'Atlas Sanatgaran%' ORDER BY id LIMIT 1",
    );
    drop(conn);
    ok(d, &["case", "add", "probe", "entity", &kept.to_string()]);
    import_json(d, "csl", CSL23);
    let conn = Connection::open(d.join("t.db")).unwrap();
    let (now, list): (i64, String) = conn
        .query_row(
            "SELECT e.id, e.list_code FROM list_entry e WHERE e.current = 1 AND e.listing_key = ?1",
            [&kept_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let removed: i64 = conn
        .query_row(
            "SELECT id FROM list_entry WHERE source_id = 1 AND name = 'Removed Components Ltd.'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    assert_ne!(now, kept, "the 2023 file is a new version of the entry");
    ok(d, &["case", "add", "probe", "entity", &removed.to_string()]);
    let export = json(d, &["case", "export", "probe", "--format", "json"]);
    let fact = |item: &Value, k: &str| -> Option<String> {
        item["facts"]
            .as_array()?
            .iter()
            .find_map(|f| (f[0] == k).then(|| f[1].as_str().unwrap_or_default().to_string()))
    };
    let items = export["items"].as_array().expect("items");
    assert_eq!(fact(&items[0], "current").as_deref(), Some("false"));
    assert_eq!(
        fact(&items[0], "now"),
        Some(format!("#{now} ({list}, csl)")),
        "{export}"
    );
    assert_eq!(
        fact(&items[1], "now").as_deref(),
        Some("no longer listed in any current list version"),
        "{export}"
    );
}

#[test]
fn import_summary_says_how_many_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["import", "csl", CSL23]);
    // Back to the 2022 file's entries, dated later: 2 of the 2023 entries are gone, 2 are back.
    let out = ok(d, &["import", "csl", CSL22, "--as-of", "2024-01-01"]);
    assert!(
        out.contains("replaces source #1: 2 added, 2 removed, 3 changed"),
        "{out}"
    );
    assert!(!out.contains("first 5 of"), "{out}");
    assert!(out.contains("  ~ RIM, Ryong Nam (programs)"), "{out}");
}

#[test]
fn dpl_versions_match_by_name_not_by_a_hash_of_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r1 = import_json(d, "dpl", DPL1);
    // Last_Update dates 2017-10-23, 3017-08-22 (a real typo), 2015-01-12: the typo is ignored.
    assert_eq!(r1["as_of"], "2017-10-23");
    assert_eq!(r1["as_of_source"]["basis"], "Last_Update column");
    assert_eq!(r1["as_of_source"]["derived"], false);
    let r2 = import_json(d, "dpl", DPL2);
    let v = &r2["version"];
    assert_eq!(
        (&v["added"], &v["removed"], &v["changed"]),
        (&1.into(), &1.into(), &2.into()),
        "{r2}"
    );
    let c = changes_of(d, "dpl");
    assert_eq!(names(&c, "added"), ["MARIA NEW-DENIAL"]);
    assert_eq!(names(&c, "removed"), ["JOHN Q. EXPORTER"]);
    assert_eq!(
        names(&c, "changed"),
        [
            "ADRIAN MANUEL HERNANDEZ (addresses)",
            "I. ASH (dates, notice)"
        ]
    );
}

#[test]
fn stats_say_where_each_as_of_date_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["import", "csl", CSL23]);
    ok(d, &["import", "dpl", DPL1]);
    let text = ok(d, &["stats"]);
    assert!(
        text.contains("as of 2023-07-19 (derived: newest start date)"),
        "{text}"
    );
    assert!(
        text.contains("as of 2017-10-23 (Last_Update column)"),
        "{text}"
    );
    let s = json(d, &["stats", "--json"]);
    let src = s["sources"].as_array().unwrap();
    assert_eq!(
        (&src[0]["as_of_source"], &src[0]["as_of_derived"]),
        (&"newest start date".into(), &true.into())
    );
    assert_eq!(src[1]["as_of_derived"], false);
    // An OFAC file set named by its download: the date in the name, not derived.
    let set = d.join("sdn_2024-05-01");
    std::fs::create_dir(&set).unwrap();
    let mut files = Vec::new();
    for f in ["sdn", "add", "alt", "sdn_comments"] {
        let to = set.join(format!("{f}.csv"));
        std::fs::copy(format!("data/lists/ofac_sdn/{f}.csv"), &to).unwrap();
        files.push(to.to_str().unwrap().to_string());
    }
    let mut args = vec!["import", "ofac", "--json"];
    args.extend(files.iter().map(String::as_str));
    let r = json(d, &args);
    assert_eq!(r["as_of"], "2024-05-01");
    assert_eq!(r["as_of_source"]["basis"], "download name sdn_2024-05-01");
}
