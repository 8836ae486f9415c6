//! Monitored sets (issue 17 item 2), through the CLI: a set watched against an older list
//! version; a newer version lists one of its parties; the import summary names the set and
//! `rescreen --json` reports that party as a new hit with the list change that caused it, and
//! the cleared hit of another party as a decision applied.

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

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).expect("json")
}

/// The workbench's first screen over the database at `db`, settled.
fn workbench_screen(db: &Path) -> String {
    use ratatui::backend::TestBackend;
    use tradescope::app::{update, Action, Model, Worker};
    let mut m = Model::new("t.db", 120, 24, false);
    let mut w = Worker::new(db);
    let mut queue: std::collections::VecDeque<_> = update(&mut m, Action::Start).into();
    while let Some(cmd) = queue.pop_front() {
        if let Some(a) = w.run(cmd, &|| false) {
            queue.extend(update(&mut m, a));
        }
    }
    let mut t = ratatui::Terminal::new(TestBackend::new(m.width, m.height)).expect("terminal");
    t.draw(|f| tradescope::ui::draw(&m, f)).expect("draw");
    t.backend().to_string()
}

const CSL: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";
const NEWLY_LISTED: &str = "Acme Widgets Shenzhen Co., Ltd.";

/// The fixture list with one more Entity List row (NEWLY_LISTED), written to `dir`.
fn newer_list(dir: &Path) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL)).expect("csl");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("header").clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("header");
    let mut el = None;
    for rec in r.records() {
        let rec = rec.expect("row");
        if el.is_none() && rec.get(5) == Some("Dahua Technology") {
            el = Some(rec.clone());
        }
        w.write_record(&rec).expect("row");
    }
    let mut cells: Vec<String> = el.expect("an EL row").iter().map(str::to_string).collect();
    cells[0] = "0123456789abcdef0123456789abcdef01234567".into();
    cells[5] = NEWLY_LISTED.into();
    cells[7] = "8 Widget Road, Nanshan District, Shenzhen, CN".into();
    w.write_record(&cells).expect("new row");
    let path = dir.join("csl_2023-12-01.csv");
    std::fs::write(&path, w.into_inner().expect("csv")).expect("write");
    path
}

#[test]
fn a_newly_listed_party_is_named_after_the_import_and_reported_with_its_list_change() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let older = Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL);
    ok(
        dir,
        &[
            "import",
            "csl",
            older.to_str().expect("path"),
            "--as-of",
            "2023-11-01",
        ],
    );
    let vendors = dir.join("vendors.csv");
    std::fs::write(
        &vendors,
        "vendor,country\nAcme Widgets Shenzhen Co Ltd,China\nDahua Technologies Inc,\nBlue Harbor Bakery,US\n",
    )
    .expect("write");
    let added = json(
        dir,
        &[
            "watch",
            "add",
            "vendors-2026",
            vendors.to_str().expect("path"),
            "--column",
            "vendor",
            "--country-column",
            "country",
            "--json",
        ],
    );
    assert_eq!(added["set"]["parties"], 3, "{added}");
    assert_eq!(added["baseline"]["parties_with_hits"], 1, "{added}");

    // Dahua's hit is cleared as a false positive before the lists change.
    let hits = json(dir, &["screen", "Dahua Technologies Inc", "--json"]);
    let dahua = hits[0]["id"].to_string();
    ok(
        dir,
        &[
            "decide",
            "Dahua Technologies Inc",
            &dahua,
            "--verdict",
            "false-positive",
            "--reason",
            "US reseller",
        ],
    );

    let newer = newer_list(dir);
    let summary = ok(
        dir,
        &[
            "import",
            "csl",
            newer.to_str().expect("path"),
            "--as-of",
            "2023-12-01",
        ],
    );
    assert!(
        summary.contains(
            "watch set vendors-2026: 1 new potential match — `tradescope rescreen vendors-2026`"
        ),
        "{summary}"
    );
    let sets = json(dir, &["watch", "list", "--json"]);
    assert_eq!(sets[0]["alert_count"], 1, "{sets}");
    // The workbench names the set in its status line.
    let status = workbench_screen(&dir.join("t.db"));
    assert!(
        status.contains("watch set vendors-2026: 1 new potential match"),
        "{status}"
    );

    let r = json(dir, &["rescreen", "vendors-2026", "--json"]);
    assert_eq!(r["summary"]["new_hits"], 1, "{r}");
    assert_eq!(r["summary"]["new_potential_matches"], 1, "{r}");
    assert_eq!(r["summary"]["decisions_applied"], 1, "{r}");
    let parties = r["parties"].as_array().expect("parties");
    let acme = parties
        .iter()
        .find(|p| p["name"] == "Acme Widgets Shenzhen Co Ltd")
        .unwrap_or_else(|| panic!("the newly listed party: {r}"));
    assert_eq!(acme["line"], 2);
    let hit = &acme["new_hits"][0];
    assert_eq!(hit["name"], NEWLY_LISTED, "{hit}");
    assert_eq!(hit["match"], true, "{hit}");
    let change = &hit["list_change"];
    assert_eq!(change["change"], "added", "{hit}");
    assert_eq!(change["as_of"], "2023-12-01", "{hit}");
    assert_eq!(change["dataset"], "csl", "{hit}");
    let sources = json(dir, &["stats", "--json"]);
    assert!(
        sources
            .to_string()
            .contains(change["sha256"].as_str().expect("sha")),
        "the list version's SHA-256 is the imported file's: {change}"
    );
    let dahua_party = parties
        .iter()
        .find(|p| p["name"] == "Dahua Technologies Inc")
        .expect("the decided party");
    assert_eq!(dahua_party["new_hits"].as_array().map(Vec::len), Some(0));
    assert_eq!(dahua_party["decisions"][0]["decision"]["status"], "cleared");
    assert!(parties.iter().all(|p| p["name"] != "Blue Harbor Bakery"));

    // The rescreen is the new baseline: nothing new next time, the alert is gone.
    let again = json(dir, &["rescreen", "vendors-2026", "--json"]);
    assert_eq!(again["summary"]["new_hits"], 0, "{again}");
    let sets = json(dir, &["watch", "list", "--json"]);
    assert_eq!(sets[0]["alert_count"], 0, "{sets}");
    let md = ok(dir, &["rescreen", "vendors-2026", "--format", "md"]);
    assert!(
        md.starts_with("# Rescreen of watch set vendors-2026"),
        "{md}"
    );
    let audit = ok(dir, &["audit", "show", "--limit", "100", "--json"]);
    assert!(audit.contains("\"rescreen\"") && audit.contains("\"watch_add\""));
    ok(dir, &["audit", "verify"]);

    ok(dir, &["watch", "remove", "vendors-2026"]);
    assert_eq!(
        json(dir, &["watch", "list", "--json"]),
        serde_json::json!([])
    );
}

