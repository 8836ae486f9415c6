//! The audit log: every search, screening and export appended with the list versions it ran
//! against, in a keyed chain that an editor of the database file cannot rewrite unseen.
//!
//! Each row's `hash` is HMAC-SHA256, under a key kept outside the database ([`keys`]), of the
//! previous row's `hash` and the row's canonical content (with the database id); `prev_hash`
//! holds the previous row's `hash`. The head of the chain is anchored outside the database too
//! ([`anchor`]), so a deleted tail or a log rebuilt from scratch shows. Rows written before the
//! keyed chain (older releases) keep their plain SHA-256 chain and still verify, as unkeyed.
//! Keying metadata lives in `meta`: `audit_db_id` (random; names the key file),
//! `audit_scheme` and `audit_keyed_from` (the first keyed row's id).

pub mod anchor;
pub mod keys;
pub mod spool;
mod verify;

use hmac::{Hmac, Mac};
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

pub use anchor::Anchor;
pub use verify::{verify, verify_with, Verification};

use crate::args;
use crate::error::{Error, Result};
use crate::import::input::hex;
use crate::now_utc;
use crate::sql::{Row, Sql};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the caller records; time, user, list versions and the chain are added here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewRecord {
    /// When it happened, if not now (a record the workbench had to hold back while the
    /// database was busy keeps its time).
    #[serde(default)]
    pub at: Option<String>,
    pub action: String,
    pub query: Option<String>,
    pub normalized_query: Option<String>,
    pub matcher_version: Option<String>,
    pub threshold: Option<f64>,
    pub results: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub query: Option<String>,
    pub normalized_query: Option<String>,
    pub list_versions: String,
    pub matcher_version: Option<String>,
    pub threshold: Option<f64>,
    pub results: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The keyed scheme, as recorded in `meta` and covered by every MAC.
pub const SCHEME: &str = "hmac-sha256/v1";

const META_DB_ID: &str = "audit_db_id";
const META_SCHEME: &str = "audit_scheme";
const META_KEYED_FROM: &str = "audit_keyed_from";

type HmacSha256 = Hmac<Sha256>;

impl Record {
    /// The canonical content the legacy hash covers: every column but `hash`, in a fixed order.
    fn canonical(&self) -> String {
        json!([
            self.id,
            self.at,
            self.user,
            self.action,
            self.query,
            self.normalized_query,
            self.list_versions,
            self.matcher_version,
            self.threshold,
            self.results,
            self.prev_hash
        ])
        .to_string()
    }

    /// The unkeyed SHA-256 of rows written by releases before the keyed chain.
    fn legacy_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(self.canonical().as_bytes());
        hex(&h.finalize())
    }

    /// HMAC-SHA256 under `key` of the scheme, the database id and the canonical content
    /// (which holds the row id and `prev_hash`): a row cannot be forged, edited, renumbered
    /// or moved to another database without the key.
    fn mac(&self, key: &[u8], db_id: &str) -> String {
        // HMAC takes a key of any length.
        let mut m = <HmacSha256 as Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        m.update(json!([SCHEME, db_id]).to_string().as_bytes());
        m.update(b"\n");
        m.update(self.canonical().as_bytes());
        hex(&m.finalize().into_bytes())
    }
}

/// The keying facts of a database, from `meta`.
#[derive(Debug, Clone, Default)]
struct Keying {
    db_id: Option<String>,
    scheme: Option<String>,
    keyed_from: Option<String>,
}

impl Keying {
    fn read(conn: &dyn Sql) -> Result<Keying> {
        let get = |k: &str| -> Result<Option<String>> {
            conn.opt("SELECT value FROM meta WHERE key = ?1", args![k], |r| {
                r.get(0)
            })
        };
        Ok(Keying {
            db_id: get(META_DB_ID)?,
            scheme: get(META_SCHEME)?,
            keyed_from: get(META_KEYED_FROM)?,
        })
    }
}

fn set_meta(tx: &dyn Sql, key: &str, value: &str) -> Result<()> {
    tx.exec(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        args![key, value],
    )?;
    Ok(())
}

