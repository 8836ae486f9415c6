//! The workbench's writes: audit records (searches, screenings, intersections, trails and
//! exports, as the CLI records them), case marks and case exports. The workbench browses on
//! read-only connections; each write opens a short read-write one on the write lane.

use std::path::{Path, PathBuf};

use tradescope_core::link::LinkPair;
use tradescope_core::model::RecordRef;
use tradescope_store::audit;
use tradescope_store::decisions::{NewDecision, Verdict};
use tradescope_store::error::{Error, Result};
use tradescope_store::export::{self, Format};
use tradescope_store::link_review::Verdict as LinkVerdict;
use tradescope_store::Store;

#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Audit(AuditEntry),
    /// Add a record to a case (created on first use).
    Mark {
        case: String,
        record: RecordRef,
    },
    /// Export a case as Markdown with provenance into `dir`.
    Export {
        case: String,
        dir: PathBuf,
    },
    /// Confirm, reject or reset a link, with the reviewer's reason (audited).
    ReviewLink {
        pair: LinkPair,
        verdict: LinkVerdict,
        reason: String,
    },
    /// A decision on a screening hit (stored with its audit record).
    Decide {
        name: String,
        entry_id: i64,
        verdict: Verdict,
        reason: String,
        /// The hit's score as screened.
        score: Option<f64>,
    },
}

/// What an audit record says (the list versions, time and user are added when it is written).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditEntry {
    pub action: String,
    pub query: Option<String>,
    pub normalized_query: Option<String>,
    /// Whether the name matcher's version applies (searches, screenings).
    pub matcher: bool,
    pub threshold: Option<f64>,
    pub results: serde_json::Value,
}

impl AuditEntry {
    fn record(&self) -> audit::NewRecord {
        audit::NewRecord {
            action: self.action.clone(),
            query: self.query.clone(),
            normalized_query: self.normalized_query.clone(),
            matcher_version: self
                .matcher
                .then(|| tradescope_matching::MATCHER_VERSION.to_string()),
            threshold: self.threshold,
            results: self.results.clone(),
            at: None,
        }
    }
}

/// Run a write; the answer is the status line's message (empty: nothing to say).
pub fn run(store: &dyn Store, w: Write) -> std::result::Result<String, String> {
    match w {
        Write::Audit(e) => record(store, &e.record()),
        Write::Mark { case, record } => mark(store, &case, record).map_err(|e| e.to_string()),
        Write::Export { case, dir } => export_case(store, &case, &dir).map_err(|e| e.to_string()),
        Write::ReviewLink {
            pair,
            verdict,
            reason,
        } => store
            .review_link(&pair, verdict, &reason)
            .map(|r| {
                format!(
                    "link {} ({}): {} ↔ {} {} — review {} in the audit log",
                    r.status,
                    r.reason,
                    r.listed_name.as_deref().unwrap_or("?"),
                    r.target,
                    r.target_name.as_deref().unwrap_or("?"),
                    r.id
                )
            })
            .map_err(|e| format!("the review was NOT recorded: {e}")),
        Write::Decide {
            name,
            entry_id,
            verdict,
            reason,
            score,
        } => store
            .decide(&NewDecision {
                name: &name,
                entry_id,
                verdict,
                reason: &reason,
                score,
            })
            .map(|d| {
                format!(
                    "decision {}: {} on #{} (audited; `tradescope decisions undo {}`)",
                    d.id,
                    d.verdict.as_str(),
                    d.entry_id,
                    d.id
                )
            })
            .map_err(|e| format!("decision not recorded: {e}")),
    }
}

/// How often held-back audit records are retried.
pub const AUDIT_RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// Record `rec`, after any records held back before it. A record the database does not take
/// now (busy with another process's import, read-only) is held back in the spool
/// (`audit::spool`) and retried; the status line says so. It is never dropped.
fn record(store: &dyn Store, rec: &audit::NewRecord) -> std::result::Result<String, String> {
    let written = store
        .audit_flush()
        .and_then(|n| store.audit_append(rec).map(|_| n));
    match written {
        Ok(0) => Ok(String::new()),
        Ok(n) => Ok(format!("audit: {} written to the log", count(n as i64, "held-back record"))),
        Err(err) => match store.audit_hold_back(rec) {
            Ok(n) => Err(format!(
                "audit: {} held back, not yet in the log ({err}); retried every {} s and kept until written",
                count(n as i64, "record"),
                AUDIT_RETRY.as_secs()
            )),
            Err(e2) => Err(format!(
                "this {} was NOT recorded in the audit log: {err}; holding it back failed too: {e2}",
                rec.action
            )),
        },
    }
}

/// "1 record" / "3 records" (`what` in the singular).
fn count(n: impl Into<i64>, what: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// How many audit records are held back.
pub fn held_back(store: &dyn Store) -> usize {
    store.audit_held_back().unwrap_or(0)
}

/// Retry the held-back records (the write lane calls this while some wait).
pub fn retry(store: &dyn Store) -> std::result::Result<String, String> {
    let waiting = held_back(store);
    match store.audit_flush() {
        Ok(n) => Ok(format!(
            "audit: {} written to the log",
            count(n as i64, "held-back record")
        )),
        Err(e) => Err(format!(
            "audit: {} still held back, not yet in the log ({e}); retrying",
            count(waiting as i64, "record")
        )),
    }
}

fn mark(store: &dyn Store, case: &str, r: RecordRef) -> Result<String> {
    let n = store.case_add(case, r)?;
    Ok(format!(
        "marked {} #{} into case “{case}” ({}; x exports it)",
        r.kind.as_str(),
        r.id,
        count(n, "record")
    ))
}

/// A file name part from a case name: letters, digits, '-' and '_' only.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    if s.is_empty() {
        "case".into()
    } else {
        s
    }
}

fn export_case(store: &dyn Store, case: &str, dir: &Path) -> Result<String> {
    let Some(e) = store.case_export(case)? else {
        return Err(Error::User(format!(
            "case “{case}” has no records yet: mark some with m first"
        )));
    };
    let text = export::render(&e, Format::Markdown)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    // Created exclusively under the first free name (`…-2.md` for a second export in the same
    // second): a symlink planted at the predictable name is never followed, nothing replaced.
    let path = export::write_unique(dir, &format!("case-{}-{stamp}", slug(case)), "md", &text)?;
    let dest = path.display().to_string();
    // As `tradescope case export` records it.
    store.audit_append(&audit::export_record(
            &format!("case {:?} as md", e.case),
            &dest,
            &text,
            serde_json::json!({
                "case": e.case,
                "format": "md",
                "items": e.items.len(),
                "records": e.items.iter().map(|i| format!("{} #{}", i.kind, i.record_id)).collect::<Vec<_>>(),
            }),
    ))?;
    Ok(format!(
        "exported case “{case}” ({} {}, with provenance) to {dest}",
        e.items.len(),
        if e.items.len() == 1 {
            "record"
        } else {
            "records"
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_make_safe_file_names() {
        assert_eq!(slug("hikvision VN/US"), "hikvision-VN-US");
        assert_eq!(slug("../../etc"), "------etc");
        assert_eq!(slug(""), "case");
    }
}
