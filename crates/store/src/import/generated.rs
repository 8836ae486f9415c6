//! Records made by a program rather than read from a file (the demo data), stored like an
//! import.

use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use sha2::Digest;

use super::{input, ImportReport};
use crate::error::Result;
use crate::link;
use crate::now_utc;
use tradescope_core::progress::Progress;

/// Records made by a program rather than read from a file (the demo data): stored like an
/// import, as one synthetic source in one transaction, and linked. `fingerprint` identifies the
/// generated content (generator version and seed): the same fingerprint is not generated twice.
/// `generate` gets the transaction and the new source id and returns the number of records.
pub fn import_generated(
    conn: &mut Connection,
    dataset: &str,
    name: &str,
    fingerprint: &str,
    progress: &dyn Progress,
    generate: impl FnOnce(&Transaction, i64) -> Result<u64>,
) -> Result<ImportReport> {
    let sha = input::hex(&sha2::Sha256::digest(fingerprint.as_bytes()));
    let mut report =
        ImportReport::start(conn, dataset, dataset, vec![name.into()], sha.clone(), None);
    if report.already_imported {
        return Ok(report);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO source (dataset, format, path, sha256, imported_at, current, synthetic, note)
         VALUES (?1, 'generated', ?2, ?3, ?4, 1, 1, ?5)",
        params![dataset, name, sha, now_utc(), fingerprint],
    )?;
    let source_id = tx.last_insert_rowid();
    report.source_id = Some(source_id);
    progress.stage("generating", None);
    report.rows = generate(&tx, source_id)?;
    report.links = link::link_new_records(&tx, source_id, progress)?;
    tx.execute(
        "UPDATE source SET row_count = ?1 WHERE id = ?2",
        params![report.rows as i64, source_id],
    )?;
    tx.commit()?;
    Ok(report)
}
