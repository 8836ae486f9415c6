//! Work the UI thread hands off: database queries and typeahead searches. `update` returns
//! `Command`s; the `Executor` runs them on worker threads (one for the typeahead, one for pages
//! and details, one for counts, and one for the few writes — audit records, case marks and
//! exports) over one shared [`Store`], and sends the answers back as `Action`s. A command whose generation is no longer the latest for its slot is skipped,
//! and a running typeahead scan stops when a newer query arrives.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::thread;

use tradescope_core::model::RecordRef;
use tradescope_matching::typeahead::Engine;
use tradescope_store::error::Result;
use tradescope_store::patents::{PatentCursor, PatentFilter, PatentSort};
use tradescope_store::shipments::freq::{FreqColumn, Frequency};
use tradescope_store::shipments::{Cursor, ShipmentFilter, Sort};
use tradescope_store::{SqliteStore, Store};

use tradescope_matching::NameIndex;
use tradescope_store::covered::Covered;
use tradescope_store::intersect::SortKey as IntersectSort;

use super::action::{Action, Count, Follow, Loaded};
use super::jump;
use super::model::{FREQ_LIMIT, PAGE_SIZE, PATENT_COUNT_CAP, SHIPMENT_COUNT_CAP, TYPEAHEAD_LIMIT};
use super::write::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Load every name into the typeahead engine (once, after the first frame).
    LoadNames,
    /// Forget every connection and loaded index (another process changed the lists): sent to
    /// every lane, ahead of the loads that follow it.
    Reload,
    Sources {
        generation: u64,
    },
    /// The monitored sets with new potential matches (for the status line).
    WatchAlerts,
    Search {
        query: String,
        generation: u64,
    },
    Shipments {
        filter: ShipmentFilter,
        sort: Sort,
        after: Option<Cursor>,
        /// The page was asked in the reversed sort (a page counted from the end): its rows
        /// are turned back into the list's order; `next` stays the reversed sort's.
        reverse: bool,
        generation: u64,
    },
    CountShipments {
        filter: ShipmentFilter,
        generation: u64,
    },
    Patents {
        filter: PatentFilter,
        sort: PatentSort,
        after: Option<PatentCursor>,
        /// As for `Shipments`.
        reverse: bool,
        generation: u64,
    },
    CountPatents {
        filter: PatentFilter,
        generation: u64,
    },
    Detail {
        record: RecordRef,
        /// Also the rejected links (after the "Rejected links: N" line).
        rejected: bool,
        generation: u64,
    },
    Resolve {
        record: RecordRef,
        follow: Follow,
        generation: u64,
    },
    Intersect {
        sort: IntersectSort,
        generation: u64,
    },
    Trail {
        entity_id: i64,
        generation: u64,
    },
    Audit {
        generation: u64,
    },
    /// A frequency table (one GROUP BY in the store).
    Frequency {
        filter: ShipmentFilter,
        column: FreqColumn,
        /// Some: count these patents instead of the shipments of `filter`.
        patents: Option<PatentFilter>,
        generation: u64,
    },
    Profile {
        subject: RecordRef,
        generation: u64,
    },
    /// Nothing to run: a newer view generation, so that a streaming command of a screen left
    /// while it loaded (a frequency table's scan) stops at its next chunk.
    Cancel {
        generation: u64,
    },
    /// The screening matcher over the current list names (Entities pane, screening mode).
    Screen {
        query: String,
        threshold: f64,
        generation: u64,
    },
    /// Writes (audit records, case marks, case exports) on a short read-write connection.
    Write(Write),
}

/// Which answers supersede each other: a newer command in the same slot makes older ones stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    View = 0,
    Count = 1,
    Jump = 2,
    Sources = 3,
}

const SLOTS: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Typeahead,
    Db,
    Count,
    Write,
}

