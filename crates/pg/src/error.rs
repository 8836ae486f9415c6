//! Errors of the PostgreSQL store. Each says what failed and, where it can, what to do.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot connect to {url}: {source} (is the server running, and the URL right?)")]
    Connect {
        url: String,
        #[source]
        source: postgres::Error,
    },
    #[error("PostgreSQL: {0}")]
    Pg(#[from] postgres::Error),
    #[error(transparent)]
    Store(#[from] tradescope_store::error::Error),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The database cannot be used as asked (not empty, a newer schema, a missing table…).
    #[error("{0}")]
    Database(String),
    /// A copy did not arrive whole: counts or content differ after it.
    #[error("copy of table {table} did not verify: {message}")]
    Verify { table: String, message: String },
    /// A throwaway server could not be started.
    #[error("PostgreSQL server: {0}")]
    Server(String),
}

impl Error {
    /// The CLI's exit code contract, as the SQLite store's: 1 for what the user asked of a
    /// database that cannot do it (not empty, unreachable, a newer schema), 2 for failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Database(_) | Error::Connect { .. } => 1,
            Error::Store(e) => e.exit_code(),
            Error::Pg(_) | Error::Io(_) | Error::Verify { .. } | Error::Server(_) => 2,
        }
    }
}
