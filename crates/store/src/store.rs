//! The seam between the workbench and a database engine: [`Store`], everything the
//! workbench's workers read (and the few writes they make), with no engine types in its
//! signatures — filters, cursors, pages and records are plain data. [`SqliteStore`] is the
//! SQLite implementation; a second engine (PostgreSQL, crates/pg) implements the same trait,
//! mostly by running the same queries through [`crate::sql::Sql`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::Connection;

use crate::asof::{AsOfStatus, Screener};
use crate::audit::{self, Anchor, NewRecord, Record, Verification};
use crate::cases::{self, CaseExport, CaseItem, CaseSummary};
use crate::changes::VersionChanges;
use crate::covered::Covered;
use crate::decisions::{self, Decision, NewDecision};
use crate::error::Result;
use crate::intersect::{IntersectRow, SortKey as IntersectSort};
use crate::link_review::{self, LinkReview, Verdict};
use crate::patents::{PatentCursor, PatentFilter, PatentPage, PatentSort};
use crate::profile::Profile;
use crate::search::ListingHit;
use crate::shipments::freq::{FreqColumn, Frequency};
use crate::shipments::{Cursor, Page, ShipmentFilter, Sort};
use crate::stats::Stats;
use crate::trail::{Trail, TrailOptions};
use crate::Integrity;
use crate::{entities, links, names, parties, patents, record_view, search, shipments, sources};
use tradescope_core::link::{LinkItem, LinkPair};
use tradescope_core::model::{Entity, Party, RecordKind, RecordRef, Shipment};
use tradescope_core::view::RecordView;
use tradescope_matching::typeahead::Corpus;
use tradescope_matching::{NameIndex, NameRecord, SearchOptions};

/// The current list versions: (dataset, as-of date).
pub type Lists = Vec<(String, Option<String>)>;

/// Tells whether anything was committed to the database since the last poll (by any
/// process). One per watcher: the answer is relative to its own previous poll.
pub trait ChangeWatch: Send {
    fn changed(&mut self) -> Result<bool>;
}

/// What the workbench reads and writes, engine-neutral. `Send + Sync`: the worker threads
/// share one store.
pub trait Store: Send + Sync {
    /// What the user sees as the database ("~/.local/share/tradescope/tradescope.db").
    fn label(&self) -> String;
    /// Forget cached connections and state (another process changed the lists).
    fn reload(&self);
    /// A watcher of commits by others.
    fn watch(&self) -> Result<Box<dyn ChangeWatch>>;

    // Names.
    /// Every name the typeahead searches.
    fn name_corpus(&self) -> Result<Corpus>;
    /// The current list names, for the screening matcher's index.
    fn current_names(&self) -> Result<Vec<NameRecord>>;
    /// Screen `name` against `index` (built from [`Store::current_names`]), one hit per
    /// listing.
    fn screen(
        &self,
        index: &NameIndex,
        name: &str,
        opts: &SearchOptions,
    ) -> Result<Vec<ListingHit>>;
    /// The covered-equipment makers.
    fn covered(&self) -> Result<Covered>;
    /// The current list versions.
    fn lists(&self) -> Result<Lists>;

    // Records.
    fn record_view(&self, r: RecordRef) -> Result<RecordView>;
    fn links(&self, kind: RecordKind, id: i64) -> Result<Vec<LinkItem>>;
    /// The links a reviewer rejected, of a list entry, trade party or patent assignee.
    fn rejected_links(&self, r: RecordRef) -> Result<Vec<LinkItem>>;
    fn shipment(&self, id: i64) -> Result<Shipment>;
    fn party(&self, id: i64) -> Result<Party>;
    /// Where each record is (a list entry's first address, a party's city): what tells apart
    /// result rows with the same name ([`crate::place::places`]).
    fn places(&self, records: &[RecordRef]) -> Result<Vec<Option<String>>>;

