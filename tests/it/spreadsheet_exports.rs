//! Spreadsheet-safe exports (issue 17 item 5): list names that a spreadsheet would run as a
//! formula, imported from a list file (tests/hostile/csl/formula_names.csv), arrive neutralized
//! in every CSV the program writes — batch screening, `match`, decisions, case and audit
//! exports — and in the TSV reference-table exports (covered, cet, patterns, columns), which
//! read back as they were; JSON keeps the values exactly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tradescope::text::spreadsheet::is_dangerous;

const LIST: &str = "tests/hostile/csl/formula_names.csv";

/// The names on the list file, as published.
const LISTED: &[&str] = &[
    "=HYPERLINK(\"http://evil.example\",\"FORMULA ACME\")",
    "+cmd|' /C calc'!A0 PLUS ACME",
    "-2+3 MINUS ACME",
    "@SUM(1) AT ACME",
];

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Db {
        let db = Db {
            dir: tempfile::tempdir().unwrap(),
        };
        let list = Path::new(env!("CARGO_MANIFEST_DIR")).join(LIST);
        db.ok(&[
            "import",
            "csl",
            list.to_str().unwrap(),
            "--as-of",
            "2024-01-02",
        ]);
        db
    }

    fn run(&self, args: &[&str]) -> Output {
        let d = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .arg("--db")
            .arg(d.join("t.db"))
            .args(args)
            .env("XDG_DATA_HOME", d.join("xdg-data"))
            .env("XDG_CONFIG_HOME", d.join("xdg-config"))
            .env("XDG_STATE_HOME", d.join("xdg-state"))
            .output()
            .expect("run tradescope")
    }

    fn ok(&self, args: &[&str]) -> Vec<u8> {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_slice(&self.ok(args)).expect("JSON")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn entry(&self, name: &str) -> i64 {
        let hits = self.json(&["search", "--json", "--limit", "50", "--", name]);
        hits.as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .and_then(|h| h["id"].as_i64())
            .unwrap_or_else(|| panic!("{name:?} is listed: {hits}"))
    }
}

/// Every cell of a CSV, after checking none could run as a formula.
fn safe_csv(bytes: &[u8], what: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_string).collect())
        .collect();
    for r in &rows {
        for c in r {
            assert!(!is_dangerous(c), "{what}: formula cell {c:?} in {r:?}");
        }
    }
    rows
}

/// The same for a TSV reference-table export (comment lines skipped).
fn safe_tsv(text: &str, what: &str) {
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        for c in line.split('\t') {
            assert!(!is_dangerous(c), "{what}: formula cell {c:?} in {line:?}");
        }
    }
}

fn has(rows: &[Vec<String>], cell: &str) -> bool {
    rows.iter().flatten().any(|c| c == cell)
}

