//! `audit verify`: walk the chain from the first row — unkeyed SHA-256 rows of older releases,
//! then the keyed rows — and hold the head against the anchor on file and any anchor given.

use std::path::PathBuf;

use serde::Serialize;

use super::anchor::{self, Anchor, NO_ID};
use super::{file_of, holds, keys, record, Keying, COLUMNS, GENESIS, SCHEME};
use crate::error::Result;
use crate::sql::Sql;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verification {
    pub rows: u64,
    pub ok: bool,
    /// The MAC (or, for an unkeyed log, the hash) of the newest row.
    pub head: String,
    /// The first problem found, if any: row id (0: the log as a whole) and what is wrong.
    pub problem: Option<(i64, String)>,
    /// Rows written before the keyed chain (older releases): checked as a plain SHA-256
    /// chain, which anyone editing the file could recompute.
    pub unkeyed_rows: u64,
    /// Rows checked with the key.
    pub keyed_rows: u64,
    /// The head as an anchor line, to keep elsewhere or pass to `audit verify --anchor`.
    pub anchor: Option<String>,
    /// What the head was checked against: "state file", "--anchor", or nothing.
    pub anchored_by: Vec<String>,
    /// Where the anchor on file is (or would be).
    pub anchor_file: Option<PathBuf>,
}

/// Verify the log of `conn` against the anchor on file.
pub fn verify(conn: &dyn Sql) -> Result<Verification> {
    verify_with(conn, None)
}

/// Verify the log of `conn` against the anchor on file and, if given, `given` (an anchor
/// copied from an export or an earlier verify).
pub fn verify_with(conn: &dyn Sql, given: Option<&Anchor>) -> Result<Verification> {
    let k = Keying::read(conn)?;
    let mut v = Verification {
        rows: 0,
        ok: false,
        head: GENESIS.to_string(),
        problem: None,
        unkeyed_rows: 0,
        keyed_rows: 0,
        anchor: None,
        anchored_by: Vec::new(),
        anchor_file: file_of(conn).and_then(|f| anchor::anchor_path(&f).ok()),
    };
    if let Some(p) = walk(conn, &k, &mut v)? {
        v.problem = Some(p);
        return Ok(v);
    }
    v.anchor = Some(
        Anchor {
            db_id: k.db_id.clone().unwrap_or_else(|| NO_ID.to_string()),
            rows: v.rows as i64,
            head: v.head.clone(),
        }
        .to_string(),
    );
    if let Some(p) = against_anchors(conn, &k, given, &mut v)? {
        v.problem = Some((0, p));
        return Ok(v);
    }
    v.ok = true;
    Ok(v)
}

/// The chain itself: contiguous ids from 1, each `prev_hash` the previous `hash`, each row
/// hashed (unkeyed rows) or MACed (keyed rows) as written.
fn walk(conn: &dyn Sql, k: &Keying, v: &mut Verification) -> Result<Option<(i64, String)>> {
    let keyed_from = match &k.keyed_from {
        None => None,
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                return Ok(Some((
                    0,
                    format!("`meta` says the keyed chain starts at row {s:?}, which is not a row"),
                )))
            }
        },
    };
    if let Some(s) = k.scheme.as_deref().filter(|s| *s != SCHEME) {
        return Ok(Some((0, format!("unknown audit scheme {s:?} in `meta`"))));
    }
    let key =
        match (&k.db_id, keyed_from) {
            (Some(id), Some(_)) => match keys::load_key(id) {
                Ok(Some(key)) => Some((id.clone(), key)),
                Ok(None) => {
                    return Ok(Some((
                        0,
                        format!(
                        "the audit key of this database (id {id}) is not in {}: the keyed rows \
                         cannot be checked (a database copied from elsewhere needs its key)",
                        keys::key_path(id)
                            .map(|p| p.display().to_string())
                            .unwrap_or_default()
                    ),
                    )))
                }
                Err(e) => return Ok(Some((0, e.to_string()))),
            },
            (None, Some(_)) => return Ok(Some((
                0,
                "`meta` says the log is keyed but holds no database id: the database was edited"
                    .into(),
            ))),
            (_, None) => None,
        };
    let rows = conn.rows(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"), &[])?;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    for r in &rows {
        let rec = record(r)?;
        v.rows += 1;
        let keyed = keyed_from.is_some_and(|from| rec.id >= from);
        let problem = if rec.id != expected_id {
            Some(format!(
                "row {expected_id} is missing (next row is {})",
                rec.id
            ))
        } else if rec.prev_hash != prev {
            Some("its prev_hash does not match the previous row's hash".into())
        } else if keyed {
            match &key {
                Some((id, key)) if rec.mac(key, id) == rec.hash => None,
                _ => Some(
                    "its MAC does not verify under this database's key (edited, forged or \
                     re-chained after it was written)"
                        .into(),
                ),
            }
        } else if rec.legacy_hash() != rec.hash {
            Some("its content does not match its hash (edited after it was written)".into())
        } else {
            None
        };
        if let Some(p) = problem {
            v.head = rec.hash;
            return Ok(Some((rec.id, p)));
        }
        if keyed {
            v.keyed_rows += 1;
        } else {
            v.unkeyed_rows += 1;
        }
        prev = rec.hash;
        expected_id += 1;
    }
    v.head = prev;
    if let Some(from) = keyed_from {
        if from > expected_id - 1 {
            return Ok(Some((
                0,
                format!(
                    "the keyed chain starts at row {from} but the log ends at row {}: rows were \
                     deleted",
                    expected_id - 1
                ),
            )));
        }
    }
    Ok(None)
}

/// The head against the anchor on file, anchors an append had to supersede, and `given`.
fn against_anchors(
    conn: &dyn Sql,
    k: &Keying,
    given: Option<&Anchor>,
    v: &mut Verification,
) -> Result<Option<String>> {
    let mut anchors: Vec<(&str, Anchor)> = Vec::new();
    if let Some(file) = file_of(conn) {
        if let Some((path, a)) = anchor::superseded(&file)?.into_iter().next() {
            let what = a
                .map(|a| format!("{} rows, head {}", a.rows, &a.head[..16]))
                .unwrap_or_else(|| "unreadable".into());
            return Ok(Some(format!(
                "the log was found not to continue its anchor when a row was appended: the \
                 anchor it had ({what}) is kept in {}. Rows were deleted or the database was \
                 replaced. If you replaced the database yourself, remove that file",
                path.display()
            )));
        }
        match anchor::load(&file) {
            Ok(Some(a)) => anchors.push(("the anchor on file", a)),
            Ok(None) => {}
            Err(e) => return Ok(Some(e.to_string())),
        }
    }
    if let Some(a) = given {
        anchors.push(("the anchor given", a.clone()));
    }
    for (what, a) in anchors {
        let db_id = k.db_id.as_deref().unwrap_or(NO_ID);
        if a.db_id != NO_ID && a.db_id != db_id {
            return Ok(Some(format!(
                "{what} is of database {}, but this database's id is {db_id}: its audit log was \
                 replaced, or this is another database",
                a.db_id
            )));
        }
        if a.rows as u64 > v.rows {
            return Ok(Some(format!(
                "{what} says the log had {} rows, it has {}: rows were deleted from its end",
                a.rows, v.rows
            )));
        }
        if !holds(conn, &a)? {
            return Ok(Some(format!(
                "{what} says row {} has MAC {}, the log's row {} differs: the log was rewritten",
                a.rows, a.head, a.rows
            )));
        }
        v.anchored_by
            .push(what.trim_start_matches("the ").to_string());
    }
    Ok(None)
}
