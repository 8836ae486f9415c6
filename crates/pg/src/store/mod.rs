//! The PostgreSQL implementation of the read-side [`Store`] (issue 19, second part).
//!
//! One connection behind a mutex: the workbench's workers take turns, as they do over
//! SQLite's small pool, and every query is a single statement, so nothing waits long. The
//! queries give the same rows in the same order as SQLite's (the contract suite in
//! tests/it/pg_contract.rs runs both): the database is created with the C collation, which
//! orders text by bytes as SQLite does, and NULLs sort first in ascending order, SQLite's
//! rule.
//!
//! Most methods run the store's own queries, written once against the engine-neutral
//! [`Sql`] (tradescope_store::sql), on this connection (`PgSql`): the record view and
//! its links, screening, the covered makers, as-of statuses, the audit log's reading and
//! verifying. Shipments and patents pages have PostgreSQL queries of their own (SQLite's
//! plans walk structures PostgreSQL does not need).
//!
//! The workbench's writes (audit records, case items, link reviews, decisions) run the
//! store's shared `*_in` functions and `audit::chain` in one transaction that locks
//! `audit_log`, as SQLite's IMMEDIATE transaction serializes appends.
//!
//! Audit records the log cannot take now are held back in a spool in the state directory,
//! as SQLite's are, named by the URL without its password, and written in order by the
//! next flush.

mod names;
mod patents;
mod shipments;
mod sql;

use std::sync::Mutex;

use postgres::Client;
use tradescope_core::link::{LinkItem, LinkPair};
use tradescope_core::model::{Entity, Party, RecordKind, RecordRef, Shipment};
use tradescope_core::view::RecordView;
use tradescope_matching::typeahead::Corpus;
use tradescope_matching::{NameIndex, NameRecord, SearchOptions};
use tradescope_store::asof::{AsOfStatus, Screener};
use tradescope_store::audit::{self, Anchor, NewRecord, Record, Verification};
use tradescope_store::cases::{self, CaseExport, CaseItem, CaseSummary};
use tradescope_store::changes::VersionChanges;
use tradescope_store::covered::Covered;
use tradescope_store::decisions::{self, Decision, NewDecision};
use tradescope_store::error::{Error as StoreError, Result as StoreResult};
use tradescope_store::intersect::{self, IntersectRow, SortKey as IntersectSort};
use tradescope_store::link_review::{LinkReview, Verdict};
use tradescope_store::patents::{PatentCursor, PatentFilter, PatentPage, PatentSort};
use tradescope_store::profile::Profile;
use tradescope_store::search::ListingHit;
use tradescope_store::shipments::freq::{FreqColumn, Frequency};
use tradescope_store::shipments::{Cursor, Page, ShipmentFilter, Sort};
use tradescope_store::sql::Sql;
use tradescope_store::stats::Stats;
use tradescope_store::trail::{self, Trail, TrailOptions};
use tradescope_store::{
    entities, link_review, links, parties, record_view, search, shipments as sqlite_shipments,
};
use tradescope_store::{ChangeWatch, Lists, Store};

use crate::{Error, Result};

/// A tradescope database on a PostgreSQL server.
pub struct PgStore {
    url: String,
    client: Mutex<Option<Client>>,
}

impl PgStore {
    /// Connect to `url` and check that it holds a tradescope schema this build reads.
    pub fn open(url: &str) -> Result<PgStore> {
        let mut client = crate::connect(url)?;
        crate::schema::upgrade(&mut client)?;
        crate::schema::check(&mut client)?;
        Ok(PgStore {
            url: url.to_string(),
            client: Mutex::new(Some(client)),
        })
    }

