//! Link review (issue 17): a reviewer confirms or rejects a link the matcher made between a
//! list entry and a trade party or patent assignee, with a reason. The link row's `status`
//! holds the verdict (and `link::carry_decisions` keeps it across list versions); `link_review`
//! keeps the history, never deleted; each review is an audit record, written in the same
//! transaction. A review holds for the listing: every current entry of it (the same OFAC entry
//! in the CSL and in the OFAC file) linked to the party or assignee gets the status.
//!
//! Rejected links leave drills, counts, the intersection and trails (those queries skip
//! `status = 'rejected'`); [`rejected_links`] shows them again.

use rusqlite::Connection;
use serde::Serialize;

use crate::args;
use crate::audit::{self, NewRecord};
use crate::entities;
use crate::error::{Error, Result};
use crate::sql::Sql;
use tradescope_core::link::{LinkItem, LinkPair, LinkTarget, PairTarget};
use tradescope_core::model::{RecordKind, RecordRef};

/// A reviewer's verdict on a link; `Auto` puts it back to the matcher's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Confirmed,
    Rejected,
    Auto,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Rejected => "rejected",
            Verdict::Auto => "auto",
        }
    }
}

/// Longest review reason, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// One review, with the names it was about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReview {
    pub id: i64,
    pub listing_key: String,
    /// The listed name (of the newest entry of the listing).
    pub listed_name: Option<String>,
    pub target: String,
    pub target_id: i64,
    pub target_name: Option<String>,
    pub status: String,
    pub reason: String,
    pub at: String,
    pub by: String,
}

fn table(t: PairTarget) -> (&'static str, &'static str, &'static str) {
    match t {
        PairTarget::Party => ("link_party", "party_id", "party"),
        PairTarget::Assignee => ("link_assignee", "assignee_id", "assignee"),
    }
}

fn target_name(conn: &dyn Sql, t: PairTarget, id: i64) -> Result<Option<String>> {
    let (_, _, tab) = table(t);
    conn.opt(
        &format!("SELECT name FROM {tab} WHERE id = ?1"),
        args![id],
        |r| r.get(0),
    )
}

/// Record `verdict` on the link entry ↔ target (and on the other entries of its listing), with
/// its audit record, in one transaction.
pub fn review(
    conn: &mut Connection,
    entry_id: i64,
    target: PairTarget,
    target_id: i64,
    verdict: Verdict,
    reason: &str,
) -> Result<LinkReview> {
    let (_, id) = audit::append_with(conn, |tx| {
        review_in(tx, entry_id, target, target_id, verdict, reason)
    })?;
    get(conn, id)
}

