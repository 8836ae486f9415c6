//! Link review (issue 17 item 3), through the CLI on the default database: rejecting the
//! links of a listed company to its trade parties takes it out of the intersection count, its
//! drill (`shipments --entity`) and its trail; `show` keeps them behind a "rejected links: N"
//! line (`--rejected` lists them, ✗); confirming marks a link ✓; every review is an audit
//! record; resetting brings the links back.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// The pristine default database, built once; tests work on copies of it.
fn pristine() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("link-review.db");
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
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
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

    fn intersect(&self) -> Vec<Value> {
        self.json(&["intersect", "--json"])
            .as_array()
            .cloned()
            .expect("rows")
    }

    /// (entry, party) of every party link `show entity` lists for each of `entries`.
    fn party_links(&self, entries: &[i64]) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        for e in entries {
            let v = self.json(&["show", "entity", &e.to_string(), "--json"]);
            for l in v["links"].as_array().unwrap() {
                if l["kind"] == "party" {
                    out.push((*e, l["id"].as_i64().unwrap()));
                }
            }
        }
        out
    }

    fn review(&self, verb: &str, (entry, party): (i64, i64), reason: &str) -> Value {
        self.json(&[
            "link",
            verb,
            &entry.to_string(),
            "party",
            &party.to_string(),
            "--reason",
            reason,
            "--json",
        ])
    }

    fn audit_actions(&self) -> Vec<Value> {
        self.json(&["audit", "export", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "link_review")
            .cloned()
            .collect()
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

#[test]
fn a_rejected_link_leaves_the_intersection_drill_and_trail_and_comes_back_when_reset() {
    let db = copy();
    let hik = hikvision_el(&db);
    let before = db.intersect();
    let row = before
        .iter()
        .find(|r| {
            r["listings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["id"] == hik)
        })
        .expect("Hikvision is in the intersection")
        .clone();
    let entries: Vec<i64> = row["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    let links = db.party_links(&entries);
    assert!(!links.is_empty(), "Hikvision's entries link trade parties");
    let shipments = |db: &Db| {
        db.json(&["shipments", "--entity", &hik.to_string(), "--json"])["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    assert!(shipments(&db) > 0);
    let trail_roots = |db: &Db| {
        db.json(&["trail", &hik.to_string(), "--json"])["shippers"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0)
    };
    assert!(trail_roots(&db) > 0);

    // Reject every party link of the company (a review holds for the listing, so the copies
    // of a listing in other datasets may already be rejected when their turn comes).
    let mut rejected = 0;
    for l in &links {
        let out = db.run(&[
            "link",
            "reject",
            &l.0.to_string(),
            "party",
            &l.1.to_string(),
            "--reason",
            "same name, other company (test)",
        ]);
        if out.status.success() {
            rejected += 1;
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("rejected already"), "{err}");
        }
    }
    assert!(rejected > 0);

    // Gone from the intersection (one row fewer), the drill and the trail.
    let after = db.intersect();
    assert_eq!(after.len(), before.len() - 1, "the intersection count");
    assert!(!after.iter().any(|r| r["listings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == hik)));
    assert_eq!(shipments(&db), 0, "the drill");
    assert_eq!(trail_roots(&db), 0, "the trail");
    assert!(
        db.party_links(&entries).is_empty(),
        "show lists no party link"
    );
    // …and shown again behind the "rejected links: N" line.
    let shown = db.json(&["show", "entity", &hik.to_string(), "--json"]);
    let line = shown["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "rejected")
        .expect("the rejected links line")
        .clone();
    assert!(
        line["label"]
            .as_str()
            .unwrap()
            .starts_with("Rejected links: "),
        "{line}"
    );
    let with = db.json(&["show", "entity", &hik.to_string(), "--rejected", "--json"]);
    let back: Vec<&Value> = with["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["review"] == "rejected")
        .collect();
    assert!(!back.is_empty(), "{with}");
    assert!(back
        .iter()
        .all(|l| l["label"].as_str().unwrap().starts_with("✗ ")));
    assert!(back[0]["label"]
        .as_str()
        .unwrap()
        .contains("same name, other company (test)"));

    // Audited, and listed.
    let audit = db.audit_actions();
    assert_eq!(audit.len(), rejected, "one audit record per review");
    let results = |r: &Value| -> Value {
        match &r["results"] {
            Value::String(s) => serde_json::from_str(s).expect("results JSON"),
            v => v.clone(),
        }
    };
    assert_eq!(results(&audit[0])["status"], "rejected", "{}", audit[0]);
    assert_eq!(
        results(&audit[0])["reason"],
        "same name, other company (test)"
    );
    let reviews = db.json(&["link", "reviews", "--json"]);
    assert_eq!(reviews.as_array().unwrap().len(), rejected);

    // Reset: everything comes back.
    for l in &links {
        let out = db.run(&[
            "link",
            "reset",
            &l.0.to_string(),
            "party",
            &l.1.to_string(),
            "--reason",
            "reviewed again",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || err.contains("auto already"),
            "{err}"
        );
    }
    assert_eq!(db.intersect().len(), before.len());
    assert!(shipments(&db) > 0);
    assert!(trail_roots(&db) > 0);
    assert_eq!(db.party_links(&entries).len(), links.len());
}

#[test]
fn a_confirmed_link_is_marked_and_bad_reviews_are_refused() {
    let db = copy();
    let hik = hikvision_el(&db);
    let link = *db.party_links(&[hik]).first().expect("a party link");
    let r = db.review("confirm", link, "same address as the EL entry");
    assert_eq!(r["status"], "confirmed");
    assert_eq!(r["target"], "party");
    let shown = db.json(&["show", "entity", &hik.to_string(), "--json"]);
    let l = shown["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "party" && l["id"] == link.1)
        .expect("the confirmed link stays")
        .clone();
    assert!(l["label"].as_str().unwrap().ends_with(" ✓"), "{l}");
    assert_eq!(l["review"], "confirmed");
    // The party's own detail says so too.
    let party = db.json(&["show", "party", &link.1.to_string(), "--json"]);
    assert!(party["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == hik && l["label"].as_str().unwrap().ends_with(" ✓")));
    // No reason, no link, twice the same: refused, nothing recorded.
    let n = db.audit_actions().len();
    for (args, want) in [
        (vec!["confirm", "--reason", "  "], "needs a reason"),
        (vec!["confirm", "--reason", "again"], "confirmed already"),
    ] {
        let out = db.run(&[
            "link",
            args[0],
            &link.0.to_string(),
            "party",
            &link.1.to_string(),
            args[1],
            args[2],
        ]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
    let out = db.run(&[
        "link",
        "reject",
        &hik.to_string(),
        "party",
        "999999999",
        "--reason",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not linked"));
    assert_eq!(db.audit_actions().len(), n);
}
