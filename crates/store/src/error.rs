//! Library errors. Every message names what went wrong and, where it can, what to do next.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value in an input file is wrong: names file, line and field.
    #[error("{file}:{line}: field `{field}`: {message}")]
    Input {
        file: String,
        line: u64,
        field: String,
        message: String,
    },
    /// An input file as a whole is unusable (unknown layout, truncated, unreadable).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// A record the user asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The user asked for something that cannot be done as asked.
    #[error("{0}")]
    User(String),
    /// The database file is not one tradescope can trust or use.
    #[error("database {path}: {message}")]
    Database { path: PathBuf, message: String },
    #[error("SQLite: {0}{hint}", hint = sqlite_hint(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("I/O: {0}{hint}", hint = io_hint(.0))]
    Io(#[from] std::io::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Another engine behind the `Store` trait failed (PostgreSQL: the server's message).
    #[error("{0}")]
    Engine(String),
}

/// What to do about an SQLite error the user can act on: corruption, a full disk, a lock.
fn sqlite_hint(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DiskFull) => {
            " (the disk holding the database, or SQLite's temporary directory, is full: free \
             some space — or point SQLITE_TMPDIR at a disk with room — and run the command \
             again)"
        }
        Some(DatabaseBusy | DatabaseLocked) => {
            " (another tradescope — an import, or a workbench writing — holds the database: \
             wait for it to finish and run the command again)"
        }
        _ => corruption_hint(e),
    }
}

/// What to do about an I/O error the user can act on (a full disk, a read-only filesystem).
pub fn io_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded => " (the disk is full: free some space and try again)",
        ReadOnlyFilesystem => " (the filesystem is read-only)",
        _ => "",
    }
}

/// A corruption error met after opening (a damaged page read by a query) says what to do.
fn corruption_hint(e: &rusqlite::Error) -> &'static str {
    if crate::safety::is_corruption(e) {
        " (the database file is corrupt; check it with `tradescope --check stats`, restore it \
         from a backup or build a new one by importing the lists again)"
    } else {
        ""
    }
}

impl Error {
    pub fn input(
        file: impl Into<String>,
        line: u64,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Input {
            file: file.into(),
            line,
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error::File {
            file: file.into(),
            message: message.into(),
        }
    }

    /// Another process holds the database (an import writing it): worth waiting for.
    pub fn is_busy(&self) -> bool {
        match self {
            Error::Sqlite(s) => matches!(
                s.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ),
            // Met while opening (setting WAL mode, migrating).
            Error::Database { message, .. } => {
                message.contains("database is locked") || message.contains("database is busy")
            }
            _ => false,
        }
    }

    /// Exit code contract of the CLI: 1 for the user's input or request, 2 for internal failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. }
            | Error::File { .. }
            | Error::NotFound(_)
            | Error::User(_)
            | Error::Database { .. } => 1,
            Error::Sqlite(_) | Error::Io(_) | Error::Json(_) | Error::Engine(_) => 2,
        }
    }
}
