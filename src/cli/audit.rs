//! `tradescope audit …`, and the helper every auditable command calls.

use super::commands::Db;
use super::output::json;
use super::AuditAction;
use tradescope_store::audit;
use tradescope_store::error::Error;

/// Append to the audit log. A failure to log does not hide the answer already printed, but it
/// is reported: an auditor must know the record is missing.
pub fn record(db: Db, rec: &audit::NewRecord) {
    let result = db
        .open_rw()
        .and_then(|mut conn| audit::append(&mut conn, rec));
    if let Err(e) = result {
        errln!(
            "warning: this {} was NOT recorded in the audit log: {e}",
            rec.action
        );
    }
}

pub fn run(db: Db, action: AuditAction) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    match action {
        AuditAction::Verify { json: as_json } => {
            let v = audit::verify(&conn)?;
            if as_json {
                json(&v)?;
            } else if v.ok {
                outln!("audit log OK: {} rows, head hash {}", v.rows, v.head);
            }
            match &v.problem {
                None => Ok(()),
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
            let rows = audit::recent(&conn, limit)?;
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
            let rows = audit::all(&conn)?;
            drop(conn);
            if format == "json" {
                json(&rows)?;
            } else {
                // Spreadsheet-safe cells (queries are user input); on a terminal, no escape
                // sequence reaches it (`output::data`).
                let mut w = tradescope_core::text::spreadsheet::CsvWriter::new(super::output::data());
                for r in &rows {
                    w.serialize(r)?;
                }
                w.flush()?;
            }
            // The export itself goes on the log, after the rows it wrote.
            record(
                db,
                &audit::NewRecord {
                    action: "export".into(),
                    query: Some(format!("audit log as {format} to stdout")),
                    results: serde_json::json!({
                        "what": "audit log",
                        "rows": rows.len(),
                        "head": rows.last().map(|r| r.hash.clone()),
                    }),
                    ..Default::default()
                },
            );
            Ok(())
        }
    }
}
