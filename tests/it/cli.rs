//! JSON contracts and exit codes of the command line, on the default database built by `init`.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
}

/// The default database, built once per test run with `tradescope init`.
fn default_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-default.db");
        let out = bin()
            .args(["--db", path.to_str().unwrap(), "init", "--force"])
            .output()
            .expect("run init");
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    })
}

fn run(args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(default_db())
        .args(args)
        .output()
        .expect("run tradescope")
}

fn run_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn search_json_finds_both_hikvision_listings_best_first() {
    let hits = run_json(&["search", "hikvision", "--json"]);
    let hits = hits.as_array().expect("array");
    for key in [
        "id",
        "list",
        "name",
        "matched_name",
        "score",
        "programs",
        "country",
        "start_date",
        "end_date",
    ] {
        assert!(hits[0].get(key).is_some(), "missing key {key}");
    }
    let lists: Vec<&str> = hits
        .iter()
        .take(2)
        .map(|h| h["list"].as_str().unwrap())
        .collect();
    assert!(
        lists.contains(&"EL") && lists.contains(&"CMIC"),
        "{lists:?}"
    );
    let el = hits.iter().find(|h| h["list"] == "EL").unwrap();
    assert_eq!(el["start_date"], "2019-10-09");
    assert!(el["score"].as_f64().unwrap() >= 0.9);
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[test]
fn show_entity_json_has_record_and_links() {
    let hits = run_json(&["search", "hikvision", "--json"]);
    let el = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["list"] == "EL")
        .unwrap();
    let id = el["id"].as_i64().unwrap().to_string();
    let shown = run_json(&["show", "entity", &id, "--json"]);
    assert_eq!(
        shown["record"]["name"],
        "Hangzhou Hikvision Digital Technology Co., Ltd."
    );
    let links = shown["links"].as_array().expect("links array");
    for l in links {
        for key in ["kind", "id", "label", "count"] {
            assert!(l.get(key).is_some(), "link missing {key}: {l}");
        }
    }
    // The same company is on the CMIC list too.
    assert!(
        links
            .iter()
            .any(|l| l["kind"] == "entity" && l["label"].as_str().unwrap().contains("CMIC")),
        "{links:?}"
    );
}

#[test]
fn stats_json_counts_tables_and_sources_with_sha256() {
    let s = run_json(&["stats", "--json"]);
    let sources = s["sources"].as_array().unwrap();
    assert!(sources.len() >= 4);
    for src in sources {
        assert_eq!(src["sha256"].as_str().unwrap().len(), 64);
    }
    let csl = sources.iter().find(|x| x["dataset"] == "csl").unwrap();
    assert_eq!(csl["rows"], 14_160);
    let tables = s["tables"].as_array().unwrap();
    assert!(tables
        .iter()
        .any(|t| t[0] == "list_entry" && t[1].as_i64().unwrap() > 22_000));
}

#[test]
fn exit_codes_user_error_is_1() {
    let out = run(&["show", "entity", "999999999", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no list entry with id 999999999"));

    let out = bin()
        .args([
            "--db",
            default_db().to_str().unwrap(),
            "import",
            "csl",
            "/nonexistent/file.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file.csv"));

    let out = bin().args(["no-such-command"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn help_describes_the_commands() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["init", "import", "search", "show", "stats"] {
        assert!(text.contains(cmd), "--help lacks {cmd}");
    }
}
