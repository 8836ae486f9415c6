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
const NAME: &str = "Dahua Technologies Inc";
const REASON: &str = "US reseller, not the listed maker";

fn csl() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL)
}

fn import(dir: &Path, file: &Path, as_of: &str) -> String {
    ok(
        dir,
        &[
            "import",
            "csl",
            file.to_str().expect("path"),
            "--as-of",
            as_of,
        ],
    )
}

/// The hit of the Dahua Technology listing among `hits`.
fn dahua(hits: &[serde_json::Value], listing_key: &serde_json::Value) -> serde_json::Value {
    hits.iter()
        .find(|h| h["listing_key"] == *listing_key)
        .unwrap_or_else(|| panic!("no hit on {listing_key}: {hits:?}"))
        .clone()
}

/// Import the fixture list, screen NAME and clear its best hit (Dahua Technology) as a false
/// positive: (that hit, the decision).
fn cleared_once(dir: &Path) -> (serde_json::Value, serde_json::Value) {
    import(dir, &csl(), "2023-11-01");
    let first = screen(dir, NAME).first().expect("a hit").clone();
    assert_eq!(first["name"], "Dahua Technology", "{first}");
    let id = first["id"].as_i64().expect("id").to_string();
    let d: serde_json::Value = serde_json::from_str(&ok(
        dir,
        &[
            "decide",
            NAME,
            &id,
            "--verdict",
            "false-positive",
            "--reason",
            REASON,
            "--json",
        ],
    ))
    .expect("decision json");
    (first, d)
}

/// Import, as of `as_of`, the fixture list with Dahua Technology's `column` set to `value`.
fn newer_version(dir: &Path, column: &str, value: &str, as_of: &str) {
    let text = std::fs::read_to_string(csl()).expect("csl");
    let header = csv::Reader::from_reader(text.as_bytes())
        .headers()
        .expect("header")
        .clone();
    let at = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("write");
    for rec in csv::Reader::from_reader(text.as_bytes()).records() {
        let mut cells: Vec<String> = rec.expect("csv").iter().map(str::to_string).collect();
        if cells.get(5).map(String::as_str) == Some("Dahua Technology") {
            cells[at] = value.to_string();
        }
        w.write_record(&cells).expect("write");
    }
    let newer = dir.join(format!("csl_{as_of}.csv"));
    std::fs::write(&newer, w.into_inner().expect("csv")).expect("write newer");
    import(dir, &newer, as_of);
}

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
    assert_eq!(h["decision"]["by"], d["by"], "{h}");
    assert!(
        h["decision"]["at"].as_str().is_some_and(|a| a.len() >= 10),
        "{h}"
    );

    // A new list version giving the listing a new alias re-opens it.
    newer_version(
        dir,
        "alt_names",
        "Zhejiang Dahua Vision Technology Co",
        "2023-12-01",
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

#[test]
fn the_text_screen_and_the_batch_report_show_a_cleared_hit_and_do_not_count_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let (first, d) = cleared_once(dir);
    let hits = screen(dir, NAME);
    let matches = hits.iter().filter(|h| h["match"] == true).count();
    assert_eq!(dahua(&hits, &first["listing_key"])["match"], false);

    let text = ok(dir, &["screen", NAME]);
    let day = &d["at"].as_str().expect("at")[..10];
    let by = d["by"].as_str().expect("by");
    let line = format!("cleared ({REASON}, {day}, by {by})");
    assert!(text.contains(&line), "{line:?} not in:\n{text}");
    assert!(
        text.contains(&format!(
            "{matches} of {} hits count as matches; 1 cleared as false positives",
            hits.len()
        )),
        "{text}"
    );

    // The batch report: the row shows the best hit that still counts, else the cleared one.
    let file = dir.join("vendors.csv");
    std::fs::write(&file, format!("name\n{NAME}\nAcme Unlisted Widgets\n")).expect("write");
    let out = ok(dir, &["screen", "--file", file.to_str().expect("path")]);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let row = &rows[0];
    let counted = hits.iter().find(|h| h["match"] == true);
    match counted {
        Some(h) => {
            assert_eq!(row.get(col("match")), Some("match"), "{row:?}");
            assert_eq!(
                row.get(col("entity_id")),
                Some(h["id"].to_string().as_str())
            );
            assert_eq!(row.get(col("decision")), Some(""), "{row:?}");
        }
        None => {
            assert_eq!(row.get(col("match")), Some("no match"), "{row:?}");
            assert_eq!(
                row.get(col("entity_id")),
                Some(first["id"].to_string().as_str())
            );
            assert_eq!(row.get(col("decision")), Some(line.as_str()), "{row:?}");
        }
    }
    assert_eq!(rows[1].get(col("decision")), Some(""), "{:?}", rows[1]);
}

#[test]
fn a_new_address_or_program_reopens_and_an_immaterial_change_does_not() {
    for (column, value, because) in [
        (
            "addresses",
            "No. 1187, Bin'an Road, Binjiang District, Hangzhou, Zhejiang, CN; 42 New Street, Urumqi, CN",
            "new address \"42 New Street, Urumqi, CN\"",
        ),
        ("programs", "CMIC-EO13959", "new program \"CMIC-EO13959\""),
        ("remarks", "A remark is no material change", ""),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        let (first, _) = cleared_once(dir);
        newer_version(dir, column, value, "2023-12-01");
        let h = dahua(&screen(dir, NAME), &first["listing_key"]);
        if because.is_empty() {
            assert_eq!(h["decision"]["status"], "cleared", "{column}: {h}");
            assert_eq!(h["match"], false, "{column}: {h}");
        } else {
            assert_eq!(h["decision"]["status"], "reopened", "{column}: {h}");
            assert_eq!(h["match"], true, "{column}: {h}");
            let said = h["decision"]["reopened_because"].to_string();
            assert!(said.contains(&because.replace('"', "\\\"")), "{column}: {said}");
        }
    }
}

#[test]
fn a_score_risen_past_the_cleared_score_reopens() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let (first, d) = cleared_once(dir);
    let cleared_at = d["score"].as_f64().expect("decided at a score");
    // Country evidence that agrees with the listing raises the same name's score.
    let out: serde_json::Value =
        serde_json::from_str(&ok(dir, &["screen", NAME, "--country", "CN", "--json"]))
            .expect("json");
    let h = dahua(out.as_array().expect("array"), &first["listing_key"]);
    assert!(h["score"].as_f64().expect("score") > cleared_at, "{h}");
    assert_eq!(h["decision"]["status"], "reopened", "{h}");
    assert_eq!(h["match"], true, "{h}");
    assert!(
        h["decision"]["reopened_because"]
            .to_string()
            .contains("score rose"),
        "{h}"
    );
    // The score it was cleared at again: cleared.
    let h = dahua(&screen(dir, NAME), &first["listing_key"]);
    assert_eq!(h["decision"]["status"], "cleared", "{h}");
}
