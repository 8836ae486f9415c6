//! Links between list entries and trade parties / patent assignees, made by the name matcher at
//! import time and stored with score, method and explanation. Review decisions (confirmed,
//! rejected) survive a list update: they are carried to the new version's entry of the same
//! listing.

use rayon::prelude::*;
use rusqlite::{params, Transaction};
use serde::Serialize;

use crate::error::Result;
use tradescope_core::progress::Progress;
use tradescope_matching::{self as matching, NameIndex, NameRecord, Schema, SearchOptions};

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LinkReport {
    pub party_links: u64,
    pub assignee_links: u64,
    /// Product makers (pattern table) linked to list entries, after a list import.
    pub maker_links: u64,
}

/// Which target table a link goes to.
#[derive(Clone, Copy)]
enum Target {
    Party,
    Assignee,
}

impl Target {
    fn table(self) -> &'static str {
        match self {
            Target::Party => "link_party",
            Target::Assignee => "link_assignee",
        }
    }
    fn column(self) -> &'static str {
        match self {
            Target::Party => "party_id",
            Target::Assignee => "assignee_id",
        }
    }
}

/// Names of list entries to match against, restricted by a WHERE clause on `list_entry e`.
fn entry_index(tx: &Transaction, where_sql: &str, arg: i64) -> Result<NameIndex> {
    let sql = format!(
        "SELECT e.id, n.name, e.entity_type, e.country, e.dates_of_birth FROM entry_name n
         JOIN list_entry e ON e.id = n.entry_id WHERE {where_sql}"
    );
    let mut stmt = tx.prepare(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok(NameRecord {
            id: r.get(0)?,
            name: r.get(1)?,
            schema: Schema::from_entity_type(&r.get::<_, String>(2)?),
            country: r.get(3)?,
            dob: r.get(4)?,
        })
    })?;
    let records = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(NameIndex::build(records))
}

