//! Noticing list updates another process makes while the workbench is open: a thread polls
//! `PRAGMA data_version` (it changes when any other connection commits) once a second on its
//! own read-only connection and, when the current list versions differ from those it saw,
//! tells the UI ([`Action::ListsUpdated`]); the status line then says so until `R` reloads.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::action::Action;
use tradescope_store::error::Result;
use tradescope_store::{self as db, sources};

/// (dataset, as-of date) of each current list.
pub type Lists = Vec<(String, Option<String>)>;

/// How often the thread looks.
const EVERY: Duration = Duration::from_secs(1);

/// The watcher's connection and what it last saw.
pub struct Watch {
    conn: Connection,
    version: i64,
    lists: Lists,
}

impl Watch {
    pub fn open(path: &Path) -> Result<Watch> {
        let conn = db::open_ro(path)?;
        let version = data_version(&conn)?;
        let lists = sources::current_as_of(&conn)?;
        Ok(Watch {
            conn,
            version,
            lists,
        })
    }

    /// The current lists when another connection committed since the last poll and they
    /// are not those seen before (an audit record or a case mark changes nothing here).
    pub fn poll(&mut self) -> Result<Option<Lists>> {
        let v = data_version(&self.conn)?;
        if v == self.version {
            return Ok(None);
        }
        self.version = v;
        let lists = sources::current_as_of(&self.conn)?;
        if lists == self.lists {
            return Ok(None);
        }
        self.lists = lists.clone();
        Ok(Some(lists))
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

/// Start the watcher thread; it ends when `send` reports the UI is gone (returns false). A
/// database that cannot be watched (it failed to open) is simply not watched: the workbench
/// itself reports open errors.
pub fn spawn(path: &Path, send: impl Fn(Action) -> bool + Send + 'static) {
    let path = path.to_path_buf();
    let _ = std::thread::Builder::new()
        .name("tradescope-watch".into())
        .spawn(move || {
            let Ok(mut w) = Watch::open(&path) else {
                return;
            };
            loop {
                std::thread::sleep(EVERY);
                if let Ok(Some(lists)) = w.poll() {
                    if !send(Action::ListsUpdated(lists)) {
                        return;
                    }
                }
            }
        });
}
