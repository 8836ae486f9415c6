//! Decisions on screening hits (issue 17 item 1), through the CLI: a false positive recorded
//! once is shown as cleared and no longer a match on the next screen, holds across a list
//! version that does not change the listing, is re-opened by one that gives it a new alias,
//! and every decision and undo is an audit record.

use std::path::Path;
use std::process::{Command, Output};

fn cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(dir.join("t.db"))
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run tradescope")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cli(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(dir: &Path, name: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&ok(dir, &["screen", name, "--json"])).expect("json");
    v.as_array().expect("array").clone()
}

const CSL: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";

#[test]
fn a_false_positive_is_cleared_on_later_screens_and_reopened_by_a_new_alias() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let csl = Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL);
    ok(
        dir,
        &[
            "import",
            "csl",
            csl.to_str().expect("path"),
            "--as-of",
            "2023-11-01",
        ],
    );
    let name = "Dahua Technologies Inc";
    let hits = screen(dir, name);
    let first = hits.first().expect("a hit").clone();
    assert_eq!(first["match"], true, "{first}");
    assert!(first.get("decision").is_none(), "{first}");
    let id = first["id"].as_i64().expect("id").to_string();

    let d: serde_json::Value = serde_json::from_str(&ok(
        dir,
        &[
            "decide",
            name,
            &id,
            "--verdict",
            "false-positive",
            "--reason",
            "US reseller, not the listed maker",
            "--json",
        ],
    ))
    .expect("decision json");
    assert_eq!(d["verdict"], "false-positive");
    assert!(!d["by"].as_str().unwrap_or("").starts_with("uid:"), "{d}");

    // The same name, spelled differently (normalized the same): cleared, not a match.
    let again = screen(dir, "DAHUA TECHNOLOGIES, INC.");
    let h = again
        .iter()
        .find(|h| h["listing_key"] == first["listing_key"])
        .expect("the hit is still shown");
    assert_eq!(h["match"], false, "{h}");
    assert_eq!(h["decision"]["status"], "cleared", "{h}");
    assert_eq!(h["decision"]["reason"], "US reseller, not the listed maker");
    assert_eq!(h["decision"]["verdict"], "false-positive");

    // A new list version giving the listing a new alias re-opens it.
    let text = std::fs::read_to_string(&csl).expect("csl");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines
        .iter()
        .position(|l| l.contains(",Dahua Technology,"))
        .expect("Dahua Technology row");
    let mut rec = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(lines[row].as_bytes())
        .records()
        .next()
        .expect("row")
        .expect("csv");
    let header = csv::Reader::from_reader(text.as_bytes())
        .headers()
        .expect("header")
        .clone();
    let alt = header
        .iter()
        .position(|h| h == "alt_names")
        .expect("alt_names");
    let mut cells: Vec<String> = rec.iter().map(str::to_string).collect();
    cells[alt] = "Zhejiang Dahua Vision Technology Co".into();
    rec = csv::StringRecord::from(cells);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&rec).expect("write");
    lines[row] = String::from_utf8(w.into_inner().expect("csv"))
        .expect("utf8")
        .trim_end()
        .to_string();
    let newer = dir.join("csl_newer.csv");
    std::fs::write(&newer, lines.join("\n") + "\n").expect("write newer");
    ok(
        dir,
        &[
            "import",
            "csl",
            newer.to_str().expect("path"),
            "--as-of",
            "2023-12-01",
        ],
    );
    let after = screen(dir, name);
    let h = after
        .iter()
        .find(|h| h["listing_key"] == first["listing_key"])
        .expect("the hit after the update");
    assert_eq!(h["decision"]["status"], "reopened", "{h}");
    assert_eq!(h["match"], true, "{h}");
    let because = h["decision"]["reopened_because"].to_string();
    assert!(because.contains("new alias"), "{because}");

    // Listed, exported, undone: each decision and the undo are audit records.
    let listed: serde_json::Value =
        serde_json::from_str(&ok(dir, &["decisions", "--json"])).expect("json");
    let did = listed[0]["id"].as_i64().expect("decision id").to_string();
    let csv_out = ok(dir, &["decisions", "--export"]);
    assert!(
        csv_out.contains("US reseller, not the listed maker"),
        "{csv_out}"
    );
    ok(dir, &["decisions", "undo", &did]);
    let after_undo = screen(dir, name);
    assert!(after_undo.iter().all(|h| h.get("decision").is_none()));
    let undone: serde_json::Value =
        serde_json::from_str(&ok(dir, &["decisions", "--json"])).expect("json");
    assert_eq!(undone.as_array().map(Vec::len), Some(0));
    let audit: serde_json::Value =
        serde_json::from_str(&ok(dir, &["audit", "show", "--limit", "100", "--json"]))
            .expect("audit json");
    let actions: Vec<&str> = audit
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["action"].as_str())
        .collect();
    assert!(actions.contains(&"decide"), "{actions:?}");
    assert!(actions.contains(&"undo_decision"), "{actions:?}");
    ok(dir, &["audit", "verify"]);
}
