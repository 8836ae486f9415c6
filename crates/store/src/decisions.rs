//! Decisions on screening hits (issue 17): an analyst's verdict — a true match, a false
//! positive, or escalated — on a hit of a screened name against a listing, with a reason.
//!
//! A decision is keyed by the screened name's normalized key and the listing key, so it holds
//! across list versions. It is never deleted: an undo marks it undone. Each decision and each
//! undo is stored with its audit record in one transaction ([`audit::append_with`]). A false
//! positive stops counting as a match, and is re-opened by itself when the listing changes
//! materially (an alias, an address or a program it did not have) or the hit scores higher than
//! it was cleared at.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::args;
use crate::audit::{self, NewRecord};
use crate::entities;
use crate::error::{Error, Result};
use crate::now_utc;
use crate::sql::Sql;
use tradescope_matching as matching;

/// What the analyst decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// A true hit: the screened party is the listed one.
    Match,
    /// Not the listed party: cleared.
    FalsePositive,
    /// Needs someone else's look (still counts as a match).
    Escalate,
}

impl Verdict {
    pub const ACCEPTED: &'static str = "match, false-positive, escalate";

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Match => "match",
            Verdict::FalsePositive => "false-positive",
            Verdict::Escalate => "escalate",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "match" | "true-match" | "true-positive" => Some(Verdict::Match),
            "false-positive" | "fp" | "false" | "cleared" => Some(Verdict::FalsePositive),
            "escalate" | "escalated" => Some(Verdict::Escalate),
            _ => None,
        }
    }
}

/// What of a listing a false positive was cleared against: a listing that gains any of these
/// changed materially.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListingState {
    /// Normalized keys of every name (primary and aliases).
    pub names: BTreeSet<String>,
    pub addresses: BTreeSet<String>,
    pub programs: BTreeSet<String>,
}

impl ListingState {
    /// What `now` has that `self` (the state decided on) had not, said for a person:
    /// `new alias "X"; new program "Y"`. Empty when nothing material changed.
    pub fn gained(&self, now: &ListingState) -> Vec<String> {
        let mut out = Vec::new();
        for (what, old, new) in [
            ("alias", &self.names, &now.names),
            ("address", &self.addresses, &now.addresses),
            ("program", &self.programs, &now.programs),
        ] {
            for v in new.difference(old) {
                out.push(format!("new {what} {v:?}"));
            }
        }
        out
    }
}

/// One stored decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: i64,
    /// The screened name as given.
    pub name: String,
    pub name_norm: String,
    pub listing_key: String,
    pub entry_id: i64,
    pub verdict: Verdict,
    pub reason: String,
    /// The hit's score when it was decided, if it was a hit then.
    pub score: Option<f64>,
    pub at: String,
    pub by: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    #[serde(skip)]
    pub state: ListingState,
    /// The dataset of the entry decided on (whose state is compared).
    #[serde(skip)]
    pub dataset: String,
}

/// A decision as shown with a hit: what was decided, and whether it still holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitDecision {
    pub id: i64,
    pub verdict: Verdict,
    pub reason: String,
    pub by: String,
    pub at: String,
    /// The score it was decided at.
    pub score: Option<f64>,
    /// `cleared` (a false positive that holds), `reopened` (a false positive the listing or
    /// the score overtook), or the verdict (`match`, `escalate`).
    pub status: String,
    /// Why a false positive was re-opened.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reopened_because: Vec<String>,
}

impl HitDecision {
    /// Whether the hit no longer counts as a match: a false positive that still holds.
    pub fn clears(&self) -> bool {
        self.status == "cleared"
    }

    /// One line for a person: "cleared (not the same company, 2026-12-02, by ana)"; a
    /// re-opened false positive says what overtook it.
    pub fn describe(&self) -> String {
        let day = self.at.get(..10).unwrap_or(&self.at);
        let what = format!("({}, {day}, by {})", self.reason, self.by);
        match self.status.as_str() {
            "reopened" => format!(
                "re-opened: was cleared {what}; {}",
                self.reopened_because.join("; ")
            ),
            status => format!("{status} {what}"),
        }
    }
}

/// Scores are compared at the precision they are shown (3 places): a re-screen that gives the
/// same score again does not re-open.
const SCORE_EPSILON: f64 = 0.0005;

const COLUMNS: &str = "d.id, d.name, d.name_norm, d.listing_key, d.entry_id, d.verdict, d.reason,
    d.score, d.decided_at, d.decided_by, d.undone_at, d.undone_by, d.state,
    coalesce((SELECT s.dataset FROM list_entry e JOIN source s ON s.id = e.source_id
              WHERE e.id = d.entry_id), '')";