    /// Run `f` on the connection, reconnecting first if an earlier failure dropped it.
    fn with<T>(&self, f: impl FnOnce(&mut Client) -> Result<T>) -> StoreResult<T> {
        let mut guard = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(crate::connect(&self.url).map_err(to_store)?);
        }
        let Some(client) = guard.as_mut() else {
            return Err(StoreError::Engine("PostgreSQL: no connection".into()));
        };
        f(client).map_err(to_store)
    }

    /// Run `f` in one transaction that holds the audit log (appends are serialized, as
    /// SQLite's IMMEDIATE transaction serializes them): committed if `f` succeeds, rolled back
    /// otherwise.
    fn write<T>(&self, f: impl FnOnce(&dyn Sql) -> StoreResult<T>) -> StoreResult<T> {
        self.with(|c| {
            // A log another session holds is waited for as long as SQLite waits for a busy
            // file (its busy timeout); then the write fails, and the workbench holds its
            // audit record back.
            let begun = c.batch_execute(&format!(
                "BEGIN; SET LOCAL lock_timeout = '{}ms'; LOCK TABLE audit_log IN EXCLUSIVE MODE",
                tradescope_store::BUSY_TIMEOUT.as_millis()
            ));
            if let Err(e) = begun {
                // The lock was not had (another session holds the log): end the failed
                // transaction, so the connection serves the next query.
                let _ = c.batch_execute("ROLLBACK");
                return Err(e.into());
            }
            let out = f(&sql::PgSql::new(c));
            match out {
                Ok(v) => {
                    c.batch_execute("COMMIT")?;
                    Ok(v)
                }
                Err(e) => {
                    c.batch_execute("ROLLBACK")?;
                    Err(e.into())
                }
            }
        })
    }

    /// The spool of audit records held back for this database (as SQLite's, in the state
    /// directory), named by the URL without its password.
    fn spool(&self) -> StoreResult<std::path::PathBuf> {
        audit::spool::spool_path_for(&crate::redact(&self.url))
    }

    /// Run the store's shared queries (`f`) on the connection, as the engine-neutral
    /// [`Sql`]: how the CLI runs the store's shared queries (search, screening…) here.
    pub fn run_sql<T>(&self, f: impl FnOnce(&dyn Sql) -> StoreResult<T>) -> StoreResult<T> {
        self.sql(f)
    }

    /// Run the store's shared queries (`f`) on the connection.
    fn sql<T>(&self, f: impl FnOnce(&dyn Sql) -> StoreResult<T>) -> StoreResult<T> {
        self.with(|c| Ok(f(&sql::PgSql::new(c))?))
    }
}

/// The store's error for a PostgreSQL one: the store's own errors (not found, a user error)
/// pass through, the server's become [`StoreError::Engine`] with its message.
fn to_store(e: Error) -> StoreError {
    match e {
        Error::Store(s) => s,
        // The server's own message, not only "db error".
        Error::Pg(p) => match p.as_db_error() {
            Some(d) => StoreError::Engine(format!(
                "PostgreSQL: {}{}",
                d.message(),
                d.detail().map(|x| format!(" ({x})")).unwrap_or_default()
            )),
            None => StoreError::Engine(format!("PostgreSQL: {p}")),
        },
        other => StoreError::Engine(format!("PostgreSQL: {other}")),
    }
}

/// Polls the server's write-ahead log position: it moves with every commit (by anyone).
struct WalWatch {
    store_url: String,
    client: Option<Client>,
    last: Option<String>,
}

impl ChangeWatch for WalWatch {
    fn changed(&mut self) -> StoreResult<bool> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = Some(crate::connect(&self.store_url).map_err(to_store)?);
        }
        let Some(client) = self.client.as_mut() else {
            return Ok(false);
        };
        let lsn: String = client
            .query_one("SELECT pg_current_wal_lsn()::text", &[])
            .map_err(|e| to_store(e.into()))?
            .get(0);
        let changed = self.last.as_ref().is_some_and(|l| *l != lsn);
        self.last = Some(lsn);
        Ok(changed)
    }
}

impl Store for PgStore {
    fn label(&self) -> String {
        crate::redact(&self.url)
    }

    fn reload(&self) {
        // Nothing is cached beyond the connection, which stays valid.
    }

    fn watch(&self) -> StoreResult<Box<dyn ChangeWatch>> {
        let mut w = WalWatch {
            store_url: self.url.clone(),
            client: None,
            last: None,
        };
        w.changed()?;
        Ok(Box::new(w))
    }

