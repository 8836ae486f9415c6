//! The audit log: every search, screening and export appended with the list versions it ran
//! against, hash-chained so that an edited or deleted row is detected by `verify`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::import::input::hex;
use crate::now_utc;
use crate::error::Result;

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the caller records; time, user, list versions and the chain are added here.
#[derive(Debug, Clone, Default)]
pub struct NewRecord {
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

impl Record {
    /// The canonical content the hash covers: every column but `hash`, in a fixed order.
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

    fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(self.canonical().as_bytes());
        hex(&h.finalize())
    }
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

/// The login name of whoever runs the program.
pub fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| {
            #[cfg(unix)]
            {
                // SAFETY: getuid has no preconditions and cannot fail.
                format!("uid:{}", unsafe { libc::getuid() })
            }
            #[cfg(not(unix))]
            {
                "unknown".into()
            }
        })
}

/// The current list versions, as recorded with every audit row.
pub fn list_versions(conn: &Connection) -> Result<serde_json::Value> {
    let mut stmt = conn.prepare_cached(
        "SELECT dataset, id, sha256, as_of FROM source
         WHERE current = 1 AND dataset IN ('csl', 'ofac_sdn', 'ofac_cons', 'dpl') ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(json!({
            "dataset": r.get::<_, String>(0)?,
            "source_id": r.get::<_, i64>(1)?,
            "sha256": r.get::<_, String>(2)?,
            "as_of": r.get::<_, Option<String>>(3)?,
        }))
    })?;
    Ok(serde_json::Value::Array(
        rows.collect::<rusqlite::Result<_>>()?,
    ))
}

/// Append a record (in its own transaction) and return it.
pub fn append(conn: &mut Connection, rec: &NewRecord) -> Result<Record> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let prev: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_id, prev_hash) = prev.unwrap_or((0, GENESIS.to_string()));
    let mut row = Record {
        id: prev_id + 1,
        at: now_utc(),
        user: current_user(),
        action: rec.action.clone(),
        query: rec.query.clone(),
        normalized_query: rec.normalized_query.clone(),
        list_versions: list_versions(&tx)?.to_string(),
        matcher_version: rec.matcher_version.clone(),
        threshold: rec.threshold,
        results: rec.results.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.compute_hash();
    tx.execute(
        "INSERT INTO audit_log (id, at, user, action, query, normalized_query, list_versions,
           matcher_version, threshold, results, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            row.id,
            row.at,
            row.user,
            row.action,
            row.query,
            row.normalized_query,
            row.list_versions,
            row.matcher_version,
            row.threshold,
            row.results,
            row.prev_hash,
            row.hash
        ],
    )?;
    tx.commit()?;
    Ok(row)
}

fn record(r: &Row) -> rusqlite::Result<Record> {
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

const COLUMNS: &str = "id, at, user, action, query, normalized_query, list_versions,
    matcher_version, threshold, results, prev_hash, hash";

/// Records, newest first, at most `limit`.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Record>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit as i64], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every record in order, for export.
pub fn all(conn: &Connection) -> Result<Vec<Record>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let rows = stmt.query_map([], record)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verification {
    pub rows: u64,
    pub ok: bool,
    /// The hash of the newest row: record it elsewhere to detect truncation later.
    pub head: String,
    /// The first problem found, if any: row id and what is wrong.
    pub problem: Option<(i64, String)>,
}

/// Walk the chain from the first row and report the first row that does not verify.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let rec = record(r)?;
        n += 1;
        let problem = if rec.id != expected_id {
            Some(format!(
                "row {expected_id} is missing (next row is {})",
                rec.id
            ))
        } else if rec.prev_hash != prev {
            Some("its prev_hash does not match the previous row's hash".into())
        } else if rec.compute_hash() != rec.hash {
            Some("its content does not match its hash (edited after it was written)".into())
        } else {
            None
        };
        if let Some(p) = problem {
            return Ok(Verification {
                rows: n,
                ok: false,
                head: rec.hash,
                problem: Some((rec.id, p)),
            });
        }
        prev = rec.hash;
        expected_id += 1;
    }
    Ok(Verification {
        rows: n,
        ok: true,
        head: prev,
        problem: None,
    })
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