fn row(r: &crate::sql::Row) -> Result<Decision> {
    let verdict: String = r.get(5)?;
    let state: String = r.get(12)?;
    Ok(Decision {
        id: r.get(0)?,
        name: r.get(1)?,
        name_norm: r.get(2)?,
        listing_key: r.get(3)?,
        entry_id: r.get(4)?,
        // The CHECK constraint admits only the three verdicts.
        verdict: Verdict::parse(&verdict).unwrap_or(Verdict::Escalate),
        reason: r.get(6)?,
        score: r.get(7)?,
        at: r.get(8)?,
        by: r.get(9)?,
        undone_at: r.get(10)?,
        undone_by: r.get(11)?,
        state: serde_json::from_str(&state).unwrap_or_default(),
        dataset: r.get(13)?,
    })
}

/// The state of a listing in one dataset: its current entries' names, addresses and programs
/// (the newest version's entries if none is current, e.g. while deciding on a history entry).
pub fn listing_state(conn: &dyn Sql, listing_key: &str, dataset: &str) -> Result<ListingState> {
    let rows = conn.map(
        "SELECT e.id, e.addresses, e.programs FROM list_entry e JOIN source s ON s.id = e.source_id
         WHERE e.listing_key = ?1 AND s.dataset = ?2 AND e.current = 1",
        args![listing_key, dataset],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<Option<String>>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        },
    )?;
    let mut st = ListingState::default();
    for (id, addresses, programs) in rows {
        for n in conn.map(
            "SELECT norm FROM entry_name WHERE entry_id = ?1",
            args![id],
            |r| r.get::<String>(0),
        )? {
            st.names.insert(n);
        }
        split_into(&mut st.addresses, addresses.as_deref());
        split_into(&mut st.programs, programs.as_deref());
    }
    Ok(st)
}

fn split_into(set: &mut BTreeSet<String>, joined: Option<&str>) {
    for part in joined.unwrap_or("").split("; ") {
        let p = part.split_whitespace().collect::<Vec<_>>().join(" ");
        if !p.is_empty() {
            set.insert(p);
        }
    }
}

/// What a new decision needs.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub name: &'a str,
    pub entry_id: i64,
    pub verdict: Verdict,
    pub reason: &'a str,
    /// The hit's score now; computed by the caller (it has the matcher's index).
    pub score: Option<f64>,
}

/// Record a decision, with its audit record, in one transaction.
pub fn decide(conn: &mut Connection, d: &NewDecision) -> Result<Decision> {
    let (_, id) = audit::append_with(conn, |tx| decide_in(tx, d))?;
    get(conn, id)
}

/// The decision's row, written inside the caller's transaction (either engine): its audit
/// records (for the caller to append in the same transaction) and its id.
pub fn decide_in(tx: &dyn Sql, d: &NewDecision) -> Result<(Vec<NewRecord>, i64)> {
    let reason = d.reason.trim();
    if reason.is_empty() {
        return Err(Error::User(
            "a decision needs a reason (--reason TEXT): an auditor reads it".into(),
        ));
    }
    let norm = matching::normalize_key(d.name);
    if norm.is_empty() {
        return Err(Error::User(format!(
            "{:?} has nothing to screen: give the name as it was screened",
            d.name
        )));
    }
    let e = entities::get(tx, d.entry_id)?;
    let state = listing_state(tx, &e.listing_key, &e.dataset)?;
    let state_json = serde_json::to_string(&state).map_err(|e| Error::User(e.to_string()))?;
    let (by, at) = (audit::current_user(), now_utc());
    {
        let id: i64 = tx.one(
            "INSERT INTO decision (name, name_norm, listing_key, entry_id, verdict, reason, score,
               state, decided_at, decided_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             RETURNING id",
            args![
                d.name.trim(),
                &norm,
                &e.listing_key,
                e.id,
                d.verdict.as_str(),
                reason,
                d.score,
                &state_json,
                &at,
                &by
            ],
        )?;
        let rec = NewRecord {
            action: "decide".into(),
            query: Some(d.name.trim().to_string()),
            normalized_query: Some(norm.clone()),
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            at: Some(at.clone()),
            results: serde_json::json!({
                "decision": id, "verdict": d.verdict.as_str(), "reason": reason,
                "entry_id": e.id, "listing_key": e.listing_key, "list": e.list,
                "listed_name": e.name, "score": d.score,
            }),
            ..Default::default()
        };
        Ok((vec![rec], id))
    }
}

/// Undo a decision (kept, marked undone), with its audit record.
pub fn undo(conn: &mut Connection, id: i64) -> Result<Decision> {
    audit::append_with(conn, |tx| undo_in(tx, id))?;
    get(conn, id)
}

