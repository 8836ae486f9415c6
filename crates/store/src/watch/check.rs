//! The check after a list import: how many new potential matches each monitored set has now,
//! found by screening against what changed rather than against everything.
//!
//! A party's screen can only gain a listing it did not have at its last screen through a list
//! version imported since: a listing added (`list_change`), one published differently
//! (`list_edit`: a new alias, name, country, date …), or every listing of a dataset imported
//! for the first time. So each party is searched first among the current entries of those
//! listings only ([`NameIndex::search_among`]: the same index and scores as the full search,
//! every hit the full search would give among them, and cheap because only they are scored in
//! full); a party is screened in full (as `rescreen` does, decisions applied) when that search
//! finds something, or when a listing of its last screen was removed or changed since (its
//! place among the best hits may go to another listing). Every other party's screen has no new
//! listing from the changes. The count is the full re-screen's; the one difference a full
//! screen could show is a listing unchanged by the update whose score moved across the
//! threshold only because the update changed how rare a word is across all names (rarity is
//! global) — the incremental check does not look for those (`rescreen` does).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rusqlite::{params, Connection};

use super::rescreen::{self, search_options, Report};
use super::{parties, previous_hits, Party, StoredHit, WatchSet};
use crate::error::Result;
use crate::now_utc;
use tradescope_matching::NameIndex;

/// What the list versions imported since a set's last screen changed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Changed {
    /// Current entries of listings added or changed since (or of datasets new since).
    pub entries: HashSet<i64>,
    /// Listings removed or changed since: a party that had one among its hits is screened in
    /// full.
    pub touched: HashSet<String>,
    /// The list versions (source ids) imported since.
    pub versions: Vec<i64>,
}

/// What the list versions imported at or after `since` (a UTC timestamp as stored) changed.
/// A second-resolution timestamp: a version imported in the same second counts as since (more
/// to screen, never less).
pub fn changed_since(conn: &Connection, since: &str) -> Result<Changed> {
    let mut stmt = conn.prepare(
        "SELECT s.id, EXISTS (SELECT 1 FROM source p WHERE p.dataset = s.dataset AND p.id < s.id)
         FROM source s WHERE s.imported_at >= ?1 ORDER BY s.id",
    )?;
    let sources = stmt
        .query_map([since], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut keys: HashSet<String> = HashSet::new();
    let mut out = Changed::default();
    let mut whole = conn
        .prepare_cached("SELECT e.id FROM list_entry e WHERE e.source_id = ?1 AND e.current = 1")?;
    let mut change =
        conn.prepare_cached("SELECT change, listing_key FROM list_change WHERE source_id = ?1")?;
    let mut edit = conn.prepare_cached("SELECT listing_key FROM list_edit WHERE source_id = ?1")?;
    for (source, replaced_one) in sources {
        out.versions.push(source);
        if !replaced_one {
            // The dataset's first version: every listing of it is new.
            for id in whole.query_map([source], |r| r.get::<_, i64>(0))? {
                out.entries.insert(id?);
            }
            continue;
        }
        for row in change.query_map([source], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (kind, key) = row?;
            if kind == "added" {
                keys.insert(key);
            } else {
                out.touched.insert(key);
            }
        }
        for key in edit.query_map([source], |r| r.get::<_, String>(0))? {
            let key = key?;
            out.touched.insert(key.clone());
            keys.insert(key);
        }
    }
    let mut current =
        conn.prepare_cached("SELECT id FROM list_entry WHERE listing_key = ?1 AND current = 1")?;
    for key in &keys {
        for id in current.query_map(params![key], |r| r.get::<_, i64>(0))? {
            out.entries.insert(id?);
        }
    }
    Ok(out)
}

/// The parties whose screen may have a listing now that it did not have at its last screen
/// because of `changed` (see the module documentation), in file order.
pub fn suspects(
    index: &NameIndex,
    parties: Vec<Party>,
    before: &HashMap<i64, Vec<StoredHit>>,
    changed: &Changed,
    threshold: f64,
) -> Vec<Party> {
    let keep = |id: i64| changed.entries.contains(&id);
    let flagged: Vec<bool> = parties
        .par_iter()
        .map(|p| {
            let touched = before
                .get(&p.id)
                .is_some_and(|hs| hs.iter().any(|h| changed.touched.contains(&h.listing_key)));
            touched
                || (!changed.entries.is_empty()
                    && !index
                        .search_among(&p.name, &search_options(p, threshold), &keep)
                        .is_empty())
        })
        .collect();
    parties
        .into_iter()
        .zip(flagged)
        .filter_map(|(p, f)| f.then_some(p))
        .collect()
}

/// The set compared with its last screen as [`rescreen::compare`] does, but only for the
/// parties the list versions imported since can concern: the same new hits. The report lists
/// (and its summary counts) only the parties screened. Stores nothing.
pub fn compare_changed(conn: &Connection, index: &NameIndex, set: &WatchSet) -> Result<Report> {
    let Some(since) = set.screened_at.as_deref() else {
        return Ok(rescreen::compare(conn, index, set)?.0);
    };
    let changed = changed_since(conn, since)?;
    let before = previous_hits(conn, set.id)?;
    let ps = suspects(
        index,
        parties(conn, set.id)?,
        &before,
        &changed,
        set.threshold,
    );
    Ok(rescreen::compare_parties(conn, index, set, ps)?.0)
}

/// After a list import: for every set, the new potential matches against the lists now
/// (stored as the set's alert; the baseline is left for `rescreen`). (set, count) of each set.
pub fn after_import(conn: &mut Connection, index: &NameIndex) -> Result<Vec<(String, usize)>> {
    let sets = super::list(conn)?;
    let mut out = Vec::new();
    for set in &sets {
        let n = compare_changed(conn, index, set)?
            .summary
            .new_potential_matches;
        conn.execute(
            "UPDATE watch_set SET alert_count = ?1, alert_at = ?2 WHERE id = ?3",
            params![n as i64, now_utc(), set.id],
        )?;
        out.push((set.name.clone(), n));
    }
    Ok(out)
}
