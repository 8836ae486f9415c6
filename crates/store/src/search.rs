//! Entity search for `tradescope search` and `screen`: the name matcher's ranked hits (plus, for
//! search, entries whose name contains the query, so a prefix such as "hikv" finds something),
//! collapsed to one row per listing.

use std::collections::HashMap;

use serde::Serialize;

use crate::covered::{Covered, CoveredFlag};
use crate::decisions::{Book, HitDecision};
use crate::entities;
use crate::error::Result;
use crate::lapsed::{self, Lapse};
use tradescope_matching::{self as matching, Hit, NameIndex, SearchOptions};

/// Lowest matcher score `search` shows: broader than screening, it is an exploration tool.
pub const SEARCH_THRESHOLD: f64 = 0.6;

/// One listing found by name, with the list details a user needs to judge it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
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
    /// entity | individual | vessel | aircraft | unknown (the list entry's type).
    #[serde(default)]
    pub entity_type: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub dataset: String,
    /// Other datasets that carry the same listing (e.g. the CMIC entry in both the CSL and the
    /// OFAC non-SDN file), as "LIST (dataset) #id".
    pub also_in: Vec<String>,
    /// Set when the listed company is a covered equipment maker (NDAA §889, FCC Covered List).
    pub covered: Option<CoveredFlag>,
    /// Identity of the listing across datasets and versions (decisions are keyed by it).
    pub listing_key: String,
    /// Whether the hit counts as a match: at or above the threshold and not cleared as a
    /// false positive.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The analyst's decision on this name and listing, once decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<HitDecision>,
    /// The end date, when it lies before the date screened at (see [`crate::lapsed`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lapsed: Option<String>,
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// Best-first hits → at most `limit` listings; entries of a listing already shown go to its
/// `also_in`.
pub fn collapse(
    conn: &dyn crate::sql::Sql,
    hits: Vec<Hit>,
    limit: usize,
) -> Result<Vec<ListingHit>> {
    collapse_with(conn, &Covered::load(conn)?, hits, limit)
}

/// [`collapse`] with the covered makers loaded once (a batch screen collapses every row).
pub fn collapse_with(
    conn: &dyn crate::sql::Sql,
    covered: &Covered,
    hits: Vec<Hit>,
    limit: usize,
) -> Result<Vec<ListingHit>> {
    let mut out: Vec<ListingHit> = Vec::new();
    let mut by_listing: HashMap<String, usize> = HashMap::new();
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
        let score = round(h.score, 3);
        let flag = covered
            .flag_any(std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)));
        out.push(ListingHit {
            id: e.id,
            list: e.list,
            name: e.name,
            matched_name: h.matched_name,
            score,
            sls_score: round(h.sls_score, 1),
            explanation: h.explanation,
            programs: e.programs,
            country: e.country,
            entity_type: e.entity_type,
            start_date: e.start_date,
            end_date: e.end_date,
            dataset: e.dataset,
            also_in: Vec::new(),
            covered: flag,
            listing_key: e.listing_key,
            is_match: score >= matching::DEFAULT_THRESHOLD,
            decision: None,
            lapsed: None,
        });
    }
    Ok(out)
}

/// Longest name screened or searched, in characters. The longest published list names are
/// about 300 characters; a longer "name" is a wrong column or a damaged file, and the
/// matcher's time grows with its length (one 50 MB name once took more than 600 s).
pub const MAX_NAME_CHARS: usize = 1_000;

/// Why `name` is too long to screen, if it is.
pub fn name_too_long(name: &str) -> Option<String> {
    // Counting stops as soon as the cap is passed: a huge name costs no more than the cap.
    let n = name.trim().chars().take(MAX_NAME_CHARS + 1).count();
    (n > MAX_NAME_CHARS).then(|| {
        format!(
            "the name is longer than {MAX_NAME_CHARS} characters ({} bytes), the most screened: \
             is this the right column?",
            name.len()
        )
    })
}

fn check_name(name: &str) -> Result<()> {
    match name_too_long(name) {
        Some(why) => Err(crate::error::Error::User(why)),
        None => Ok(()),
    }
}

/// Screening now: the matcher's hits at `opts.threshold`, one row per listing; entries lapsed
/// before today are shown but are no match.
pub fn screen(
    conn: &dyn crate::sql::Sql,
    index: &NameIndex,
    name: &str,
    opts: &SearchOptions,
) -> Result<Vec<ListingHit>> {
    screen_at(conn, index, name, opts, &Lapse::today())
}

/// Screening at `lapse.on`, lapsed entries counted as matches only if `lapse.include`.
pub fn screen_at(
    conn: &dyn crate::sql::Sql,
    index: &NameIndex,
    name: &str,
    opts: &SearchOptions,
    lapse: &Lapse,
) -> Result<Vec<ListingHit>> {
    check_name(name)?;
    let found = index.search(name, &widened(opts));
    screened(
        conn,
        &Covered::load(conn)?,
        &Book::load(conn)?,
        name,
        found,
        opts,
        lapse,
    )
}

