//! Schema versioning by `PRAGMA user_version`, and upgrades of databases older releases made.
//!
//! A new database gets the whole of schema.sql (always the latest schema). An older database is
//! first recognised: its objects must be exactly those of a schema some release wrote for its
//! version ([`RELEASED`]; version 1 exists in two forms, before and after commit cba897f changed
//! `shipment_fts` without a version bump, and version 3 in five, as builds after its release
//! added tables without a bump; `steps::v3_to_v4` completes any of them). A file that matches none is refused by the safety
//! check's rules, naming the objects that are not tradescope's. A recognised file is backed up
//! next to itself (`VACUUM INTO`, a consistent copy named with the old version and the date),
//! then every step in [`STEPS`] after its version runs in ONE transaction with the version bump:
//! a failure or a crash leaves the file at its old version, unchanged.
//!
//! Changing schema.sql means: bump the version by adding a step here, and keep the new schema
//! as `crates/store/schemas/vN.sql` (tests/migrations.rs fails otherwise).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::safety::{self, Reference};
use crate::error::{Error, Result};

mod steps;

/// The complete, current schema.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// A schema a release of tradescope wrote, recognised when an old database is opened.
pub struct Released {
    /// Its `PRAGMA user_version`.
    pub version: i64,
    /// How messages name it.
    pub name: &'static str,
    /// The whole schema, as that release's schema.sql had it.
    pub sql: &'static str,
}

/// Every schema older releases wrote, oldest first. The current one is [`SCHEMA_SQL`].
pub const RELEASED: &[Released] = &[
    Released {
        version: 1,
        name: "v1 as written before commit cba897f (shipment_fts with external content)",
        sql: include_str!("../../schemas/v1-pre-cba897f.sql"),
    },
    Released {
        version: 1,
        name: "v1",
        sql: include_str!("../../schemas/v1.sql"),
    },
    Released {
        version: 2,
        name: "v2",
        sql: include_str!("../../schemas/v2.sql"),
    },
    // Version 3 was extended in place by the builds after its release (commit 24411e0): a
    // file says v3 in any of these forms, oldest first; v3_to_v4 completes each.
    Released {
        version: 3,
        name: "v3 as released in commit 24411e0",
        sql: include_str!("../../schemas/v3-24411e0.sql"),
    },
    Released {
        version: 3,
        name: "v3 with HS dates (commit 38f3a4a)",
        sql: include_str!("../../schemas/v3-38f3a4a.sql"),
    },
    Released {
        version: 3,
        name: "v3 with the patents' index (commit 6f82c65)",
        sql: include_str!("../../schemas/v3-6f82c65.sql"),
    },
    Released {
        version: 3,
        name: "v3 with list edits (commit 74c327d)",
        sql: include_str!("../../schemas/v3-74c327d.sql"),
    },
    Released {
        version: 3,
        name: "v3 as of commit 261a4a5",
        sql: include_str!("../../schemas/v3.sql"),
    },
    Released {
        version: 4,
        name: "v4",
        sql: include_str!("../../schemas/v4.sql"),
    },
];

/// One upgrade step: `STEPS[i]` takes a database from version `i + 1` to `i + 2`, inside the
/// caller's transaction, given the form (`RELEASED` entry) the file was recognised as.
type Step = fn(&Connection, &Released) -> Result<()>;

const STEPS: &[Step] = &[
    steps::v1_to_v2,
    steps::v2_to_v3,
    steps::v3_to_v4,
    steps::v4_to_v5,
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 1 + STEPS.len() as i64;

pub(super) fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// What opening a file for use has to do.
pub(super) enum Plan {
    /// An empty file: create the whole schema.
    Create,
    /// At the current version (its objects are checked by `safety::check_schema`).
    Current,
    /// An older tradescope database, recognised as `form`.
    Upgrade { from: i64, form: &'static Released },
}

/// Decide, reading only, what the file needs. Refuses files from newer releases, SQLite files
/// that are not tradescope's, and old-version files whose objects match no released schema.
pub(super) fn plan(conn: &Connection, path: &Path) -> Result<Plan> {
    let v = version(conn)?;
    if v > SCHEMA_VERSION {
        return Err(newer(path, v));
    }
    if v == SCHEMA_VERSION {
        return Ok(Plan::Current);
    }
    if v == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: "this SQLite file is not a tradescope database (it has tables but no \
                          tradescope schema version); choose another path with --db"
                    .into(),
            });
        }
        return Ok(Plan::Create);
    }
    if v < 0 {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "schema version {v} is not one tradescope ever wrote; choose another file with --db"
            ),
        });
    }
    let actual = safety::read_schema(conn).map_err(|e| safety::with_path(path, e))?;
    let mut closest: Option<(&'static Released, safety::Mismatch)> = None;
    for form in RELEASED.iter().filter(|f| f.version == v) {
        let reference = Reference::from_sql(form.sql)?;
        let m = safety::compare(&actual, &reference);
        if m.is_empty() {
            return Ok(Plan::Upgrade { from: v, form });
        }
        if closest.as_ref().is_none_or(|(_, c)| m.size() < c.size()) {
            closest = Some((form, m));
        }
    }
    match closest {
        Some((form, m)) => Err(m.refusal(path, &format!("schema {}", form.name))),
        None => Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "schema version {v} is not one a tradescope release wrote (this binary knows \
                 v{SCHEMA_VERSION}); choose another file with --db"
            ),
        }),
    }
}

