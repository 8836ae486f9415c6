//! `tradescope audit …`, and the helper every auditable command calls.

use std::time::{Duration, Instant};

use super::output::json;
use super::AuditAction;
use tradescope_store::audit;
use tradescope_store::error::Error;
use tradescope_store::Store;

/// How long a record waits for a database another process is writing (an import), in
/// seconds: `TRADESCOPE_AUDIT_WAIT`, default 600.
fn audit_wait() -> Duration {
    let secs = std::env::var("TRADESCOPE_AUDIT_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(600);
    Duration::from_secs(secs)
}

/// Append to the audit log. A database busy with another process's write (an import) is
/// waited for (see [`audit_wait`]; a PostgreSQL server's appends wait on its own lock); a
/// record that still cannot be written is an error (exit 1): an answer is never given without
/// its audit record.
pub fn record(store: &dyn Store, rec: &audit::NewRecord) -> anyhow::Result<()> {
    let deadline = Instant::now() + audit_wait();
    let mut said = false;
    loop {
        match store.audit_append(rec) {
            Ok(_) => return Ok(()),
            Err(e) if e.is_busy() && Instant::now() < deadline => {
                if !said {
                    errln!(
                        "the database is busy (another tradescope is writing it, an import?): \
                         waiting to record this {} in the audit log…",
                        rec.action
                    );
                    said = true;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => {
                return Err(Error::User(format!(
                    "this {} could not be recorded in the audit log, so its answer is not \
                     given: {e}",
                    rec.action
                ))
                .into())
            }
        }
    }
}

pub fn run(store: &dyn Store, action: AuditAction) -> anyhow::Result<()> {
    match action {
        AuditAction::Verify {
            anchor,
            json: as_json,
        } => {
            let given = anchor
                .as_deref()
                .map(str::parse::<audit::Anchor>)
                .transpose()?;
            let v = store.audit_verify_with(given.as_ref())?;
            if as_json {
                json(&v)?;
            } else if v.ok {
                say_verified(&v);
            }
            match &v.problem {
                None => Ok(()),
                Some((0, what)) => {
                    Err(Error::User(format!("audit log FAILED verification: {what}")).into())
                }
                Some((id, what)) => Err(Error::User(format!(
                    "audit log FAILED verification at row {id}: {what}"
                ))
                .into()),
            }
        }
        AuditAction::Show {
            limit,
            json: as_json,
        } => {
            let rows = store.audit_recent(limit)?;
            if as_json {
                return json(&rows);
            }
            for r in rows.iter().rev() {
                outln!(
                    "#{:<5} {} {:<10} {:<13} {}",
                    r.id,
                    r.at,
                    tradescope_core::text::sanitize::sanitize(&r.user),
                    r.action,
                    tradescope_core::text::sanitize::sanitize(r.query.as_deref().unwrap_or(""))
                );
            }
            Ok(())
        }
        AuditAction::Export { format } => {
            let rows = store.audit_all()?;
            let head = store.audit_head()?;
            if format == "json" {
                json(&rows)?;
            } else {
                // Spreadsheet-safe cells (queries are user input); on a terminal, no escape
                // sequence reaches it (`output::data`).
                let mut w =
                    tradescope_core::text::spreadsheet::CsvWriter::new(super::output::data());
                for r in &rows {
                    w.serialize(r)?;
                }
                w.flush()?;
            }
            // The rows' JSON and CSV shapes stay as scripts read them; the anchor goes beside.
            errln!("audit anchor of this export (for `audit verify --anchor`): {head}");
            // The export itself goes on the log, after the rows it wrote.
            record(
                store,
                &audit::NewRecord {
                    action: "export".into(),
                    query: Some(format!("audit log as {format} to stdout")),
                    results: serde_json::json!({
                        "what": "audit log",
                        "rows": rows.len(),
                        "head": rows.last().map(|r| r.hash.clone()),
                        "anchor": head.to_string(),
                    }),
                    ..Default::default()
                },
            )
        }
    }
}

fn say_verified(v: &audit::Verification) {
    outln!("audit log OK: {} rows, head {}", v.rows, v.head);
    if v.keyed_rows > 0 {
        outln!(
            "  {} rows keyed (HMAC-SHA256, key outside the database)",
            v.keyed_rows
        );
    }
    if v.unkeyed_rows > 0 {
        outln!(
            "  {} rows unkeyed (written before the keyed chain: plain SHA-256, which anyone \
             editing the file could recompute; rows after them cover their hashes)",
            v.unkeyed_rows
        );
    }
    if v.anchored_by.is_empty() {
        outln!("  no anchor to hold the head against yet (it is written with the next record)");
    } else {
        outln!("  head checked against {}", v.anchored_by.join(" and "));
    }
    if let Some(a) = &v.anchor {
        outln!("  anchor: {a}");
    }
}
