//! Entity search for `tradescope search`: the name matcher's ranked hits, plus entries whose
//! name contains the query (so a prefix such as "hikv" finds something), one row per listing.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use crate::db::entities;
use crate::error::Result;
use crate::matching::{self, NameIndex, SearchOptions};

/// Lowest matcher score `search` shows: broader than screening, it is an exploration tool.
pub const SEARCH_THRESHOLD: f64 = 0.6;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchHit {
    pub id: i64,
    pub list: String,
    pub name: String,
    pub matched_name: String,
    pub score: f64,
    pub programs: Option<String>,
    pub country: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub dataset: String,
    /// Other datasets that carry the same listing (e.g. the CMIC entry in both the CSL and the
    /// OFAC non-SDN file), as "LIST (dataset) #id".
    pub also_in: Vec<String>,
}

pub fn search(
    conn: &Connection,
    index: &NameIndex,
    query: &str,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let mut scored: HashMap<i64, (f64, String)> = HashMap::new();
    let opts = SearchOptions {
        threshold: SEARCH_THRESHOLD,
        limit: limit.max(1) * 4,
        ..Default::default()
    };
    for h in index.search(q, &opts) {
        scored.insert(h.id, (h.score, h.matched_name));
    }
    let norm = matching::normalize_key(q);
    for (id, name) in entities::substring_matches(conn, &norm, limit.max(1) * 4)? {
        let s = substring_score(&norm, &matching::normalize_key(&name));
        let e = scored.entry(id).or_insert((0.0, name.clone()));
        if s > e.0 {
            *e = (s, name);
        }
    }
    let mut ranked: Vec<(i64, f64, String)> =
        scored.into_iter().map(|(id, (s, n))| (id, s, n)).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<SearchHit> = Vec::new();
    let mut by_listing: HashMap<String, usize> = HashMap::new();
    for (id, score, matched) in ranked {
        let e = entities::get(conn, id)?;
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
        out.push(SearchHit {
            id: e.id,
            list: e.list,
            name: e.name,
            matched_name: matched,
            score: (score * 1000.0).round() / 1000.0,
            programs: e.programs,
            country: e.country,
            start_date: e.start_date,
            end_date: e.end_date,
            dataset: e.dataset,
            also_in: Vec::new(),
        });
    }
    Ok(out)
}

/// A name that contains the query scores by how much of the name the query covers.
fn substring_score(query: &str, name: &str) -> f64 {
    if name.is_empty() {
        return 0.0;
    }
    0.5 + 0.5 * (query.len() as f64 / name.len() as f64).min(1.0)
}