/// Create the whole schema in an empty file.
pub(super) fn create(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {SCHEMA_SQL}; PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))?;
    Ok(())
}

/// Upgrade a recognised old database: back it up next to itself, then run every step in one
/// transaction. Returns the backup's path. On failure the file is as it was.
pub(super) fn upgrade(
    conn: &Connection,
    path: &Path,
    from: i64,
    form: &'static Released,
) -> Result<PathBuf> {
    let backup = super::backup::backup_next_to(conn, path, from).map_err(|e| Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "this database has tradescope schema v{from} and needs upgrading to v{SCHEMA_VERSION}, \
             but the backup made first could not be written ({e}); nothing was changed. Free \
             some space next to the database (it needs about its own size) or make its \
             directory writable, then run the command again"
        ),
    })?;
    super::notice(&format!(
        "{}: older schema (v{from}): upgrading to v{SCHEMA_VERSION} (backup at {})",
        path.display(),
        backup.display()
    ));
    // Steps rebuild tables that others reference: enforcement is off while they run (it can
    // only be switched outside a transaction), and every reference is checked before the
    // commit instead.
    let run = || -> Result<()> {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        for step in STEPS.iter().skip((from - 1) as usize) {
            step(conn, form)?;
        }
        let dangling: i64 =
            conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(Error::User(format!(
                "{dangling} rows would reference rows that do not exist"
            )));
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        test_hooks::before_commit()?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    };
    let outcome = run();
    if outcome.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if let Err(e) = outcome {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "upgrading from schema v{from} to v{SCHEMA_VERSION} failed ({e}); the database \
                 was left unchanged at v{from} (a backup is at {}). Run the command again; if \
                 it fails the same way, keep both files and report it",
                backup.display()
            ),
        });
    }
    Ok(backup)
}

/// The error for a file whose version is older than this program's, where it cannot be
/// upgraded (read-only file or file system).
pub(super) fn older_read_only(path: &Path, from: i64) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "this database has tradescope schema v{from}, older than this binary's \
             v{SCHEMA_VERSION}, and it cannot be upgraded where it is (the file or its \
             directory is read-only). Copy it to a writable place and open the copy with any \
             command, e.g. `tradescope stats --db COPY`: it is backed up and upgraded then"
        ),
    }
}

fn newer(path: &Path, v: i64) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!(
            "made by a newer tradescope (schema v{v}; this binary knows v{SCHEMA_VERSION}); \
             upgrade tradescope to open it"
        ),
    }
}

/// Pauses the end-to-end crash test uses to kill a migration half-way, and a failure it
/// injects. Compiled only into debug builds: a release binary has no way to reach them.
mod test_hooks {
    #[cfg(debug_assertions)]
    use crate::error::Error;
    use crate::error::Result;

    /// `TRADESCOPE_TEST_MIGRATION_PAUSE=FILE:mid|commit|fail`: `mid` (the old index dropped,
    /// the new one not filled) and `commit` (every step done, not committed) create FILE and
    /// sleep until killed; `fail` makes the step fail at `mid`.
    #[cfg(debug_assertions)]
    fn pause(at: &str) -> Result<()> {
        let Ok(spec) = std::env::var("TRADESCOPE_TEST_MIGRATION_PAUSE") else {
            return Ok(());
        };
        let Some((file, when)) = spec.rsplit_once(':') else {
            return Ok(());
        };
        if when == "fail" && at == "mid" {
            return Err(Error::Io(std::io::Error::other(
                "failure injected by TRADESCOPE_TEST_MIGRATION_PAUSE",
            )));
        }
        if when == at {
            let _ = std::fs::write(file, at);
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        }
        Ok(())
    }

    #[cfg(not(debug_assertions))]
    fn pause(_at: &str) -> Result<()> {
        Ok(())
    }

    pub(super) fn mid_migration() -> Result<()> {
        pause("mid")
    }

    pub(super) fn before_commit() -> Result<()> {
        pause("commit")
    }
}
