//! Screening on the real bundled Consolidated Screening List (and the OFAC non-SDN file): the
//! behaviours issue 5 asks for, through the library and through the `screen` / `match` CLI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tradescope::db::import::{self, Format, Input};
use tradescope::db::{self, entities};
use tradescope::matching::{
    score_pair, Hit, NameIndex, Schema, SearchOptions, DEFAULT_THRESHOLD, LINK_THRESHOLD,
};
use tradescope::progress::NoProgress;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    index: NameIndex,
}

/// One database per test binary: CSL + OFAC consolidated, imported once.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("t.db");
        let mut conn = db::open_rw(&db).expect("open db");
        import::import(
            &mut conn,
            Format::Csl,
            &[Input::path("data/lists/csl_consolidated_2022-05.csv.gz")],
            &Default::default(),
            &NoProgress,
        )
        .expect("import CSL");
        let ofac: Vec<Input> = ["cons_prim", "cons_add", "cons_alt", "cons_comments"]
            .iter()
            .map(|f| Input::path(format!("data/lists/ofac_consolidated/{f}.csv")))
            .collect();
        import::import(
            &mut conn,
            Format::Ofac,
            &ofac,
            &Default::default(),
            &NoProgress,
        )
        .expect("import OFAC consolidated");
        let index = NameIndex::build(entities::current_names(&conn).expect("names"));
        Fixture {
            _dir: dir,
            db,
            index,
        }
    })
}

fn search(q: &str, threshold: f64) -> Vec<Hit> {
    fixture().index.search(
        q,
        &SearchOptions {
            threshold,
            limit: 60,
            ..SearchOptions::default()
        },
    )
}

/// (list code, name) of an entry.
fn entry(id: i64) -> (String, String) {
    let conn = db::open_ro(&fixture().db).expect("open");
    let e = entities::get(&conn, id).expect("entry");
    (e.list, e.name)
}

