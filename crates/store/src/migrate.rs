//! Schema versioning by `PRAGMA user_version`, and upgrades of databases older releases made.
//!
//! A new database gets the whole of schema.sql (always the latest schema). An older database is
//! first recognised: its objects must be exactly those of a schema some release wrote for its
//! version ([`RELEASED`]; version 1 exists in two forms, before and after commit cba897f changed
//! `shipment_fts` without a version bump). A file that matches none is refused by the safety
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

/// The complete, current schema.
pub const SCHEMA_SQL: &str = include_str!("../schema.sql");

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
        sql: include_str!("../schemas/v1-pre-cba897f.sql"),
    },
    Released {
        version: 1,
        name: "v1",
        sql: include_str!("../schemas/v1.sql"),
    },
    Released {
        version: 2,
        name: "v2",
        sql: include_str!("../schemas/v2.sql"),
    },
];

/// One upgrade step: `STEPS[i]` takes a database from version `i + 1` to `i + 2`, inside the
/// caller's transaction, given the form (`RELEASED` entry) the file was recognised as.
type Step = fn(&Connection, &Released) -> Result<()>;

const STEPS: &[Step] = &[v1_to_v2, v2_to_v3];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = 1 + STEPS.len() as i64;

/// Version 2 is version 1 with `shipment_fts` in its contentless, date-keyed form (commit
/// cba897f). A database of the later v1 form already has it: nothing changes but the version.
/// One of the earlier form has an external-content index keyed by shipment id: it is dropped
/// and rebuilt from `shipment` (a derived structure; no user row is touched), in date-key order,
/// so the new index is written in order (no segment per backward step).
fn v1_to_v2(conn: &Connection, _form: &Released) -> Result<()> {
    let sql: Option<String> = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'shipment_fts'",
        [],
        |r| r.get(0),
    )?;
    let external = sql.as_deref().is_some_and(|s| s.contains("content_rowid"));
    if !external {
        return Ok(());
    }
    conn.execute_batch(
        "DROP TABLE shipment_fts;
         CREATE VIRTUAL TABLE shipment_fts USING fts5(
             description, content='', tokenize='trigram'
         );",
    )?;
    test_hooks::mid_migration()?;
    conn.execute(
        &format!(
            "INSERT INTO shipment_fts (rowid, description)
             SELECT {key} AS k, description FROM shipment WHERE description IS NOT NULL
             ORDER BY k",
            key = super::fts::key_sql("")
        ),
        [],
    )?;
    conn.execute(
        "INSERT INTO shipment_fts (shipment_fts) VALUES ('optimize')",
        [],
    )?;
    Ok(())
}

/// Version 3 adds screening decisions, monitored sets and link reviews (issue 17), the
/// shipment column table and port codes (issue 15), each HS row's bill date with its index
/// (issue 20: `hs:` matches any code of a bill), the patents' full-text index and CET table
/// (issue 16) and extra PatentsView assignee ids (issue 15). The HS table is rebuilt with the
/// date copied from its shipment; the patent index is derived from the rows; no other
/// existing row is touched.
fn v2_to_v3(conn: &Connection, _form: &Released) -> Result<()> {
    conn.execute_batch(V3_TABLES)?;
    conn.execute_batch(&format!(
        "ALTER TABLE shipment_hs RENAME TO shipment_hs_v2;
         {V3_SHIPMENT_HS}
         INSERT INTO shipment_hs (shipment_id, seq, hs_code, ship_date)
             SELECT h.shipment_id, h.seq, h.hs_code, s.ship_date
             FROM shipment_hs_v2 h LEFT JOIN shipment s ON s.id = h.shipment_id
             ORDER BY h.shipment_id, h.seq;
         DROP TABLE shipment_hs_v2;"
    ))?;
    crate::patents::index::rebuild(conn)?;
    Ok(())
}

