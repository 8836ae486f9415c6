//! Issue 21, item 4: the audit log holds against an editor of the database file. Each test
//! writes a log through the CLI (keyed chain, key and anchor in a private XDG state dir), then
//! tampers with the file through rusqlite the way someone holding only the file could — and
//! `audit verify` must fail (exit 1). Also: legacy (unkeyed) logs keep verifying, the user is
//! the OS account, and a search that cannot be recorded is retried or fails, never silently.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use rusqlite::{params, Connection};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Env {
    /// A fresh database and state directory, with `n` searches on the log.
    fn with_log(n: usize) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        drop(tradescope::db::open_rw(&db).unwrap());
        let env = Env { dir, db };
        for i in 0..n {
            env.ok(&["search", &format!("acme trading {i}")]);
        }
        env
    }

    fn other_db(&self, name: &str, n: usize) -> PathBuf {
        let path = self.dir.path().join(name);
        drop(tradescope::db::open_rw(&path).unwrap());
        for i in 0..n {
            let out = self.run_on(&path, &["search", &format!("other {i}")]);
            assert!(out.status.success(), "{}", stderr(&out));
        }
        path
    }

    fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    fn command(&self, db: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tradescope"));
        c.arg("--db")
            .arg(db)
            .args(args)
            .env("XDG_STATE_HOME", self.state())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("USER", "spoofed-user")
            .env("LOGNAME", "spoofed-user");
        c
    }

    fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        self.command(db, args).output().expect("run tradescope")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_on(&self.db, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn conn(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    /// `audit verify` (with extra args) must pass.
    fn verifies(&self, extra: &[&str]) -> String {
        let mut args = vec!["audit", "verify"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// `audit verify` (with extra args) must fail with exit 1; returns its message.
    fn detected(&self, what: &str, extra: &[&str]) -> String {
        let mut args = vec!["audit", "verify"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{what}: not detected: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(err.contains("FAILED verification"), "{what}: {err}");
        err
    }

    fn anchor(&self) -> String {
        let v: Value = serde_json::from_str(&self.ok(&["audit", "verify", "--json"])).unwrap();
        v["anchor"].as_str().expect("anchor").to_string()
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What an older release wrote: SHA-256 of prev_hash and the canonical row, no key.
fn legacy_hash(r: &Row) -> String {
    let canonical = json!([
        r.id,
        r.at,
        r.user,
        r.action,
        r.query,
        r.normalized_query,
        r.list_versions,
        r.matcher_version,
        r.threshold,
        r.results,
        r.prev_hash
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(r.prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug)]
struct Row {
    id: i64,
    at: String,
    user: String,
    action: String,
    query: Option<String>,
    normalized_query: Option<String>,
    list_versions: String,
    matcher_version: Option<String>,
    threshold: Option<f64>,
    results: String,
    prev_hash: String,
    hash: String,
}

fn rows(c: &Connection) -> Vec<Row> {
    let mut s = c
        .prepare(
            "SELECT id, at, user, action, query, normalized_query, list_versions,
             matcher_version, threshold, results, prev_hash, hash FROM audit_log ORDER BY id",
        )
        .unwrap();
    s.query_map([], |r| {
        Ok(Row {
            id: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            query: r.get(4)?,
            normalized_query: r.get(5)?,
            list_versions: r.get(6)?,
            matcher_version: r.get(7)?,
            threshold: r.get(8)?,
            results: r.get(9)?,
            prev_hash: r.get(10)?,
            hash: r.get(11)?,
        })
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Replace the log with `rows`, renumbered from 1 and chained with plain SHA-256 from GENESIS:
/// the best an editor without the key can do.
fn write_sha_chain(c: &Connection, mut rs: Vec<Row>) {
    c.execute("DELETE FROM audit_log", []).unwrap();
    let mut prev = GENESIS.to_string();
    for (i, r) in rs.iter_mut().enumerate() {
        r.id = i as i64 + 1;
        r.prev_hash = prev.clone();
        r.hash = legacy_hash(r);
        insert(c, r);
        prev = r.hash.clone();
    }
}

fn insert(c: &Connection, r: &Row) {
    c.execute(
        "INSERT INTO audit_log (id, at, user, action, query, normalized_query, list_versions,
           matcher_version, threshold, results, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.id,
            r.at,
            r.user,
            r.action,
            r.query,
            r.normalized_query,
            r.list_versions,
            r.matcher_version,
            r.threshold,
            r.results,
            r.prev_hash,
            r.hash
        ],
    )
    .unwrap();
}

/// Rechain rows from `from` on (keeping the hashes before it), with plain SHA-256.
fn rechain_from(c: &Connection, from: i64) {
    let all = rows(c);
    let mut prev = all
        .iter()
        .find(|r| r.id == from - 1)
        .map(|r| r.hash.clone())
        .unwrap_or_else(|| GENESIS.to_string());
    for mut r in all.into_iter().filter(|r| r.id >= from) {
        r.prev_hash = prev.clone();
        r.hash = legacy_hash(&r);
        c.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            params![r.prev_hash, r.hash, r.id],
        )
        .unwrap();
        prev = r.hash;
    }
}

fn meta(c: &Connection, k: &str) -> Option<String> {
    c.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
        .ok()
}

#[test]
fn issue21_item4_untampered_keyed_log_verifies_against_its_anchor() {
    let env = Env::with_log(4);
    let out = env.verifies(&[]);
    assert!(out.contains("audit log OK: 4 rows"), "{out}");
    assert!(out.contains("4 rows keyed"), "{out}");
    assert!(out.contains("checked against anchor on file"), "{out}");
    let c = env.conn();
    assert_eq!(meta(&c, "audit_keyed_from").as_deref(), Some("1"));
    assert_eq!(meta(&c, "audit_scheme").as_deref(), Some("hmac-sha256/v1"));
    // The keyed rows are not a SHA-256 chain: whoever recomputes one is found out.
    let rs = rows(&c);
    assert!(rs.iter().all(|r| legacy_hash(r) != r.hash));
    // The key is private and outside the database.
    let id = meta(&c, "audit_db_id").unwrap();
    let key = env.state().join(format!("tradescope/audit/keys/{id}.key"));
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    // An anchor given on the command line, as printed, also holds.
    let a = env.anchor();
    assert!(a.contains(&format!("db={id}:rows=4:")), "{a}");
    env.verifies(&["--anchor", &a]);
}

#[test]
fn issue21_item4_tamper_01_delete_last_row() {
    let env = Env::with_log(5);
    env.conn()
        .execute("DELETE FROM audit_log WHERE id = 5", [])
        .unwrap();
    let e = env.detected("delete last row", &[]);
    assert!(e.contains("rows were deleted from its end"), "{e}");
}

#[test]
fn issue21_item4_tamper_02_delete_last_three_rows() {
    let env = Env::with_log(6);
    env.conn()
        .execute("DELETE FROM audit_log WHERE id > 3", [])
        .unwrap();
    env.detected("delete last 3 rows", &[]);
}

#[test]
fn issue21_item4_tamper_03_delete_every_row() {
    let env = Env::with_log(4);
    env.conn().execute("DELETE FROM audit_log", []).unwrap();
    env.detected("delete every row", &[]);
}

#[test]
fn issue21_item4_tamper_04_truncate_log_and_keying_meta() {
    let env = Env::with_log(4);
    let c = env.conn();
    c.execute("DELETE FROM audit_log", []).unwrap();
    c.execute("DELETE FROM meta WHERE key LIKE 'audit_%'", [])
        .unwrap();
    drop(c);
    let e = env.detected("truncate log and meta", &[]);
    assert!(e.contains("this database's id is -"), "{e}");
}

#[test]
fn issue21_item4_tamper_05_append_forged_row_with_recomputed_sha256() {
    let env = Env::with_log(3);
    let c = env.conn();
    let mut last = rows(&c).pop().unwrap();
    last.prev_hash = last.hash.clone();
    last.id += 1;
    last.query = Some("a search nobody made".into());
    last.hash = legacy_hash(&last);
    insert(&c, &last);
    drop(c);
    let e = env.detected("forged row, SHA-256", &[]);
    assert!(e.contains("at row 4"), "{e}");
}

#[test]
fn issue21_item4_tamper_06_append_forged_row_with_guessed_key() {
    use hmac::{Hmac, Mac};
    let env = Env::with_log(3);
    let c = env.conn();
    let id = meta(&c, "audit_db_id").unwrap();
    let mut last = rows(&c).pop().unwrap();
    last.prev_hash = last.hash.clone();
    last.id += 1;
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&[7u8; 32]).unwrap();
    m.update(json!(["hmac-sha256/v1", id]).to_string().as_bytes());
    m.update(format!("{}{}", last.id, last.prev_hash).as_bytes());
    last.hash = m
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    insert(&c, &last);
    drop(c);
    env.detected("forged row, wrong key", &[]);
}

#[test]
fn issue21_item4_tamper_07_edit_a_row_without_rechaining() {
    let env = Env::with_log(4);
    env.conn()
        .execute("UPDATE audit_log SET query = 'nothing' WHERE id = 2", [])
        .unwrap();
    let e = env.detected("edit a row", &[]);
    assert!(e.contains("at row 2"), "{e}");
}

#[test]
fn issue21_item4_tamper_08_edit_a_row_and_recompute_the_chain() {
    let env = Env::with_log(4);
    let c = env.conn();
    c.execute("UPDATE audit_log SET results = '[]' WHERE id = 2", [])
        .unwrap();
    rechain_from(&c, 2);
    drop(c);
    env.detected("edit and rechain", &[]);
}

#[test]
fn issue21_item4_tamper_09_delete_a_row_and_renumber() {
    let env = Env::with_log(5);
    let c = env.conn();
    let mut rs = rows(&c);
    rs.remove(2);
    write_sha_chain(&c, rs);
    drop(c);
    env.detected("delete and renumber", &[]);
}

#[test]
fn issue21_item4_tamper_10_delete_a_row_and_renumber_keeping_macs() {
    let env = Env::with_log(5);
    let c = env.conn();
    c.execute("DELETE FROM audit_log WHERE id = 3", []).unwrap();
    c.execute("UPDATE audit_log SET id = id - 1 WHERE id > 3", [])
        .unwrap();
    drop(c);
    env.detected("renumber keeping MACs", &[]);
}

#[test]
fn issue21_item4_tamper_11_rechain_as_legacy_and_drop_keying_meta() {
    // Make the log look as if an older release wrote it, unkeyed, with a row fewer.
    let env = Env::with_log(4);
    let c = env.conn();
    let mut rs = rows(&c);
    rs.pop();
    write_sha_chain(&c, rs);
    c.execute("DELETE FROM meta WHERE key LIKE 'audit_%'", [])
        .unwrap();
    drop(c);
    env.detected("rechained as legacy", &[]);
}

#[test]
fn issue21_item4_tamper_12_move_keyed_start_past_the_end() {
    let env = Env::with_log(4);
    let c = env.conn();
    let rs = rows(&c);
    write_sha_chain(&c, rs);
    c.execute(
        "UPDATE meta SET value = '99' WHERE key = 'audit_keyed_from'",
        [],
    )
    .unwrap();
    drop(c);
    env.detected("keyed start moved", &[]);
}

#[test]
fn issue21_item4_tamper_13_transplant_another_databases_log() {
    // Another database of the same user, with its key in the same state dir: its rows verify
    // under its key, but this file's anchor names this database.
    let env = Env::with_log(3);
    let other = env.other_db("other.db", 2);
    let c = env.conn();
    c.execute("ATTACH ?1 AS o", [other.to_str().unwrap()])
        .unwrap();
    c.execute_batch(
        "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM o.audit_log;
         DELETE FROM meta WHERE key LIKE 'audit_%';
         INSERT INTO meta SELECT * FROM o.meta WHERE key LIKE 'audit_%';",
    )
    .unwrap();
    drop(c);
    let e = env.detected("transplanted log", &[]);
    assert!(e.contains("is of database"), "{e}");
}

#[test]
fn issue21_item4_tamper_14_swap_two_rows() {
    let env = Env::with_log(4);
    let c = env.conn();
    c.execute_batch(
        "UPDATE audit_log SET id = -2 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 3;
         UPDATE audit_log SET id = 3 WHERE id = -2;",
    )
    .unwrap();
    drop(c);
    env.detected("swap rows", &[]);
}

#[test]
fn issue21_item4_tamper_15_duplicate_a_row_at_the_end() {
    let env = Env::with_log(3);
    let c = env.conn();
    let rs = rows(&c);
    let mut dup = rs[1].clone();
    dup.id = 4;
    dup.prev_hash = rs[2].hash.clone();
    insert(&c, &dup);
    drop(c);
    env.detected("duplicated row", &[]);
}

#[test]
fn issue21_item4_tamper_16_edit_timestamp_and_user() {
    let env = Env::with_log(3);
    env.conn()
        .execute(
            "UPDATE audit_log SET at = '2020-01-01T00:00:00Z', user = 'someone' WHERE id = 3",
            [],
        )
        .unwrap();
    env.detected("timestamp and user", &[]);
}

#[test]
fn issue21_item4_tamper_17_change_database_id() {
    let env = Env::with_log(3);
    env.conn()
        .execute(
            "UPDATE meta SET value = 'abcdef0123456789abcdef0123456789' WHERE key = 'audit_db_id'",
            [],
        )
        .unwrap();
    let e = env.detected("db id changed", &[]);
    assert!(e.contains("key"), "{e}");
}

#[test]
fn issue21_item4_tamper_18_restore_an_older_copy_of_the_file() {
    let env = Env::with_log(2);
    let backup = env.dir.path().join("backup.db");
    env.conn()
        .execute("VACUUM INTO ?1", [backup.to_str().unwrap()])
        .unwrap();
    env.ok(&["search", "huawei"]);
    env.ok(&["search", "dahua"]);
    std::fs::copy(&backup, &env.db).unwrap();
    let _ = std::fs::remove_file(env.db.with_extension("db-wal"));
    let e = env.detected("older copy", &[]);
    assert!(e.contains("says the log had 4 rows, it has 2"), "{e}");
}

#[test]
fn issue21_item4_tamper_19_tail_deleted_then_the_log_goes_on() {
    // The editor deletes the tail; the user, unaware, searches again. The append sees the log
    // no longer holds its anchor and keeps the old anchor as evidence.
    let env = Env::with_log(5);
    env.conn()
        .execute("DELETE FROM audit_log WHERE id > 2", [])
        .unwrap();
    env.ok(&["search", "after the deletion"]);
    let e = env.detected("tail deleted then appended", &[]);
    assert!(e.contains("not to continue its anchor"), "{e}");
}

#[test]
fn issue21_item4_tamper_20_log_wiped_then_restarted() {
    let env = Env::with_log(3);
    let c = env.conn();
    c.execute("DELETE FROM audit_log", []).unwrap();
    c.execute("DELETE FROM meta WHERE key LIKE 'audit_%'", [])
        .unwrap();
    drop(c);
    env.ok(&["search", "fresh start"]);
    env.detected("wiped and restarted", &[]);
}

#[test]
fn issue21_item4_tamper_21_printed_anchor_catches_deletion_without_the_state_file() {
    // The auditor holds the anchor printed in a case export; the state dir is gone (another
    // machine). Deleting the tail still shows.
    let env = Env::with_log(3);
    let printed = env.anchor();
    assert!(printed.contains(":rows=3:"), "{printed}");
    std::fs::remove_dir_all(env.state().join("tradescope/audit/anchors")).unwrap();
    env.verifies(&["--anchor", &printed]);
    env.conn()
        .execute("DELETE FROM audit_log WHERE id >= 3", [])
        .unwrap();
    let e = env.detected("printed anchor", &["--anchor", &printed]);
    assert!(e.contains("the anchor given"), "{e}");
}

#[test]
fn issue21_item4_case_exports_print_the_anchor() {
    let env = Env::with_log(2);
    // A list with two entries, to mark one in a case.
    let list = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile/csl/bom.csv");
    env.ok(&["import", "csl", list]);
    env.ok(&["case", "add", "c1", "entity", "1"]);
    let md = env.ok(&["case", "export", "c1", "--format", "md"]);
    let line = md
        .lines()
        .find(|l| l.contains("Audit log anchor"))
        .expect("anchor line");
    let anchor = line
        .split('`')
        .find(|p| p.starts_with("tradescope-audit:"))
        .expect("anchor in backticks");
    assert!(anchor.contains(":rows=2:"), "{anchor}");
    env.verifies(&["--anchor", anchor]);
    let csv = env.ok(&["case", "export", "c1", "--format", "csv"]);
    assert!(
        csv.lines().next().unwrap().ends_with("audit_anchor"),
        "{csv}"
    );
    assert!(csv.contains("tradescope-audit:v1:db="), "{csv}");
}

#[test]
fn issue21_item4_audit_export_prints_the_anchor() {
    let env = Env::with_log(2);
    let out = env.run(&["audit", "export"]);
    assert!(out.status.success());
    let err = stderr(&out);
    let anchor = err
        .split_whitespace()
        .find(|w| w.starts_with("tradescope-audit:"))
        .expect("anchor on stderr");
    assert!(anchor.contains(":rows=2:"), "{anchor}");
    env.verifies(&["--anchor", anchor]);
}

#[test]
fn issue21_item4_legacy_unkeyed_log_still_verifies_and_is_covered_by_keyed_rows() {
    // A database from an older release: a plain SHA-256 chain, no keying meta.
    let env = Env::with_log(0);
    let c = env.conn();
    let base = Row {
        id: 0,
        at: "2025-06-01T10:00:00Z".into(),
        user: "olduser".into(),
        action: "search".into(),
        query: Some("hikvision".into()),
        normalized_query: Some("hikvision".into()),
        list_versions: "[]".into(),
        matcher_version: Some("name:1".into()),
        threshold: Some(0.8),
        results: "[]".into(),
        prev_hash: String::new(),
        hash: String::new(),
    };
    write_sha_chain(&c, vec![base.clone(), base.clone(), base]);
    drop(c);
    let out = env.verifies(&[]);
    assert!(out.contains("3 rows unkeyed"), "{out}");
    // After the upgrade the log goes on keyed, from row 4.
    env.ok(&["search", "dahua"]);
    let out = env.verifies(&[]);
    assert!(
        out.contains("3 rows unkeyed") && out.contains("1 rows keyed"),
        "{out}"
    );
    assert_eq!(meta(&env.conn(), "audit_keyed_from").as_deref(), Some("4"));
    // Rewriting the legacy part (even re-chained) breaks the first keyed row's MAC.
    let c = env.conn();
    c.execute("UPDATE audit_log SET query = 'x' WHERE id = 2", [])
        .unwrap();
    rechain_from(&c, 2);
    c.execute(
        "UPDATE audit_log SET prev_hash = (SELECT hash FROM audit_log WHERE id = 3) WHERE id = 4",
        [],
    )
    .unwrap();
    drop(c);
    env.detected("legacy rows rewritten", &[]);
}

#[test]
fn issue21_item4_user_is_the_os_account_not_user_env() {
    let env = Env::with_log(1);
    let user: String = env
        .conn()
        .query_row("SELECT user FROM audit_log WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_ne!(user, "spoofed-user");
    let id = Command::new("id").arg("-un").output().unwrap();
    let expected = String::from_utf8_lossy(&id.stdout).trim().to_string();
    if id.status.success() && !expected.is_empty() {
        assert_eq!(user, expected);
    } else {
        assert!(user.starts_with("uid:"), "{user}");
    }
}

#[test]
fn issue21_item4_key_file_readable_by_others_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::with_log(1);
    let id = meta(&env.conn(), "audit_db_id").unwrap();
    let key = env.state().join(format!("tradescope/audit/keys/{id}.key"));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = env.detected("world-readable key", &[]);
    assert!(e.contains("other users may read"), "{e}");
    // And no search is answered unrecorded with it.
    let out = env.run(&["search", "x"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A symlink instead of the key file is refused too.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let real = env.dir.path().join("real.key");
    std::fs::rename(&key, &real).unwrap();
    std::os::unix::fs::symlink(&real, &key).unwrap();
    let e = env.detected("symlinked key", &[]);
    assert!(e.contains("not a regular file"), "{e}");
}

#[test]
fn issue21_item4_search_during_a_write_fails_with_exit_1_not_silently() {
    let env = Env::with_log(1);
    let c = env.conn();
    c.execute_batch(
        "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; INSERT INTO meta VALUES ('hold', '1');",
    )
    .unwrap();
    let out = env
        .command(&env.db, &["search", "hikvision"])
        .env("TRADESCOPE_AUDIT_WAIT", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("could not be recorded in the audit log"),
        "{err}"
    );
    // No answer without its record.
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    c.execute_batch("ROLLBACK").unwrap();
    drop(c);
    assert_eq!(rows(&env.conn()).len(), 1);
}

#[test]
fn issue21_item4_search_during_a_write_is_recorded_once_the_write_commits() {
    let env = Env::with_log(1);
    let c = env.conn();
    c.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('hold', '1');")
        .unwrap();
    let child = env
        .command(&env.db, &["search", "hikvision"])
        .env("TRADESCOPE_AUDIT_WAIT", "60")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    c.execute_batch("COMMIT").unwrap();
    drop(c);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rs = rows(&env.conn());
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[1].query.as_deref(), Some("hikvision"));
    env.verifies(&[]);
}

#[test]
fn issue21_item4_search_on_a_read_only_database_fails_with_exit_1() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::with_log(1);
    // Checkpointed into the file and out of WAL mode, then made read-only.
    env.conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut cmd = env.command(&env.db, &["search", "hikvision"]);
    if unsafe { libc::geteuid() } == 0 {
        // root writes read-only files: run as nobody, for whom the file is read-only.
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut as_nobody = Command::new("setpriv");
        as_nobody
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(cmd.get_program())
            .args(cmd.get_args())
            .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))));
        cmd = as_nobody;
    }
    let out = cmd.output().expect("run tradescope");
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be recorded in the audit log"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    assert_eq!(rows(&env.conn()).len(), 1);
}

#[test]
fn issue21_item4_workbench_holds_back_records_while_the_database_is_busy() {
    use tradescope::app::write::{self, AuditEntry, Write};
    // In this process: the audit state directory is this process's own (not the Env's), so
    // the database is one the CLI never wrote to.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wb.db");
    drop(tradescope::db::open_rw(&db).unwrap());
    let entry = |q: &str| {
        Write::Audit(AuditEntry {
            action: "search".into(),
            query: Some(q.into()),
            results: json!([]),
            ..Default::default()
        })
    };
    let store = tradescope::db::SqliteStore::lazy(&db);
    let hold = Connection::open(&db).unwrap();
    hold.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('hold', '1');")
        .unwrap();
    // Busy: held back, and the status line says so.
    let msg = write::run(&store, entry("during the import")).unwrap_err();
    assert!(msg.contains("1 record held back"), "{msg}");
    assert_eq!(write::held_back(&store), 1);
    // Still busy: the retry says they still wait; nothing is lost.
    let msg = write::retry(&store).unwrap_err();
    assert!(msg.contains("still held back"), "{msg}");
    assert_eq!(write::held_back(&store), 1);
    hold.execute_batch("COMMIT").unwrap();
    drop(hold);
    // The next record writes the held-back one first, in order.
    let msg = write::run(&store, entry("after the import")).unwrap();
    assert!(msg.contains("1 held-back record written"), "{msg}");
    assert_eq!(write::held_back(&store), 0);
    let c = Connection::open(&db).unwrap();
    let qs: Vec<String> = rows(&c).into_iter().filter_map(|r| r.query).collect();
    assert_eq!(qs, ["during the import", "after the import"]);
    let v = tradescope::db::audit::verify(&c).unwrap();
    assert!(v.ok, "{v:?}");
}
