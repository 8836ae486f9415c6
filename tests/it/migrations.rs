//! Databases outlive releases (issue 14): every released schema is kept as a fixture, every old
//! release's database upgrades to exactly a fresh database's schema with every user row intact,
//! an upgrade is backed up first and atomic (a kill -9 in the middle leaves the old or the new
//! file, never half of one), and files that are not tradescope's — or are a newer release's —
//! are refused with a message saying which.
//!
//! The fixture databases in tests/fixtures/releases were made by the releases themselves
//! (tests/fixtures/releases/build.sh): `d8c95cf.db` by the release the issue names,
//! `5961a17.db` by the commit before cba897f changed `shipment_fts` without a version bump.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use tradescope::db;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The fixture databases old releases made, with the schema version each has.
fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo("tests/fixtures/releases"))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    v.sort();
    assert!(v.len() >= 2, "fixtures missing: {v:?}");
    v
}

/// A plain read-only connection. The committed fixtures are opened `immutable`, so that no
/// `-shm` or `-wal` appears next to them in the repository.
fn raw_ro(path: &Path) -> Connection {
    if path.starts_with(repo("tests/fixtures")) {
        let uri = format!("file:{}?immutable=1", path.display());
        return Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .expect("open fixture");
    }
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open raw")
}

fn user_version(path: &Path) -> i64 {
    raw_ro(path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version")
}

/// `sqlite_master`, normalized: (type, name, table, SQL with whitespace collapsed), sorted.
fn schema_of(conn: &Connection) -> Vec<(String, String, String, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .expect("schema query");
    stmt.query_map([], |r| {
        let sql: String = r.get(3)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })
    .expect("schema rows")
    .collect::<rusqlite::Result<Vec<_>>>()
    .expect("schema")
}

fn schema_of_sql(sql: &str) -> Vec<(String, String, String, String)> {
    let conn = Connection::open_in_memory().expect("memory db");
    conn.execute_batch(sql).expect("schema loads");
    schema_of(&conn)
}

fn fresh_schema() -> Vec<(String, String, String, String)> {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("fresh.db");
    drop(db::open_rw(&p).expect("fresh database"));
    schema_of(&raw_ro(&p))
}

/// Every row of every table that holds data (the full-text indexes' shadow tables, the
/// patents' CET table and each assignee's patents by date are derived and excluded), each
/// table dumped in full and sorted: equal maps mean no user row was lost, added or changed.
pub(super) fn user_rows(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = raw_ro(path);
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'
             AND name NOT LIKE 'shipment_fts%' AND name NOT LIKE 'patent_fts%'
             AND name NOT IN ('patent_cet', 'assignee_patent') AND name NOT LIKE 'sqlite_%'
             ORDER BY name",
        )
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<rusqlite::Result<_>>()
        .expect("tables");
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::with_capacity(n);
                for i in 0..n {
                    cells.push(match r.get_ref(i)? {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => format!("{v:?}"),
                        ValueRef::Text(v) => format!("{:?}", String::from_utf8_lossy(v)),
                        ValueRef::Blob(v) => format!("{v:?}"),
                    });
                }
                Ok(cells.join("|"))
            })
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// The rows of an upgraded file, to compare with `before` (its rows before the upgrade): the
/// tables a later version added must be empty, and are left out when they are.
fn upgraded_rows(
    path: &Path,
    before: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, Vec<String>> {
    let mut after = user_rows(path);
    after.retain(|t, rows| before.contains_key(t) || !rows.is_empty());
    // v3 gives each HS row its bill's date (a copy, derived): it must be the shipment's, and
    // is left out so that the rows compare with the older file's.
    let cells = |rows: &[String]| rows.first().map(|r| r.split('|').count());
    if let (Some(old), Some(new)) = (before.get("shipment_hs"), after.get_mut("shipment_hs")) {
        if cells(old).is_some_and(|n| Some(n + 1) == cells(new)) {
            assert_eq!(
                count(
                    path,
                    "SELECT count(*) FROM shipment_hs h LEFT JOIN shipment s ON s.id = h.shipment_id
                     WHERE h.ship_date IS NOT s.ship_date"
                ),
                0,
                "every HS row carries its bill's date"
            );
            for row in new.iter_mut() {
                if let Some((kept, _date)) = row.rsplit_once('|') {
                    *row = kept.to_string();
                }
            }
        }
    }
    after
}

fn count(path: &Path, sql: &str) -> i64 {
    raw_ro(path).query_row(sql, [], |r| r.get(0)).expect(sql)
}

pub(super) fn cli(db: &Path, args: &[&str]) -> Output {
    cli_env(db, args, &[])
}

fn cli_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let dir = db.parent().expect("parent");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradescope"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_STATE_HOME", dir.join("xdg-state"))
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run tradescope")
}

