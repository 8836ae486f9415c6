//! The database file itself, before SQLite opens it: what kind of file it is, whether it can be
//! written where it is, and whether a `-wal` lying next to it belongs to it.
//!
//! - Only a regular file (or a symlink to one) is a database: a directory, a FIFO, a device
//!   (`/dev/null`, `/dev/zero`) or a socket is refused by `stat` before anything opens it, so
//!   nothing blocks on a FIFO and no `/dev/null-journal` is created.
//! - A file that cannot be written where it is (read-only file or file system) is opened
//!   `immutable` when no `-wal` lies next to it: SQLite then needs no `-shm` and takes no
//!   locks, so the database can be browsed from read-only media.
//! - A `-wal` left next to the file is checked before SQLite could apply it: each import writes
//!   the file's identity (device and inode, and a nonce) into `meta` inside its transaction, so
//!   a `-wal` holding an import carries the identity of the file it was written for. When the
//!   `-wal`'s view of that stamp differs from the file's own and names another file,
//!   the `-wal` was written for another copy of the database (or the file was restored from a
//!   copy after a crash) and applying it would mix pages of two databases: refused.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

/// Refuse a `--db` path that exists and is not a regular file (after following symlinks).
/// `stat` only: a FIFO is never opened.
pub(super) fn check_kind(path: &Path) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink would be created through: refuse it too.
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(refuse(
                    path,
                    "is a symbolic link to a file that does not exist",
                ));
            }
            return Ok(());
        }
        Err(e) => {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: format!("cannot read the file's status: {e}"),
            })
        }
    };
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(());
    }
    if ft.is_dir() {
        return Err(refuse(
            path,
            "is a directory; --db takes a database file, e.g. --db DIR/tradescope.db",
        ));
    }
    Err(refuse(path, &format!("is {}", special_kind(&meta))))
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        "a FIFO (named pipe), not a regular file"
    } else if ft.is_char_device() {
        "a character device (such as /dev/null), not a regular file"
    } else if ft.is_block_device() {
        "a block device, not a regular file"
    } else if ft.is_socket() {
        "a socket, not a regular file"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

fn refuse(path: &Path, what: &str) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message: format!("{what}; a database must be a regular file, so it was not opened"),
    }
}

/// The `-wal` file SQLite keeps next to a database in WAL mode.
pub(super) fn wal_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push("-wal");
    std::path::PathBuf::from(s)
}

/// A `-wal` with at least one frame (a 32-byte header alone holds nothing).
pub(super) fn has_wal(path: &Path) -> bool {
    std::fs::metadata(wal_path(path)).is_ok_and(|m| m.len() > 32)
}

/// True when SQLite could write the file and create its `-wal`/`-shm` next to it.
#[cfg(unix)]
pub(super) fn writable(path: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ok = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            // SAFETY: `c` is a valid NUL-terminated string for the duration of the call.
            .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    ok(path) && ok(dir)
}

#[cfg(not(unix))]
pub(super) fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// `file:` URI for `path` with query `query`, for SQLite's URI filenames.
pub(super) fn uri(path: &Path, query: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(*b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// Refuse a `-wal` written for another copy of this database (see the module docs). Reads
/// only: the file alone through an `immutable` connection, the file with its `-wal` through a
/// read-only one (which never checkpoints).
pub(super) fn check_wal(path: &Path) -> Result<()> {
    if !has_wal(path) {
        return Ok(());
    }
    let Some(identity) = super::safety::file_identity(path) else {
        return Ok(());
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let stamp = |uri: String| -> Option<String> {
        let conn = Connection::open_with_flags(uri, flags).ok()?;
        super::harden_probe(&conn).ok()?;
        conn.query_row(
            "SELECT value FROM meta WHERE key = 'file_identity'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()
        .ok()
        .flatten()
    };
    let alone = stamp(uri(path, "immutable=1"));
    let with_wal = stamp(uri(path, "mode=ro"));
    match with_wal {
        Some(w) if Some(&w) != alone.as_ref() && !super::safety::same_file(&w, &identity) => {
            let w = w
                .rsplit_once(':')
                .map_or(w.as_str(), |(f, _)| f)
                .to_string();
            Err(Error::Database {
                path: path.to_path_buf(),
                message: format!(
                    "the write-ahead log next to it ({}) was written for another copy of this \
                 database (it records an import into file {w}; this file is {identity}), so it \
                 was not applied: applying it would mix pages of two databases. Move that \
                 -wal file aside to open the database as it stood at its last checkpoint, or \
                 open the copy the -wal belongs to",
                    wal_path(path).display()
                ),
            })
        }
        _ => Ok(()),
    }
}
