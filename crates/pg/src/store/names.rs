//! Names on PostgreSQL: the typeahead's corpus (assembled by the store's own
//! [`corpus_from`], from the same rows in the same order as on SQLite), the screening
//! matcher's names, and the list versions.

use postgres::Client;
use std::cell::RefCell;
use tradescope_matching::typeahead::Corpus;
use tradescope_store::error::Result as StoreResult;
use tradescope_store::names::{corpus_from, EntryRecord, NameRows, OtherRecord};

use super::to_store;
use crate::Result;

/// The rows of one connection; a `RefCell` because the row source is read through `&self`
/// and a query needs the client mutably (one query at a time, never nested).
struct PgNames<'a>(RefCell<&'a mut Client>);

impl PgNames<'_> {
    /// Stream the rows of `sql` to `f` (a portal, so a million names are not held twice).
    fn each(&self, sql: &str, f: &mut dyn FnMut(&postgres::Row)) -> StoreResult<()> {
        let mut client = self.0.borrow_mut();
        let mut tx = client.transaction().map_err(|e| to_store(e.into()))?;
        let portal = tx.bind(sql, &[]).map_err(|e| to_store(e.into()))?;
        loop {
            let rows = tx
                .query_portal(&portal, 10_000)
                .map_err(|e| to_store(e.into()))?;
            if rows.is_empty() {
                break;
            }
            rows.iter().for_each(&mut *f);
        }
        tx.commit().map_err(|e| to_store(e.into()))
    }
}

fn other(r: &postgres::Row) -> OtherRecord {
    OtherRecord {
        id: r.get(0),
        name: r.get(1),
        country: r.get(2),
        synthetic: r.get::<_, i64>(3) != 0,
        weight: r.get(4),
    }
}

impl NameRows for PgNames<'_> {
    fn entries(&self, f: &mut dyn FnMut(EntryRecord)) -> StoreResult<()> {
        self.each(
            "SELECT e.id, e.listing_key, e.list_code, e.name, e.country, e.programs,
                e.start_date, e.end_date, s.synthetic
             FROM list_entry e JOIN source s ON s.id = e.source_id
             WHERE e.current = 1 ORDER BY e.id",
            &mut |r| {
                f(EntryRecord {
                    id: r.get(0),
                    listing_key: r.get(1),
                    list_code: r.get(2),
                    name: r.get(3),
                    country: r.get(4),
                    programs: r.get(5),
                    start_date: r.get(6),
                    end_date: r.get(7),
                    synthetic: r.get::<_, i64>(8) != 0,
                })
            },
        )
    }

    fn entry_names(&self, f: &mut dyn FnMut(i64, &str)) -> StoreResult<()> {
        self.each(
            "SELECT n.entry_id, n.name FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
             WHERE e.current = 1 ORDER BY n.entry_id, n.id",
            &mut |r| f(r.get(0), r.get(1)),
        )
    }

    fn other_counts(&self) -> StoreResult<(usize, usize)> {
        let mut client = self.0.borrow_mut();
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM party), (SELECT count(*) FROM assignee)",
                &[],
            )
            .map_err(|e| to_store(e.into()))?;
        let n = |i: usize| usize::try_from(row.get::<_, i64>(i)).unwrap_or(0);
        Ok((n(0), n(1)))
    }

    fn parties(&self, f: &mut dyn FnMut(OtherRecord)) -> StoreResult<()> {
        self.each(
            "SELECT id, name, country, synthetic, n_shipped + n_received + n_notified
             FROM party ORDER BY id",
            &mut |r| f(other(r)),
        )
    }

    fn assignees(&self, f: &mut dyn FnMut(OtherRecord)) -> StoreResult<()> {
        self.each(
            "SELECT a.id, a.name, NULL::text, s.synthetic, a.n_patents
             FROM assignee a JOIN source s ON s.id = a.source_id ORDER BY a.id",
            &mut |r| f(other(r)),
        )
    }
}

/// Every name the typeahead searches.
pub(super) fn corpus(client: &mut Client) -> Result<Corpus> {
    Ok(corpus_from(&PgNames(RefCell::new(client)))?)
}

/// (dataset, as-of date) of every current watch-list source, in import order.
pub(super) fn current_as_of(client: &mut Client) -> Result<Vec<(String, Option<String>)>> {
    let rows = client.query(
        "SELECT dataset, max(as_of) FROM source
         WHERE current = 1 AND dataset IN ('csl', 'ofac_sdn', 'ofac_cons', 'dpl')
         GROUP BY dataset ORDER BY min(id)",
        &[],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Monitored sets with new potential matches since the last list import: (set, count).
pub(super) fn watch_alerts(client: &mut Client) -> Result<Vec<(String, i64)>> {
    let rows = client.query(
        "SELECT name, alert_count FROM watch_set WHERE alert_count > 0 ORDER BY name",
        &[],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
