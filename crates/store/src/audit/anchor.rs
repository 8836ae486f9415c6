//! The anchor of an audit log's head: database id, number of rows and the MAC of the last row,
//! as one line (`tradescope-audit:v1:db=…:rows=…:head=…`). It is kept outside the database —
//! in the state directory, one file per database file, updated on every append — and printed
//! in every export, so that rows deleted from the tail, or a log rebuilt from scratch, show
//! against it (`audit verify`, `audit verify --anchor LINE`).
//!
//! An anchor is a prefix claim: the log holds at least `rows` rows and row `rows` has MAC
//! `head`. Rows appended after it are fine when the key verifies them.
//!
//! When an append finds that the log does not continue the anchor on file (rows deleted, the
//! file replaced), the old anchor is not overwritten: it is kept beside the new one as
//! `….superseded-<time>`, and `audit verify` fails while such a file exists.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::keys::private_dir;
use crate::error::{Error, Result};
use crate::import::input::hex;

const PREFIX: &str = "tradescope-audit:v1:";

/// A database without an id yet (no keyed row written).
pub const NO_ID: &str = "-";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Anchor {
    pub db_id: String,
    pub rows: i64,
    pub head: String,
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{PREFIX}db={}:rows={}:head={}",
            self.db_id, self.rows, self.head
        )
    }
}

impl std::str::FromStr for Anchor {
    type Err = Error;

    fn from_str(s: &str) -> Result<Anchor> {
        let bad = |why: &str| {
            Error::User(format!(
                "not an audit anchor ({why}): expected {PREFIX}db=ID:rows=N:head=HEX, as \
                 printed by `audit verify` and in exports"
            ))
        };
        // Copied from a Markdown export it may sit in backticks.
        let s = s.trim().trim_matches('`').trim();
        let rest = s.strip_prefix(PREFIX).ok_or_else(|| bad("wrong prefix"))?;
        let mut db_id = None;
        let mut rows = None;
        let mut head = None;
        for part in rest.split(':') {
            match part.split_once('=') {
                Some(("db", v)) => db_id = Some(v.to_string()),
                Some(("rows", v)) => rows = v.parse::<i64>().ok().filter(|n| *n >= 0),
                Some(("head", v)) => head = Some(v.to_ascii_lowercase()),
                _ => return Err(bad("unknown part")),
            }
        }
        let db_id = db_id
            .filter(|d| d == NO_ID || (!d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit())))
            .ok_or_else(|| bad("no valid db="))?;
        let rows = rows.ok_or_else(|| bad("no valid rows="))?;
        let head = head
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| bad("no valid head="))?;
        Ok(Anchor { db_id, rows, head })
    }
}

/// The anchor file of the database at `db_path` (named by a hash of its canonical path).
pub fn anchor_path(db_path: &Path) -> Result<PathBuf> {
    let canon = std::fs::canonicalize(db_path).unwrap_or_else(|_| db_path.to_path_buf());
    let digest = hex(&Sha256::digest(canon.to_string_lossy().as_bytes()));
    Ok(super::keys::state_dir()?
        .join("anchors")
        .join(format!("{}.anchor", &digest[..32])))
}

/// The anchor on file for the database at `db_path`, if any.
pub fn load(db_path: &Path) -> Result<Option<Anchor>> {
    let path = anchor_path(db_path)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let line = text.lines().next().unwrap_or("");
            line.parse().map(Some).map_err(|e| {
                Error::User(format!(
                    "the audit anchor {} is damaged: {e}",
                    path.display()
                ))
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::User(format!(
            "cannot read the audit anchor {}: {e}",
            path.display()
        ))),
    }
}

/// Record `new` as the anchor of `db_path`. `continues` says whether the log, before this
/// append, still held the anchor on file; when it did not, the old anchor is kept as
/// evidence (see the module docs).
pub fn store(db_path: &Path, new: &Anchor, continues: bool) -> Result<()> {
    private_dir("anchors")?;
    let path = anchor_path(db_path)?;
    if let Some(old) = load(db_path)? {
        if continues && old.db_id == new.db_id && old.rows > new.rows {
            // Another process appended further meanwhile: keep the longer anchor.
            return Ok(());
        }
        if !continues {
            let kept = path.with_extension(format!(
                "superseded-{}",
                chrono::Utc::now().format("%Y%m%dT%H%M%S%.fZ")
            ));
            std::fs::rename(&path, &kept).map_err(|e| {
                Error::User(format!(
                    "cannot keep the superseded audit anchor {}: {e}",
                    path.display()
                ))
            })?;
        }
    }
    let canon = std::fs::canonicalize(db_path).unwrap_or_else(|_| db_path.to_path_buf());
    let text = format!("{new}\nfile={}\n", canon.display());
    // Unique per writer: threads of one process may append to the same log.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::User(format!(
                "cannot update the audit anchor {}: {e}{}",
                path.display(),
                crate::error::io_hint(&e)
            ))
        })
}

/// Anchors of `db_path` that an append found the log no longer continued.
pub fn superseded(db_path: &Path) -> Result<Vec<(PathBuf, Option<Anchor>)>> {
    let path = anchor_path(db_path)?;
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return Ok(Vec::new());
    };
    let prefix = format!("{}.superseded-", stem.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<_> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| {
            let a = std::fs::read_to_string(e.path())
                .ok()
                .and_then(|t| t.lines().next().and_then(|l| l.parse().ok()));
            (e.path(), a)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Forget the anchors of `db_path` (a database built anew there on purpose: `init --force`).
pub fn forget(db_path: &Path) -> Result<()> {
    let path = anchor_path(db_path)?;
    let _ = std::fs::remove_file(&path);
    for (p, _) in superseded(db_path)? {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_round_trip_and_reject_junk() {
        let a = Anchor {
            db_id: "0123abcd".into(),
            rows: 7,
            head: "ab".repeat(32),
        };
        let s = a.to_string();
        assert_eq!(s.parse::<Anchor>().unwrap(), a);
        assert_eq!(format!("`{s}`").parse::<Anchor>().unwrap(), a);
        assert!("tradescope-audit:v1:db=x:rows=1:head=00"
            .parse::<Anchor>()
            .is_err());
        assert!(s.replace("rows=7", "rows=-1").parse::<Anchor>().is_err());
        assert!("hello".parse::<Anchor>().is_err());
    }
}
