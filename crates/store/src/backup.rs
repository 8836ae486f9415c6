//! Consistent copies of a database: before an upgrade (automatic) and on demand
//! (`tradescope backup [PATH]`).
//!
//! A copy is made by `VACUUM INTO`: it reads one snapshot (a read transaction), so a database
//! in use by another process (an import, the workbench) is copied as it stood at one commit,
//! with its `-wal` applied — never a torn mix a file copy can give. The copy is written under
//! a temporary name, synced, then renamed, so a failure or a crash leaves no half backup under
//! the final name; an existing file is never overwritten.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Result};

/// `NAME.vVERSION-YYYY-MM-DD.bak` next to `path` (`-2`, `-3`… when that exists already).
pub fn default_path(path: &Path, version: i64) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tradescope.db".into());
    let date = chrono::Utc::now().format("%Y-%m-%d");
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = dir.join(format!("{name}.v{version}-{date}{suffix}.bak"));
        if std::fs::symlink_metadata(&candidate).is_err() {
            return candidate;
        }
        n += 1;
    }
}

/// Back up the database open on `conn` (at `path`, schema `version`) next to itself.
pub(super) fn backup_next_to(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let dest = default_path(path, version);
    copy_to(conn, &dest)?;
    Ok(dest)
}

/// Write a consistent copy of the database open on `conn` to `dest`, which must not exist.
pub fn copy_to(conn: &Connection, dest: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        return Err(Error::User(format!(
            "{} exists already; a backup never overwrites a file: choose another path",
            dest.display()
        )));
    }
    let mut tmp = dest.as_os_str().to_os_string();
    tmp.push(format!(".partial-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let Some(tmp_text) = tmp.to_str() else {
        return Err(Error::User(format!(
            "{}: a backup path must be valid UTF-8",
            dest.display()
        )));
    };
    let result = conn
        .execute("VACUUM INTO ?1", [tmp_text])
        .map_err(Error::from)
        .and_then(|_| {
            std::fs::File::open(&tmp)?.sync_all()?;
            // Exclusive: hard_link fails when dest appeared meanwhile (rename would replace it).
            std::fs::hard_link(&tmp, dest)?;
            std::fs::remove_file(&tmp)?;
            if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
            Ok(())
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