/// (id, name, country) of the targets selected by `sql` with one argument.
fn targets(tx: &Transaction, sql: &str, arg: i64) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([arg], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Match every target name against the index (in parallel) and store the links.
fn link_targets(
    tx: &Transaction,
    index: &NameIndex,
    target: Target,
    items: &[(i64, String, Option<String>)],
) -> Result<u64> {
    if index.is_empty() || items.is_empty() {
        return Ok(0);
    }
    let found: Vec<(i64, matching::Hit)> = items
        .par_iter()
        .flat_map_iter(|(id, name, country)| {
            let opts = SearchOptions {
                threshold: matching::LINK_THRESHOLD,
                limit: 50,
                schema: Schema::Unknown,
                country: country.clone(),
                dob: None,
            };
            index.search(name, &opts).into_iter().map(move |h| (*id, h))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} (entry_id, {}, score, method, matched_name, explanation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET score = excluded.score, method = excluded.method,
           matched_name = excluded.matched_name, explanation = excluded.explanation",
        target.table(),
        target.column()
    );
    let mut stmt = tx.prepare(&sql)?;
    for (target_id, hit) in &found {
        stmt.execute(params![
            hit.id,
            target_id,
            hit.score,
            matching::MATCHER_VERSION,
            hit.matched_name,
            hit.explanation
        ])?;
    }
    Ok(found.len() as u64)
}

/// Names matched between two progress reports (the matching is the slow part: ~47,000
/// assignees against a new list take most of a first start).
const PROGRESS_STEP: usize = 2_000;

/// [`link_targets`] a step at a time, counting the names done on `progress`; the same links
/// in the same order.
fn link_counted(
    tx: &Transaction,
    index: &NameIndex,
    target: Target,
    items: &[(i64, String, Option<String>)],
    progress: &dyn Progress,
) -> Result<u64> {
    let mut links = 0;
    for step in items.chunks(PROGRESS_STEP) {
        links += link_targets(tx, index, target, step)?;
        progress.inc(step.len() as u64);
    }
    Ok(links)
}

/// Open the linking stage: counted in names when there are any (else a plain stage: nothing
/// to count, nothing to wait for).
fn linking_stage(progress: &dyn Progress, names: u64) {
    if names > 0 {
        progress.stage_items("linking names", names);
    } else {
        progress.stage("linking names", None);
    }
}

/// How many names a linking stage goes through: parties and assignees, all or of one source.
fn names_to_link(tx: &Transaction, source: Option<i64>) -> Result<u64> {
    let n: i64 = match source {
        None => tx.query_row(
            "SELECT (SELECT count(*) FROM party) + (SELECT count(*) FROM assignee)",
            [],
            |r| r.get(0),
        )?,
        Some(s) => tx.query_row(
            "SELECT (SELECT count(*) FROM party WHERE source_id = ?1)
                  + (SELECT count(*) FROM assignee WHERE source_id = ?1)",
            params![s],
            |r| r.get(0),
        )?,
    };
    Ok(n.max(0) as u64)
}

/// Parties (or assignees) matched per round when a list version is linked: memory stays
/// bounded by the round (names, hits), the matching of a round runs on all cores.
const LINK_CHUNK: usize = 50_000;

thread_local! {
    /// Set by [`with_naive_linking`]: list versions are linked the way they were before
    /// issue 21 (the benchmark's baseline and the equivalence test's reference).
    static NAIVE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` with list versions linked by [`naive::link_source_entries`] on this thread (the
/// benchmark's baseline, and the reference the equivalence test compares against).
pub fn with_naive_linking<T>(f: impl FnOnce() -> T) -> T {
    let before = NAIVE.with(|n| n.replace(true));
    let out = f();
    NAIVE.with(|n| n.set(before));
    out
}

/// Link the entries of a newly current list version against all parties and assignees.
///
/// Linear in the list's size and the number of targets: the index over the version's names is
/// built once; targets are read and matched `LINK_CHUNK` at a time in id order; carrying
/// review decisions and dropping the replaced version's links look up each listing through
/// `list_entry_listing` (issue 21 item 6: the planner's pick of `list_entry_source` for those
/// lookups made them a scan of the whole new version per old entry, quadratic in the list).
pub fn link_source_entries(
    tx: &Transaction,
    source_id: i64,
    replaced: Option<i64>,
    progress: &dyn Progress,
) -> Result<LinkReport> {
    if NAIVE.with(|n| n.get()) {
        return naive::link_source_entries(tx, source_id, replaced);
    }
    let index = entry_index(tx, "e.source_id = ?1", source_id)?;
    let mut report = LinkReport::default();
    if !index.is_empty() {
        // Counted: on a first start this is ~47,000 assignees against the CSL (issue 20).
        linking_stage(progress, names_to_link(tx, None)?);
        report.party_links = link_all(
            tx,
            &index,
            Target::Party,
            "SELECT id, name, country FROM party WHERE id > ?1 ORDER BY id LIMIT ?2",
            progress,
        )?;
        report.assignee_links = link_all(
            tx,
            &index,
            Target::Assignee,
            "SELECT id, name, NULL FROM assignee WHERE id > ?1 ORDER BY id LIMIT ?2",
            progress,
        )?;
    }
    if let Some(old) = replaced {
        for t in [Target::Party, Target::Assignee] {
            carry_decisions_by_listing(tx, t, old, source_id)?;
            // The new version's entries carry these links now. Links of listings the new
            // version dropped are kept: they are how as-of screening knows that a party's
            // company was listed before (db::asof). `+n.source_id`: found by listing key.
            tx.execute(
                &format!(
                    "DELETE FROM {} WHERE entry_id IN (SELECT o.id FROM list_entry o
                       WHERE o.source_id = ?1 AND EXISTS (SELECT 1 FROM list_entry n
                         WHERE n.listing_key = o.listing_key AND +n.source_id = ?2))",
                    t.table()
                ),
                params![old, source_id],
            )?;
        }
    }
    Ok(report)
}

/// Match every target `sql` pages through (keyset on id: `?1` the last id, `?2` the page size)
/// against `index`, a page at a time.
fn link_all(
    tx: &Transaction,
    index: &NameIndex,
    target: Target,
    sql: &str,
    progress: &dyn Progress,
) -> Result<u64> {
    let mut stmt = tx.prepare(sql)?;
    let (mut last, mut links) = (0i64, 0u64);
    loop {
        let items = stmt
            .query_map(params![last, LINK_CHUNK as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, Option<String>)>>>()?;
        let Some(&(id, _, _)) = items.last() else {
            return Ok(links);
        };
        last = id;
        links += link_counted(tx, index, target, &items, progress)?;
    }
}

/// Copy confirmed/rejected decisions from the old version's entries to the new version's entry
/// of the same listing: from the decided links (few) to the new entry by listing key.
fn carry_decisions_by_listing(tx: &Transaction, t: Target, old: i64, new: i64) -> Result<()> {
    let (table, col) = (t.table(), t.column());
    tx.execute(
        &format!(
            "INSERT INTO {table} (entry_id, {col}, score, method, matched_name, explanation, status)
             SELECT ne.id, l.{col}, l.score, l.method, l.matched_name, l.explanation, l.status
             FROM {table} l
             JOIN list_entry oe ON oe.id = l.entry_id AND +oe.source_id = ?1
             JOIN list_entry ne ON ne.listing_key = oe.listing_key AND +ne.source_id = ?2
             WHERE l.status <> 'auto'
             ON CONFLICT DO UPDATE SET status = excluded.status"
        ),
        params![old, new],
    )?;
    Ok(())
}

/// The list-version linking as it was before issue 21 item 6, kept as the benchmark's naive
/// baseline: all targets in memory at once, and listing lookups the planner answers by
/// scanning the new version's entries (quadratic in the list's size).
pub mod naive {
    use super::*;

    pub fn link_source_entries(
        tx: &Transaction,
        source_id: i64,
        replaced: Option<i64>,
    ) -> Result<LinkReport> {
        let index = entry_index(tx, "e.source_id = ?1", source_id)?;
        let parties = targets(tx, "SELECT id, name, country FROM party WHERE ?1 = ?1", 0)?;
        let assignees = targets(tx, "SELECT id, name, NULL FROM assignee WHERE ?1 = ?1", 0)?;
        let report = LinkReport {
            party_links: link_targets(tx, &index, Target::Party, &parties)?,
            assignee_links: link_targets(tx, &index, Target::Assignee, &assignees)?,
            maker_links: 0,
        };
        if let Some(old) = replaced {
            for t in [Target::Party, Target::Assignee] {
                carry_decisions(tx, t, old, source_id)?;
                tx.execute(
                    &format!(
                        "DELETE FROM {} WHERE entry_id IN (SELECT o.id FROM list_entry o
                           WHERE o.source_id = ?1 AND EXISTS (SELECT 1 FROM list_entry n
                             WHERE n.source_id = ?2 AND n.listing_key = o.listing_key))",
                        t.table()
                    ),
                    params![old, source_id],
                )?;
            }
        }
        Ok(report)
    }

    fn carry_decisions(tx: &Transaction, t: Target, old: i64, new: i64) -> Result<()> {
        let (table, col) = (t.table(), t.column());
        tx.execute(
            &format!(
                "INSERT INTO {table} (entry_id, {col}, score, method, matched_name, explanation, status)
                 SELECT ne.id, l.{col}, l.score, l.method, l.matched_name, l.explanation, l.status
                 FROM {table} l
                 JOIN list_entry oe ON oe.id = l.entry_id AND oe.source_id = ?1
                 JOIN list_entry ne ON ne.listing_key = oe.listing_key AND ne.source_id = ?2
                 WHERE l.status <> 'auto'
                 ON CONFLICT DO UPDATE SET status = excluded.status"
            ),
            params![old, new],
        )?;
        Ok(())
    }
}

/// Link the parties and assignees that `source_id` created against all current entries.
pub fn link_new_records(
    tx: &Transaction,
    source_id: i64,
    progress: &dyn Progress,
) -> Result<LinkReport> {
    let parties = targets(
        tx,
        "SELECT id, name, country FROM party WHERE source_id = ?1",
        source_id,
    )?;
    let assignees = targets(
        tx,
        "SELECT id, name, NULL FROM assignee WHERE source_id = ?1",
        source_id,
    )?;
    if parties.is_empty() && assignees.is_empty() {
        return Ok(LinkReport::default());
    }
    // Current entries, and the newest entry of each listing no longer on any list: a party
    // named like a delisted company is linked to it, for as-of screening (db::asof).
    let index = entry_index(
        tx,
        "e.current = ?1 OR (e.current = 0
           AND NOT EXISTS (SELECT 1 FROM list_entry c WHERE c.listing_key = e.listing_key AND c.current = 1)
           AND e.id = (SELECT max(o.id) FROM list_entry o WHERE o.listing_key = e.listing_key))",
        1,
    )?;
    linking_stage(progress, names_to_link(tx, Some(source_id))?);
    Ok(LinkReport {
        party_links: link_counted(tx, &index, Target::Party, &parties, progress)?,
        assignee_links: link_counted(tx, &index, Target::Assignee, &assignees, progress)?,
        maker_links: 0,
    })
}

/// Link the parties of `source_id` (millions, after `tradescope-bench gen`) against all current
/// entries, `chunk` parties at a time: memory stays bounded by the chunk, the matching of each
/// chunk runs on all cores. With `busiest`, only that many parties are linked, the most active
/// first (a matcher too slow for millions still links the parties analysts reach most often).
/// Returns the number of links stored.
pub fn link_source_parties(
    tx: &Transaction,
    source_id: i64,
    busiest: Option<usize>,
    chunk: usize,
    progress: &dyn Progress,
) -> Result<u64> {
    let index = entry_index(tx, "e.current = ?1", 1)?;
    let mut links = 0u64;
    if let Some(n) = busiest {
        let mut stmt = tx.prepare(
            "SELECT id, name, country FROM party WHERE source_id = ?1
             ORDER BY n_shipped + n_received + n_notified DESC, id LIMIT ?2",
        )?;
        let items = stmt
            .query_map(params![source_id, n as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, Option<String>)>>>()?;
        for part in items.chunks(chunk.max(1)) {
            links += link_targets(tx, &index, Target::Party, part)?;
            progress.inc(part.len() as u64);
        }
        return Ok(links);
    }
    let mut stmt = tx.prepare(
        "SELECT id, name, country FROM party WHERE source_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let mut last = 0i64;
    loop {
        let items = stmt
            .query_map(params![source_id, last, chunk as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, String, Option<String>)>>>()?;
        let Some(&(id, _, _)) = items.last() else {
            break;
        };
        last = id;
        links += link_targets(tx, &index, Target::Party, &items)?;
        progress.inc(items.len() as u64);
    }
    Ok(links)
}
