//! The SQLite database a command works on, and how it is opened.

use std::path::Path;

use tradescope_store::{self as db, Integrity};

/// The database the command works on, and how much to check it on opening.
#[derive(Clone, Copy)]
pub(super) struct Db<'a> {
    pub(super) path: &'a Path,
    pub(super) integrity: Integrity,
}

impl Db<'_> {
    pub(super) fn open_ro(self) -> tradescope_store::error::Result<rusqlite::Connection> {
        db::open_ro_with(self.path, self.integrity)
    }
    pub(super) fn open_rw(self) -> tradescope_store::error::Result<rusqlite::Connection> {
        db::open_rw_with(self.path, self.integrity)
    }

    /// The database as a [`Store`](tradescope_store::Store), opened on first use with the
    /// check `--check` asked for: what every command that runs on either engine takes.
    pub(super) fn store(self) -> tradescope_store::SqliteStore {
        tradescope_store::SqliteStore::lazy_checked(self.path, self.integrity)
    }
}

/// Where a command's queries run and its audit records go: a SQLite file, or a PostgreSQL
/// database (`--db postgresql://…`). The command is written once, against the engine-neutral
/// `Sql`, and prints the same on both.
#[derive(Clone, Copy)]
pub(super) enum On<'a> {
    Lite(Db<'a>),
    Pg(&'a tradescope_pg::PgStore),
}

impl On<'_> {
    /// Run `f` on the database (a read-only connection on SQLite).
    pub(super) fn read<T>(
        self,
        f: impl FnOnce(&dyn tradescope_store::sql::Sql) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        match self {
            On::Lite(db) => f(&db.open_ro()?),
            On::Pg(store) => {
                let mut out = None;
                store.run_sql(|s| {
                    out = Some(f(s));
                    Ok(())
                })?;
                out.unwrap_or_else(|| Err(anyhow::anyhow!("PostgreSQL: the query did not run")))
            }
        }
    }

    /// Append to the audit log; a record that cannot be written is an error (exit 1): an
    /// answer is never given without its audit record.
    pub(super) fn record(self, rec: &tradescope_store::audit::NewRecord) -> anyhow::Result<()> {
        match self {
            On::Lite(db) => super::audit::record(&db.store(), rec),
            On::Pg(store) => super::audit::record(store, rec),
        }
    }
}
