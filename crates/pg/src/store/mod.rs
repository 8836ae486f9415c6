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
//! Not yet here: word search over patents and holding audit records back (SQLite spools
//! them next to its file). Those answer with an error that says so instead of a wrong or
//! empty result.

mod names;
mod patents;
mod shipments;
mod sql;

use std::sync::Mutex;

use postgres::Client;
use tradescope_core::link::{LinkItem, LinkPair};
use tradescope_core::model::{Party, RecordKind, RecordRef, Shipment};
use tradescope_core::view::RecordView;
use tradescope_matching::typeahead::Corpus;
use tradescope_matching::{NameIndex, NameRecord, SearchOptions};
use tradescope_store::asof::{AsOfStatus, Screener};
use tradescope_store::audit::{self, NewRecord, Record, Verification};
use tradescope_store::cases::{self, CaseExport};
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
            c.batch_execute("BEGIN; LOCK TABLE audit_log IN EXCLUSIVE MODE")?;
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

/// What this engine cannot do yet, said as such.
fn not_yet(what: &str) -> StoreError {
    StoreError::User(format!(
        "{what} is not available on a PostgreSQL database yet (issue 19): use the SQLite \
         database, or `tradescope copy --from postgresql://… --to FILE.db`"
    ))
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

    fn shipments_page(
        &self,
        filter: &ShipmentFilter,
        sort: Sort,
        after: Option<&Cursor>,
        limit: usize,
    ) -> StoreResult<Page> {
        self.with(|c| shipments::page(c, filter, sort, after, limit))
    }

    fn count_shipments(
        &self,
        filter: &ShipmentFilter,
        cap: i64,
    ) -> StoreResult<std::result::Result<i64, i64>> {
        self.with(|c| shipments::count(c, filter, cap))
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
        _filter: &ShipmentFilter,
        _column: FreqColumn,
        _limit: usize,
    ) -> StoreResult<Frequency> {
        Err(not_yet("The frequency table"))
    }

    fn patent_frequency(
        &self,
        _filter: &PatentFilter,
        _column: FreqColumn,
        _limit: usize,
    ) -> StoreResult<Frequency> {
        Err(not_yet("The frequency table"))
    }

    fn profile(&self, _subject: RecordRef) -> StoreResult<Profile> {
        Err(not_yet("The profile"))
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

    fn audit_verify(&self) -> StoreResult<Verification> {
        self.sql(audit::verify)
    }

    fn audit_append(&self, rec: &NewRecord) -> StoreResult<Record> {
        let mut rows = self
            .write(|db| audit::chain(db, std::slice::from_ref(rec), None))?
            .0;
        rows.pop()
            .ok_or_else(|| StoreError::User("the audit record was not written".into()))
    }

    fn audit_held_back(&self) -> StoreResult<usize> {
        Ok(0)
    }

    fn audit_flush(&self) -> StoreResult<usize> {
        Ok(0)
    }

    fn audit_hold_back(&self, _rec: &NewRecord) -> StoreResult<usize> {
        Err(not_yet("Writing the audit log"))
    }

    fn case_add(&self, case: &str, r: RecordRef) -> StoreResult<i64> {
        self.write(|db| cases::add_in(db, case, r.kind, r.id, None))
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