pub(super) fn copy_fixture(fixture: &Path, dir: &Path) -> PathBuf {
    let dest = dir.join(fixture.file_name().expect("name"));
    std::fs::copy(fixture, &dest).expect("copy fixture");
    // A keyed audit log (v2 on) is verified with its key, kept next to the fixture as the
    // release kept it in its state dir (a test key made by build.sh, nothing secret).
    let key = fixture.with_extension("key");
    if key.exists() {
        let id: String = raw_ro(fixture)
            .query_row(
                "SELECT value FROM meta WHERE key = 'audit_db_id'",
                [],
                |r| r.get(0),
            )
            .expect("audit db id of a keyed fixture");
        let keys = dir.join("xdg-state/tradescope/audit/keys");
        std::fs::create_dir_all(&keys).expect("key dir");
        let dest_key = keys.join(format!("{id}.key"));
        std::fs::copy(&key, &dest_key).expect("copy key");
        // git checks files out 0644; the release kept its key private, and the program
        // refuses a key others can read.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dest_key, std::fs::Permissions::from_mode(0o600))
            .expect("chmod key");
    }
    dest
}

fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "bak"))
        .collect();
    v.sort();
    v
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The check CI runs: schema.sql is the newest released schema fixture, and the number of
/// versions matches the fixtures. Changing schema.sql without a new version, its migration
/// step and a `crates/store/schemas/vN.sql` fails here.
#[test]
fn schema_sql_is_the_newest_fixture_schema_and_every_version_has_fixtures() {
    let current =
        schema_of_sql(&std::fs::read_to_string(repo("crates/store/schema.sql")).expect("schema"));
    let newest = repo(&format!("crates/store/schemas/v{}.sql", db::SCHEMA_VERSION));
    let newest_sql = std::fs::read_to_string(&newest).unwrap_or_else(|_| {
        panic!(
            "{} is missing: keep each released schema as a fixture",
            newest.display()
        )
    });
    assert_eq!(
        current,
        schema_of_sql(&newest_sql),
        "schema.sql differs from {}: a schema change needs a new version (a migration step in \
         crates/store/src/migrate/) and its fixture crates/store/schemas/v{}.sql",
        newest.display(),
        db::SCHEMA_VERSION + 1
    );
    let next = repo(&format!(
        "crates/store/schemas/v{}.sql",
        db::SCHEMA_VERSION + 1
    ));
    assert!(
        !next.exists(),
        "{} exists but SCHEMA_VERSION is {}",
        next.display(),
        db::SCHEMA_VERSION
    );
    // Every older version has a schema fixture and a database an old release made.
    let versions: Vec<i64> = fixtures().iter().map(|f| user_version(f)).collect();
    for v in 1..db::SCHEMA_VERSION {
        let sqls: Vec<_> = std::fs::read_dir(repo("crates/store/schemas"))
            .expect("schemas")
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n == format!("v{v}.sql") || n.starts_with(&format!("v{v}-"))
            })
            .collect();
        assert!(!sqls.is_empty(), "no schema fixture of version {v}");
        assert!(versions.contains(&v), "no fixture database of version {v}");
    }
    // The fixtures are what their names say: each fixture database's schema is one of the
    // schema fixtures of its version.
    for f in fixtures() {
        let v = user_version(&f);
        let actual = schema_of(&raw_ro(&f));
        let known = std::fs::read_dir(repo("crates/store/schemas"))
            .expect("schemas")
            .filter_map(|e| e.ok())
            .filter(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n == format!("v{v}.sql") || n.starts_with(&format!("v{v}-"))
            })
            .any(|e| schema_of_sql(&std::fs::read_to_string(e.path()).expect("sql")) == actual);
        assert!(known, "{} matches no schema fixture of v{v}", f.display());
    }
}

