//! Entity search for `tradescope search` and `screen`: the name matcher's ranked hits (plus, for
//! search, entries whose name contains the query, so a prefix such as "hikv" finds something),
//! collapsed to one row per listing.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use crate::db::covered::{Covered, CoveredFlag};
use crate::db::entities;
use crate::error::Result;
use crate::matching::{self, Hit, NameIndex, SearchOptions};

/// Lowest matcher score `search` shows: broader than screening, it is an exploration tool.
pub const SEARCH_THRESHOLD: f64 = 0.6;

/// One listing found by name, with the list details a user needs to judge it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListingHit {
    pub id: i64,
    pub list: String,
    pub name: String,
    pub matched_name: String,
    /// 0–1, the matcher's score.
    pub score: f64,
    /// 0–100, the score the public OFAC Sanctions List Search would give.
    pub sls_score: f64,
    pub explanation: String,
    pub programs: Option<String>,
    pub country: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub dataset: String,
    /// Other datasets that carry the same listing (e.g. the CMIC entry in both the CSL and the
    /// OFAC non-SDN file), as "LIST (dataset) #id".
    pub also_in: Vec<String>,
    /// Set when the listed company is a covered equipment maker (NDAA §889, FCC Covered List).
    pub covered: Option<CoveredFlag>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Best-first hits → at most `limit` listings; entries of a listing already shown go to its
/// `also_in`.
pub fn collapse(conn: &Connection, hits: Vec<Hit>, limit: usize) -> Result<Vec<ListingHit>> {
    let mut out: Vec<ListingHit> = Vec::new();
    let mut by_listing: HashMap<String, usize> = HashMap::new();
    let covered = Covered::load(conn)?;
    for h in hits {
        let e = entities::get(conn, h.id)?;
        if let Some(&i) = by_listing.get(&e.listing_key) {
            out[i]
                .also_in
                .push(format!("{} ({}) #{}", e.list, e.dataset, e.id));
            continue;
        }
        if out.len() >= limit {
            continue;
        }
        by_listing.insert(e.listing_key.clone(), out.len());
        let flag = covered
            .flag_any(std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)));
        out.push(ListingHit {
            id: e.id,
            list: e.list,
            name: e.name,
            matched_name: h.matched_name,
            score: round(h.score, 3),
            sls_score: round(h.sls_score, 1),
            explanation: h.explanation,
            programs: e.programs,
            country: e.country,
            start_date: e.start_date,
            end_date: e.end_date,
            dataset: e.dataset,
            also_in: Vec::new(),
            covered: flag,
        });
    }
    Ok(out)
}

/// Screening: the matcher's hits at `opts.threshold`, one row per listing.
pub fn screen(
    conn: &Connection,
    index: &NameIndex,
    name: &str,
    opts: &SearchOptions,
) -> Result<Vec<ListingHit>> {
    let wide = SearchOptions {
        // Room for entries that collapse into one listing.
        limit: opts.limit.max(1) * 4,
        ..opts.clone()
    };
    collapse(conn, index.search(name, &wide), opts.limit)
}

/// Exploration: matcher hits down to SEARCH_THRESHOLD plus substring hits.
pub fn search(
    conn: &Connection,
    index: &NameIndex,
    query: &str,
    limit: usize,
) -> Result<Vec<ListingHit>> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let opts = SearchOptions {
        threshold: SEARCH_THRESHOLD,
        limit: limit.max(1) * 4,
        ..Default::default()
    };
    let mut best: HashMap<i64, Hit> = HashMap::new();
    for h in index.search(q, &opts) {
        best.insert(h.id, h);
    }
    let norm = matching::normalize_key(q);
    for (id, name) in entities::substring_matches(conn, &norm, limit.max(1) * 4)? {
        let s = substring_score(&norm, &matching::normalize_key(&name));
        if best.get(&id).is_none_or(|h| h.score < s) {
            best.insert(
                id,
                Hit {
                    id,
                    sls_score: matching::sls_score(q, &name),
                    explanation: format!("the name contains {norm:?}"),
                    matched_name: name,
                    score: s,
                },
            );
        }
    }
    let mut ranked: Vec<Hit> = best.into_values().collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    collapse(conn, ranked, limit)
}

/// A name that contains the query scores by how much of the name the query covers.
fn substring_score(query: &str, name: &str) -> f64 {
    if name.is_empty() {
        return 0.0;
    }
    0.5 + 0.5 * (query.len() as f64 / name.len() as f64).min(1.0)
}