/// The review written inside the caller's transaction (either engine): its audit records
/// (for the caller to append in the same transaction) and its id.
pub fn review_in(
    tx: &dyn Sql,
    entry_id: i64,
    target: PairTarget,
    target_id: i64,
    verdict: Verdict,
    reason: &str,
) -> Result<(Vec<NewRecord>, i64)> {
    let conn = tx;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::User(
            "a link review needs a reason (--reason TEXT): an auditor reads it".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::User(format!(
            "the reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    let e = entities::get(conn, entry_id)?;
    let (tab, col, what) = table(target);
    let status: Option<String> = conn.opt(
        &format!("SELECT status FROM {tab} WHERE entry_id = ?1 AND {col} = ?2"),
        args![entry_id, target_id],
        |r| r.get(0),
    )?;
    let Some(status) = status else {
        return Err(Error::NotFound(format!(
            "list entry #{entry_id} is not linked to {what} #{target_id} (`tradescope show \
             entity {entry_id}` lists its links)"
        )));
    };
    if status == verdict.as_str() {
        return Err(Error::User(format!("the link is {status} already")));
    }
    let name = target_name(conn, target, target_id)?;
    let (by, at) = (audit::current_user(), crate::now_utc());
    {
        let rows = tx.exec(
            &format!(
                "UPDATE {tab} SET status = ?1 WHERE {col} = ?2 AND entry_id IN
                   (SELECT id FROM list_entry WHERE listing_key = ?3 AND (current = 1 OR id = ?4))"
            ),
            args![verdict.as_str(), target_id, &e.listing_key, entry_id],
        )?;
        let id: i64 = tx.one(
            "INSERT INTO link_review (listing_key, target, target_id, status, reason, at, by_user)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            args![
                &e.listing_key,
                target.as_str(),
                target_id,
                verdict.as_str(),
                reason,
                &at,
                &by
            ],
        )?;
        let rec = NewRecord {
            action: "link_review".into(),
            query: Some(format!(
                "{} ↔ {what} {}",
                e.name,
                name.as_deref().unwrap_or("?")
            )),
            at: Some(at.clone()),
            results: serde_json::json!({
                "review": id, "status": verdict.as_str(), "was": status, "reason": reason,
                "entry_id": entry_id, "listing_key": e.listing_key, "listed_name": e.name,
                "target": target.as_str(), "target_id": target_id, "target_name": name,
                "links": rows,
            }),
            ..Default::default()
        };
        Ok((vec![rec], id))
    }
}

const COLUMNS: &str = "r.id, r.listing_key,
    (SELECT name FROM list_entry e WHERE e.listing_key = r.listing_key
       ORDER BY e.current DESC, e.id DESC LIMIT 1),
    r.target, r.target_id,
    CASE r.target WHEN 'party' THEN (SELECT name FROM party WHERE id = r.target_id)
                  ELSE (SELECT name FROM assignee WHERE id = r.target_id) END,
    r.status, r.reason, r.at, r.by_user";

fn row(r: &crate::sql::Row) -> Result<LinkReview> {
    Ok(LinkReview {
        id: r.get(0)?,
        listing_key: r.get(1)?,
        listed_name: r.get(2)?,
        target: r.get(3)?,
        target_id: r.get(4)?,
        target_name: r.get(5)?,
        status: r.get(6)?,
        reason: r.get(7)?,
        at: r.get(8)?,
        by: r.get(9)?,
    })
}

pub fn get(conn: &dyn Sql, id: i64) -> Result<LinkReview> {
    conn.opt(
        &format!("SELECT {COLUMNS} FROM link_review r WHERE r.id = ?1"),
        args![id],
        row,
    )?
    .ok_or_else(|| Error::NotFound(format!("no link review with id {id}")))
}

/// Every review, oldest first; of one list entry's listing only, when `entry_id` is given.
pub fn reviews(conn: &dyn Sql, entry_id: Option<i64>) -> Result<Vec<LinkReview>> {
    let key = match entry_id {
        Some(id) => Some(entities::get(conn, id)?.listing_key),
        None => None,
    };
    conn.map(
        &format!(
            "SELECT {COLUMNS} FROM link_review r WHERE CAST(?1 AS TEXT) IS NULL OR r.listing_key = ?1 \
             ORDER BY r.id"
        ),
        args![key],
        row,
    )
}

/// The reason of the newest review of a link, if any.
fn last_reason(conn: &dyn Sql, key: &str, target: PairTarget, id: i64) -> Result<String> {
    Ok(conn
        .opt(
            "SELECT reason FROM link_review WHERE listing_key = ?1 AND target = ?2
             AND target_id = ?3 ORDER BY id DESC LIMIT 1",
            args![key, target.as_str(), id],
            |r| r.get(0),
        )?
        .unwrap_or_default())
}

/// The rejected links of a list entry, trade party or patent assignee, as links the detail
/// view lists (marked ✗, with the reason) and a reviewer can confirm or reset again.
pub fn rejected_links(conn: &dyn Sql, r: RecordRef) -> Result<Vec<LinkItem>> {
    // (entry id, listing key, entry label, target, target id, target label, score, explanation)
    type Rejected = (i64, String, String, PairTarget, i64, String, f64, String);
    let sql = |target: PairTarget, by_entry: bool| {
        let (tab, col, other) = table(target);
        format!(
            "SELECT e.id, e.listing_key, e.list_code || ' — ' || e.name, t.id, t.name, l.score,
                l.explanation
             FROM {tab} l JOIN list_entry e ON e.id = l.entry_id JOIN {other} t ON t.id = l.{col}
             WHERE l.status = 'rejected' AND {}
             ORDER BY l.score DESC, e.id, t.id",
            if by_entry {
                "l.entry_id = ?1".to_string()
            } else {
                format!("l.{col} = ?1 AND e.current = 1")
            }
        )
    };
    let queries: Vec<(PairTarget, bool)> = match r.kind {
        RecordKind::Entity => vec![(PairTarget::Party, true), (PairTarget::Assignee, true)],
        RecordKind::Party => vec![(PairTarget::Party, false)],
        RecordKind::Assignee => vec![(PairTarget::Assignee, false)],
        RecordKind::Shipment | RecordKind::Patent => Vec::new(),
    };
    let mut found: Vec<Rejected> = Vec::new();
    for (target, by_entry) in queries {
        let rows = conn.map(&sql(target, by_entry), args![r.id], |x| {
            Ok((
                x.get(0)?,
                x.get(1)?,
                x.get(2)?,
                target,
                x.get(3)?,
                x.get(4)?,
                x.get(5)?,
                x.get(6)?,
            ))
        })?;
        for row in rows {
            let row: Rejected = row;
            // One line per listing (its copies in other datasets were rejected with it).
            if !found
                .iter()
                .any(|f| f.1 == row.1 && f.3 == row.3 && f.4 == row.4)
            {
                found.push(row);
            }
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (entry_id, key, entry, target, target_id, name, score, explanation) in found {
        let reason = last_reason(conn, &key, target, target_id)?;
        let (link, label) = match (r.kind, target) {
            (RecordKind::Entity, PairTarget::Party) => (
                RecordRef::new(RecordKind::Party, target_id),
                format!("Trade party: {name}"),
            ),
            (RecordKind::Entity, PairTarget::Assignee) => (
                RecordRef::new(RecordKind::Assignee, target_id),
                format!("Patent assignee: {name}"),
            ),
            _ => (
                RecordRef::new(RecordKind::Entity, entry_id),
                format!("Listed: {entry}"),
            ),
        };
        out.push(
            LinkItem::to_record(
                link.kind,
                link.id,
                format!("✗ {label} (rejected: {reason})"),
                None,
            )
            .matched(score, explanation)
            .reviewable(LinkPair {
                entry_id,
                target,
                target_id,
                status: "rejected".into(),
            }),
        );
    }
    Ok(out)
}

/// The "rejected links: N" line of a record with rejected links: following it shows them.
pub(crate) fn rejected_line(conn: &dyn Sql, kind: RecordKind, id: i64) -> Result<Option<LinkItem>> {
    let r = RecordRef::new(kind, id);
    let n = rejected_links(conn, r)?.len() as i64;
    Ok((n > 0).then(|| {
        let mut line = LinkItem::to_list(
            LinkTarget::Rejected(r),
            format!(
                "Rejected links: {n} (left out of drills, counts, the intersection and trails; \
                 Enter shows them)"
            ),
            n,
        );
        line.count = None;
        line
    }))
}

/// A record's links, then its rejected links (after its "rejected links: N" line).
pub fn links_with_rejected(conn: &dyn Sql, kind: RecordKind, id: i64) -> Result<Vec<LinkItem>> {
    let mut out = crate::links::links(conn, kind, id)?;
    out.extend(rejected_links(conn, RecordRef::new(kind, id))?);
    Ok(out)
}
