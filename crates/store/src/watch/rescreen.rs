//! Screening a monitored set again: every party searched in the prepared name index in
//! parallel (the batch screening's fast path), the hits collapsed per listing with the
//! decisions in force, and the diff against the stored last screen computed in one pass —
//! new hits (each with the list change that brought it), hits gone, changed scores and the
//! decisions applied. Only the parties with something to report are listed.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::{parties, previous_hits, Party, StoredHit, WatchSet};
use crate::audit::{self, NewRecord};
use crate::decisions::{Book, HitDecision};
use crate::error::Result;
use crate::{now_utc, sources, Lists};
use tradescope_matching::{self as matching, NameIndex, Schema, SearchOptions};

/// Entries searched per party (several may belong to one listing).
const SEARCH_LIMIT: usize = 20;
/// Scores are stored and compared at 3 places.
const PLACES: f64 = 1000.0;

/// A hit of this screen, collapsed per listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: i64,
    pub listing_key: String,
    pub list: String,
    /// The listed name.
    pub name: String,
    pub matched_name: String,
    pub score: f64,
    /// Counts as a match: at or above the threshold and not cleared as a false positive.
    #[serde(rename = "match")]
    pub is_match: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<HitDecision>,
}

/// The list version that brought a listing in: "added on 2023-12-01 in csl version #3".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListChange {
    /// `added` (list_change), or `listed` when no version added it since it was first imported
    /// (the hit is new because a name of it or of the party now matches).
    pub change: String,
    pub list_code: String,
    pub dataset: String,
    /// The list version (source id).
    pub version: i64,
    /// The date the publisher's list stood at.
    pub as_of: Option<String>,
    pub imported_at: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewHit {
    #[serde(flatten)]
    pub hit: Hit,
    pub list_change: Option<ListChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreChange {
    pub id: i64,
    pub listing_key: String,
    pub name: String,
    pub from: f64,
    pub to: f64,
}

/// What changed for one party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyReport {
    pub line: u64,
    pub name: String,
    pub country: Option<String>,
    pub new_hits: Vec<NewHit>,
    pub hits_gone: Vec<StoredHit>,
    pub changed_scores: Vec<ScoreChange>,
    /// The hits that have a decision, with what it says now (cleared, reopened, …).
    pub decisions: Vec<Hit>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub parties: usize,
    pub parties_with_hits: usize,
    pub new_hits: usize,
    /// New hits that count as matches (not cleared).
    pub new_potential_matches: usize,
    pub hits_gone: usize,
    pub changed_scores: usize,
    pub decisions_applied: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub set: String,
    pub threshold: f64,
    pub matcher: String,
    pub screened_at: String,
    /// The screen this one is compared with.
    pub previous_screen: Option<String>,
    /// The current lists: (dataset, as of).
    pub lists: Lists,
    pub summary: Summary,
    /// Parties with something to report, in file order.
    pub parties: Vec<PartyReport>,
}

/// The matcher's options for a party of a set.
pub(super) fn search_options(p: &Party, threshold: f64) -> SearchOptions {
    SearchOptions {
        threshold,
        limit: SEARCH_LIMIT,
        schema: Schema::Unknown,
        country: p.country.clone(),
        dob: p.dob.clone(),
    }
}

/// Each party's hits now (best first, one per listing), with the decisions in force.
pub fn screen_parties(
    conn: &Connection,
    index: &NameIndex,
    parties: &[Party],
    threshold: f64,
) -> Result<Vec<Vec<Hit>>> {
    let found: Vec<Vec<matching::Hit>> = parties
        .par_iter()
        .map(|p| index.search(&p.name, &search_options(p, threshold)))
        .collect();
    let book = Book::load(conn)?;
    let mut entries = EntryCache::new(conn)?;
    let mut out = Vec::with_capacity(parties.len());
    for (p, hits) in parties.iter().zip(found) {
        let mut seen = HashSet::new();
        let mut now = Vec::new();
        for h in hits {
            let Some(e) = entries.get(h.id)? else {
                continue;
            };
            if !seen.insert(e.0.clone()) {
                continue;
            }
            let score = (h.score * PLACES).round() / PLACES;
            let decision = if book.is_empty() {
                None
            } else {
                book.for_hit(conn, &p.name, &e.0, score)?
            };
            now.push(Hit {
                id: h.id,
                listing_key: e.0,
                list: e.1,
                name: e.2,
                matched_name: h.matched_name,
                score,
                is_match: score >= threshold && !decision.as_ref().is_some_and(|d| d.clears()),
                decision,
            });
        }
        out.push(now);
    }
    Ok(out)
}

