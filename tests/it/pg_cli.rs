//! `--db postgresql://…` and `TRADESCOPE_DB=postgresql://…` (issue 19): the commands that run
//! on PostgreSQL answer as on SQLite; every other one refuses, naming itself, with exit code
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
fn show_on_postgresql_answers_as_on_sqlite_and_other_commands_refuse_by_name() {
    let (_server, admin) = server();
    let url = new_database(&admin, "cli");
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let entity = hikvision_el(&tradescope::db::open_ro(src).expect("open")).to_string();
    let dir = tempfile::tempdir().expect("tmp");
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
        vec!["search", "hikvision"],
        vec!["screen", "hikvision"],
        vec!["patents", "camera"],
        vec!["stats"],
        vec!["audit", "verify"],
        vec!["import", "csl", "x.csv"],
        vec!["init"],
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
    // The workbench without a terminal: the terminal error, not a panic or a SQLite file.
    let out = run(dir.path(), Some(&url), None, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
    let made: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(made.is_empty(), "files made from the URL: {made:?}");
}