    fn name_corpus(&self) -> StoreResult<Corpus> {
        self.with(names::corpus)
    }

    fn current_names(&self) -> StoreResult<Vec<NameRecord>> {
        self.sql(entities::current_names)
    }

    fn screen(
        &self,
        index: &NameIndex,
        name: &str,
        opts: &SearchOptions,
    ) -> StoreResult<Vec<ListingHit>> {
        self.sql(|db| search::screen(db, index, name, opts))
    }

    fn covered(&self) -> StoreResult<Covered> {
        self.sql(Covered::load)
    }

    fn lists(&self) -> StoreResult<Lists> {
        self.with(names::current_as_of)
    }

    fn record_view(&self, r: RecordRef) -> StoreResult<RecordView> {
        self.sql(|db| record_view::load(db, r))
    }

    fn links(&self, kind: RecordKind, id: i64) -> StoreResult<Vec<LinkItem>> {
        self.sql(|db| links::links(db, kind, id))
    }

    fn shipment(&self, id: i64) -> StoreResult<Shipment> {
        self.sql(|db| sqlite_shipments::get(db, id))
    }

    fn party(&self, id: i64) -> StoreResult<Party> {
        self.sql(|db| parties::get(db, id))
    }

    fn places(&self, records: &[RecordRef]) -> StoreResult<Vec<Option<String>>> {
        self.sql(|db| tradescope_store::place::places(db, records))
    }

    fn shipments_page(
        &self,
        filter: &ShipmentFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: usize,
    ) -> StoreResult<Page> {
        self.sql(|db| shipments::page(db, filter, sort, after, limit))
    }

    fn count_shipments(
        &self,
        filter: &ShipmentFilter,
        cap: i64,
    ) -> StoreResult<std::result::Result<i64, i64>> {
        self.sql(|db| shipments::count(db, filter, cap))
    }

    fn as_of_statuses(&self, page: &Page) -> StoreResult<Vec<Option<AsOfStatus>>> {
        self.sql(|db| {
            let mut s = Screener::new();
            page.rows
                .iter()
                .map(|r| s.row_status(db, r.ship_date.as_deref(), &[r.shipper_id, r.consignee_id]))
                .collect()
        })
    }

