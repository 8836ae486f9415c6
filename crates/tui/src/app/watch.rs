//! Noticing list updates another process makes while the workbench is open: a thread polls
//! the store's change watch (on SQLite `PRAGMA data_version`, which changes when any other
//! connection commits) once a second and, when the current list versions differ from those it saw,
//! tells the UI ([`Action::ListsUpdated`]); the status line then says so until `R` reloads.

use std::sync::Arc;
use std::time::Duration;

use super::action::Action;
use tradescope_store::error::Result;
use tradescope_store::{ChangeWatch, Store};

/// (dataset, as-of date) of each current list.
pub use tradescope_store::Lists;

/// How often the thread looks.
const EVERY: Duration = Duration::from_secs(1);

/// The watcher's view of the database and what it last saw.
pub struct Watch {
    store: Arc<dyn Store>,
    changes: Box<dyn ChangeWatch>,
    lists: Lists,
    /// Monitored sets with new potential matches, as last seen; `fresh_alerts` holds them
    /// when they changed, until taken.
    alerts: Vec<(String, i64)>,
    fresh_alerts: Option<Vec<(String, i64)>>,
}

impl Watch {
    pub fn open(store: Arc<dyn Store>) -> Result<Watch> {
        let changes = store.watch()?;
        let lists = store.lists()?;
        let alerts = store.watch_alerts().unwrap_or_default();
        Ok(Watch {
            store,
            changes,
            lists,
            alerts,
            fresh_alerts: None,
        })
    }

    /// The monitored sets' alerts, once each time they changed.
    pub fn take_alerts(&mut self) -> Option<Vec<(String, i64)>> {
        self.fresh_alerts.take()
    }

    /// The current lists when another connection committed since the last poll and they
    /// are not those seen before (an audit record or a case mark changes nothing here).
    pub fn poll(&mut self) -> Result<Option<Lists>> {
        if !self.changes.changed()? {
            return Ok(None);
        }
        // An import's check of the monitored sets commits after its lists.
        if let Ok(a) = self.store.watch_alerts() {
            if a != self.alerts {
                self.alerts = a.clone();
                self.fresh_alerts = Some(a);
            }
        }
        let lists = self.store.lists()?;
        if lists == self.lists {
            return Ok(None);
        }
        self.lists = lists.clone();
        Ok(Some(lists))
    }
}

/// Start the watcher thread; it ends when `send` reports the UI is gone (returns false). A
/// database that cannot be watched (it failed to open) is simply not watched: the workbench
/// itself reports open errors.
pub fn spawn(store: Arc<dyn Store>, send: impl Fn(Action) -> bool + Send + 'static) {
    let _ = std::thread::Builder::new()
        .name("tradescope-watch".into())
        .spawn(move || {
            let Ok(mut w) = Watch::open(store) else {
                return;
            };
            loop {
                std::thread::sleep(EVERY);
                if let Ok(Some(lists)) = w.poll() {
                    if !send(Action::ListsUpdated(lists)) {
                        return;
                    }
                }
                if let Some(a) = w.take_alerts() {
                    let data = super::action::Loaded::WatchAlerts(a);
                    if !send(Action::Loaded {
                        generation: 0,
                        data,
                    }) {
                        return;
                    }
                }
            }
        });
}