/// The head of the log as the database has it now, as an anchor (printed in exports).
pub fn head_anchor(conn: &dyn Sql) -> Result<Anchor> {
    let k = Keying::read(conn)?;
    let last: Option<(i64, String)> = conn.opt(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (rows, head) = last.unwrap_or((0, GENESIS.to_string()));
    Ok(Anchor {
        db_id: k.db_id.unwrap_or_else(|| anchor::NO_ID.to_string()),
        rows,
        head,
    })
}

/// The file behind a connection (None in memory).
fn file_of(conn: &dyn Sql) -> Option<std::path::PathBuf> {
    conn.file()
}

/// The audit record of an export (CLI or workbench): what was exported where, with the size
/// and SHA-256 of the exported text added to `results`.
pub fn export_record(
    what: &str,
    dest: &str,
    text: &str,
    mut results: serde_json::Value,
) -> NewRecord {
    if let Some(obj) = results.as_object_mut() {
        obj.insert("destination".into(), dest.into());
        obj.insert("bytes".into(), text.len().into());
        obj.insert(
            "sha256".into(),
            hex(&Sha256::digest(text.as_bytes())).into(),
        );
    }
    NewRecord {
        action: "export".into(),
        query: Some(format!("{what} to {dest}")),
        results,
        ..Default::default()
    }
}

/// The login name of the OS account running the program (not `$USER`).
pub use keys::current_user;

/// The current list versions, as recorded with every audit row.
pub fn list_versions(conn: &dyn Sql) -> Result<serde_json::Value> {
    let rows = conn.map(
        "SELECT dataset, id, sha256, as_of FROM source
         WHERE current = 1 AND dataset IN ('csl', 'ofac_sdn', 'ofac_cons', 'dpl') ORDER BY id",
        &[],
        |r| {
            Ok(json!({
                "dataset": r.get::<String>(0)?,
                "source_id": r.get::<i64>(1)?,
                "sha256": r.get::<String>(2)?,
                "as_of": r.get::<Option<String>>(3)?,
            }))
        },
    )?;
    Ok(serde_json::Value::Array(rows))
}

/// Append a record (in its own transaction) and return it.
pub fn append(conn: &mut Connection, rec: &NewRecord) -> Result<Record> {
    let mut rows = append_all(conn, std::slice::from_ref(rec))?;
    rows.pop()
        .ok_or_else(|| Error::User("the audit record was not written".into()))
}

/// Append records in order, in one transaction: all are written or none. The anchor on file
/// is moved to the new head before the commit (and put back if the commit fails).
pub fn append_all(conn: &mut Connection, recs: &[NewRecord]) -> Result<Vec<Record>> {
    append_with(conn, |_| Ok((recs.to_vec(), ()))).map(|(rows, ())| rows)
}

/// Run `write` and append the records it returns, in ONE transaction: a user's change (a
/// decision, a link review) is stored with its audit record or not at all.
pub fn append_with<T>(
    conn: &mut Connection,
    write: impl FnOnce(&Transaction) -> Result<(Vec<NewRecord>, T)>,
) -> Result<(Vec<Record>, T)> {
    let file = file_of(&*conn);
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let (recs, value) = write(&tx)?;
    let (out, head) = chain(&tx, &recs, file.as_deref())?;
    match (&file, head) {
        (
            Some(f),
            Some(Chained {
                head,
                continues,
                on_file,
            }),
        ) => {
            anchor::store(f, &head, continues)?;
            if let Err(e) = tx.commit() {
                // Put the anchor back: the log did not move.
                if let Some(old) = &on_file {
                    let _ = anchor::store(f, old, true);
                }
                return Err(e.into());
            }
        }
        _ => tx.commit()?,
    }
    Ok((out, value))
}

/// Where the chain stands after [`chain`]: the new head, whether the log still held the
/// anchor on file, and that anchor.
pub struct Chained {
    head: Anchor,
    continues: bool,
    on_file: Option<Anchor>,
}

/// Append `recs` to the log inside the caller's transaction (either engine; nothing is
/// committed here): key the database on its first keyed append, chain and MAC each row.
/// With a database `file`, also what its anchor must become once the caller commits.
pub fn chain(
    tx: &dyn Sql,
    recs: &[NewRecord],
    file: Option<&std::path::Path>,
) -> Result<(Vec<Record>, Option<Chained>)> {
    let k = Keying::read(tx)?;
    let (db_id, key) = match (&k.db_id, &k.keyed_from) {
        (Some(id), Some(_)) => {
            let key = keys::load_key(id)?.ok_or_else(|| {
                Error::User(format!(
                    "the audit key of this database (id {id}) is not in {}: the keyed audit log \
                     cannot be extended without it (a database copied from another account or \
                     machine needs its key file copied too)",
                    keys::key_path(id)
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                ))
            })?;
            (id.clone(), key)
        }
        (Some(id), None) => (id.clone(), keys::load_or_create_key(id)?),
        (None, _) => {
            let id = keys::random_hex(16)?;
            set_meta(tx, META_DB_ID, &id)?;
            let key = keys::load_or_create_key(&id)?;
            (id, key)
        }
    };
    if k.scheme.as_deref() != Some(SCHEME) {
        set_meta(tx, META_SCHEME, SCHEME)?;
    }
    let prev: Option<(i64, String)> = tx.opt(
        "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (mut prev_id, mut prev_hash) = prev.unwrap_or((0, GENESIS.to_string()));
    if k.keyed_from.is_none() {
        set_meta(tx, META_KEYED_FROM, &(prev_id + 1).to_string())?;
    }
    // Does the log still hold the anchor on file? If not, the old anchor is kept as evidence.
    let on_file = match file {
        Some(f) => anchor::load(f)?,
        None => None,
    };
    let continues = match &on_file {
        None => true,
        Some(a) => a.db_id == db_id && holds(tx, a)?,
    };
    let versions = list_versions(tx)?.to_string();
    let mut out = Vec::with_capacity(recs.len());
    for rec in recs {
        let mut row = Record {
            id: prev_id + 1,
            at: rec.at.clone().unwrap_or_else(now_utc),
            user: current_user(),
            action: rec.action.clone(),
            query: rec.query.clone(),
            normalized_query: rec.normalized_query.clone(),
            list_versions: versions.clone(),
            matcher_version: rec.matcher_version.clone(),
            threshold: rec.threshold,
            results: rec.results.to_string(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = row.mac(&key, &db_id);
        insert(tx, &row)?;
        prev_id = row.id;
        prev_hash = row.hash.clone();
        out.push(row);
    }
    let chained = file.map(|_| Chained {
        head: Anchor {
            db_id: db_id.clone(),
            rows: prev_id,
            head: prev_hash.clone(),
        },
        continues,
        on_file,
    });
    Ok((out, chained))
}

/// Whether the log holds row `a.rows` with MAC `a.head` (an empty anchor always holds).
fn holds(conn: &dyn Sql, a: &Anchor) -> Result<bool> {
    if a.rows == 0 {
        return Ok(true);
    }
    let h: Option<String> = conn.opt(
        "SELECT hash FROM audit_log WHERE id = ?1",
        args![a.rows],
        |r| r.get(0),
    )?;
    Ok(h.as_deref() == Some(a.head.as_str()))
}

fn insert(tx: &dyn Sql, row: &Record) -> Result<()> {
    tx.exec(
        &format!("INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        args![
            row.id,
            &row.at,
            &row.user,
            &row.action,
            row.query.as_deref(),
            row.normalized_query.as_deref(),
            &row.list_versions,
            row.matcher_version.as_deref(),
            row.threshold,
            &row.results,
            &row.prev_hash,
            &row.hash
        ],
    )?;
    Ok(())
}

fn record(r: &Row) -> Result<Record> {
    Ok(Record {
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
}

// `user` is quoted: a reserved word on PostgreSQL (SQLite reads the quoted name alike).
const COLUMNS: &str = "id, at, \"user\", action, query, normalized_query, list_versions,
    matcher_version, threshold, results, prev_hash, hash";

/// Records, newest first, at most `limit`.
pub fn recent(conn: &dyn Sql, limit: usize) -> Result<Vec<Record>> {
    conn.map(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?1"),
        args![limit],
        record,
    )
}

/// Every record in order, for export.
pub fn all(conn: &dyn Sql) -> Result<Vec<Record>> {
    conn.map(
        &format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"),
        &[],
        record,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::open_rw(&dir.path().join("a.db")).unwrap();
        (dir, conn)
    }

    fn rec(q: &str) -> NewRecord {
        NewRecord {
            action: "search".into(),
            query: Some(q.into()),
            results: json!([{"id": 1, "score": 0.9}]),
            ..Default::default()
        }
    }

    #[test]
    fn chain_verifies_and_detects_an_edited_row() {
        let (_d, mut conn) = db();
        for q in ["hikvision", "dahua", "huawei"] {
            append(&mut conn, &rec(q)).unwrap();
        }
        let v = verify(&conn).unwrap();
        assert!(v.ok);
        assert_eq!(v.rows, 3);
        conn.execute(
            "UPDATE audit_log SET query = 'nothing to see' WHERE id = 2",
            [],
        )
        .unwrap();
        let v = verify(&conn).unwrap();
        assert!(!v.ok);
        assert_eq!(v.problem.as_ref().map(|p| p.0), Some(2));
    }

    #[test]
    fn a_deleted_row_is_detected() {
        let (_d, mut conn) = db();
        for q in ["a", "b", "c"] {
            append(&mut conn, &rec(q)).unwrap();
        }
        conn.execute("DELETE FROM audit_log WHERE id = 2", [])
            .unwrap();
        let v = verify(&conn).unwrap();
        assert_eq!(v.problem.map(|p| p.0), Some(3));
    }
}
