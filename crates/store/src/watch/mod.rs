//! Monitored sets (issue 17): a vendor or party list kept in the database and screened again
//! when the lists change. `watch add` stores the parties and screens them once (the baseline);
//! `rescreen` screens them against the current lists and reports what changed since the last
//! screen ([`rescreen`]); after each list import, [`check::after_import`] counts the new
//! potential matches of every set (screening against what the import changed), which the import
//! summary and the workbench show.
//!
//! The last screen's hits are in `watch_hit`, one row per party and listing: what the next
//! rescreen is compared with.

pub mod check;
pub mod rescreen;

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::audit::{self, NewRecord};
use crate::error::{Error, Result};
use crate::now_utc;

/// A party of a set, as read from its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewParty {
    /// Physical line in the file.
    pub line: u64,
    pub name: String,
    /// ISO alpha-2.
    pub country: Option<String>,
    pub dob: Option<String>,
}

/// A stored party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Party {
    pub id: i64,
    pub line: u64,
    pub name: String,
    pub country: Option<String>,
    pub dob: Option<String>,
}

/// A monitored set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchSet {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub sha256: String,
    pub created_at: String,
    pub created_by: String,
    pub parties: i64,
    pub threshold: f64,
    /// The last (re)screen.
    pub screened_at: Option<String>,
    /// New potential matches the check after the last list import found (0 after a rescreen).
    pub alert_count: i64,
    pub alert_at: Option<String>,
}

/// A hit of the last screen, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredHit {
    pub listing_key: String,
    pub entry_id: i64,
    /// The listed name.
    pub name: String,
    pub score: f64,
}

/// A set name is used on the command line (`tradescope rescreen NAME`): letters, digits and
/// `-_.`, up to 64.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::User(format!(
            "{name:?} is not a set name: use letters, digits, '-', '_' or '.' (up to 64), e.g. vendors-2026"
        )))
    }
}

const SET_COLUMNS: &str = "w.id, w.name, w.path, w.sha256, w.created_at, w.created_by,
    (SELECT count(*) FROM watch_party p WHERE p.set_id = w.id), w.threshold, w.screened_at,
    w.alert_count, w.alert_at";

fn set_row(r: &rusqlite::Row) -> rusqlite::Result<WatchSet> {
    Ok(WatchSet {
        id: r.get(0)?,
        name: r.get(1)?,
        path: r.get(2)?,
        sha256: r.get(3)?,
        created_at: r.get(4)?,
        created_by: r.get(5)?,
        parties: r.get(6)?,
        threshold: r.get(7)?,
        screened_at: r.get(8)?,
        alert_count: r.get(9)?,
        alert_at: r.get(10)?,
    })
}

/// Store a new set and its parties (with an audit record), in one transaction.
pub fn add(
    conn: &mut Connection,
    name: &str,
    path: &str,
    sha256: &str,
    threshold: f64,
    parties: &[NewParty],
) -> Result<WatchSet> {
    check_name(name)?;
    if find(conn, name)?.is_some() {
        return Err(Error::User(format!(
            "watch set {name:?} exists already: `tradescope watch remove {name}` first, or choose another name"
        )));
    }
    let (by, at) = (audit::current_user(), now_utc());
    let (_, id) = audit::append_with(conn, |tx| {
        tx.execute(
            "INSERT INTO watch_set (name, path, sha256, created_at, created_by, threshold)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, path, sha256, at, by, threshold],
        )?;
        let id = tx.last_insert_rowid();
        let mut ins = tx.prepare_cached(
            "INSERT INTO watch_party (set_id, line, name, country, dob) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for p in parties {
            ins.execute(params![id, p.line as i64, p.name, p.country, p.dob])?;
        }
        let rec = NewRecord {
            action: "watch_add".into(),
            query: Some(format!("{name} from {path} (SHA-256 {sha256})")),
            at: Some(at.clone()),
            threshold: Some(threshold),
            results: serde_json::json!({ "set": name, "parties": parties.len() }),
            ..Default::default()
        };
        Ok((vec![rec], id))
    })?;
    get_by_id(conn, id)
}

fn get_by_id(conn: &Connection, id: i64) -> Result<WatchSet> {
    Ok(conn.query_row(
        &format!("SELECT {SET_COLUMNS} FROM watch_set w WHERE w.id = ?1"),
        [id],
        set_row,
    )?)
}

pub fn find(conn: &Connection, name: &str) -> Result<Option<WatchSet>> {
    Ok(conn
        .query_row(
            &format!("SELECT {SET_COLUMNS} FROM watch_set w WHERE w.name = ?1"),
            [name],
            set_row,
        )
        .optional()?)
}

pub fn get(conn: &Connection, name: &str) -> Result<WatchSet> {
    find(conn, name)?.ok_or_else(|| {
        Error::NotFound(format!(
            "no watch set {name:?} (`tradescope watch list` shows them)"
        ))
    })
}

/// Every set, by name.
pub fn list(conn: &Connection) -> Result<Vec<WatchSet>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SET_COLUMNS} FROM watch_set w ORDER BY w.name"
    ))?;
    let rows = stmt.query_map([], set_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets with new potential matches since the last list import: (name, count).
pub fn alerts(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn
        .prepare("SELECT name, alert_count FROM watch_set WHERE alert_count > 0 ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Remove a set, its parties and their hits (with an audit record).
pub fn remove(conn: &mut Connection, name: &str) -> Result<WatchSet> {
    let set = get(conn, name)?;
    audit::append_with(conn, |tx| {
        tx.execute(
            "DELETE FROM watch_hit WHERE party_id IN (SELECT id FROM watch_party WHERE set_id = ?1)",
            [set.id],
        )?;
        tx.execute("DELETE FROM watch_party WHERE set_id = ?1", [set.id])?;
        tx.execute("DELETE FROM watch_set WHERE id = ?1", [set.id])?;
        let rec = NewRecord {
            action: "watch_remove".into(),
            query: Some(set.name.clone()),
            results: serde_json::json!({ "set": set.name, "parties": set.parties }),
            ..Default::default()
        };
        Ok((vec![rec], ()))
    })?;
    Ok(set)
}

/// The parties of a set, in file order.
pub fn parties(conn: &Connection, set_id: i64) -> Result<Vec<Party>> {
    let mut stmt = conn.prepare(
        "SELECT id, line, name, country, dob FROM watch_party WHERE set_id = ?1 ORDER BY line, id",
    )?;
    let rows = stmt.query_map([set_id], |r| {
        Ok(Party {
            id: r.get(0)?,
            line: r.get::<_, i64>(1)? as u64,
            name: r.get(2)?,
            country: r.get(3)?,
            dob: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The last screen's hits of a set's parties, by party id (one query).
pub fn previous_hits(conn: &Connection, set_id: i64) -> Result<HashMap<i64, Vec<StoredHit>>> {
    let mut stmt = conn.prepare(
        "SELECT h.party_id, h.listing_key, h.entry_id, h.name, h.score FROM watch_hit h
         JOIN watch_party p ON p.id = h.party_id WHERE p.set_id = ?1",
    )?;
    let mut out: HashMap<i64, Vec<StoredHit>> = HashMap::new();
    let rows = stmt.query_map([set_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            StoredHit {
                listing_key: r.get(1)?,
                entry_id: r.get(2)?,
                name: r.get(3)?,
                score: r.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (party, hit) = row?;
        out.entry(party).or_default().push(hit);
    }
    Ok(out)
}