/// The rows of a CSV report, header first.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("CSV row").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn rescreen_as_csv_has_a_row_per_new_hit_with_its_list_change_and_per_decision() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let older = Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL);
    ok(
        dir,
        &[
            "import",
            "csl",
            older.to_str().expect("path"),
            "--as-of",
            "2023-11-01",
        ],
    );
    let vendors = dir.join("vendors.csv");
    std::fs::write(
        &vendors,
        "vendor\nAcme Widgets Shenzhen Co Ltd\nDahua Technologies Inc\nBlue Harbor Bakery\n",
    )
    .expect("write");
    let set = vendors.to_str().expect("path");
    ok(dir, &["watch", "add", "v", set, "--column", "vendor"]);
    let hits = json(dir, &["screen", "Dahua Technologies Inc", "--json"]);
    let dahua = hits[0]["id"].to_string();
    ok(
        dir,
        &[
            "decide",
            "Dahua Technologies Inc",
            &dahua,
            "--verdict",
            "false-positive",
            "--reason",
            "US reseller",
        ],
    );
    let newer = newer_list(dir);
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
    let rows = csv_rows(&ok(dir, &["rescreen", "v", "--format", "csv"]));
    let header = &rows[0];
    let col = |name: &str| {
        header
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("column {name}: {header:?}"))
    };
    let of = |change: &str| -> Vec<&Vec<String>> {
        rows[1..]
            .iter()
            .filter(|r| r[col("change")] == change)
            .collect()
    };
    let new = of("new");
    assert_eq!(new.len(), 1, "{rows:?}");
    let acme = new[0];
    assert_eq!(acme[col("set")], "v");
    assert_eq!(acme[col("line")], "2");
    assert_eq!(acme[col("party")], "Acme Widgets Shenzhen Co Ltd");
    assert_eq!(acme[col("listed_name")], NEWLY_LISTED);
    assert_eq!(acme[col("match")], "true");
    assert_eq!(acme[col("list_as_of")], "2023-12-01");
    assert!(
        acme[col("list_change")].starts_with("added on 2023-12-01 in csl version #"),
        "{acme:?}"
    );
    let sha = &acme[col("list_sha256")];
    assert!(
        sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()),
        "{sha}"
    );
    let decided = of("decision");
    assert_eq!(decided.len(), 1, "{rows:?}");
    let d = decided[0];
    assert_eq!(d[col("party")], "Dahua Technologies Inc");
    // The decision holds for the listing: its entry in the newer version.
    assert_eq!(
        d[col("listed_name")],
        hits[0]["name"].as_str().expect("name")
    );
    assert_eq!(d[col("match")], "false");
    assert!(
        d[col("decision")].starts_with("cleared (US reseller, "),
        "{d:?}"
    );
    assert!(rows.iter().all(|r| r.len() == header.len()));
    // The CSV run stored its screen as the baseline: nothing new the next time.
    let again = csv_rows(&ok(dir, &["rescreen", "v", "--format", "csv"]));
    assert_eq!(again[0], *header);
    assert!(again[1..].iter().all(|r| r[col("change")] == "decision"));
}

#[test]
fn a_set_file_with_an_empty_name_or_a_bad_country_is_refused_on_its_line() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    let older = Path::new(env!("CARGO_MANIFEST_DIR")).join(CSL);
    ok(
        dir,
        &[
            "import",
            "csl",
            older.to_str().expect("path"),
            "--as-of",
            "2023-11-01",
        ],
    );
    for (body, says) in [
        ("name,country\nAcme,CN\n,US\n", "set.csv:3"),
        ("name,country\nAcme,Atlantis\n", "Atlantis"),
    ] {
        let f = dir.join("set.csv");
        std::fs::write(&f, body).expect("write");
        let out = cli(
            dir,
            &[
                "watch",
                "add",
                "s1",
                f.to_str().expect("path"),
                "--country-column",
                "country",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{says}: {err}");
    }
    assert_eq!(
        json(dir, &["watch", "list", "--json"]),
        serde_json::json!([])
    );
}
