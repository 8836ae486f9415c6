//! Opening a database file (issue 21 item 8): nothing is written before the safety check,
//! only regular files are databases (no hang on a FIFO, no `/dev/null-journal`), a `-wal`
//! written for another copy of the database is refused instead of applied, a database on
//! read-only storage can be browsed, and a directory gets a clear message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tradescope::db;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::progress::NoProgress;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const CSL_V1: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";
const CSL_V2: &str = "tests/fixtures/releases/input/csl_2023-11-16.csv";

fn command(db: &Path, args: &[&str]) -> Command {
    let scratch = std::env::temp_dir().join(format!("ts-dbopen-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tradescope"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_STATE_HOME", scratch.join("state"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Run with a deadline: a hang is a failure, not a stuck test.
fn run(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tradescope");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("tradescope hung for 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn cli(db: &Path, args: &[&str]) -> Output {
    run(command(db, args))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn import_csl(conn: &mut Connection, file: &str, as_of: &str) {
    let opts = ImportOptions {
        as_of: Some(as_of.to_string()),
        ..ImportOptions::default()
    };
    import::import(
        conn,
        Format::Csl,
        &[Input::path(repo(file))],
        &opts,
        &NoProgress,
    )
    .expect("import");
}

fn current_entries(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM list_entry WHERE current = 1",
        [],
        |r| r.get(0),
    )
    .expect("count")
}

#[test]
fn issue21_item8_refused_import_writes_nothing_not_even_the_journal_mode() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("refused.db");
    drop(db::open_rw(&path).expect("db"));
    {
        let c = Connection::open(&path).expect("raw");
        c.execute_batch("PRAGMA journal_mode = DELETE; CREATE TABLE steal (x);")
            .expect("plant");
    }
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(bytes[18], 1, "rollback-journal header before the try");
    let out = cli(
        &path,
        &["import", "csl", repo(CSL_V1).to_str().expect("utf8")],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`steal`"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "byte-identical");
    assert!(!dir.path().join("refused.db-wal").exists());
    assert!(!dir.path().join("refused.db-journal").exists());
}

#[cfg(unix)]
#[test]
fn issue21_item8_db_symlink_to_dev_null_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let link = dir.path().join("null.db");
    std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
    let journal_before = Path::new("/dev/null-journal").exists();
    for args in [
        &["stats"][..],
        &["import", "csl", repo(CSL_V1).to_str().expect("utf8")][..],
        &["init"][..],
    ] {
        let out = cli(&link, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("character device") && err.contains("regular file"),
            "{err}"
        );
    }
    assert_eq!(Path::new("/dev/null-journal").exists(), journal_before);
    assert!(!Path::new("/dev/null-wal").exists());
}

#[cfg(unix)]
#[test]
fn issue21_item8_db_on_a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe.db");
    let c = std::ffi::CString::new(fifo.to_str().expect("utf8")).expect("cstr");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    for args in [&["stats"][..], &["search", "huawei"][..], &["init"][..]] {
        let out = cli(&fifo, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("FIFO"), "{err}");
    }
}

#[test]
fn issue21_item8_directory_as_db_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    for args in [
        &["stats"][..],
        &["import", "csl", repo(CSL_V1).to_str().expect("utf8")][..],
    ] {
        let out = cli(dir.path(), args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("is a directory"), "{err}");
        assert!(!err.contains("disk I/O"), "{err}");
    }
}

/// Copy A imports a list update and keeps its `-wal` (its process still running or killed);
/// that `-wal` ends up next to copy B. Applied, it would swap B's pages for A's: refused.
/// The same `-wal` next to its own file is applied as usual.
#[test]
fn issue21_item8_stale_wal_from_another_copy_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    {
        let mut conn = db::open_rw(&a).expect("a");
        import_csl(&mut conn, CSL_V1, "2023-11-01");
    }
    std::fs::copy(&a, &b).expect("copy a to b");
    let b_bytes = std::fs::read(&b).expect("read b");
    let entries_b = current_entries(&db::open_ro(&b).expect("b"));

    let mut conn = db::open_rw(&a).expect("a");
    conn.pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    import_csl(&mut conn, CSL_V2, "2023-11-16");
    let wal = std::fs::read(dir.path().join("a.db-wal")).expect("a's wal");
    assert!(wal.len() > 32);
    std::fs::write(dir.path().join("b.db-wal"), &wal).expect("plant wal");

    for args in [&["stats"][..], &["search", "dahua"][..]] {
        let out = cli(&b, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("written for another copy"), "{err}");
        assert!(
            err.contains("b.db-wal") && err.contains("Move that"),
            "{err}"
        );
    }
    // Nothing of it got into B.
    assert_eq!(std::fs::read(&b).expect("read b"), b_bytes);
    std::fs::remove_file(dir.path().join("b.db-wal")).expect("move wal aside");
    let _ = std::fs::remove_file(dir.path().join("b.db-shm"));
    assert_eq!(current_entries(&db::open_ro(&b).expect("b")), entries_b);

    // A's own -wal (its writer still has it open) is A's: it opens, with the update.
    let out = cli(&a, &["stats", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let sources = v["sources"].as_array().expect("sources");
    assert!(
        sources
            .iter()
            .any(|s| s["as_of"] == "2023-11-16" && s["current"] == true),
        "{v}"
    );
    drop(conn);
}

/// A database on read-only storage is browsed: opened immutable (no `-shm`, no lock, no
/// journal switch), nothing written. As root (who may write any file) the commands run as
/// `nobody`, for whom the file and its directory are read-only.
#[cfg(unix)]
#[test]
fn issue21_item8_read_only_database_can_be_browsed() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().expect("tmp");
    let ro_dir = dir.path().join("media");
    std::fs::create_dir(&ro_dir).expect("dir");
    let path = ro_dir.join("ro.db");
    {
        let mut conn = db::open_rw(&path).expect("db");
        import_csl(&mut conn, CSL_V1, "2023-11-01");
    }
    assert_eq!(
        std::fs::read(&path).expect("read")[18],
        2,
        "a WAL-mode file"
    );
    let entry: i64 = db::open_ro(&path)
        .expect("ro")
        .query_row("SELECT min(id) FROM list_entry", [], |r| r.get(0))
        .expect("entry");
    // The test's own read-only connection leaves SQLite's empty -wal/-shm behind: away with
    // them, as on media that was written elsewhere and mounted read-only.
    for side in ["ro.db-wal", "ro.db-shm"] {
        let _ = std::fs::remove_file(ro_dir.join(side));
    }
    let bytes = std::fs::read(&path).expect("read");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    std::fs::set_permissions(&ro_dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let browse = |args: &[&str]| {
        let mut cmd = command(&path, args);
        if root {
            cmd.uid(65534)
                .gid(65534)
                .env("XDG_DATA_HOME", "/nonexistent");
        }
        run(cmd)
    };
    let id = entry.to_string();
    for args in [&["stats"][..], &["show", "entity", id.as_str()][..]] {
        let out = browse(args);
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(!text(&out.stdout).is_empty());
    }
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
    let names: Vec<String> = std::fs::read_dir(&ro_dir)
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["ro.db".to_string()], "no -shm, -wal or journal");
    std::fs::set_permissions(&ro_dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}
