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

/// Link the entries of a newly current list version against all parties and assignees.
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
            // The new version's entries carry these links now. Links of listings the new
            // version dropped are kept: they are how as-of screening knows that a party's
            // company was listed before (db::asof).
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

/// Copy confirmed/rejected decisions from the old version's entries to the new version's entry
/// of the same listing.
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

/// Link the parties and assignees that `source_id` created against all current entries.
pub fn link_new_records(tx: &Transaction, source_id: i64) -> Result<LinkReport> {
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
    Ok(LinkReport {
        party_links: link_targets(tx, &index, Target::Party, &parties)?,
        assignee_links: link_targets(tx, &index, Target::Assignee, &assignees)?,
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