/// The HS table of version 3, exactly as schema.sql has it.
const V3_SHIPMENT_HS: &str = r#"
CREATE TABLE shipment_hs (
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    hs_code     TEXT NOT NULL,
    ship_date   TEXT,
    PRIMARY KEY (shipment_id, seq)
) WITHOUT ROWID;
CREATE INDEX shipment_hs_code ON shipment_hs(hs_code, ship_date, shipment_id);
"#;

/// The tables version 3 adds, exactly as schema.sql has them.
const V3_TABLES: &str = r#"
-- Screening decisions (issue 17, v3): an analyst's verdict on a hit of a screened name against
-- a listing. Keyed by the normalized name and the listing key, so a decision survives list
-- versions. Never deleted: an undo sets `undone_at`/`undone_by` (both audited). `state` is the
-- listing as it was decided (aliases, addresses, programs as JSON), so a material change of the
-- listing re-opens a false positive; `score` is the score it was decided at.
CREATE TABLE decision (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,    -- the screened name as given
    name_norm    TEXT NOT NULL,    -- the matcher's normalized key of it
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL, -- the entry decided on (no FK: entries of old versions may go)
    verdict      TEXT NOT NULL CHECK (verdict IN ('match', 'false-positive', 'escalate')),
    reason       TEXT NOT NULL,
    score        REAL,             -- the hit's score when decided
    state        TEXT NOT NULL,    -- JSON {aliases, addresses, programs} of the listing then
    decided_at   TEXT NOT NULL,    -- UTC timestamp
    decided_by   TEXT NOT NULL,    -- OS account name
    undone_at    TEXT,
    undone_by    TEXT
);
CREATE INDEX decision_key ON decision(name_norm, listing_key);

-- Monitored sets (issue 17, v3): a vendor/party list re-screened when the lists change.
CREATE TABLE watch_set (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    path         TEXT NOT NULL,    -- the file it was read from
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    screened_at  TEXT,             -- the last (re)screen
    screened_versions TEXT,        -- JSON list versions of the last (re)screen
    threshold    REAL NOT NULL,    -- lowest score that counts as a hit
    alert_count  INTEGER NOT NULL DEFAULT 0, -- new potential matches the last list import found (0 after a rescreen)
    alert_at     TEXT              -- when that import's check ran
);
CREATE UNIQUE INDEX watch_set_name ON watch_set(name);

CREATE TABLE watch_party (
    id           INTEGER PRIMARY KEY,
    set_id       INTEGER NOT NULL REFERENCES watch_set(id) ON DELETE CASCADE,
    line         INTEGER NOT NULL, -- physical line in the file
    name         TEXT NOT NULL,
    country      TEXT,             -- ISO alpha-2
    dob          TEXT
);
CREATE INDEX watch_party_set ON watch_party(set_id);

-- The hits of a set's last (re)screen, one per party and listing: what the next rescreen is
-- compared with.
CREATE TABLE watch_hit (
    party_id     INTEGER NOT NULL REFERENCES watch_party(id) ON DELETE CASCADE,
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL,
    name         TEXT NOT NULL,    -- the listed name
    score        REAL NOT NULL,
    PRIMARY KEY (party_id, listing_key)
) WITHOUT ROWID;

-- Link reviews (issue 17, v3): who confirmed or rejected a link, when and why; the link row's
-- `status` holds the verdict, this the history (never deleted).
CREATE TABLE link_review (
    id           INTEGER PRIMARY KEY,
    listing_key  TEXT NOT NULL,
    target       TEXT NOT NULL CHECK (target IN ('party', 'assignee')),
    target_id    INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'auto')),
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    by_user      TEXT NOT NULL
);
CREATE INDEX link_review_target ON link_review(target, target_id);