    // Lists of records.
    fn shipments_page(
        &self,
        filter: &ShipmentFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page>;
    /// Ok(n) exactly, or Err(cap) when there are at least `cap`.
    fn count_shipments(
        &self,
        filter: &ShipmentFilter,
        cap: i64,
    ) -> Result<std::result::Result<i64, i64>>;
    /// Each row's strongest as-of status (a party listed at the ship date, listed later…).
    fn as_of_statuses(&self, page: &Page) -> Result<Vec<Option<AsOfStatus>>>;
    /// The frequency table of `column` over the shipments `filter` matches: the `limit` most
    /// frequent values (count, most first) and the rest as "other" (one GROUP BY).
    fn shipment_frequency(
        &self,
        filter: &ShipmentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> Result<Frequency>;
    /// [`Store::shipment_frequency`], streamed where it scans many rows: `partial` gets the
    /// table so far (with how far the scan is) and answers false to stop it; None when
    /// stopped. By default one answer, the whole table.
    fn shipment_frequency_streamed(
        &self,
        filter: &ShipmentFilter,
        column: FreqColumn,
        limit: usize,
        partial: &mut dyn FnMut(&Frequency) -> bool,
    ) -> Result<Option<Frequency>> {
        let _ = partial;
        self.shipment_frequency(filter, column, limit).map(Some)
    }
    /// The frequency table of `column` (one of [`FreqColumn::PATENTS`]) over the patents
    /// `filter` matches, like [`Store::shipment_frequency`].
    fn patent_frequency(
        &self,
        filter: &PatentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> Result<Frequency>;
    /// The profile of a trade party or a list entry (its linked parties together).
    fn profile(&self, subject: RecordRef) -> Result<Profile>;
    fn patents_page(
        &self,
        filter: &PatentFilter,
        sort: PatentSort,
        after: Option<&PatentCursor>,
        limit: usize,
    ) -> Result<PatentPage>;
    /// Ok(n) exactly, or Err(cap) when there are at least `cap`.
    fn count_patents(
        &self,
        filter: &PatentFilter,
        cap: i64,
    ) -> Result<std::result::Result<i64, i64>>;

    // Investigations.
    fn intersect(&self, sort: IntersectSort) -> Result<Vec<IntersectRow>>;
    /// The transshipment trail with the default bounds.
    fn trail(&self, entity_id: i64) -> Result<Trail> {
        self.trail_with(entity_id, TrailOptions::default())
    }
    /// The transshipment trail within `opts` (days, depth…), as `tradescope trail` asks.
    fn trail_with(&self, entity_id: i64, opts: TrailOptions) -> Result<Trail>;
    fn audit_recent(&self, limit: usize) -> Result<Vec<Record>>;
    /// Every audit record, oldest first (an export).
    fn audit_all(&self) -> Result<Vec<Record>>;
    /// The anchor of the log's head now (for `audit verify --anchor` later).
    fn audit_head(&self) -> Result<Anchor>;
    fn audit_verify(&self) -> Result<Verification> {
        self.audit_verify_with(None)
    }
    /// Verify the chain, its head held against `given` (an anchor kept elsewhere) and the
    /// anchors the engine keeps itself.
    fn audit_verify_with(&self, given: Option<&Anchor>) -> Result<Verification>;

    // Cases, decisions and link reviews as recorded.
    fn cases(&self) -> Result<Vec<CaseSummary>>;
    fn case_items(&self, case: &str) -> Result<Vec<CaseItem>>;
    /// Every decision, oldest first (undone ones too, when `with_undone`).
    fn decisions(&self, with_undone: bool) -> Result<Vec<Decision>>;
    /// The link reviews, of one list entry or of all.
    fn link_reviews(&self, entry_id: Option<i64>) -> Result<Vec<LinkReview>>;
    /// A list entry by id (any version).
    fn entity(&self, id: i64) -> Result<Entity>;
    /// Rows per table, current entries per list, the sources (`tradescope stats`).
    fn stats(&self) -> Result<Stats>;
    /// What each current list version added, removed and changed (`stats --changes`).
    fn list_changes(&self) -> Result<Vec<VersionChanges>>;

    // Writes.
    fn audit_append(&self, rec: &NewRecord) -> Result<Record>;
    /// Audit records held back while the log could not be written.
    fn audit_held_back(&self) -> Result<usize>;
    /// Write the held-back audit records; how many were written.
    fn audit_flush(&self) -> Result<usize>;
    /// Hold an audit record back (the log cannot be written now); how many wait.
    fn audit_hold_back(&self, rec: &NewRecord) -> Result<usize>;
    /// Add a record to a case; the case's number of items.
    fn case_add(&self, case: &str, r: RecordRef) -> Result<i64> {
        self.case_add_noted(case, r, None)
    }
    /// Add a record to a case with a note (adding it again updates the note).
    fn case_add_noted(&self, case: &str, r: RecordRef, note: Option<&str>) -> Result<i64>;
    /// Take a record out of a case; whether it was there.
    fn case_remove(&self, case: &str, r: RecordRef) -> Result<bool>;
    /// The case with its records, or None when it has none yet.
    fn case_export(&self, case: &str) -> Result<Option<CaseExport>>;
    /// Confirm, reject or reset a matcher-made link, with a reason (audited).
    fn review_link(&self, pair: &LinkPair, verdict: Verdict, reason: &str) -> Result<LinkReview>;
    /// Record a decision on a screening hit (with its audit record).
    fn decide(&self, d: &NewDecision<'_>) -> Result<Decision>;
    /// Undo a decision (kept, marked undone; with its audit record).
    fn decision_undo(&self, id: i64) -> Result<Decision>;
    /// Monitored sets with new potential matches since the last list import: (set, count).
    fn watch_alerts(&self) -> Result<Vec<(String, i64)>>;
}

/// The SQLite store: a database file, read through a small pool of read-only connections
/// (one per worker thread in practice); each write opens a short read-write connection.
pub struct SqliteStore {
    path: PathBuf,
    pool: Mutex<Vec<Connection>>,
    /// How the first connection checks the file (`--check`); later ones check as usual.
    first_check: Mutex<Option<Integrity>>,
}

impl SqliteStore {
    /// Open (and check) the database at `path` for reading; fails as `open_ro` does.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = crate::open_ro(path)?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            pool: Mutex::new(vec![conn]),
            first_check: Mutex::new(None),
        })
    }

    /// A store over `path` that opens its first connection when first used.
    pub fn lazy(path: &Path) -> SqliteStore {
        SqliteStore::lazy_checked(path, Integrity::Auto)
    }

    /// [`SqliteStore::lazy`], its first connection checking the file as `integrity` says
    /// (a command run with `--check`), read-only or read-write as the first use needs.
    pub fn lazy_checked(path: &Path, integrity: Integrity) -> SqliteStore {
        SqliteStore {
            path: path.to_path_buf(),
            pool: Mutex::new(Vec::new()),
            first_check: Mutex::new(Some(integrity)),
        }
    }

    /// The check the next connection makes: the one asked for, once.
    fn integrity(&self) -> Integrity {
        self.first_check
            .lock()
            .ok()
            .and_then(|mut c| c.take())
            .unwrap_or_default()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on a pooled read-only connection (opened when none is free).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => crate::open_ro_with(&self.path, self.integrity())?,
        };
        let out = f(&conn);
        if let Ok(mut p) = self.pool.lock() {
            p.push(conn);
        }
        out
    }

