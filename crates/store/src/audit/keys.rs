//! What the audit log keeps outside the database, in the user's state directory
//! (`$XDG_STATE_HOME/tradescope/audit`, else `~/.local/state/tradescope/audit`; the local data
//! directory where the platform has no state directory): one HMAC key per database (named by
//! the random database id in `meta`) and the anchor of each database file's head.
//!
//! Key files are created on first use, exclusively, mode 0600 in a 0700 directory; a key file
//! that is not a regular file (a symlink, a FIFO), that others can read, or that belongs to
//! another user is refused: a key anyone can read is no key.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::import::input::hex;

/// Bytes of key material.
const KEY_BYTES: usize = 32;

/// The directory holding keys and anchors.
pub fn state_dir() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "tradescope").ok_or_else(|| {
        Error::User(
            "no home directory to keep the audit key in: set HOME (or XDG_STATE_HOME)".into(),
        )
    })?;
    let base = dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf();
    Ok(base.join("audit"))
}

/// A directory of the state dir, created 0700 if missing.
pub(super) fn private_dir(name: &str) -> Result<PathBuf> {
    let dir = state_dir()?.join(name);
    if !dir.is_dir() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(&dir).map_err(|e| {
            Error::User(format!(
                "cannot create the audit state directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    Ok(dir)
}

/// A fresh random id or key, hex.
pub fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::User(format!(
            "no randomness from the operating system for the audit key: {e}"
        ))
    })?;
    Ok(hex(&buf))
}

/// Where the key of database `db_id` lives.
pub fn key_path(db_id: &str) -> Result<PathBuf> {
    if db_id.is_empty() || !db_id.bytes().all(|b| b.is_ascii_hexdigit()) || db_id.len() > 64 {
        return Err(Error::User(format!(
            "the audit log's database id in `meta` is not a valid id ({:?}): the database was \
             edited",
            tradescope_core::text::truncate_to_width(db_id, 70)
        )));
    }
    Ok(state_dir()?.join("keys").join(format!("{db_id}.key")))
}

/// The key of database `db_id`, if its key file exists (checked: see the module docs).
pub fn load_key(db_id: &str) -> Result<Option<Vec<u8>>> {
    let path = key_path(db_id)?;
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(key_error(&path, &e.to_string())),
    };
    check_key_file(&path, &meta)?;
    let mut text = String::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(1024).read_to_string(&mut text))
        .map_err(|e| key_error(&path, &format!("cannot read it: {e}")))?;
    let key = unhex(text.trim())
        .filter(|k| k.len() == KEY_BYTES)
        .ok_or_else(|| key_error(&path, "it does not hold a key (64 hex digits)"))?;
    Ok(Some(key))
}

/// The key of database `db_id`, created (exclusively, 0600) if it does not exist yet.
pub fn load_or_create_key(db_id: &str) -> Result<Vec<u8>> {
    if let Some(k) = load_key(db_id)? {
        return Ok(k);
    }
    private_dir("keys")?;
    let path = key_path(db_id)?;
    let text = random_hex(KEY_BYTES)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(&path) {
        Ok(mut f) => {
            f.write_all(format!("{text}\n").as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| key_error(&path, &format!("cannot write it: {e}")))?;
        }
        // Another process created it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(key_error(&path, &format!("cannot create it: {e}"))),
    }
    load_key(db_id)?.ok_or_else(|| key_error(&path, "it vanished right after it was created"))
}

fn check_key_file(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    if !meta.file_type().is_file() {
        return Err(key_error(
            path,
            "it is not a regular file (a symlink, a directory or a device): refused",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.mode() & 0o077 != 0 {
            return Err(key_error(
                path,
                &format!(
                    "other users may read or change it (mode {:o}): refused; make it private \
                     with `chmod 600` if it is yours",
                    meta.mode() & 0o777
                ),
            ));
        }
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(key_error(
                path,
                &format!(
                    "it belongs to uid {}, not to you (uid {me}): refused",
                    meta.uid()
                ),
            ));
        }
    }
    Ok(())
}

fn key_error(path: &Path, what: &str) -> Error {
    Error::User(format!("audit key {}: {what}", path.display()))
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// The login name of the OS account running the program (the real uid, looked up in the
/// password database), never `$USER`, which anyone can set. `uid:N` when the account has no
/// name.
pub fn current_user() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        account_name(uid).unwrap_or_else(|| format!("uid:{uid}"))
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "unknown".into())
    }
}

#[cfg(unix)]
fn account_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    for _ in 0..4 {
        // SAFETY: passwd is plain data; getpwuid_r writes into `pwd` and `buf` (whose length
        // it is told) and sets `result` to `&pwd` or null.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc =
            unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
        if rc == libc::ERANGE {
            let n = buf.len() * 4;
            buf.resize(n, 0);
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name points into `buf`, NUL-terminated, valid while `buf` lives.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) }
            .to_string_lossy()
            .into_owned();
        return (!name.trim().is_empty()).then_some(name);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_is_the_os_account_whatever_user_says() {
        let u = current_user();
        assert!(!u.is_empty());
        #[cfg(unix)]
        {
            let uid = unsafe { libc::getuid() };
            if let Some(name) = account_name(uid) {
                assert_eq!(u, name);
            } else {
                assert_eq!(u, format!("uid:{uid}"));
            }
        }
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
    }
}
