//! The investigation commands end to end: case export with provenance, the audit trail of
//! every export (verify passes, then fails after a row is edited by hand), the editable
//! reference tables, and the JSON the workbench and scripts read.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The pristine default database, built once; tests work on copies of it.
fn pristine() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("investigate-cli.db");
        let out = Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .args(["--db", path.to_str().unwrap(), "init", "--force"])
            .output()
            .expect("run init");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    })
}

/// A private copy of the default database.
struct Db {
    dir: tempfile::TempDir,
    path: PathBuf,
}

fn copy() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    std::fs::copy(pristine(), &path).unwrap();
    Db { dir, path }
}

impl Db {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .arg("--db")
            .arg(&self.path)
            .args(args)
            .env("USER", "analyst1")
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .output()
            .expect("run tradescope")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("JSON on stdout")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn audit(&self) -> Vec<Value> {
        self.json(&["audit", "export", "--format", "json"])
            .as_array()
            .cloned()
            .expect("audit rows")
    }
}

fn hikvision_el(db: &Db) -> i64 {
    let hits = db.json(&["search", "Hangzhou Hikvision Digital Technology", "--json"]);
    hits.as_array()
        .unwrap()
        .iter()
        .find(|h| h["list"] == "EL")
        .and_then(|h| h["id"].as_i64())
        .expect("the EL entry")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn case_export_carries_provenance_and_is_audited() {
    let db = copy();
    let hik = hikvision_el(&db).to_string();
    db.ok(&[
        "case",
        "add",
        "hik-vn",
        "entity",
        &hik,
        "--note",
        "EL + CMIC",
    ]);
    // The demo trail's two shipments: maker → distributor, distributor → US importer.
    let t = db.json(&["trail", &hik, "--json"]);
    let phuong = t["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "PHUONG VIET DISTRIBUTION")
        .expect("PHUONG VIET in the trail");
    // Evidence is listed by date (issue 20 item 10): take the first onward shipment whose
    // inbound one was shipped after Hikvision's listing (2019-10-09).
    let onward = phuong["children"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().cloned().unwrap_or_default())
        .find(|e| {
            e["after"]["ship_date"]
                .as_str()
                .is_some_and(|d| d >= "2019-10-09")
        })
        .expect("an onward shipment of goods received while listed");
    let (inbound, outbound) = (
        onward["after"]["shipment_id"].to_string(),
        onward["shipment_id"].to_string(),
    );
    db.ok(&["case", "add", "hik-vn", "shipment", &inbound]);
    db.ok(&[
        "case",
        "add",
        "hik-vn",
        "shipment",
        &outbound,
        "--note",
        "onward to the US",
    ]);
    assert_eq!(
        db.run(&["case", "add", "hik-vn", "shipment", "999999"])
            .status
            .code(),
        Some(1)
    );

    let out = db.file("case.csv");
    db.ok(&[
        "case",
        "export",
        "hik-vn",
        "--format",
        "csv",
        "-o",
        out.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[..]);
    let head = rdr.headers().unwrap().clone();
    let col = |n: &str| {
        head.iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "in the order they were added");
    assert_eq!(&rows[0][col("kind")], "entity");
    assert_eq!(&rows[0][col("note")], "EL + CMIC");
    assert_eq!(
        &rows[0][col("source_file")],
        "data/lists/csl_consolidated_2022-05.csv.gz"
    );
    assert!(rows[0][col("source_line")].parse::<u64>().unwrap() > 1);
    assert!(rows[0][col("covered")].starts_with("Hikvision"));
    let stats = db.json(&["stats", "--json"]);
    let csl_sha = stats["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dataset"] == "csl")
        .and_then(|s| s["sha256"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(&rows[0][col("source_sha256")], csl_sha);
    for r in &rows {
        assert!(r[col("list_versions")].contains(&csl_sha));
        assert_eq!(
            &r[col("matcher_version")],
            tradescope::matching::MATCHER_VERSION
        );
        assert_eq!(r[col("source_sha256")].len(), 64);
    }
    assert_eq!(&rows[1][col("synthetic")], "1", "demo shipments say so");
    assert!(rows[1][col("facts")].contains("as_of: shipper listed at ship date"));
    assert!(rows[2][col("facts")].contains("carries_products_of_listed_makers: Hikvision"));

    // The export is on the audit log with the hash of the file it wrote.
    let log = db.audit();
    let rec = log
        .iter()
        .rev()
        .find(|r| r["action"] == "export" && r["query"].as_str().unwrap_or("").contains("hik-vn"))
        .expect("the export is audited");
    let results: Value = serde_json::from_str(rec["results"].as_str().unwrap()).unwrap();
    assert_eq!(results["sha256"], sha256(&bytes));
    assert_eq!(results["items"], 3);
    // The OS account, not $USER (issue 21 item 4: anyone can set USER).
    assert_ne!(rec["user"], "analyst1");
    assert!(!rec["user"].as_str().unwrap_or("").is_empty());

    let md = db.ok(&["case", "export", "hik-vn", "--format", "md"]);
    assert!(md.contains("# Case: hik-vn") && md.contains(&csl_sha) && md.contains("SYNTHETIC"));
    let j = db.json(&["case", "export", "hik-vn", "--format", "json"]);
    assert_eq!(j["items"].as_array().unwrap().len(), 3);
    assert_eq!(j["items"][0]["provenance"]["sha256"], csl_sha.as_str());
}

#[test]
fn audit_verify_passes_then_fails_after_a_row_is_edited_by_hand() {
    let db = copy();
    db.ok(&["search", "hikvision"]);
    db.ok(&["screen", "ZTE Corporation"]);
    db.ok(&["intersect", "--json"]);
    db.ok(&["cet", "export", db.file("cet.tsv").to_str().unwrap()]);
    let v = db.json(&["audit", "verify", "--json"]);
    assert_eq!(v["ok"], true);
    let actions: Vec<String> = db
        .audit()
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect();
    for a in ["search", "screen", "intersect", "export"] {
        assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
    }
    {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.execute(
            "UPDATE audit_log SET results = '[]' WHERE action = 'search'",
            [],
        )
        .unwrap();
    }
    let out = db.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FAILED verification at row 1"), "{err}");
}

#[test]
fn editing_the_cet_table_changes_the_intersection() {
    let db = copy();
    let hik = hikvision_el(&db);
    let areas = |db: &Db| -> Vec<String> {
        let rows = db.json(&["intersect", "--json"]);
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["entity_id"] == hik)
            .map(|r| {
                r["cet_areas"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["code"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(areas(&db).contains(&"BIOMETRICS".to_string()));
    let file = db.file("cet.tsv");
    db.ok(&["cet", "export", file.to_str().unwrap()]);
    let edited: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("BIOMETRICS"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, edited).unwrap();
    db.ok(&["cet", "import", file.to_str().unwrap()]);
    let now = areas(&db);
    assert!(!now.contains(&"BIOMETRICS".to_string()), "{now:?}");
    assert!(now.contains(&"AI".to_string()), "{now:?}");
}

#[test]
fn pattern_table_import_recomputes_detections_and_refuses_a_bad_pattern() {
    let db = copy();
    let shipment_products = |db: &Db, id: &str| -> Vec<String> {
        let j = db.json(&["show", "shipment", id, "--json"]);
        j["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["model_key"].as_str().unwrap().to_string())
            .collect()
    };
    let rows = db.json(&[
        "shipments",
        "--text",
        "iDS-2CD7A46G0",
        "--limit",
        "1",
        "--json",
    ]);
    let id = rows["rows"][0]["id"].to_string();
    assert!(shipment_products(&db, &id).contains(&"IDS2CD7A46G0IZHS".to_string()));

    let file = db.file("patterns.tsv");
    db.ok(&["patterns", "export", file.to_str().unwrap()]);
    let table = std::fs::read_to_string(&file).unwrap();
    let bad = db.file("bad.tsv");
    std::fs::write(&bad, format!("{table}X\tX Corp\tmodel\t(unclosed\t\n")).unwrap();
    let out = db.run(&["patterns", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("field `pattern`"));
    assert!(shipment_products(&db, &id).contains(&"IDS2CD7A46G0IZHS".to_string()));

    // Without Hikvision's model pattern the model is no longer detected; the brand still is.
    let without: String = table
        .lines()
        .filter(|l| !(l.starts_with("Hikvision\t") && l.contains("\tmodel\t")))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, without).unwrap();
    let r = db.json(&["patterns", "import", file.to_str().unwrap(), "--json"]);
    assert!(r["shipments_scanned"].as_u64().unwrap() > 3000);
    let now = shipment_products(&db, &id);
    assert!(!now.contains(&"IDS2CD7A46G0IZHS".to_string()), "{now:?}");
    assert!(now.contains(&"HIKVISION".to_string()), "{now:?}");
}

#[test]
fn search_says_when_a_covered_maker_is_on_no_list_and_show_flags_covered_records() {
    let db = copy();
    let text = db.ok(&["search", "ZTE Corporation"]);
    assert!(
        text.contains("covered equipment") && text.contains("not on a screening list"),
        "{text}"
    );
    let hits = db.json(&["search", "hikvision", "--json"]);
    let el = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["list"] == "EL")
        .unwrap();
    assert_eq!(el["covered"]["group"], "Hikvision");
    let screened = db.json(&["screen", "DAHUA ELECTRONICS CORPORATION", "--json"]);
    for h in screened.as_array().unwrap() {
        assert!(h["covered"].is_null(), "{h}");
    }
    let e = db.json(&["show", "entity", &el["id"].to_string(), "--json"]);
    assert_eq!(e["covered"]["relation"], "named");
    assert!(e["covered"]["basis"].as_str().unwrap().contains("889"));

    // Batch screening reports covered vendors, listed or not.
    let vendors = db.file("vendors.csv");
    std::fs::write(&vendors, "name\nZTE Corporation\nAcme Widgets LLC\n").unwrap();
    let out = db.ok(&["screen", "--file", vendors.to_str().unwrap()]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let head = rdr.headers().unwrap().clone();
    let c = head
        .iter()
        .position(|h| h == "covered")
        .expect("covered column");
    let m = head.iter().position(|h| h == "match").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(rows[0][c].starts_with("ZTE"));
    assert_eq!(&rows[0][m], "no match");
    assert_eq!(&rows[1][c], "");
}

#[test]
fn show_shipment_has_as_of_products_and_links_to_the_listed_maker() {
    let db = copy();
    let hik = hikvision_el(&db);
    let rows = db.json(&[
        "shipments",
        "--entity",
        &hik.to_string(),
        "--to",
        "2019-10-08",
        "--limit",
        "1",
        "--json",
    ]);
    let row = &rows["rows"][0];
    assert_eq!(row["as_of"], "listed later");
    let s = db.json(&["show", "shipment", &row["id"].to_string(), "--json"]);
    assert_eq!(s["as_of"]["summary"], "shipper listed later");
    let el = s["as_of"]["shipper"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["lists"][0] == "EL")
        .unwrap()
        .clone();
    assert_eq!(el["status"], "listed_later");
    assert_eq!(el["start_date"], "2019-10-09");
    assert!(s["carries_products_of_listed_makers"][0]
        .as_str()
        .unwrap()
        .starts_with("Hikvision"));
    assert!(s["links"].as_array().unwrap().iter().any(|l| l["id"] == hik
        && l["label"]
            .as_str()
            .unwrap()
            .starts_with("Carries products of listed maker")));
    assert_eq!(s["covered"]["shipper"]["group"], "Hikvision");
}

#[test]
fn shipments_hs_matches_any_code_of_a_bill() {
    let db = copy();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let ids = |sql: &str| -> Vec<i64> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let any = ids("SELECT id FROM shipment WHERE id IN
           (SELECT shipment_id FROM shipment_hs WHERE hs_code LIKE '8525%')
         ORDER BY ship_date DESC, id DESC");
    let first_only = ids("SELECT id FROM shipment WHERE hs_code LIKE '8525%'");
    assert!(
        any.len() > first_only.len(),
        "{} bills carry an 8525 code, {} as their first",
        any.len(),
        first_only.len()
    );
    let out = db.json(&["shipments", "--hs", "8525", "--limit", "100000", "--json"]);
    let got: Vec<i64> = out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, any);
    // A bill whose 8525 code is not its first (the issue's #78: 852190,851762,852589).
    let later: Vec<i64> = ids(
        "SELECT s.id FROM shipment s WHERE s.hs_code NOT LIKE '8525%' AND s.id IN
           (SELECT shipment_id FROM shipment_hs WHERE hs_code LIKE '8525%')",
    );
    assert!(!later.is_empty());
    assert!(later.iter().all(|id| got.contains(id)));
}

/// Issue 20 item 7: `covered check` uses the one rule: a Huawei affiliate is covered as an
/// affiliate (it said "not covered"), the maker itself is named.
#[test]
fn covered_check_flags_affiliates_as_affiliates() {
    let db = copy();
    let check = |name: &str| db.json(&["covered", "check", name, "--json"]);
    let italia = check("Huawei Technologies Italia S.r.l.");
    assert_eq!(italia[0]["flag"]["group"], "Huawei", "{italia}");
    assert_eq!(italia[0]["flag"]["relation"], "affiliate", "{italia}");
    let france = check("Huawei France");
    assert_eq!(france[0]["flag"]["relation"], "affiliate", "{france}");
    let maker = check("Huawei Technologies Co., Ltd.");
    assert_eq!(maker[0]["flag"]["relation"], "named", "{maker}");
    let text = db.ok(&["covered", "check", "Acme Widgets Ltd"]);
    assert!(text.contains("is not a covered equipment maker"), "{text}");
}

/// The text of `tradescope trail` and the TUI's tree (every node open) list the same nodes in
/// the same order — most shipments first — each with the same "N more" count.
#[test]
fn trail_text_and_tui_tree_show_the_same_nodes_and_more_counts() {
    use std::collections::BTreeSet;
    use tradescope::app::trail_view::{lines, Item};
    use tradescope::db::trail::{self, TrailOptions};

    let db = copy();
    let hik = hikvision_el(&db);
    let text = db.ok(&["trail", &hik.to_string()]);
    // Node lines: "├─ NAME (CC) — N shipments …"; a "K more" line follows its node's evidence.
    let mut cli: Vec<(String, usize)> = Vec::new();
    for l in text.lines() {
        if let Some(i) = l.find("├─ ").or_else(|| l.find("└─ ")) {
            let rest = &l[i + "├─ ".len()..];
            cli.push((rest.to_string(), 0));
        } else if let Some(n) = l
            .trim_start_matches(['│', ' '])
            .strip_suffix(" more (tradescope shipments lists them)")
        {
            cli.last_mut().expect("a node before its more line").1 = n.parse().expect("a count");
        }
    }
    let conn = tradescope::db::open_ro(&db.path).expect("open");
    let t = trail::trail(&conn, hik, TrailOptions::default()).expect("trail");
    let mut open = BTreeSet::new();
    loop {
        let before = open.len();
        for l in lines(&t, &open) {
            if matches!(l.item, Item::Node(_)) {
                open.insert(l.path.clone());
            }
        }
        if open.len() == before {
            break;
        }
    }
    let mut tui: Vec<(String, usize)> = Vec::new();
    for l in lines(&t, &open) {
        match l.item {
            Item::Node(n) => tui.push((n.name.clone(), 0)),
            Item::More { node, .. } => tui.last_mut().expect("a node first").1 = node.more(),
            Item::Shipment { .. } => {}
        }
    }
    assert!(cli.len() > 3, "{text}");
    assert!(
        cli.iter().any(|(_, n)| *n > 0),
        "some hop has more shipments: {text}"
    );
    assert_eq!(cli.len(), tui.len(), "{text}");
    for ((line, cli_more), (name, tui_more)) in cli.iter().zip(&tui) {
        assert!(line.starts_with(&format!("{name} (")), "{line} vs {name}");
        assert_eq!(cli_more, tui_more, "{name}");
    }
    let firsts: Vec<usize> = t.children.iter().map(|n| n.shipments).collect();
    assert!(firsts.windows(2).all(|w| w[0] >= w[1]), "{firsts:?}");
}