-- Users' own shipment exports (issue 15, v3). Which column of a shipments CSV fills which
-- field: editable data, `tradescope columns export|import`; while empty, the bundled table
-- (data/reference/shipment_columns.tsv) is used. Row order is priority: of two columns that
-- fill one field, the one whose alias comes first is used.
CREATE TABLE shipment_column (
    id          INTEGER PRIMARY KEY,
    field       TEXT NOT NULL,     -- a field of the shipments format: date, shipper, weight_kg, …
    heading     TEXT NOT NULL,     -- the column name as written, e.g. ACTUAL_ARRIVAL_DATE
    heading_key TEXT NOT NULL,     -- lower-case, runs of other characters as one `_`
    layout      TEXT NOT NULL DEFAULT ''  -- '' = any file; else only a file of that layout
);
CREATE UNIQUE INDEX shipment_column_key ON shipment_column(layout, heading_key);

-- Port codes a shipments CSV gave with the port name (`53306, MUNDRA`: Schedule K 53306); the
-- name is in shipment.port_of_lading / port_of_unlading / place_of_receipt.
CREATE TABLE shipment_port_code (
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('lading', 'unlading', 'receipt')),
    code        TEXT NOT NULL,
    PRIMARY KEY (shipment_id, role)
) WITHOUT ROWID;

-- Full-text search over patents (issue 16, v3): titles, abstracts and the assignee names as
-- published, by word or word prefix (`neur*`), diacritics folded. Contentless and keyed like
-- shipment_fts by a date key, (day number of publication_date << 32) | patent id
-- (src/patents/index.rs), so newest-first is the index's own rowid order and a first page
-- stops after one page. A patent imported again has its row deleted and written anew.
CREATE VIRTUAL TABLE patent_fts USING fts5(
    title, abstract, assignees, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);

-- The CET areas of each patent (issue 16, v3): derived from its CPC codes and cet_cpc at
-- import, recomputed by `cet import`. Keyed by the patent's date key, so an area's patents
-- newest first are one index range.
CREATE TABLE patent_cet (
    area_code   TEXT NOT NULL,
    patent_key  INTEGER NOT NULL,  -- (day number of publication_date << 32) | patent id
    PRIMARY KEY (area_code, patent_key)
) WITHOUT ROWID;

-- Every PatentsView id an assignee was published under (issue 15 item 6, v3): the legacy
-- `org_…` ids and the current UUIDs of one organisation (same normalized name and type) are
-- one assignee, and each id still finds it.
CREATE TABLE assignee_pv_id (
    pv_id       TEXT PRIMARY KEY,
    assignee_id INTEGER NOT NULL REFERENCES assignee(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX assignee_pv_id_assignee ON assignee_pv_id(assignee_id);

-- How a list version's as-of date (`source.as_of`) was found (issue 15, v3): from the file's
-- own metadata (DPL Last_Update, an OFAC download name), given with --as-of, or derived from
-- the data (the newest start date: a lower bound) and then shown as derived.
CREATE TABLE source_as_of (
    source_id   INTEGER PRIMARY KEY REFERENCES source(id),
    basis       TEXT NOT NULL,     -- "Last_Update column", "given (--as-of)", "newest start date", …
    derived     INTEGER NOT NULL   -- 1: read off the data, not stated by the file or the user
);

-- Entries of a list version matched to an entry of the version it replaced (by the stable
-- listing key, or by list + name + addresses when the publisher's ids changed) but published
-- differently (issue 15, v3): the changed third of the added/removed/changed report.
CREATE TABLE list_edit (
    source_id    INTEGER NOT NULL REFERENCES source(id),
    replaced_id  INTEGER NOT NULL REFERENCES source(id),
    listing_key  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL, -- the entry in this version
    old_entry_id INTEGER NOT NULL, -- the same listing in the replaced version
    name         TEXT NOT NULL,
    list_code    TEXT NOT NULL,
    fields       TEXT NOT NULL     -- what changed, comma-separated: name, aliases, addresses, programs, dates, ids, notice
);
CREATE INDEX list_edit_source ON list_edit(source_id);
"#;

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
    let run = || -> Result<()> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        for step in STEPS.iter().skip((from - 1) as usize) {
            step(conn, form)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        test_hooks::before_commit()?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    };
    if let Err(e) = run() {
        let _ = conn.execute_batch("ROLLBACK");
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