fn is_hikvision_entry(id: i64) -> Option<String> {
    let (list, name) = entry(id);
    (name.to_uppercase() == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.").then_some(list)
}

fn hikvision_lists(hits: &[Hit]) -> Vec<String> {
    let mut lists: Vec<String> = hits
        .iter()
        .filter_map(|h| is_hikvision_entry(h.id))
        .collect();
    lists.sort();
    lists.dedup();
    lists
}

#[test]
fn hikvision_alias_scores_high_against_both_entries() {
    let hits = search("Hikvision", 0.9);
    assert_eq!(hikvision_lists(&hits), ["CMIC", "EL"], "{hits:#?}");
    for h in hits.iter().filter(|h| is_hikvision_entry(h.id).is_some()) {
        assert!(h.score >= 0.9, "{h:?}");
        assert!(!h.explanation.is_empty());
    }
    // Without the alias to lean on, the short name still scores as a match.
    let s = score_pair(
        "Hikvision",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        Schema::Company,
    );
    assert!(s.score >= DEFAULT_THRESHOLD, "{s:?}");
}

#[test]
fn trade_party_and_assignee_spellings_reach_link_threshold() {
    for q in [
        "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD",
        "HIKVISION DIGITAL TECHNOLOGY CO.,LTD.",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "Hikvision Digital Technology Co., Ltd.",
        "HANGZHOU HIKVISON DIGITAL TECHNOLOGY COMPANY LIMITED",
    ] {
        let hits = search(q, LINK_THRESHOLD);
        assert_eq!(hikvision_lists(&hits), ["CMIC", "EL"], "{q}: {hits:#?}");
    }
}

#[test]
fn dahua_look_alike_is_not_linked_and_ranks_below_the_entity_list_entry() {
    let dpl = search("DAHUA ELECTRONICS CORPORATION", LINK_THRESHOLD);
    assert!(
        dpl.iter().all(|h| entry(h.id).1 != "Dahua Technology"),
        "{dpl:#?}"
    );
    for other in ["ZHEJIANG DAHUA TECHNOLOGY CO., LTD.", "Dahua Technology"] {
        let s = score_pair("DAHUA ELECTRONICS CORPORATION", other, Schema::Unknown);
        assert!(s.score < LINK_THRESHOLD, "{other}: {s:?}");
    }
    let hits = search("Zhejiang Dahua Technology Co., Ltd.", 0.0);
    let pos = |name: &str| hits.iter().position(|h| entry(h.id).1 == name);
    let el = pos("Dahua Technology").expect("the Entity List Dahua entry is found");
    assert_eq!(entry(hits[el].id).0, "EL");
    assert!(hits[el].score >= DEFAULT_THRESHOLD, "{:?}", hits[el]);
    if let Some(dpl) = pos("DAHUA ELECTRONICS CORPORATION") {
        assert!(el < dpl, "{hits:#?}");
    }
}

#[test]
fn zte_parsian_is_not_zte_corporation() {
    let s = score_pair("ZTE Parsian", "ZTE CORPORATION", Schema::Company);
    assert!(s.score < LINK_THRESHOLD, "{s:?}");
    let idx = NameIndex::build(vec![tradescope::matching::NameRecord {
        id: 1,
        name: "ZTE Parsian".into(),
        schema: Schema::Company,
        country: Some("IR".into()),
        dob: None,
    }]);
    let opts = SearchOptions {
        threshold: LINK_THRESHOLD,
        ..SearchOptions::default()
    };
    assert!(idx.search("ZTE CORPORATION", &opts).is_empty());
    // The listed name itself is found.
    let hits = search("ZTE Parsian", LINK_THRESHOLD);
    assert!(hits.iter().any(|h| entry(h.id).1 == "ZTE Parsian"));
}

#[test]
fn huawei_query_finds_entries_with_city_suffixes() {
    let hits = search("Huawei Technologies Co Ltd", DEFAULT_THRESHOLD);
    let names: Vec<String> = hits.iter().map(|h| entry(h.id).1).collect();
    assert!(
        names.iter().any(|n| n == "HUAWEI TECHNOLOGIES CO., LTD."),
        "{names:#?}"
    );
    assert!(names
        .iter()
        .any(|n| n == "Huawei Technologies Co., Ltd. (Huawei)"));
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("Chengdu Huawei Technologies") && n.ends_with("Sichuan")),
        "{names:#?}"
    );
}

#[test]
fn unrelated_common_word_names_do_not_link() {
    let s = score_pair(
        "GLOBAL TRADING CO LTD",
        "GLOBAL TECHNOLOGY CO LTD",
        Schema::Company,
    );
    assert!(s.score < LINK_THRESHOLD, "{s:?}");
    let hits = search("GLOBAL TRADING CO LTD", LINK_THRESHOLD);
    for h in &hits {
        // Only names that really are GLOBAL TRADING (an alias "GLOBAL TRADING GROUP" is).
        let n = h.matched_name.to_uppercase();
        assert!(n.contains("GLOBAL") && n.contains("TRADING"), "{n} linked");
    }
}

fn tradescope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(&fixture().db)
        .args(args)
        .output()
        .expect("run tradescope")
}