    fn write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = crate::open_rw_with(&self.path, self.integrity())?;
        f(&mut conn)
    }
}

struct DataVersion(Connection, i64);

impl ChangeWatch for DataVersion {
    fn changed(&mut self) -> Result<bool> {
        let v = data_version(&self.0)?;
        let changed = v != self.1;
        self.1 = v;
        Ok(changed)
    }
}

/// `PRAGMA data_version`: changes when another connection commits.
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
}

impl Store for SqliteStore {
    fn label(&self) -> String {
        self.path.display().to_string()
    }

    fn reload(&self) {
        if let Ok(mut p) = self.pool.lock() {
            p.clear();
        }
    }

    fn watch(&self) -> Result<Box<dyn ChangeWatch>> {
        let conn = crate::open_ro(&self.path)?;
        let v = data_version(&conn)?;
        Ok(Box::new(DataVersion(conn, v)))
    }

    fn name_corpus(&self) -> Result<Corpus> {
        self.read(names::corpus)
    }

    fn current_names(&self) -> Result<Vec<NameRecord>> {
        self.read(|c| entities::current_names(c))
    }

    fn screen(
        &self,
        index: &NameIndex,
        name: &str,
        opts: &SearchOptions,
    ) -> Result<Vec<ListingHit>> {
        self.read(|c| search::screen(c, index, name, opts))
    }