/// (listing key, list code, name) of entries, read once each.
struct EntryCache<'c> {
    stmt: rusqlite::CachedStatement<'c>,
    seen: HashMap<i64, Option<(String, String, String)>>,
}

impl<'c> EntryCache<'c> {
    fn new(conn: &'c Connection) -> Result<Self> {
        Ok(EntryCache {
            stmt: conn.prepare_cached(
                "SELECT listing_key, list_code, name FROM list_entry WHERE id = ?1",
            )?,
            seen: HashMap::new(),
        })
    }

    fn get(&mut self, id: i64) -> Result<Option<(String, String, String)>> {
        if let Some(e) = self.seen.get(&id) {
            return Ok(e.clone());
        }
        let e = self
            .stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        self.seen.insert(id, e.clone());
        Ok(e)
    }
}

/// The diff of one party's hits now against its stored ones.
fn diff(p: &Party, now: &[Hit], before: &[StoredHit]) -> PartyReport {
    let old: HashMap<&str, &StoredHit> =
        before.iter().map(|h| (h.listing_key.as_str(), h)).collect();
    let new_keys: HashSet<&str> = now.iter().map(|h| h.listing_key.as_str()).collect();
    let mut r = PartyReport {
        line: p.line,
        name: p.name.clone(),
        country: p.country.clone(),
        new_hits: Vec::new(),
        hits_gone: before
            .iter()
            .filter(|h| !new_keys.contains(h.listing_key.as_str()))
            .cloned()
            .collect(),
        changed_scores: Vec::new(),
        decisions: now
            .iter()
            .filter(|h| h.decision.is_some())
            .cloned()
            .collect(),
    };
    for h in now {
        match old.get(h.listing_key.as_str()) {
            None => r.new_hits.push(NewHit {
                hit: h.clone(),
                list_change: None,
            }),
            Some(o) if (o.score - h.score).abs() >= 0.5 / PLACES => {
                r.changed_scores.push(ScoreChange {
                    id: h.id,
                    listing_key: h.listing_key.clone(),
                    name: h.name.clone(),
                    from: o.score,
                    to: h.score,
                })
            }
            Some(_) => {}
        }
    }
    r
}

impl PartyReport {
    fn is_empty(&self) -> bool {
        self.new_hits.is_empty()
            && self.hits_gone.is_empty()
            && self.changed_scores.is_empty()
            && self.decisions.is_empty()
    }
}

/// The list version that added a listing (the newest such), else the version its entry is
/// from.
fn list_change(conn: &Connection, listing_key: &str, entry_id: i64) -> Result<Option<ListChange>> {
    let row = |change: &str| {
        let change = change.to_string();
        move |r: &rusqlite::Row| {
            Ok(ListChange {
                change: change.clone(),
                list_code: r.get(0)?,
                dataset: r.get(1)?,
                version: r.get(2)?,
                as_of: r.get(3)?,
                imported_at: r.get(4)?,
                sha256: r.get(5)?,
            })
        }
    };
    let added = conn
        .prepare_cached(
            "SELECT lc.list_code, s.dataset, s.id, s.as_of, s.imported_at, s.sha256
             FROM list_change lc JOIN source s ON s.id = lc.source_id
             WHERE lc.listing_key = ?1 AND lc.change = 'added' ORDER BY s.id DESC LIMIT 1",
        )?
        .query_row([listing_key], row("added"))
        .optional()?;
    if added.is_some() {
        return Ok(added);
    }
    Ok(conn
        .prepare_cached(
            "SELECT e.list_code, s.dataset, s.id, s.as_of, s.imported_at, s.sha256
             FROM list_entry e JOIN source s ON s.id = e.source_id WHERE e.id = ?1",
        )?
        .query_row([entry_id], row("listed"))
        .optional()?)
}

