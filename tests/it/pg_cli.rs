//! `--db postgresql://…` and `TRADESCOPE_DB=postgresql://…` (issue 19): the commands that run
//! on PostgreSQL (reads, and the recorded work: cases, decisions, link reviews, the audit log)
//! answer as on SQLite; every other one refuses, naming itself, with exit code
//! 1 — never a panic, never a SQLite file made from the URL.

use std::path::Path;
use std::process::{Command, Output};

use tradescope::progress::NoProgress;

use super::investigate::{default_db, hikvision_el};
use super::pg::{new_database, ok, server};

fn run(dir: &Path, db: Option<&str>, env_db: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradescope"));
    if let Some(db) = db {
        cmd.arg("--db").arg(db);
    }
    cmd.args(args)
        .current_dir(dir)
        .env_remove("TRADESCOPE_DB")
        .env("NO_COLOR", "1");
    if let Some(v) = env_db {
        cmd.env("TRADESCOPE_DB", v);
    }
    cmd.output().expect("run tradescope")
}

#[test]
fn commands_on_postgresql_answer_as_on_sqlite_and_other_commands_refuse_by_name() {
    let (_server, admin) = server();
    let url = new_database(&admin, "cli");
    let dir = tempfile::tempdir().expect("tmp");
    // A database of its own: `intersect` and `trail` append to its audit log, and other tests
    // copy the shared default database (a copy checks the audit rows it read).
    let own = tempfile::tempdir().expect("tmp");
    let src = own.path().join("own.db");
    tradescope::db::backup(default_db(), Some(&src)).expect("copy the default database");
    tradescope_pg::copy::sqlite_to_pg(&src, &url, &NoProgress).expect("copy to PostgreSQL");
    let entity = hikvision_el(&tradescope::db::open_ro(&src).expect("open")).to_string();
    let lite = src.to_str().expect("path");

    // `show`, JSON and text, through --db and through $TRADESCOPE_DB.
    for args in [
        vec!["show", "entity", entity.as_str(), "--json"],
        vec!["show", "entity", entity.as_str(), "--rejected"],
        vec!["show", "party", "1", "--json"],
        vec!["intersect", "--json"],
        vec!["trail", entity.as_str(), "--json"],
        vec!["trail", entity.as_str(), "--days", "30", "--depth", "1"],
        vec!["intersect", "--sort", "name", "--limit", "3"],
        vec!["shipments", "--entity", entity.as_str(), "--json"],
        vec!["shipments", "--entity", entity.as_str(), "--limit", "7"],
        vec!["shipments", "--party", "1", "--listed-at-date", "yes"],
        vec!["shipments", "--text", "camera", "--limit", "5", "--json"],
        vec![
            "shipments",
            "--hs",
            "85",
            "--from",
            "2020-01-01",
            "--limit",
            "5",
        ],
        vec!["search", "hikvision"],
        vec!["search", "hikv", "--json"],
        vec!["search", "zte", "--limit", "3"],
        vec!["search", "no such company at all"],
        vec!["screen", "hikvision"],
        vec!["screen", "Hangzhou Hikvision Digital Technology", "--json"],
        vec!["screen", "huawei", "--country", "CN", "--threshold", "0.7"],
        vec!["patents", "camera"],
        vec!["patents", "cam*", "--json"],
        vec!["patents", "Neural-Network", "--limit", "2"],
        vec!["patents", "hikvísion camera"],
        vec!["patents", "--assignee", "hikvision", "--limit", "3"],
        vec!["patents", "--entity", entity.as_str(), "--limit", "4"],
        vec!["patents", "zzzqqq"],
    ] {
        let want = ok(run(dir.path(), Some(lite), None, &args));
        assert_eq!(
            want,
            ok(run(dir.path(), Some(&url), None, &args)),
            "{args:?}"
        );
        assert_eq!(
            want,
            ok(run(dir.path(), None, Some(&url), &args)),
            "{args:?}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&ok(run(
        dir.path(),
        Some(&url),
        None,
        &["show", "entity", &entity, "--json"],
    )))
    .expect("json");
    assert!(
        json["links"].as_array().is_some_and(|l| l.len() > 3),
        "{json}"
    );
    // `shipments` on PostgreSQL shows the entity's shipments with their as-of screening.
    let page: serde_json::Value = serde_json::from_str(&ok(run(
        dir.path(),
        Some(&url),
        None,
        &["shipments", "--entity", &entity, "--json"],
    )))
    .expect("json");
    let rows = page["rows"].as_array().expect("rows");
    assert!(!rows.is_empty(), "{page}");
    assert!(rows.iter().any(|r| r["as_of"].is_string()), "{page}");
    // `intersect` on PostgreSQL is recorded in its audit log, and the chain still verifies.
    let store = tradescope_pg::PgStore::open(&url).expect("open PostgreSQL");
    let recent = tradescope_store::Store::audit_recent(&store, 50).expect("audit");
    let recorded: Vec<_> = recent
        .iter()
        .filter(|r| r.action == "intersect")
        .filter_map(|r| r.query.clone())
        .collect();
    assert!(
        recorded.contains(&"intersect --sort name".to_string()),
        "{:?}",
        recent
            .iter()
            .map(|r| (r.id, &r.action, &r.query))
            .collect::<Vec<_>>()
    );
    assert!(
        recent.iter().any(|r| r.action == "trail"
            && r.query.as_deref() == Some(&format!("trail {entity} --days 30"))),
        "no trail record"
    );
    for action in ["search", "screen"] {
        assert!(
            recent
                .iter()
                .any(|r| r.action == action && r.query.as_deref() == Some("hikvision")),
            "no {action} record"
        );
    }
    let verified = tradescope_store::Store::audit_verify(&store).expect("verify");
    assert!(verified.ok, "{:?}", verified.problem);
    // A record that is not there: the same not-found error, exit code 1.
    let out = run(
        dir.path(),
        Some(&url),
        None,
        &["show", "entity", "999999999"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no list entry"));

    // Every other command says it is not available there, by name.
    for args in [
        vec!["rescreen", "vendors"],
        vec!["backup"],
        vec!["import", "csl", "x.csv"],
    ] {
        for (db, env) in [(Some(url.as_str()), None), (None, Some(url.as_str()))] {
            let out = run(dir.path(), db, env, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains(&format!(
                    "`tradescope {}` is not available on a PostgreSQL",
                    args[0]
                )),
                "{args:?}: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // A batch screen is SQLite's only so far, and says so.
    let out = run(dir.path(), Some(&url), None, &["screen", "--file", "x.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`tradescope screen --file` is not available on a PostgreSQL"),
        "{err}"
    );
    // The workbench without a terminal: the terminal error, not a panic or a SQLite file.
    let out = run(dir.path(), Some(&url), None, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
    let made: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(made.is_empty(), "files made from the URL: {made:?}");
}

/// Text with every UTC timestamp (`2026-12-04T05:01:02Z`, fractions too) as `<at>` and every
/// audit anchor as `<anchor>`: two runs of one command a second apart, on two databases with
/// keys of their own, differ only there.
fn without_times(text: &str) -> String {
    let text = without_timestamps(text);
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("tradescope-audit:v1:") {
        out.push_str(&rest[..i]);
        out.push_str("<anchor>");
        let tail = &rest[i..];
        let end = tail
            .find("head=")
            .map(|h| {
                h + 5
                    + tail[h + 5..]
                        .bytes()
                        .take_while(u8::is_ascii_hexdigit)
                        .count()
            })
            .unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn without_timestamps(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let shape = |j: usize| {
        b.len() >= j + 19
            && (0..19).all(|k| match k {
                4 | 7 => b[j + k] == b'-',
                10 => b[j + k] == b'T',
                13 | 16 => b[j + k] == b':',
                _ => b[j + k].is_ascii_digit(),
            })
    };
    while i < b.len() {
        if shape(i) {
            let mut j = i + 19;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            if b.get(j) == Some(&b'Z') {
                j += 1;
            }
            out.push_str("<at>");
            i = j;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

#[test]
fn recorded_work_on_postgresql_is_recorded_as_on_sqlite() {
    let (_server, admin) = server();
    let url = new_database(&admin, "work");
    let dir = tempfile::tempdir().expect("tmp");
    // A SQLite database of its own (this test writes), and its copy on PostgreSQL.
    let lite_path = dir.path().join("work.db");
    tradescope::db::backup(default_db(), Some(&lite_path)).expect("copy the default database");
    tradescope_pg::copy::sqlite_to_pg(&lite_path, &url, &NoProgress).expect("copy to PostgreSQL");
    let conn = tradescope::db::open_ro(&lite_path).expect("open");
    let entity = hikvision_el(&conn).to_string();
    let party: i64 = conn
        .query_row(
            "SELECT party_id FROM link_party WHERE entry_id = ?1 ORDER BY party_id LIMIT 1",
            [&entity],
            |r| r.get(0),
        )
        .expect("Hikvision's EL entry is linked to a trade party");
    drop(conn);
    let party = party.to_string();
    let lite = lite_path.to_str().expect("path");
    let hik = "Hangzhou Hikvision Digital Technology Co., Ltd.";
    let steps: Vec<Vec<&str>> = vec![
        vec![
            "case",
            "add",
            "walk",
            "entity",
            &entity,
            "--note",
            "listed maker",
        ],
        vec!["case", "add", "walk", "shipment", "1"],
        vec!["case", "add", "walk", "party", &party],
        vec!["case", "list"],
        vec!["case", "show", "walk", "--json"],
        vec!["case", "remove", "walk", "shipment", "1"],
        vec!["case", "export", "walk", "--format", "csv"],
        vec!["case", "export", "walk", "--format", "json"],
        vec![
            "decide",
            hik,
            &entity,
            "--verdict",
            "match",
            "--reason",
            "same address",
        ],
        vec![
            "decide",
            "Hikvision USA",
            &entity,
            "--verdict",
            "escalate",
            "--reason",
            "ask",
        ],
        vec!["decisions", "--json"],
        vec!["decisions", "undo", "1"],
        vec!["decisions", "--all"],
        vec!["decisions", "--export", "csv"],
        vec!["link", "reviews"],
        vec![
            "link",
            "reject",
            &entity,
            "party",
            &party,
            "--reason",
            "another company",
            "--json",
        ],
        vec!["link", "reviews", &entity, "--json"],
        vec!["show", "entity", &entity, "--rejected"],
        vec!["audit", "show", "--limit", "12"],
        vec!["stats", "--json"],
        vec!["stats", "--changes"],
        vec!["stats", "--changes", "--json"],
    ];
    for args in &steps {
        let want = without_times(&ok(run(dir.path(), Some(lite), None, args)));
        let got = without_times(&ok(run(dir.path(), Some(&url), None, args)));
        assert_eq!(want, got, "{args:?}");
    }
    // Both logs hold every step and still verify.
    for db in [lite, url.as_str()] {
        let out = ok(run(dir.path(), Some(db), None, &["audit", "verify"]));
        assert!(out.starts_with("audit log OK"), "{db}: {out}");
        let recent: serde_json::Value = serde_json::from_str(&ok(run(
            dir.path(),
            Some(db),
            None,
            &["audit", "show", "--limit", "30", "--json"],
        )))
        .expect("json");
        let actions: Vec<&str> = recent
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["action"].as_str())
            .collect();
        for a in ["decide", "undo_decision", "link_review", "export"] {
            assert!(actions.contains(&a), "{db}: no {a} in {actions:?}");
        }
    }
    // A case that is not there: the same error on both, exit code 1.
    for db in [lite, url.as_str()] {
        let out = run(dir.path(), Some(db), None, &["case", "export", "nope"]);
        assert_eq!(out.status.code(), Some(1), "{db}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("no case named \"nope\""),
            "{db}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn init_on_postgresql_builds_the_default_database_there() {
    let (_server, admin) = server();
    let url = new_database(&admin, "init");
    let dir = tempfile::tempdir().expect("tmp");
    let out = ok(run(dir.path(), Some(&url), None, &["init"]));
    assert!(out.starts_with("built postgresql://"), "{out}");
    // What it holds is what `init` builds on SQLite.
    let lite = dir.path().join("init.db");
    ok(run(
        dir.path(),
        Some(lite.to_str().expect("path")),
        None,
        &["init"],
    ));
    let stats =
        |db: &str| without_times(&ok(run(dir.path(), Some(db), None, &["stats", "--json"])));
    assert_eq!(stats(lite.to_str().expect("path")), stats(&url));
    let verified = ok(run(dir.path(), Some(&url), None, &["audit", "verify"]));
    assert!(verified.starts_with("audit log OK"), "{verified}");
    // The Hikvision EL entry is there with its links, as on SQLite.
    let entity = hikvision_el(&tradescope::db::open_ro(&lite).expect("open")).to_string();
    for args in [
        vec!["show", "entity", entity.as_str(), "--json"],
        vec!["search", "hikvision", "--json"],
    ] {
        let lite = lite.to_str().expect("path");
        assert_eq!(
            without_times(&ok(run(dir.path(), Some(lite), None, &args))),
            without_times(&ok(run(dir.path(), Some(&url), None, &args))),
            "{args:?}"
        );
    }
    // A second init, and --force, refuse and change nothing (exit 1, no temporary file left).
    for args in [vec!["init"], vec!["init", "--force"]] {
        let out = run(dir.path(), Some(&url), None, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert_eq!(stats(&url), stats(lite.to_str().expect("path")));
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .expect("temp dir")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("tradescope-init-")
        })
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}