/// [`undo`] inside the caller's transaction (either engine): the audit records for the
/// caller to append in the same transaction.
pub fn undo_in(tx: &dyn Sql, id: i64) -> Result<(Vec<NewRecord>, ())> {
    let d = get(tx, id)?;
    if let Some(at) = &d.undone_at {
        return Err(Error::User(format!(
            "decision {id} was undone already ({at} by {})",
            d.undone_by.as_deref().unwrap_or("?")
        )));
    }
    let (by, at) = (audit::current_user(), now_utc());
    tx.exec(
        "UPDATE decision SET undone_at = ?1, undone_by = ?2 WHERE id = ?3 AND undone_at IS NULL",
        args![&at, &by, id],
    )?;
    let rec = NewRecord {
        action: "undo_decision".into(),
        query: Some(d.name.clone()),
        normalized_query: Some(d.name_norm.clone()),
        at: Some(at.clone()),
        results: serde_json::json!({
            "decision": id, "verdict": d.verdict.as_str(), "reason": d.reason,
            "entry_id": d.entry_id, "listing_key": d.listing_key,
        }),
        ..Default::default()
    };
    Ok((vec![rec], ()))
}

/// The listing key of a list entry, if there is such an entry.
pub fn listing_key(conn: &Connection, entry_id: i64) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached("SELECT listing_key FROM list_entry WHERE id = ?1")?;
    Ok(stmt.query_row([entry_id], |r| r.get(0)).optional()?)
}

pub fn get(conn: &dyn Sql, id: i64) -> Result<Decision> {
    conn.opt(
        &format!("SELECT {COLUMNS} FROM decision d WHERE d.id = ?1"),
        args![id],
        row,
    )?
    .ok_or_else(|| Error::NotFound(format!("no decision with id {id}")))
}

/// Every decision, oldest first (undone ones too, when `with_undone`).
pub fn all(conn: &dyn Sql, with_undone: bool) -> Result<Vec<Decision>> {
    conn.map(
        &format!(
            "SELECT {COLUMNS} FROM decision d {} ORDER BY d.id",
            if with_undone {
                ""
            } else {
                "WHERE d.undone_at IS NULL"
            }
        ),
        &[],
        row,
    )
}

/// The decisions in force (newest per name and listing), for applying to many screens at
/// once: loaded once, looked up by (normalized name, listing key).
#[derive(Debug, Default)]
pub struct Book {
    by_key: HashMap<(String, String), Decision>,
    /// Listing states computed so far, by (listing key, dataset).
    states: std::cell::RefCell<HashMap<(String, String), ListingState>>,
}

impl Book {
    pub fn load(conn: &dyn Sql) -> Result<Book> {
        let mut by_key = HashMap::new();
        for d in all(conn, false)? {
            // Oldest first: a later decision on the same pair replaces an earlier one.
            by_key.insert((d.name_norm.clone(), d.listing_key.clone()), d);
        }
        Ok(Book {
            by_key,
            states: Default::default(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The decision in force for a normalized name and listing, if any.
    pub fn find(&self, name_norm: &str, listing_key: &str) -> Option<&Decision> {
        self.by_key
            .get(&(name_norm.to_string(), listing_key.to_string()))
    }

    /// The decision for a hit of `name` on `listing_key` scoring `score` now, with whether it
    /// still holds.
    pub fn for_hit(
        &self,
        conn: &dyn Sql,
        name: &str,
        listing_key: &str,
        score: f64,
    ) -> Result<Option<HitDecision>> {
        let Some(d) = self.find(&matching::normalize_key(name), listing_key) else {
            return Ok(None);
        };
        let mut because = Vec::new();
        if d.verdict == Verdict::FalsePositive {
            let key = (d.listing_key.clone(), d.dataset.clone());
            let cached = self.states.borrow().get(&key).cloned();
            let now = match cached {
                Some(s) => s,
                None => {
                    let s = listing_state(conn, &d.listing_key, &d.dataset)?;
                    self.states.borrow_mut().insert(key, s.clone());
                    s
                }
            };
            // A listing gone from the dataset (no current entry) has not gained anything.
            if now != ListingState::default() {
                because.extend(d.state.gained(&now));
            }
            if let Some(was) = d.score {
                if score > was + SCORE_EPSILON {
                    because.push(format!("score rose from {was:.3} to {score:.3}"));
                }
            }
        }
        let status = match d.verdict {
            Verdict::FalsePositive if because.is_empty() => "cleared",
            Verdict::FalsePositive => "reopened",
            v => v.as_str(),
        };
        Ok(Some(HitDecision {
            id: d.id,
            verdict: d.verdict,
            reason: d.reason.clone(),
            by: d.by.clone(),
            at: d.at.clone(),
            score: d.score,
            status: status.to_string(),
            reopened_because: because,
        }))
    }
}