    fn shipment_frequency(
        &self,
        filter: &ShipmentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> StoreResult<Frequency> {
        self.sql(|db| sqlite_shipments::freq::frequency(db, filter, column, limit))
    }

    fn patent_frequency(
        &self,
        filter: &PatentFilter,
        column: FreqColumn,
        limit: usize,
    ) -> StoreResult<Frequency> {
        self.sql(|db| tradescope_store::patents::freq::frequency(db, filter, column, limit))
    }

    fn profile(&self, subject: RecordRef) -> StoreResult<Profile> {
        self.sql(|db| tradescope_store::profile::profile(db, subject))
    }

    fn patents_page(
        &self,
        filter: &PatentFilter,
        sort: PatentSort,
        after: Option<&PatentCursor>,
        limit: usize,
    ) -> StoreResult<PatentPage> {
        self.sql(|db| patents::page(db, filter, sort, after, limit))
    }

    fn count_patents(
        &self,
        filter: &PatentFilter,
        cap: i64,
    ) -> StoreResult<std::result::Result<i64, i64>> {
        self.sql(|db| patents::count(db, filter, cap))
    }

    fn intersect(&self, sort: IntersectSort) -> StoreResult<Vec<IntersectRow>> {
        self.sql(|db| intersect::intersect(db, sort))
    }

    fn trail_with(&self, entity_id: i64, opts: TrailOptions) -> StoreResult<Trail> {
        self.sql(|db| trail::trail(db, entity_id, opts))
    }

    fn audit_recent(&self, limit: usize) -> StoreResult<Vec<Record>> {
        self.sql(|db| audit::recent(db, limit))
    }

    fn audit_all(&self) -> StoreResult<Vec<Record>> {
        self.sql(audit::all)
    }

    fn audit_head(&self) -> StoreResult<Anchor> {
        self.sql(audit::head_anchor)
    }

    fn audit_verify_with(&self, given: Option<&Anchor>) -> StoreResult<Verification> {
        self.sql(|db| audit::verify_with(db, given))
    }

    fn cases(&self) -> StoreResult<Vec<CaseSummary>> {
        self.sql(cases::list)
    }

    fn case_items(&self, case: &str) -> StoreResult<Vec<CaseItem>> {
        self.sql(|db| cases::items(db, case))
    }

    fn decisions(&self, with_undone: bool) -> StoreResult<Vec<Decision>> {
        self.sql(|db| decisions::all(db, with_undone))
    }

    fn link_reviews(&self, entry_id: Option<i64>) -> StoreResult<Vec<LinkReview>> {
        self.sql(|db| link_review::reviews(db, entry_id))
    }

    fn entity(&self, id: i64) -> StoreResult<Entity> {
        self.sql(|db| entities::get(db, id))
    }

    fn stats(&self) -> StoreResult<Stats> {
        self.sql(tradescope_store::stats::stats)
    }

    fn list_changes(&self) -> StoreResult<Vec<VersionChanges>> {
        self.sql(tradescope_store::changes::changes)
    }

    fn audit_append(&self, rec: &NewRecord) -> StoreResult<Record> {
        let mut rows = self
            .write(|db| audit::chain(db, std::slice::from_ref(rec), None))?
            .0;
        rows.pop()
            .ok_or_else(|| StoreError::User("the audit record was not written".into()))
    }

    fn audit_held_back(&self) -> StoreResult<usize> {
        audit::spool::pending_at(&self.spool()?)
    }

    fn audit_flush(&self) -> StoreResult<usize> {
        let spool = self.spool()?;
        if audit::spool::pending_at(&spool)? == 0 {
            return Ok(0);
        }
        audit::spool::flush_at(&spool, |recs| {
            self.write(|db| audit::chain(db, recs, None).map(|(rows, _)| rows.len()))
        })
    }

    fn audit_hold_back(&self, rec: &NewRecord) -> StoreResult<usize> {
        audit::spool::push_at(&self.spool()?, rec)
    }

    fn case_add_noted(&self, case: &str, r: RecordRef, note: Option<&str>) -> StoreResult<i64> {
        self.write(|db| cases::add_in(db, case, r.kind, r.id, note))
    }

    fn case_remove(&self, case: &str, r: RecordRef) -> StoreResult<bool> {
        self.write(|db| cases::remove(db, case, r.kind, r.id))
    }

    fn case_export(&self, case: &str) -> StoreResult<Option<CaseExport>> {
        self.sql(|db| {
            if !cases::exists(db, case)? {
                return Ok(None);
            }
            cases::export(db, case).map(Some)
        })
    }

    fn decide(&self, d: &NewDecision<'_>) -> StoreResult<Decision> {
        self.write(|db| {
            let (recs, id) = decisions::decide_in(db, d)?;
            audit::chain(db, &recs, None)?;
            decisions::get(db, id)
        })
    }

    fn decision_undo(&self, id: i64) -> StoreResult<Decision> {
        self.write(|db| {
            let (recs, ()) = decisions::undo_in(db, id)?;
            audit::chain(db, &recs, None)?;
            decisions::get(db, id)
        })
    }

    fn watch_alerts(&self) -> StoreResult<Vec<(String, i64)>> {
        self.with(names::watch_alerts)
    }

    fn rejected_links(&self, r: RecordRef) -> StoreResult<Vec<LinkItem>> {
        self.sql(|db| link_review::rejected_links(db, r))
    }

    fn review_link(
        &self,
        pair: &LinkPair,
        verdict: Verdict,
        reason: &str,
    ) -> StoreResult<LinkReview> {
        self.write(|db| {
            let (recs, id) = link_review::review_in(
                db,
                pair.entry_id,
                pair.target,
                pair.target_id,
                verdict,
                reason,
            )?;
            audit::chain(db, &recs, None)?;
            link_review::get(db, id)
        })
    }
}