/// Each party with its hits now.
pub type Screened = Vec<(Party, Vec<Hit>)>;

/// Screen `set` against `index` (the current lists) and compare with its last screen. Stores
/// nothing.
pub fn compare(conn: &Connection, index: &NameIndex, set: &WatchSet) -> Result<(Report, Screened)> {
    compare_parties(conn, index, set, parties(conn, set.id)?)
}

/// [`compare`] for some of the set's parties (the summary counts only them).
pub(super) fn compare_parties(
    conn: &Connection,
    index: &NameIndex,
    set: &WatchSet,
    ps: Vec<Party>,
) -> Result<(Report, Screened)> {
    let now = screen_parties(conn, index, &ps, set.threshold)?;
    let before = previous_hits(conn, set.id)?;
    let mut summary = Summary {
        parties: ps.len(),
        ..Default::default()
    };
    let mut reports = Vec::new();
    for (p, hits) in ps.iter().zip(&now) {
        summary.parties_with_hits += usize::from(!hits.is_empty());
        let mut r = diff(p, hits, before.get(&p.id).map(Vec::as_slice).unwrap_or(&[]));
        summary.new_hits += r.new_hits.len();
        summary.new_potential_matches += r.new_hits.iter().filter(|h| h.hit.is_match).count();
        summary.hits_gone += r.hits_gone.len();
        summary.changed_scores += r.changed_scores.len();
        summary.decisions_applied += r.decisions.len();
        for h in &mut r.new_hits {
            h.list_change = list_change(conn, &h.hit.listing_key, h.hit.id)?;
        }
        if !r.is_empty() {
            reports.push(r);
        }
    }
    let report = Report {
        set: set.name.clone(),
        threshold: set.threshold,
        matcher: matching::MATCHER_VERSION.to_string(),
        screened_at: now_utc(),
        previous_screen: set.screened_at.clone(),
        lists: sources::current_as_of(conn)?,
        summary,
        parties: reports,
    };
    Ok((report, ps.into_iter().zip(now).collect()))
}

/// Rescreen `set`: compare, then store this screen's hits as the new baseline (and clear the
/// set's alert), with an audit record, in one transaction.
pub fn rescreen(conn: &mut Connection, index: &NameIndex, set: &WatchSet) -> Result<Report> {
    let (report, now) = compare(conn, index, set)?;
    let versions = serde_json::to_string(&report.lists).unwrap_or_default();
    audit::append_with(conn, |tx| {
        tx.execute(
            "DELETE FROM watch_hit WHERE party_id IN (SELECT id FROM watch_party WHERE set_id = ?1)",
            [set.id],
        )?;
        let mut ins = tx.prepare_cached(
            "INSERT INTO watch_hit (party_id, listing_key, entry_id, name, score)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (p, hits) in &now {
            for h in hits {
                ins.execute(params![p.id, h.listing_key, h.id, h.name, h.score])?;
            }
        }
        tx.execute(
            "UPDATE watch_set SET screened_at = ?1, screened_versions = ?2, alert_count = 0,
               alert_at = NULL WHERE id = ?3",
            params![report.screened_at, versions, set.id],
        )?;
        let s = &report.summary;
        let rec = NewRecord {
            action: "rescreen".into(),
            query: Some(format!("watch set {}", set.name)),
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            threshold: Some(set.threshold),
            at: Some(report.screened_at.clone()),
            results: serde_json::json!({
                "parties": s.parties, "parties_with_hits": s.parties_with_hits,
                "new_hits": s.new_hits, "new_potential_matches": s.new_potential_matches,
                "hits_gone": s.hits_gone, "changed_scores": s.changed_scores,
                "decisions_applied": s.decisions_applied,
            }),
            ..Default::default()
        };
        Ok((vec![rec], ()))
    })?;
    Ok(report)
}