impl Command {
    fn slot(&self) -> Option<(Slot, u64)> {
        match *self {
            Command::LoadNames | Command::Reload | Command::Write(_) | Command::WatchAlerts => None,
            Command::Sources { generation } => Some((Slot::Sources, generation)),
            Command::Search { generation, .. }
            | Command::Shipments { generation, .. }
            | Command::Patents { generation, .. }
            | Command::Detail { generation, .. }
            | Command::Intersect { generation, .. }
            | Command::Trail { generation, .. }
            | Command::Audit { generation }
            | Command::Frequency { generation, .. }
            | Command::Profile { generation, .. }
            | Command::Cancel { generation }
            | Command::Screen { generation, .. } => Some((Slot::View, generation)),
            Command::CountShipments { generation, .. }
            | Command::CountPatents { generation, .. } => Some((Slot::Count, generation)),
            Command::Resolve { generation, .. } => Some((Slot::Jump, generation)),
        }
    }

    fn lane(&self) -> Lane {
        match self {
            Command::LoadNames | Command::Search { .. } | Command::Screen { .. } => Lane::Typeahead,
            Command::Write(_) => Lane::Write,
            Command::CountShipments { .. } | Command::CountPatents { .. } => Lane::Count,
            _ => Lane::Db,
        }
    }
}

/// Runs commands against one read-only connection (opened on first use) and the typeahead
/// engine. Used by the executor's threads, and directly (synchronously) by tests.
pub struct Worker {
    store: Arc<dyn Store>,
    engine: Option<Engine>,
    /// The screening matcher's index of current list names (built on first screen).
    index: Option<NameIndex>,
    /// The covered-equipment makers (flags next to the typeahead's list entries and parties).
    covered: Option<Covered>,
    /// Where partial answers go while a command streams (a frequency table scanning millions
    /// of rows); None (tests): only the final answer.
    partial: Option<Partial>,
}

/// The sink of a streaming command's partial answers.
pub type Partial = Arc<dyn Fn(Action) + Send + Sync>;

impl Worker {
    /// A worker over the SQLite database at `path` (opened on first use).
    pub fn new(path: &Path) -> Self {
        Worker::with_store(Arc::new(SqliteStore::lazy(path)))
    }

    pub fn with_store(store: Arc<dyn Store>) -> Self {
        Worker {
            store,
            engine: None,
            index: None,
            covered: None,
            partial: None,
        }
    }

    /// Send partial answers of streaming commands to `out` as they come.
    pub fn stream_to(&mut self, out: Partial) {
        self.partial = Some(out);
    }

    /// Run one command; None when there is nothing to report (a cancelled search).
    pub fn run(&mut self, cmd: Command, cancelled: &(dyn Fn() -> bool + Sync)) -> Option<Action> {
        let generation = cmd.slot().map(|(_, g)| g).unwrap_or(0);
        match self.try_run(cmd, cancelled) {
            Ok(a) => a,
            Err(e) => Some(Action::Loaded {
                generation,
                data: Loaded::Failed(e.to_string()),
            }),
        }
    }

