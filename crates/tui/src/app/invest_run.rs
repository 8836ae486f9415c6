//! The workers' side of the investigation views: reads that combine several store calls.

use tradescope_matching::typeahead::{Kind, Results};
use tradescope_matching::{NameIndex, Schema, SearchOptions};
use tradescope_store::covered::Covered;
use tradescope_store::error::Result;
use tradescope_store::{search, Store};

use super::invest_data::{AuditData, Screening, AUDIT_ROWS};

/// Typeahead hits that get a covered-equipment flag (the first screens of results).
pub const COVERED_FLAGGED: usize = 60;

/// The covered-equipment group of each of the first hits that is a list entry or trade party.
pub fn covered_flags(c: &Covered, r: &Results) -> Vec<Option<String>> {
    r.hits
        .iter()
        .take(COVERED_FLAGGED)
        .map(|h| match h.record.kind {
            Kind::Entity | Kind::Party => c.flag(&h.record.name).map(|f| f.group),
            Kind::Assignee => None,
        })
        .collect()
}

/// Hits the screening mode shows.
pub const SCREEN_LIMIT: usize = 50;

/// The newest audit records and the verification of the whole chain.
pub fn audit(store: &dyn Store) -> Result<AuditData> {
    Ok(AuditData {
        rows: store.audit_recent(AUDIT_ROWS)?,
        verification: store.audit_verify()?,
    })
}

/// Screen a name as `tradescope screen` does, with the covered-equipment note.
pub fn screen(
    store: &dyn Store,
    index: &NameIndex,
    query: &str,
    threshold: f64,
) -> Result<Screening> {
    let search::ScreenQuery {
        name,
        dob,
        country,
        problems,
    } = search::ScreenQuery::parse(query);
    let q = name.as_str();
    if q.is_empty() {
        return Ok(Screening {
            query: query.to_string(),
            threshold,
            hits: Vec::new(),
            notes: Vec::new(),
        });
    }
    let opts = SearchOptions {
        threshold,
        limit: SCREEN_LIMIT,
        schema: Schema::Unknown,
        country,
        dob,
    };
    let hits = store.screen(index, q, &opts)?;
    // Unread qualifiers first: the first note becomes the status message.
    let mut notes = problems;
    notes.extend(
        store
            .covered()?
            .check(index, q)
            .into_iter()
            .filter_map(|c| c.note),
    );
    Ok(Screening {
        query: query.to_string(),
        threshold,
        hits,
        notes,
    })
}