    fn covered(&self) -> Result<Covered> {
        self.read(|c| Covered::load(c))
    }

    fn lists(&self) -> Result<Lists> {
        self.read(sources::current_as_of)
    }

    fn record_view(&self, r: RecordRef) -> Result<RecordView> {
        self.read(|c| record_view::load(c, r))
    }

    fn links(&self, kind: RecordKind, id: i64) -> Result<Vec<LinkItem>> {
        self.read(|c| links::links(c, kind, id))
    }

    fn rejected_links(&self, r: RecordRef) -> Result<Vec<LinkItem>> {
        self.read(|c| link_review::rejected_links(c, r))
    }

    fn shipment(&self, id: i64) -> Result<Shipment> {
        self.read(|c| shipments::get(c, id))
    }

    fn party(&self, id: i64) -> Result<Party> {
        self.read(|c| parties::get(c, id))
    }

    fn places(&self, records: &[RecordRef]) -> Result<Vec<Option<String>>> {
        self.read(|c| crate::place::places(c, records))
    }

    fn shipments_page(
        &self,
        filter: &ShipmentFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page> {
        self.read(|c| shipments::page(c, filter, sort, after, limit))
    }

    fn count_shipments(
        &self,
        filter: &ShipmentFilter,
        cap: i64,
    ) -> Result<std::result::Result<i64, i64>> {
        self.read(|c| shipments::count(c, filter, cap))
    }

    fn shipment_frequency(
        &self,
        filter: &ShipmentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> Result<Frequency> {
        self.read(|c| shipments::freq::frequency(c, filter, column, limit))
    }

    fn shipment_frequency_streamed(
        &self,
        filter: &ShipmentFilter,
        column: FreqColumn,
        limit: usize,
        partial: &mut dyn FnMut(&Frequency) -> bool,
    ) -> Result<Option<Frequency>> {
        self.read(|c| shipments::freq_scan::frequency_streamed(c, filter, column, limit, partial))
    }

    fn patent_frequency(
        &self,
        filter: &PatentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> Result<Frequency> {
        self.read(|c| crate::patents::freq::frequency(c, filter, column, limit))
    }

    fn profile(&self, subject: RecordRef) -> Result<Profile> {
        self.read(|c| crate::profile::profile(c, subject))
    }

    fn as_of_statuses(&self, page: &Page) -> Result<Vec<Option<AsOfStatus>>> {
        self.read(|c| {
            let mut s = Screener::new();
            page.rows
                .iter()
                .map(|r| s.row_status(c, r.ship_date.as_deref(), &[r.shipper_id, r.consignee_id]))
                .collect()
        })
    }

    fn patents_page(
        &self,
        filter: &PatentFilter,
        sort: PatentSort,
        after: Option<&PatentCursor>,
        limit: usize,
    ) -> Result<PatentPage> {
        self.read(|c| patents::page(c, filter, sort, after, limit))
    }

    fn count_patents(
        &self,
        filter: &PatentFilter,
        cap: i64,
    ) -> Result<std::result::Result<i64, i64>> {
        self.read(|c| patents::count(c, filter, cap))
    }

    fn intersect(&self, sort: IntersectSort) -> Result<Vec<IntersectRow>> {
        self.read(|c| crate::intersect::intersect(c, sort))
    }

    fn trail_with(&self, entity_id: i64, opts: TrailOptions) -> Result<Trail> {
        self.read(|c| crate::trail::trail(c, entity_id, opts))
    }

    fn audit_recent(&self, limit: usize) -> Result<Vec<Record>> {
        self.read(|c| audit::recent(c, limit))
    }

    fn audit_all(&self) -> Result<Vec<Record>> {
        self.read(|c| audit::all(c))
    }

    fn audit_head(&self) -> Result<Anchor> {
        self.read(|c| audit::head_anchor(c))
    }

    fn audit_verify_with(&self, given: Option<&Anchor>) -> Result<Verification> {
        self.read(|c| audit::verify_with(c, given))
    }

    fn cases(&self) -> Result<Vec<CaseSummary>> {
        self.read(|c| cases::list(c))
    }

    fn case_items(&self, case: &str) -> Result<Vec<CaseItem>> {
        self.read(|c| cases::items(c, case))
    }

    fn decisions(&self, with_undone: bool) -> Result<Vec<Decision>> {
        self.read(|c| decisions::all(c, with_undone))
    }

    fn link_reviews(&self, entry_id: Option<i64>) -> Result<Vec<LinkReview>> {
        self.read(|c| link_review::reviews(c, entry_id))
    }

    fn entity(&self, id: i64) -> Result<Entity> {
        self.read(|c| entities::get(c, id))
    }

    fn stats(&self) -> Result<Stats> {
        self.read(|c| crate::stats::stats(c))
    }

    fn list_changes(&self) -> Result<Vec<VersionChanges>> {
        self.read(|c| crate::changes::changes(c))
    }

    fn audit_append(&self, rec: &NewRecord) -> Result<Record> {
        self.write(|c| audit::append(c, rec))
    }

    fn audit_held_back(&self) -> Result<usize> {
        audit::spool::pending(&self.path)
    }

    fn audit_flush(&self) -> Result<usize> {
        if audit::spool::pending(&self.path)? == 0 {
            return Ok(0);
        }
        self.write(|c| audit::spool::flush(c, &self.path))
    }

    fn audit_hold_back(&self, rec: &NewRecord) -> Result<usize> {
        audit::spool::push(&self.path, rec)
    }

    fn case_add_noted(&self, case: &str, r: RecordRef, note: Option<&str>) -> Result<i64> {
        self.write(|c| cases::add(c, case, r.kind, r.id, note))
    }

    fn case_remove(&self, case: &str, r: RecordRef) -> Result<bool> {
        self.write(|c| cases::remove(c, case, r.kind, r.id))
    }

    fn case_export(&self, case: &str) -> Result<Option<CaseExport>> {
        self.read(|c| {
            if !cases::exists(c, case)? {
                return Ok(None);
            }
            cases::export(c, case).map(Some)
        })
    }

    fn review_link(&self, pair: &LinkPair, verdict: Verdict, reason: &str) -> Result<LinkReview> {
        self.write(|c| {
            link_review::review(
                c,
                pair.entry_id,
                pair.target,
                pair.target_id,
                verdict,
                reason,
            )
        })
    }

    fn decide(&self, d: &NewDecision<'_>) -> Result<Decision> {
        self.write(|c| decisions::decide(c, d))
    }

    fn decision_undo(&self, id: i64) -> Result<Decision> {
        self.write(|c| decisions::undo(c, id))
    }

    fn watch_alerts(&self) -> Result<Vec<(String, i64)>> {
        self.read(crate::watch::alerts)
    }
}