#[test]
fn screen_json_lists_both_hikvision_entries_once_per_listing() {
    let out = tradescope(&["screen", "Hikvision", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let hits = v.as_array().expect("array");
    let hik: Vec<&serde_json::Value> = hits
        .iter()
        .filter(|h| {
            h["name"].as_str().map(str::to_uppercase).as_deref()
                == Some("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
        })
        .collect();
    let mut lists: Vec<&str> = hik.iter().filter_map(|h| h["list"].as_str()).collect();
    lists.sort();
    // The CMIC entry is in both the CSL and the OFAC file: one hit, the other in also_in.
    assert_eq!(lists, ["CMIC", "EL"], "{v:#}");
    for h in &hik {
        for key in [
            "id",
            "list",
            "name",
            "matched_name",
            "score",
            "sls_score",
            "explanation",
        ] {
            assert!(!h[key].is_null(), "{key} missing in {h}");
        }
        assert!(h["score"].as_f64().unwrap_or(0.0) >= 0.9);
        assert!(h["sls_score"].as_f64().unwrap_or(0.0) <= 100.0);
    }
    let cmic = hik.iter().find(|h| h["list"] == "CMIC").expect("CMIC hit");
    assert!(
        !cmic["also_in"]
            .as_array()
            .map(Vec::is_empty)
            .unwrap_or(true),
        "{cmic}"
    );
}

#[test]
fn screen_rejects_bad_threshold_and_country() {
    let out = tradescope(&["screen", "Hikvision", "--threshold", "1.5"]);
    assert_eq!(out.status.code(), Some(1));
    let out = tradescope(&["screen", "Hikvision", "--country", "Atlantis"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("country"));
}

/// Score and explanation of the PUTIN hit of `screen "Vladimir Putin" --json [extra…]`.
fn putin_hit(extra: &[&str]) -> (f64, String) {
    let mut args = vec!["screen", "Vladimir Putin", "--json", "--threshold", "0.5"];
    args.extend_from_slice(extra);
    let out = tradescope(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let hit = v
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|h| h["name"] == "PUTIN, Vladimir Vladimirovich")
                .cloned()
        })
        .unwrap_or_else(|| panic!("no PUTIN hit: {v:#}"));
    (
        hit["score"].as_f64().unwrap_or(0.0),
        hit["explanation"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_audit_log_records_the_evidence_a_screen_used() {
    let out = tradescope(&[
        "screen",
        "Vladimir Putin",
        "--country",
        "RU",
        "--dob",
        "1952-10-07",
        "--json",
    ]);
    assert!(out.status.success());
    let out = tradescope(&["audit", "show", "--limit", "200", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("audit JSON");
    let queries: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["action"] == "screen")
        .filter_map(|r| r["query"].as_str())
        .collect();
    assert!(
        queries.contains(&"Vladimir Putin (country RU; date of birth 1952-10-07)"),
        "{queries:?}"
    );
}

#[test]
fn date_of_birth_is_evidence_for_or_against_a_person() {
    // The SDN entry's date of birth in the bundled CSL is 1952-10-07.
    let (plain, plain_why) = putin_hit(&[]);
    assert!(!plain_why.contains("date of birth"), "{plain_why}");
    let (same, why) = putin_hit(&["--dob", "1952-10-07"]);
    assert!(why.contains("same date of birth"), "{why}");
    assert!(same >= plain, "{same} < {plain}");
    let (year, why) = putin_hit(&["--dob", "1952"]);
    assert!(why.contains("same year of birth"), "{why}");
    assert!(year >= plain && year <= same, "{year}");
    let (far, why) = putin_hit(&["--dob", "1990-01-01"]);
    assert!(
        why.contains("different date of birth (list: 1952-10-07)"),
        "{why}"
    );
    assert!(far < plain, "{far} >= {plain}");
    for bad in ["07/10/1952", "1952-13-01", "soon"] {
        let out = tradescope(&["screen", "Vladimir Putin", "--dob", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--dob"),
            "{bad}"
        );
    }
}

#[test]
fn batch_screen_reads_a_dob_column() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "people.csv",
        "name,dob\nVladimir Putin,1952-10-07\nVladimir Putin,1990\nVladimir Putin,\n",
    );
    let f = file.to_string_lossy().to_string();
    let out = tradescope(&["screen", "--file", &f]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    let header = rdr.headers().expect("header").clone();
    let pos = |c: &str| header.iter().position(|h| h == c).unwrap_or(0);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    let score = |r: &csv::StringRecord| r[pos("score")].parse::<f64>().unwrap_or(0.0);
    assert!(
        rows[0][pos("explanation")].contains("same date of birth"),
        "{rows:?}"
    );
    assert!(
        rows[1][pos("explanation")].contains("different date of birth"),
        "{rows:?}"
    );
    assert!(
        !rows[2][pos("explanation")].contains("date of birth"),
        "{rows:?}"
    );
    assert!(score(&rows[0]) >= score(&rows[2]) && score(&rows[2]) > score(&rows[1]));
    // A bad date stops the batch at its line, naming the column.
    let bad = write(
        dir.path(),
        "bad.csv",
        "name,born\nVladimir Putin,1952\nX,13/13/13\n",
    );
    let b = bad.to_string_lossy().to_string();
    let out = tradescope(&["screen", "--file", &b, "--dob-column", "born"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(":3") && err.contains("born"), "{err}");
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn batch_screen_writes_one_row_per_input_row() {
    let dir = tempfile::tempdir().expect("dir");
    let names = [
        "HIKVISION DIGITAL TECHNOLOGY CO.,LTD.",
        "Acme Plumbing Supplies",
        // (An empty name is an input error on its line: tests/hardening_io.rs.)
        "Zhejiang Dahua Technology Co., Ltd.",
        "PUTIN, Vladimir",
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["vendor", "city"]).expect("csv");
    for _ in 0..4 {
        for n in names {
            w.write_record([n, "Somewhere"]).expect("csv");
        }
    }
    let bytes = w.into_inner().expect("csv");
    let file = write(dir.path(), "vendors.csv", &String::from_utf8_lossy(&bytes));
    let f = file.to_string_lossy().to_string();
    let out = tradescope(&["screen", "--file", &f, "--column", "vendor"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    let header = rdr.headers().expect("header").clone();
    for col in [
        "vendor",
        "city",
        "match",
        "score",
        "sls_score",
        "list",
        "entity_name",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} missing: {header:?}");
    }
    let pos = |c: &str| header.iter().position(|h| h == c).unwrap_or(0);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 16);
    for r in &rows {
        let expect = match &r[pos("vendor")] {
            "HIKVISION DIGITAL TECHNOLOGY CO.,LTD." | "Zhejiang Dahua Technology Co., Ltd." => {
                "match"
            }
            "PUTIN, Vladimir" => "match",
            _ => "no match",
        };
        assert_eq!(&r[pos("match")], expect, "{r:?}");
    }
    let out = tradescope(&["screen", "--file", &f, "--column", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vendor"));
}

#[test]
fn match_pairs_scores_every_pair() {
    let dir = tempfile::tempdir().expect("dir");
    let file = write(
        dir.path(),
        "pairs.csv",
        "name1,name2,schema\nHikvision,\"Hangzhou Hikvision Digital Technology Co., Ltd.\",company\n\
         ZTE Parsian,ZTE CORPORATION,\n\"PUTIN, Vladimir Vladimirovich\",Владимир Путин,person\n",
    );
    let out = tradescope(&["match", "--pairs", &file.to_string_lossy()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rdr = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(
        rdr.headers().expect("header").iter().collect::<Vec<_>>(),
        ["name1", "name2", "score", "sls_score", "match"]
    );
    let m: Vec<String> = rdr
        .records()
        .map(|r| r.expect("row")[4].to_string())
        .collect();
    assert_eq!(m, ["1", "0", "1"]);
    let bad = write(dir.path(), "bad.csv", "name1,name2,schema\nA,B,planet\n");
    let out = tradescope(&["match", "--pairs", &bad.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(":2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A quoted name spanning two lines: the bad row after it is on line 4, not record 3.
    let bad = write(
        dir.path(),
        "bad2.csv",
        "name1,name2,schema\n\"ACME\nTRADING\",ACME,company\nA,B,planet\n",
    );
    let out = tradescope(&["match", "--pairs", &bad.to_string_lossy()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("bad2.csv:4") && err.contains("schema"),
        "{err}"
    );
}