/// The matcher's options for a screen: room for entries that collapse into one listing.
pub fn widened(opts: &SearchOptions) -> SearchOptions {
    SearchOptions {
        limit: opts.limit.max(1) * 4,
        ..opts.clone()
    }
}

/// The second half of [`screen`]: the matcher's hits for `name` (searched with
/// [`widened`] options) collapsed per listing, covered makers flagged, decisions applied and
/// lapsed entries marked (no match unless `lapse.include`).
/// A batch screen runs the matcher in parallel and this per row, so a row of a batch report
/// says exactly what `screen NAME` says.
pub fn screened(
    conn: &dyn crate::sql::Sql,
    covered: &Covered,
    book: &Book,
    name: &str,
    found: Vec<Hit>,
    opts: &SearchOptions,
    lapse: &Lapse,
) -> Result<Vec<ListingHit>> {
    let mut hits = collapse_with(conn, covered, found, opts.limit)?;
    apply_decisions(conn, book, name, &mut hits, opts.threshold)?;
    lapsed::mark(&mut hits, lapse);
    Ok(hits)
}

/// Attach the decisions in force to the hits of `name`, and set `is_match`: at or above
/// `threshold` and not cleared as a false positive.
pub fn apply_decisions(
    conn: &dyn crate::sql::Sql,
    book: &Book,
    name: &str,
    hits: &mut [ListingHit],
    threshold: f64,
) -> Result<()> {
    for h in hits {
        h.decision = if book.is_empty() {
            None
        } else {
            book.for_hit(conn, name, &h.listing_key, h.score)?
        };
        h.is_match = h.score >= threshold && !h.decision.as_ref().is_some_and(|d| d.clears());
    }
    Ok(())
}

/// Exploration: matcher hits down to SEARCH_THRESHOLD plus substring hits.
pub fn search(
    conn: &dyn crate::sql::Sql,
    index: &NameIndex,
    query: &str,
    limit: usize,
) -> Result<Vec<ListingHit>> {
    let q = query.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    check_name(q)?;
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
    let mut hits = collapse(conn, ranked, limit)?;
    apply_decisions(
        conn,
        &Book::load(conn)?,
        q,
        &mut hits,
        matching::DEFAULT_THRESHOLD,
    )?;
    lapsed::mark(&mut hits, &Lapse::today());
    Ok(hits)
}

/// A name that contains the query scores by how much of the name the query covers.
fn substring_score(query: &str, name: &str) -> f64 {
    if name.is_empty() {
        return 0.0;
    }
    0.5 + 0.5 * (query.len() as f64 / name.len() as f64).min(1.0)
}

/// A screening line as typed in the workbench: the name, plus the evidence qualifiers
/// `dob:YYYY[-MM-DD]` and `country:CC` (or a country name without spaces) anywhere in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScreenQuery {
    pub name: String,
    pub dob: Option<String>,
    /// ISO alpha-2.
    pub country: Option<String>,
    /// Qualifiers that could not be read, said to the user (the name is still screened).
    pub problems: Vec<String>,
}

impl ScreenQuery {
    pub fn parse(line: &str) -> ScreenQuery {
        let mut q = ScreenQuery::default();
        let mut words = Vec::new();
        for w in line.split_whitespace() {
            let lower = w.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("dob:") {
                match tradescope_matching::dob::parse_query(v) {
                    Some(_) => q.dob = Some(v.to_string()),
                    None => q.problems.push(format!(
                        "{w} ignored: a date of birth is YYYY or YYYY-MM-DD"
                    )),
                }
            } else if let Some(v) = w.get(8..).filter(|_| lower.starts_with("country:")) {
                match tradescope_core::country::code(v) {
                    Some(c) => q.country = Some(c.to_string()),
                    None => q
                        .problems
                        .push(format!("{w} ignored: not a country code or name")),
                }
            } else {
                words.push(w);
            }
        }
        q.name = words.join(" ");
        q
    }
}

#[cfg(test)]
mod screen_query_tests {
    use super::ScreenQuery;

    #[test]
    fn qualifiers_anywhere_the_rest_is_the_name() {
        let q = ScreenQuery::parse("putin dob:1952-10-07 vladimir country:RU");
        assert_eq!(q.name, "putin vladimir");
        assert_eq!(q.dob.as_deref(), Some("1952-10-07"));
        assert_eq!(q.country.as_deref(), Some("RU"));
        assert!(q.problems.is_empty());
        let q = ScreenQuery::parse("ZTE country:china DOB:2016");
        assert_eq!((q.name.as_str(), q.dob.as_deref()), ("ZTE", Some("2016")));
        assert_eq!(q.country.as_deref(), Some("CN"));
    }

    #[test]
    fn unreadable_qualifiers_are_said_not_guessed() {
        let q = ScreenQuery::parse("acme dob:1952-13-01 country:atlantis");
        assert_eq!(q.name, "acme");
        assert_eq!((q.dob.clone(), q.country.clone()), (None, None));
        assert_eq!(q.problems.len(), 2, "{:?}", q.problems);
        assert!(q.problems[0].contains("dob:1952-13-01"));
    }
}
