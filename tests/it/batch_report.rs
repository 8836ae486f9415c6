//! Batch screening as a report an auditor can file (issue 17 item 4): every row says what
//! `screen NAME` says (the hit and its covered-equipment flag computed by the same function),
//! `--json` writes one object per input row, `--country-column` gives each row its country,
//! bad input stops the run naming the line, and `--manifest` names the list versions with the
//! SHA-256 of each imported file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};

const CSL: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cli(dir, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn csl() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL)
}

/// A database with the CSL fixture and the bundled covered-maker table.
fn db() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    ok(
        tmp.path(),
        &[
            "import",
            "csl",
            csl().to_str().unwrap(),
            "--as-of",
            "2023-11-01",
        ],
    );
    let covered =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference/covered_equipment.tsv");
    ok(
        tmp.path(),
        &["covered", "import", covered.to_str().unwrap()],
    );
    tmp
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn batch_audits(dir: &Path) -> usize {
    let log: Value =
        serde_json::from_str(&ok(dir, &["audit", "export", "--format", "json"])).unwrap();
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "batch_screen")
        .count()
}

const NAMES: &[&str] = &[
    "Hangzhou Hikvision Digital Technology",
    "Dahua Technology",
    "Cardiac Science Corporation",
    "=HYPERLINK(\"http://x\",\"Dahua Technology\")",
];

fn vendors(dir: &Path) -> PathBuf {
    let mut text = String::from("name,ref\n");
    for (i, n) in NAMES.iter().enumerate() {
        text.push_str(&format!("\"{}\",V{i}\n", n.replace('"', "\"\"")));
    }
    write(dir, "vendors.csv", &text)
}

/// `screen NAME --json --limit 1`'s best hit.
fn single(dir: &Path, name: &str, extra: &[&str]) -> Option<Value> {
    let mut args = vec!["screen", "--json", "--limit", "1"];
    args.extend_from_slice(extra);
    args.extend(["--", name]);
    let v: Value = serde_json::from_str(&ok(dir, &args)).unwrap();
    v.as_array().unwrap().first().cloned()
}

#[test]
fn json_lines_carry_per_row_exactly_what_the_single_screen_says() {
    let tmp = db();
    let dir = tmp.path();
    let f = vendors(dir);
    let out = ok(dir, &["screen", "--file", f.to_str().unwrap(), "--json"]);
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(rows.len(), NAMES.len(), "{out}");
    let mut matched = 0;
    for (i, (row, name)) in rows.iter().zip(NAMES).enumerate() {
        assert_eq!(row["line"], i as i64 + 2, "{row}");
        // The input as read: JSON keeps the hostile name exactly (no spreadsheet quote).
        assert_eq!(row["input"]["name"], *name);
        assert_eq!(row["input"]["ref"], format!("V{i}"));
        let one = single(dir, name, &[]);
        match &one {
            Some(hit) => {
                matched += 1;
                assert_eq!(row["match"], true, "{row}");
                // The same hit object, covered-equipment flag included.
                assert_eq!(&row["hit"], hit, "{name}");
            }
            None => assert_eq!(row["match"], false, "{row}"),
        }
    }
    assert!(matched >= 2, "Hikvision and Dahua are listed: {out}");
    let hik = &rows[0]["hit"];
    assert!(
        hik["covered"]["group"].is_string(),
        "Hikvision is a covered maker: {hik}"
    );
}

#[test]
fn the_csv_covered_column_is_the_single_screens_flag() {
    let tmp = db();
    let dir = tmp.path();
    let f = vendors(dir);
    let out = ok(dir, &["screen", "--file", f.to_str().unwrap()]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), NAMES.len());
    for (r, name) in rows.iter().zip(NAMES) {
        let want = single(dir, name, &["--threshold", "0.5"])
            .and_then(|h| h.get("covered").cloned())
            .filter(|c| !c.is_null())
            .map(|c| {
                format!(
                    "{} ({}): {}",
                    c["group"].as_str().unwrap(),
                    c["relation"].as_str().unwrap(),
                    c["basis"].as_str().unwrap()
                )
            })
            .unwrap_or_default();
        let got = tradescope::text::spreadsheet::restore(&r[col("covered")]).to_string();
        assert_eq!(got, want, "{name}");
    }
    assert!(
        !rows[0][col("covered")].is_empty(),
        "Hikvision: {:?}",
        rows[0]
    );
    // The CSV neutralizes the formula the JSON keeps.
    assert!(
        rows[3][col("name")].starts_with("'=HYPERLINK"),
        "{:?}",
        rows[3]
    );
}

