//! The workbench's writes: audit records (searches, screenings, intersections, trails and
//! exports, as the CLI records them), case marks and case exports. The workbench browses on
//! read-only connections; each write opens a short read-write one on the write lane.

use std::path::{Path, PathBuf};

use tradescope_core::model::RecordRef;
use tradescope_store::error::{Error, Result};
use tradescope_store::export::{self, Format};
use tradescope_store::{self as db, audit, cases};

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
pub fn run(db_path: &Path, w: Write) -> std::result::Result<String, String> {
    match w {
        Write::Audit(e) => record(db_path, &e.record()),
        Write::Mark { case, record } => mark(db_path, &case, record).map_err(|e| e.to_string()),
        Write::Export { case, dir } => export_case(db_path, &case, &dir).map_err(|e| e.to_string()),
    }
}

/// How often held-back audit records are retried.
pub const AUDIT_RETRY: std::time::Duration = std::time::Duration::from_secs(5);

/// Record `rec`, after any records held back before it. A record the database does not take
/// now (busy with another process's import, read-only) is held back in the spool
/// (`audit::spool`) and retried; the status line says so. It is never dropped.
fn record(db_path: &Path, rec: &audit::NewRecord) -> std::result::Result<String, String> {
    let written = flush(db_path).and_then(|n| append(db_path, rec).map(|()| n));
    match written {
        Ok(0) => Ok(String::new()),
        Ok(n) => Ok(format!("audit: {n} held-back records written to the log")),
        Err(err) => match audit::spool::push(db_path, rec) {
            Ok(n) => Err(format!(
                "audit: {n} record(s) held back, not yet in the log ({err}); retried every {} s and kept until written",
                AUDIT_RETRY.as_secs()
            )),
            Err(e2) => Err(format!(
                "this {} was NOT recorded in the audit log: {err}; holding it back failed too: {e2}",
                rec.action
            )),
        },
    }
}

/// Write the held-back records, if any; how many were written.
fn flush(db_path: &Path) -> Result<usize> {
    if audit::spool::pending(db_path)? == 0 {
        return Ok(0);
    }
    let mut conn = db::open_rw(db_path)?;
    audit::spool::flush(&mut conn, db_path)
}

/// How many audit records wait in the spool of `db_path`.
pub fn held_back(db_path: &Path) -> usize {
    audit::spool::pending(db_path).unwrap_or(0)
}

/// Retry the held-back records (the write lane calls this while some wait).
pub fn retry(db_path: &Path) -> std::result::Result<String, String> {
    let waiting = held_back(db_path);
    match flush(db_path) {
        Ok(n) => Ok(format!("audit: {n} held-back records written to the log")),
        Err(e) => Err(format!(
            "audit: {waiting} record(s) still held back, not yet in the log ({e}); retrying"
        )),
    }
}

fn append(db_path: &Path, rec: &audit::NewRecord) -> Result<()> {
    let mut conn = db::open_rw(db_path)?;
    audit::append(&mut conn, rec)?;
    Ok(())
}

fn mark(db_path: &Path, case: &str, r: RecordRef) -> Result<String> {
    let mut conn = db::open_rw(db_path)?;
    let n = cases::add(&mut conn, case, r.kind, r.id, None)?;
    Ok(format!(
        "marked {} #{} into case “{case}” ({n} records; x exports it)",
        r.kind.as_str(),
        r.id
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

fn export_case(db_path: &Path, case: &str, dir: &Path) -> Result<String> {
    let conn = db::open_ro(db_path)?;
    if !cases::exists(&conn, case)? {
        return Err(Error::User(format!(
            "case “{case}” has no records yet: mark some with m first"
        )));
    }
    let e = cases::export(&conn, case)?;
    drop(conn);
    let text = export::render(&e, Format::Markdown)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    // Created exclusively under the first free name (`…-2.md` for a second export in the same
    // second): a symlink planted at the predictable name is never followed, nothing replaced.
    let path = export::write_unique(dir, &format!("case-{}-{stamp}", slug(case)), "md", &text)?;
    let dest = path.display().to_string();
    // As `tradescope case export` records it.
    append(
        db_path,
        &audit::export_record(
            &format!("case {:?} as md", e.case),
            &dest,
            &text,
            serde_json::json!({
                "case": e.case,
                "format": "md",
                "items": e.items.len(),
                "records": e.items.iter().map(|i| format!("{} #{}", i.kind, i.record_id)).collect::<Vec<_>>(),
            }),
        ),
    )?;
    Ok(format!(
        "exported case “{case}” ({} records, with provenance) to {dest}",
        e.items.len()
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
