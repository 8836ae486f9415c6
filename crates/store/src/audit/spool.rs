//! Audit records the workbench could not write yet (the database busy with another process's
//! import, or read-only for now): held in a private file in the state directory, one JSON
//! record a line with the time it happened, and written to the log, in order, as soon as the
//! database takes them — by the workbench's retries, or the next workbench on that database.
//! A record is never dropped: it leaves the spool only once its transaction has committed.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::keys::private_dir;
use super::NewRecord;
use crate::error::{Error, Result};
use crate::import::input::hex;

/// The spool of the database at `db_path`.
pub fn spool_path(db_path: &Path) -> Result<PathBuf> {
    let canon = std::fs::canonicalize(db_path).unwrap_or_else(|_| db_path.to_path_buf());
    spool_path_for(&canon.to_string_lossy())
}

/// The spool of the database named `key` (a SQLite file's canonical path, a server
/// database's URL without its password).
pub fn spool_path_for(key: &str) -> Result<PathBuf> {
    let digest = hex(&Sha256::digest(key.as_bytes()));
    Ok(super::keys::state_dir()?
        .join("spool")
        .join(format!("{}.jsonl", &digest[..32])))
}

/// Hold `rec` back for later (its time is kept); returns how many records wait.
pub fn push(db_path: &Path, rec: &NewRecord) -> Result<usize> {
    push_at(&spool_path(db_path)?, rec)
}

/// [`push`] to the spool file `path` (see [`spool_path_for`]).
pub fn push_at(path: &Path, rec: &NewRecord) -> Result<usize> {
    private_dir("spool")?;
    let path = path.to_path_buf();
    let mut rec = rec.clone();
    if rec.at.is_none() {
        rec.at = Some(crate::now_utc());
    }
    let line = serde_json::to_string(&rec)
        .map_err(|e| Error::User(format!("cannot hold the audit record back: {e}")))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(&path)
        .and_then(|mut f| {
            f.write_all(format!("{line}\n").as_bytes())?;
            f.sync_all()
        })
        .map_err(|e| {
            Error::User(format!(
                "cannot hold the audit record back in {}: {e}",
                path.display()
            ))
        })?;
    pending_at(&path)
}

/// How many records wait in the spool of `db_path`.
pub fn pending(db_path: &Path) -> Result<usize> {
    pending_at(&spool_path(db_path)?)
}

/// How many records wait in the spool file `path`.
pub fn pending_at(path: &Path) -> Result<usize> {
    match std::fs::read_to_string(path) {
        Ok(t) => Ok(t.lines().filter(|l| !l.trim().is_empty()).count()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(Error::User(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Write the records waiting for `conn`'s database to its log, in one transaction; returns
/// how many were written. The spool is taken by renaming it (one taker at a time) and given
/// back, merged with anything spooled meanwhile, when the write fails.
pub fn flush(conn: &mut Connection, db_path: &Path) -> Result<usize> {
    flush_at(&spool_path(db_path)?, |recs| {
        super::append_all(conn, recs).map(|rows| rows.len())
    })
}

/// [`flush`] of the spool file `path` through `write`, which appends the records in order in
/// one transaction (all or none) and returns how many it wrote.
pub fn flush_at(path: &Path, write: impl FnOnce(&[NewRecord]) -> Result<usize>) -> Result<usize> {
    let path = path.to_path_buf();
    let taken = path.with_extension(format!("taking-{}", std::process::id()));
    match std::fs::rename(&path, &taken) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::User(format!("cannot take {}: {e}", path.display()))),
    }
    let give_back = |taken: &Path| -> Result<()> {
        let text = std::fs::read(taken)?;
        let mut opts = std::fs::OpenOptions::new();
        opts.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&path)?;
        f.write_all(&text)?;
        f.sync_all()?;
        std::fs::remove_file(taken)?;
        Ok(())
    };
    let text = std::fs::read_to_string(&taken)?;
    let mut recs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<NewRecord>(line) {
            Ok(r) => recs.push(r),
            Err(e) => {
                give_back(&taken)?;
                return Err(Error::input(
                    path.display().to_string(),
                    n as u64 + 1,
                    "record",
                    format!("not a held-back audit record: {e}"),
                ));
            }
        }
    }
    match write(&recs) {
        Ok(n) => {
            std::fs::remove_file(&taken)?;
            Ok(n)
        }
        Err(e) => {
            give_back(&taken)?;
            Err(e)
        }
    }
}