#[test]
fn country_column_gives_each_row_its_country_and_a_bad_one_names_its_line() {
    let tmp = db();
    let dir = tmp.path();
    let f = write(
        dir,
        "cc.csv",
        "name,cc\nDahua Technology,CN\nDahua Technology,United States\nDahua Technology,\n",
    );
    let out = ok(
        dir,
        &[
            "screen",
            "--file",
            f.to_str().unwrap(),
            "--country-column",
            "cc",
            "--country",
            "VN",
            "--json",
        ],
    );
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let countries: Vec<&str> = rows
        .iter()
        .map(|r| r["country"].as_str().unwrap())
        .collect();
    // An empty cell falls back to --country.
    assert_eq!(countries, ["CN", "US", "VN"]);
    for (r, cc) in rows.iter().zip(["CN", "US", "VN"]) {
        let one = single(dir, "Dahua Technology", &["--country", cc]).expect("a hit");
        assert_eq!(r["hit"]["score"], one["score"], "{cc}");
    }
    assert_ne!(
        rows[0]["hit"]["score"], rows[1]["hit"]["score"],
        "country counts"
    );
    let bad = write(
        dir,
        "bad.csv",
        "name,cc\nDahua Technology,CN\nACME,Narnia\n",
    );
    let before = batch_audits(dir);
    let out = cli(
        dir,
        &[
            "screen",
            "--file",
            bad.to_str().unwrap(),
            "--country-column",
            "cc",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv:3: field `cc`: \"Narnia\" is not a country"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(batch_audits(dir), before, "nothing screened");
}

#[test]
fn a_missing_file_or_an_empty_name_exits_1_and_says_where() {
    let tmp = db();
    let dir = tmp.path();
    let out = cli(
        dir,
        &["screen", "--file", "/nonexistent/vendors.csv", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/nonexistent/vendors.csv"),
        "{}",
        stderr(&out)
    );
    let f = write(dir, "gap.csv", "name,ref\nDahua Technology,1\n\"  \",2\n");
    let out = cli(dir, &["screen", "--file", f.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("gap.csv:3: field `name`: empty name"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "no report for a bad file");
}

#[test]
fn the_manifest_names_the_input_and_the_list_versions_with_their_sha256() {
    let tmp = db();
    let dir = tmp.path();
    let f = vendors(dir);
    let m = dir.join("report.manifest.json");
    let report = ok(
        dir,
        &[
            "screen",
            "--file",
            f.to_str().unwrap(),
            "--manifest",
            m.to_str().unwrap(),
        ],
    );
    let man: Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
    assert_eq!(
        man["input"]["sha256"],
        sha256_hex(&std::fs::read(&f).unwrap())
    );
    assert_eq!(man["input"]["rows"], NAMES.len());
    assert_eq!(man["format"], "csv");
    let lists = man["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 1, "{man}");
    assert_eq!(lists[0]["dataset"], "csl");
    assert_eq!(lists[0]["as_of"], "2023-11-01");
    assert_eq!(
        lists[0]["sha256"],
        sha256_hex(&std::fs::read(csl()).unwrap())
    );
    let matches = report
        .lines()
        .skip(1)
        .filter(|l| l.contains(",match,"))
        .count();
    assert_eq!(man["matches"], matches, "{man}\n{report}");
    // A manifest never replaces a file, and the refusal comes before any screening.
    let before = batch_audits(dir);
    let out = cli(
        dir,
        &[
            "screen",
            "--file",
            f.to_str().unwrap(),
            "--manifest",
            m.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(batch_audits(dir), before);
}