/// The upgrade matrix: every fixture opens in this release after a backup, its schema is then
/// exactly a fresh database's, every user row survived, the audit chain verifies, the case
/// exports the same records, the confirmed link is still confirmed and description search
/// works on the rebuilt index.
#[test]
fn every_old_release_database_upgrades_to_the_fresh_schema_keeping_every_row() {
    let fresh = fresh_schema();
    let forms: Vec<String> = fixtures()
        .iter()
        .map(|f| {
            raw_ro(f)
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE name = 'shipment_fts'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .expect("fts sql")
        })
        .collect();
    assert!(
        forms.iter().any(|s| s.contains("content_rowid"))
            && forms.iter().any(|s| s.contains("content=''")),
        "both v1 forms of shipment_fts must be among the fixtures: {forms:?}"
    );
    for fixture in fixtures() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = copy_fixture(&fixture, dir.path());
        let before = user_rows(&path);
        assert!(before["audit_log"].len() >= 3, "{}", fixture.display());
        assert!(before["list_change"].len() >= 3);
        assert!(!before["case_item"].is_empty());
        let old_version = user_version(&path);
        assert!(old_version < db::SCHEMA_VERSION);

        // A read-only command upgrades it, saying so and where the backup is.
        let out = cli(&path, &["stats"]);
        let err = text(&out.stderr);
        assert!(out.status.success(), "{}: {err}", fixture.display());
        let backups = backups_in(dir.path());
        assert_eq!(backups.len(), 1, "{backups:?}");
        let backup = &backups[0];
        assert!(
            err.contains(&format!(
                "older schema (v{old_version}): upgrading to v{}",
                db::SCHEMA_VERSION
            )) && err.contains(&format!("backup at {}", backup.display())),
            "{err}"
        );
        let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert!(
            backup
                .to_string_lossy()
                .ends_with(&format!(".v{old_version}-{date}.bak")),
            "{}",
            backup.display()
        );
        // The backup is the old database, whole.
        assert_eq!(user_version(backup), old_version);
        assert_eq!(user_rows(backup), before);
        assert_eq!(schema_of(&raw_ro(backup)), schema_of(&raw_ro(&fixture)));

        // (a) the schema is a fresh database's, (b) every user row survived.
        assert_eq!(user_version(&path), db::SCHEMA_VERSION);
        assert_eq!(schema_of(&raw_ro(&path)), fresh, "{}", fixture.display());
        assert_eq!(
            upgraded_rows(&path, &before),
            before,
            "{}",
            fixture.display()
        );
        // The derived assignee_patent (v5) holds exactly one row per assignment, keyed by
        // the patent's date key.
        assert_eq!(
            count(&path, "SELECT count(*) FROM assignee_patent"),
            count(&path, "SELECT count(*) FROM patent_assignee"),
            "{}",
            fixture.display()
        );
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM patent_assignee pa JOIN patent p ON p.id = pa.patent_id
                 WHERE NOT EXISTS (SELECT 1 FROM assignee_patent ap
                   WHERE ap.assignee_id = pa.assignee_id AND ap.patent_key =
                     ((CASE WHEN p.publication_date IS NULL THEN 0
                       ELSE CAST(julianday(p.publication_date) AS INTEGER) END) << 32) | p.id)"
            ),
            0,
            "{}",
            fixture.display()
        );

        // The audit chain verifies.
        let out = cli(&path, &["audit", "verify"]);
        assert!(
            out.status.success(),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );

        // The confirmed link is still confirmed, and the workbench's view shows it.
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM link_party WHERE status = 'confirmed'"
            ),
            1
        );

        // `case export` gives the same records as the old release did.
        let old_export: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixture.with_extension("case.json")).expect("old export"),
        )
        .expect("old export json");
        let out = cli(
            &path,
            &["case", "export", "probe 2023-11", "--format", "json"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let new_export: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("export json");
        let records = |v: &serde_json::Value| -> Vec<(String, i64, String)> {
            v["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| {
                    (
                        i["kind"].as_str().unwrap_or("").to_string(),
                        i["record_id"].as_i64().unwrap_or(-1),
                        i["note"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        };
        assert_eq!(records(&new_export), records(&old_export));
        assert_eq!(records(&new_export).len(), 3);

        // Description search runs on the rebuilt index: every shipment whose description
        // holds the text, newest first.
        let conn = db::open_ro(&path).expect("open upgraded");
        let expected: Vec<i64> = conn
            .prepare(
                "SELECT id FROM shipment WHERE description LIKE '%nvr%'
                 ORDER BY ship_date DESC, id DESC",
            )
            .expect("q")
            .query_map([], |r| r.get(0))
            .expect("q")
            .collect::<rusqlite::Result<_>>()
            .expect("q");
        let got: Vec<i64> = conn
            .prepare(
                "SELECT rowid & 4294967295 FROM shipment_fts WHERE shipment_fts MATCH '\"nvr\"'
                 ORDER BY rowid DESC",
            )
            .expect("fts q")
            .query_map([], |r| r.get(0))
            .expect("fts q")
            .collect::<rusqlite::Result<_>>()
            .expect("fts q");
        assert!(!expected.is_empty());
        assert_eq!(got, expected, "{}", fixture.display());

        // Opening again neither upgrades nor backs up again.
        let out = cli(&path, &["stats"]);
        assert!(out.status.success());
        assert!(!text(&out.stderr).contains("upgrading"));
        assert_eq!(backups_in(dir.path()).len(), 1);
    }
}

/// A file whose version is old but whose objects are not tradescope's is refused, naming
/// them, before any backup or write; a newer release's file is refused saying so.
#[test]
fn foreign_objects_and_newer_versions_are_refused_with_what_they_are() {
    for fixture in fixtures() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = copy_fixture(&fixture, dir.path());
        {
            let c = Connection::open(&path).expect("raw");
            c.execute_batch(
                "CREATE TABLE loot (x); CREATE TRIGGER steal AFTER INSERT ON audit_log BEGIN
                 INSERT INTO loot VALUES (new.query); END;",
            )
            .expect("plant");
            c.execute_batch("PRAGMA journal_mode = DELETE")
                .expect("journal");
        }
        let bytes = std::fs::read(&path).expect("read");
        for args in [&["stats"][..], &["audit", "verify"][..]] {
            let out = cli(&path, args);
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(
                err.contains("`loot`") && err.contains("`steal`") && err.contains("not tradescope"),
                "{err}"
            );
            assert!(!err.contains("upgrading"), "{err}");
        }
        assert_eq!(std::fs::read(&path).expect("read"), bytes);
        assert!(backups_in(dir.path()).is_empty());
    }

    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("newer.db");
    drop(db::open_rw(&path).expect("db"));
    let newer = db::SCHEMA_VERSION + 1;
    Connection::open(&path)
        .expect("raw")
        .execute_batch(&format!("PRAGMA user_version = {newer}"))
        .expect("bump");
    let bytes = std::fs::read(&path).expect("read");
    let out = cli(&path, &["stats"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "made by a newer tradescope (schema v{newer}; this binary knows v{})",
            db::SCHEMA_VERSION
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
}

/// `tradescope backup [PATH]` writes a consistent copy: the same rows, a working database,
/// never over an existing file.
#[test]
fn backup_command_copies_a_database_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = copy_fixture(&fixtures()[0], dir.path());
    let dest = dir.path().join("copy.db");
    let out = cli(&path, &["backup", dest.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&dest.display().to_string()));
    assert_eq!(user_rows(&dest), user_rows(&path));
    assert_eq!(user_version(&dest), db::SCHEMA_VERSION);
    let out = cli(&dest, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Again to the same path: refused, the first copy untouched.
    let bytes = std::fs::read(&dest).expect("read");
    let out = cli(&path, &["backup", dest.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("exists already"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&dest).expect("read"), bytes);

    // Without a path: next to the database, named with the version and the date.
    let out = cli(&path, &["backup", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let written = PathBuf::from(v["backup"].as_str().expect("backup path"));
    let date = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(written
        .to_string_lossy()
        .ends_with(&format!(".v{}-{date}.bak", db::SCHEMA_VERSION)));
    assert_eq!(user_rows(&written), user_rows(&path));
    assert!(!dir.path().read_dir().expect("dir").any(|e| e
        .expect("e")
        .file_name()
        .to_string_lossy()
        .contains(".partial-")));
}

/// Version 3 as first released had monitored sets without a threshold: a set stored then (by
/// hand or a later build of the same version) keeps its parties and hits through the rebuild of
/// its table, gets the default threshold, and is listed by `watch list`.
#[test]
fn a_v3_monitored_set_survives_the_rebuild_of_its_table() {
    let v3 = repo("tests/fixtures/releases/24411e0.db");
    let dir = tempfile::tempdir().expect("tmp");
    let path = copy_fixture(&v3, dir.path());
    {
        let conn = Connection::open(&path).expect("open v3");
        conn.execute_batch(
            "INSERT INTO watch_set (id, name, path, sha256, created_at, created_by)
               VALUES (7, 'vendors', '/tmp/vendors.csv', 'ab', '2026-12-03T12:00:00Z', 'auditor');
             INSERT INTO watch_party (id, set_id, line, name, country)
               VALUES (70, 7, 2, 'Hangzhou Hikvision Digital Technology', 'CN'),
                      (71, 7, 3, 'Acme Supplies', 'US');
             INSERT INTO watch_hit (party_id, listing_key, entry_id, name, score)
               VALUES (70, 'csl:x', 1, 'HIKVISION', 0.97);",
        )
        .expect("v3 rows");
    }
    let out = cli(&path, &["stats"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(user_version(&path), db::SCHEMA_VERSION);
    assert_eq!(schema_of(&raw_ro(&path)), fresh_schema());
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM watch_set WHERE id = 7 AND name = 'vendors'
             AND threshold = 0.75 AND alert_count = 0 AND alert_at IS NULL
             AND created_by = 'auditor'"
        ),
        1
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM watch_party WHERE set_id = 7"),
        2
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM watch_hit WHERE party_id = 70"),
        1
    );
    let out = cli(&path, &["watch", "list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("vendors"),
        "{}",
        text(&out.stdout)
    );
}

/// A migration that fails leaves the file exactly as it was, and says what to do.
#[cfg(debug_assertions)]
#[test]
fn a_failed_upgrade_leaves_the_file_unchanged() {
    let pre = fixtures()
        .into_iter()
        .find(|f| {
            count(
                f,
                "SELECT count(*) FROM sqlite_master WHERE name = 'shipment_fts'
                 AND sql LIKE '%content_rowid%'",
            ) == 1
        })
        .expect("pre-cba897f fixture");
    let dir = tempfile::tempdir().expect("tmp");
    let path = copy_fixture(&pre, dir.path());
    let before = user_rows(&path);
    let schema = schema_of(&raw_ro(&path));
    let marker = dir.path().join("marker");
    let spec = format!("{}:fail", marker.display());
    let out = cli_env(
        &path,
        &["stats"],
        &[("TRADESCOPE_TEST_MIGRATION_PAUSE", &spec)],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("left unchanged at v1") && err.contains("Run the command again"),
        "{err}"
    );
    assert_eq!(user_version(&path), 1);
    assert_eq!(schema_of(&raw_ro(&path)), schema);
    assert_eq!(user_rows(&path), before);
    // And it upgrades when nothing fails.
    let out = cli(&path, &["stats"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(user_version(&path), db::SCHEMA_VERSION);
    assert_eq!(upgraded_rows(&path, &before), before);
}

/// kill -9 in the middle of a migration (the old index dropped, the new one half built; or
/// every step done but not committed): the file opens afterwards as the old version, whole,
/// and upgrades on that open — never a half-migrated file.
#[cfg(debug_assertions)]
#[test]
fn a_migration_killed_midway_leaves_the_old_or_the_new_database_never_half() {
    let pre = fixtures()
        .into_iter()
        .find(|f| {
            count(
                f,
                "SELECT count(*) FROM sqlite_master WHERE name = 'shipment_fts'
                 AND sql LIKE '%content_rowid%'",
            ) == 1
        })
        .expect("pre-cba897f fixture");
    let fresh = fresh_schema();
    for when in ["mid", "commit"] {
        let dir = tempfile::tempdir().expect("tmp");
        let path = copy_fixture(&pre, dir.path());
        let before = user_rows(&path);
        let old_schema = schema_of(&raw_ro(&path));
        let marker = dir.path().join("marker");
        let mut child = Command::new(env!("CARGO_BIN_EXE_tradescope"))
            .arg("--db")
            .arg(&path)
            .arg("stats")
            .env("XDG_DATA_HOME", dir.path().join("xdg"))
            .env(
                "TRADESCOPE_TEST_MIGRATION_PAUSE",
                format!("{}:{when}", marker.display()),
            )
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let start = Instant::now();
        while !marker.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the migration never reached {when}"
            );
            assert!(
                child.try_wait().expect("wait").is_none(),
                "child ended early"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().expect("kill -9");
        child.wait().expect("reap");
        // What is on disk (with whatever -wal the killed process left): the old database.
        let v = user_version(&path);
        let schema = schema_of(&raw_ro(&path));
        assert!(
            (v == 1 && schema == old_schema) || (v == db::SCHEMA_VERSION && schema == fresh),
            "{when}: half-migrated file: v{v}"
        );
        assert_eq!(v, 1, "{when}: the kill came before the commit");
        assert_eq!(user_rows(&path), before, "{when}");
        // Opening it now upgrades it, whole.
        let out = cli(&path, &["stats"]);
        assert!(out.status.success(), "{when}: {}", text(&out.stderr));
        assert_eq!(user_version(&path), db::SCHEMA_VERSION);
        assert_eq!(schema_of(&raw_ro(&path)), fresh);
        assert_eq!(upgraded_rows(&path, &before), before);
        let out = cli(&path, &["audit", "verify"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
}