#[test]
fn formula_list_names_arrive_neutralized_in_every_csv_export() {
    let db = Db::new();
    // Batch screening: the input echoed and the matched list names.
    let mut input = String::from("name\n");
    for n in LISTED {
        input.push_str(&format!("\"{}\"\n", n.replace('"', "\"\"")));
    }
    std::fs::write(db.path("in.csv"), &input).unwrap();
    let report = db.ok(&["screen", "--file", db.path("in.csv").to_str().unwrap()]);
    let rows = safe_csv(&report, "screen --file");
    assert_eq!(rows.len(), LISTED.len() + 1);
    for n in LISTED {
        assert!(
            has(&rows, &format!("'{n}")),
            "{n:?} behind the quote: {rows:?}"
        );
    }
    // The JSON report keeps the names as published.
    let jsonl = db.ok(&[
        "screen",
        "--file",
        db.path("in.csv").to_str().unwrap(),
        "--json",
    ]);
    let first: Value =
        serde_json::from_str(String::from_utf8_lossy(&jsonl).lines().next().unwrap()).unwrap();
    assert_eq!(first["hit"]["name"], LISTED[0]);

    // Decisions on the hostile listings, with a hostile reason, exported for an auditor.
    for n in LISTED {
        let id = db.entry(n).to_string();
        db.ok(&[
            "decide",
            "--verdict",
            "false-positive",
            "--reason",
            "=1+1 cleared",
            "--",
            n,
            &id,
        ]);
    }
    let export = db.ok(&["decisions", "--export"]);
    let rows = safe_csv(&export, "decisions --export");
    assert_eq!(rows.len(), LISTED.len() + 1, "{rows:?}");
    assert!(has(&rows, "'=1+1 cleared"));
    assert!(has(&rows, &format!("'{}", LISTED[0])));
    let j = db.json(&["decisions", "--export", "json"]);
    assert!(j.to_string().contains("=1+1 cleared"));

    // A case of the hostile entries, exported as CSV.
    for n in LISTED {
        let id = db.entry(n).to_string();
        db.ok(&["case", "add", "hostile", "entity", &id, "--note=@note"]);
    }
    let case = db.ok(&["case", "export", "hostile", "--format", "csv"]);
    let rows = safe_csv(&case, "case export");
    assert_eq!(rows.len(), LISTED.len() + 1);

    // The audit log (screens, decisions, exports of hostile names) as CSV.
    db.ok(&["screen", "--", LISTED[3]]);
    let audit = db.ok(&["audit", "export"]);
    let rows = safe_csv(&audit, "audit export");
    assert!(
        rows.iter().flatten().any(|c| c.starts_with("'@SUM(1)")),
        "{rows:?}"
    );

    // A monitored set of the hostile names (decided above), rescreened as CSV: the party and
    // the listed names behind the quote in its decision rows.
    std::fs::write(db.path("set.csv"), &input).unwrap();
    db.ok(&[
        "watch",
        "add",
        "hostile",
        db.path("set.csv").to_str().unwrap(),
    ]);
    let rescreened = db.ok(&["rescreen", "hostile", "--format", "csv"]);
    let rows = safe_csv(&rescreened, "rescreen --format csv");
    assert_eq!(rows.len(), LISTED.len() + 1, "{rows:?}");
    for n in LISTED {
        assert!(
            rows.iter().filter(|r| r.contains(&format!("'{n}"))).count() == 1,
            "{n:?} behind the quote: {rows:?}"
        );
    }
    let j = db.json(&["rescreen", "hostile", "--json"]);
    assert!(j
        .to_string()
        .contains(&serde_json::to_string(LISTED[0]).unwrap()));

    // match --pairs with the listed names.
    let pairs = format!("name1,name2\n\"{}\",-1\n", LISTED[0].replace('"', "\"\""));
    std::fs::write(db.path("pairs.csv"), pairs).unwrap();
    safe_csv(
        &db.ok(&["match", "--pairs", db.path("pairs.csv").to_str().unwrap()]),
        "match --pairs",
    );
}

#[test]
fn reference_table_exports_are_neutralized_and_read_back_as_they_were() {
    let db = Db::new();
    // (table, TSV to import, a cell the export must quote)
    let tables: &[(&str, &str, &str)] = &[
        (
            "covered",
            "group\tmaker\trelation\tbasis\tsource_url\n\
             =HYPERLINK(\"x\")\t+CMD MAKER\tnamed\t@basis\t-http://x\n",
            "=HYPERLINK(\"x\")",
        ),
        (
            "cet",
            "area_code\tarea_name\tcpc_prefix\tnote\nEVIL\t=Evil area\tG06V40\t@note\n",
            "=Evil area",
        ),
        (
            "patterns",
            "group\tmaker\tkind\tpattern\texample\n=G\t+Maker\tbrand\t-?ACME\t@ACME\n",
            "-?ACME",
        ),
    ];
    for (table, tsv, quoted) in tables {
        let input = db.path(&format!("{table}.in.tsv"));
        std::fs::write(&input, tsv).unwrap();
        db.ok(&[table, "import", input.to_str().unwrap()]);
        let out = db.path(&format!("{table}.out.tsv"));
        db.ok(&[table, "export", out.to_str().unwrap()]);
        let text = std::fs::read_to_string(&out).unwrap();
        safe_tsv(&text, table);
        // Loaded back, the values are the ones imported: a second export is the same file.
        db.ok(&[table, "import", out.to_str().unwrap()]);
        let again = db.path(&format!("{table}.again.tsv"));
        db.ok(&[table, "export", again.to_str().unwrap()]);
        assert_eq!(std::fs::read_to_string(&again).unwrap(), text, "{table}");
        assert!(text.contains(&format!("'{quoted}")), "{table}: {text}");
    }
    // The covered maker's name is stored as imported, not with the quote.
    let v = db.json(&["covered", "list", "--json"]);
    assert!(v.to_string().contains("\"+CMD MAKER\""), "{v}");
    let out = db.path("columns.tsv");
    db.ok(&["columns", "export", out.to_str().unwrap()]);
    safe_tsv(&std::fs::read_to_string(&out).unwrap(), "columns");
}