    fn try_run(
        &mut self,
        cmd: Command,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Action>> {
        let loaded = |generation, data| Some(Action::Loaded { generation, data });
        Ok(match cmd {
            Command::Reload => {
                self.store.reload();
                self.engine = None;
                self.index = None;
                self.covered = None;
                None
            }
            Command::LoadNames => {
                let corpus = match self.store.name_corpus() {
                    Ok(c) => c,
                    Err(e) => return Ok(Some(Action::NamesFailed(e.to_string()))),
                };
                let (names, records) = (corpus.len(), corpus.records());
                self.engine = Some(Engine::new(corpus));
                Some(Action::NamesReady { names, records })
            }
            Command::Sources { generation } => {
                loaded(generation, Loaded::Sources(self.store.lists()?))
            }
            Command::WatchAlerts => loaded(0, Loaded::WatchAlerts(self.store.watch_alerts()?)),
            Command::Search { query, generation } => {
                let Some(engine) = self.engine.as_mut() else {
                    return Ok(None);
                };
                let Some(r) = engine.search(&query, TYPEAHEAD_LIMIT, cancelled) else {
                    return Ok(None);
                };
                if self.covered.is_none() {
                    self.covered = Some(self.store.covered()?);
                }
                let flags = match &self.covered {
                    Some(c) => super::invest_run::covered_flags(c, &r),
                    None => Vec::new(),
                };
                let notes = super::invest_run::hit_notes(self.store.as_ref(), &r, flags)?;
                loaded(generation, Loaded::Entities(r, notes))
            }
            Command::Shipments {
                filter,
                sort,
                after,
                reverse,
                generation,
            } => {
                let mut page =
                    self.store
                        .shipments_page(&filter, sort, after.as_ref(), PAGE_SIZE)?;
                if reverse {
                    page.rows.reverse();
                }
                let as_of = self.store.as_of_statuses(&page)?;
                loaded(generation, Loaded::Shipments(page, as_of))
            }
            Command::CountShipments { filter, generation } => {
                let n = match self.store.count_shipments(&filter, SHIPMENT_COUNT_CAP)? {
                    Ok(n) => Count::Exact(n),
                    Err(cap) => Count::AtLeast(cap),
                };
                loaded(generation, Loaded::ShipmentCount(n))
            }
            Command::Patents {
                filter,
                sort,
                after,
                reverse,
                generation,
            } => {
                let mut page = self
                    .store
                    .patents_page(&filter, sort, after.as_ref(), PAGE_SIZE)?;
                if reverse {
                    page.rows.reverse();
                }
                loaded(generation, Loaded::Patents(page))
            }
            Command::CountPatents { filter, generation } => {
                let n = match self.store.count_patents(&filter, PATENT_COUNT_CAP)? {
                    Ok(n) => Count::Exact(n),
                    Err(cap) => Count::AtLeast(cap),
                };
                loaded(generation, Loaded::PatentCount(n))
            }
            Command::Detail {
                record,
                rejected,
                generation,
            } => {
                let mut d = self.store.record_view(record)?;
                if rejected {
                    d.links.extend(self.store.rejected_links(record)?);
                }
                loaded(generation, Loaded::Detail(Box::new(d)))
            }
            Command::Resolve {
                record,
                follow,
                generation,
            } => {
                let t = jump::resolve(self.store.as_ref(), record, follow)?;
                loaded(generation, Loaded::Jump(t))
            }
            Command::Intersect { sort, generation } => {
                loaded(generation, Loaded::Intersect(self.store.intersect(sort)?))
            }
            Command::Trail {
                entity_id,
                generation,
            } => {
                let t = self.store.trail(entity_id)?;
                loaded(generation, Loaded::Trail(Box::new(t)))
            }
            Command::Frequency {
                filter,
                column,
                patents,
                generation,
            } => {
                let t = match patents {
                    Some(p) => self.store.patent_frequency(&p, column, FREQ_LIMIT)?,
                    None => {
                        // Each partial table goes to the screen; Esc or another screen (a
                        // newer view command) stops the scan.
                        let sink = self.partial.clone();
                        let mut partial = |t: &Frequency| {
                            if cancelled() {
                                return false;
                            }
                            if let Some(out) = &sink {
                                out(Action::Loaded {
                                    generation,
                                    data: Loaded::Frequency(Box::new(t.clone())),
                                });
                            }
                            true
                        };
                        match self.store.shipment_frequency_streamed(
                            &filter,
                            column,
                            FREQ_LIMIT,
                            &mut partial,
                        )? {
                            Some(t) => t,
                            None => return Ok(None),
                        }
                    }
                };
                loaded(generation, Loaded::Frequency(Box::new(t)))
            }
            Command::Profile {
                subject,
                generation,
            } => loaded(
                generation,
                Loaded::Profile(Box::new(self.store.profile(subject)?)),
            ),
            Command::Audit { generation } => loaded(
                generation,
                Loaded::Audit(Box::new(super::invest_run::audit(self.store.as_ref())?)),
            ),
            Command::Cancel { .. } => None,
            Command::Screen {
                query,
                threshold,
                generation,
            } => {
                if self.index.is_none() {
                    self.index = Some(NameIndex::build(self.store.current_names()?));
                }
                let Some(index) = self.index.as_ref() else {
                    return Ok(None);
                };
                let s = super::invest_run::screen(self.store.as_ref(), index, &query, threshold)?;
                loaded(generation, Loaded::Screening(s))
            }
            Command::Write(w) => {
                // A decision's answer also reloads the screening that shows it; a link
                // review's, the detail view.
                let kind = match &w {
                    Write::Decide { .. } => 1,
                    Write::ReviewLink { .. } => 2,
                    _ => 0,
                };
                let r = super::write::run(self.store.as_ref(), w);
                Some(match kind {
                    1 => Action::Decided(r),
                    2 => Action::LinkReviewed(r),
                    _ => Action::Written(r),
                })
            }
        })
    }
}

/// The worker threads. Dropping it lets them end once their queues are empty.
pub struct Executor {
    lanes: [Sender<Command>; 4],
    latest: Arc<[AtomicU64; SLOTS]>,
}

impl Executor {
    /// Start the threads; `out` receives every answer.
    pub fn start(store: Arc<dyn Store>, out: impl Fn(Action) + Send + Clone + 'static) -> Executor {
        let latest: Arc<[AtomicU64; SLOTS]> = Arc::new(Default::default());
        let lane = |name: &str| {
            let (tx, rx) = channel::<Command>();
            let mut worker = Worker::with_store(Arc::clone(&store));
            let latest = Arc::clone(&latest);
            let thread_out = out.clone();
            let partial_out = std::sync::Mutex::new(out.clone());
            worker.stream_to(Arc::new(move |a| {
                if let Ok(o) = partial_out.lock() {
                    o(a)
                }
            }));
            let retries = name == "write";
            let spawned = thread::Builder::new()
                .name(format!("tradescope-{name}"))
                .spawn(move || loop {
                    // The write lane retries held-back audit records while some wait.
                    let cmd = if retries && super::write::held_back(worker.store.as_ref()) > 0 {
                        match rx.recv_timeout(super::write::AUDIT_RETRY) {
                            Ok(cmd) => cmd,
                            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                                thread_out(Action::Written(super::write::retry(
                                    worker.store.as_ref(),
                                )));
                                continue;
                            }
                            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                        }
                    } else {
                        match rx.recv() {
                            Ok(cmd) => cmd,
                            Err(_) => break,
                        }
                    };
                    {
                        let slot = cmd.slot();
                        let stale = |s: Option<(Slot, u64)>| {
                            s.is_some_and(|(s, g)| latest[s as usize].load(Ordering::Acquire) != g)
                        };
                        if stale(slot) {
                            continue;
                        }
                        if let Some(a) = worker.run(cmd, &|| stale(slot)) {
                            thread_out(a);
                        }
                    }
                });
            if let Err(e) = spawned {
                // Without threads nothing loads; say so instead of hanging on "loading…".
                out(Action::NamesFailed(format!(
                    "cannot start a worker thread: {e}"
                )));
            }
            tx
        };
        let lanes = [lane("typeahead"), lane("db"), lane("count"), lane("write")];
        Executor { lanes, latest }
    }

    pub fn dispatch(&self, cmds: Vec<Command>) {
        for cmd in cmds {
            if cmd == Command::Reload {
                for lane in &self.lanes {
                    let _ = lane.send(Command::Reload);
                }
                continue;
            }
            if let Some((slot, g)) = cmd.slot() {
                self.latest[slot as usize].store(g, Ordering::Release);
            }
            let lane = match cmd.lane() {
                Lane::Typeahead => 0,
                Lane::Db => 1,
                Lane::Count => 2,
                Lane::Write => 3,
            };
            // A lane whose thread is gone has already reported why.
            let _ = self.lanes[lane].send(cmd);
        }
    }
}
