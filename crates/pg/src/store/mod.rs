//! The PostgreSQL implementation of the read-side [`Store`] (issue 19, second part).
//!
//! One connection behind a mutex: the workbench's workers take turns, as they do over
//! SQLite's small pool, and every query is a single statement, so nothing waits long. The
//! queries give the same rows in the same order as SQLite's (the contract suite in
//! tests/it/pg_contract.rs runs both): the database is created with the C collation, which
//! orders text by bytes as SQLite does, and NULLs sort first in ascending order, SQLite's
//! rule.
//!
//! Not yet here: screening (`screen`, covered flags), the record view and its links,
//! investigations (intersection, trail, as-of), patents, the audit log and cases. Those
//! methods answer with an error that says so instead of a wrong or empty result.

mod names;
mod shipments;

use std::sync::Mutex;

use postgres::Client;
use tradescope_core::link::{LinkItem, LinkPair};
use tradescope_core::model::{Party, RecordKind, RecordRef, Shipment};
use tradescope_core::view::RecordView;
use tradescope_matching::typeahead::Corpus;
use tradescope_matching::{NameIndex, NameRecord, SearchOptions};
use tradescope_store::asof::AsOfStatus;
use tradescope_store::audit::{NewRecord, Record, Verification};
use tradescope_store::cases::CaseExport;
use tradescope_store::covered::Covered;
use tradescope_store::decisions::{Decision, NewDecision};
use tradescope_store::error::{Error as StoreError, Result as StoreResult};
use tradescope_store::intersect::{IntersectRow, SortKey as IntersectSort};
use tradescope_store::link_review::{LinkReview, Verdict};
use tradescope_store::patents::{PatentCursor, PatentFilter, PatentPage, PatentSort};
use tradescope_store::profile::Profile;
use tradescope_store::search::ListingHit;
use tradescope_store::shipments::freq::{FreqColumn, Frequency};
use tradescope_store::shipments::{Cursor, Page, ShipmentFilter, Sort};
use tradescope_store::trail::Trail;
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
}

/// The store's error for a PostgreSQL one: the store's own errors (not found, a user error)
/// pass through, the server's become [`StoreError::Engine`] with its message.
fn to_store(e: Error) -> StoreError {
    match e {
        Error::Store(s) => s,
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
        self.with(names::current_names)
    }

    fn screen(
        &self,
        _index: &NameIndex,
        _name: &str,
        _opts: &SearchOptions,
    ) -> StoreResult<Vec<ListingHit>> {
        Err(not_yet("Screening"))
    }

    fn covered(&self) -> StoreResult<Covered> {
        Err(not_yet("The covered-equipment list"))
    }

    fn lists(&self) -> StoreResult<Lists> {
        self.with(names::current_as_of)
    }

    fn record_view(&self, _r: RecordRef) -> StoreResult<RecordView> {
        Err(not_yet("The record view"))
    }

    fn links(&self, _kind: RecordKind, _id: i64) -> StoreResult<Vec<LinkItem>> {
        Err(not_yet("Links"))
    }

    fn shipment(&self, id: i64) -> StoreResult<Shipment> {
        self.with(|c| shipments::get(c, id))
    }

    fn party(&self, id: i64) -> StoreResult<Party> {
        self.with(|c| shipments::party(c, id))
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

    fn shipment_frequency(
        &self,
        _filter: &ShipmentFilter,
        _column: FreqColumn,
        _limit: usize,
    ) -> StoreResult<Frequency> {
        Err(not_yet("The frequency table"))
    }

    fn profile(&self, _subject: RecordRef) -> StoreResult<Profile> {
        Err(not_yet("The profile"))
    }

    fn as_of_statuses(&self, _page: &Page) -> StoreResult<Vec<Option<AsOfStatus>>> {
        Err(not_yet("As-of screening"))
    }

    fn patents_page(
        &self,
        _filter: &PatentFilter,
        _sort: PatentSort,
        _after: Option<&PatentCursor>,
        _limit: usize,
    ) -> StoreResult<PatentPage> {
        Err(not_yet("The Patents pane"))
    }

    fn count_patents(
        &self,
        _filter: &PatentFilter,
        _cap: i64,
    ) -> StoreResult<std::result::Result<i64, i64>> {
        Err(not_yet("The Patents pane"))
    }

    fn intersect(&self, _sort: IntersectSort) -> StoreResult<Vec<IntersectRow>> {
        Err(not_yet("The intersection"))
    }

    fn trail(&self, _entity_id: i64) -> StoreResult<Trail> {
        Err(not_yet("The trail"))
    }

    fn audit_recent(&self, _limit: usize) -> StoreResult<Vec<Record>> {
        Err(not_yet("The audit log"))
    }

    fn audit_verify(&self) -> StoreResult<Verification> {
        Err(not_yet("Verifying the audit log"))
    }

    fn audit_append(&self, _rec: &NewRecord) -> StoreResult<Record> {
        Err(not_yet("Writing the audit log"))
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

    fn case_add(&self, _case: &str, _r: RecordRef) -> StoreResult<i64> {
        Err(not_yet("Cases"))
    }

    fn case_export(&self, _case: &str) -> StoreResult<Option<CaseExport>> {
        Err(not_yet("Cases"))
    }

    fn decide(&self, _d: &NewDecision<'_>) -> StoreResult<Decision> {
        Err(not_yet("Recording a decision"))
    }

    fn watch_alerts(&self) -> StoreResult<Vec<(String, i64)>> {
        self.with(names::watch_alerts)
    }

    fn rejected_links(&self, _r: RecordRef) -> StoreResult<Vec<LinkItem>> {
        Err(not_yet("Links"))
    }

    fn review_link(
        &self,
        _pair: &LinkPair,
        _verdict: Verdict,
        _reason: &str,
    ) -> StoreResult<LinkReview> {
        Err(not_yet("Link review"))
    }
}
