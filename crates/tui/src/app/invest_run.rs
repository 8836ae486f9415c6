//! The workers' side of the investigation views: reads that combine several store calls.

use tradescope_matching::typeahead::{Kind, Results};
use tradescope_matching::{NameIndex, Schema, SearchOptions};
use tradescope_store::covered::Covered;
use tradescope_store::error::Result;
use tradescope_store::{search, Store};

use super::invest_data::{AuditData, Screening, AUDIT_ROWS};
use super::model::HitNote;
use super::places;

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

/// The note of each of the first `COVERED_FLAGGED` hits: its covered flag and, where rows
/// look the same, its place.
pub fn hit_notes(
    store: &dyn Store,
    r: &Results,
    covered: Vec<Option<String>>,
) -> Result<Vec<HitNote>> {
    let mut notes: Vec<HitNote> = (0..r.hits.len().min(COVERED_FLAGGED))
        .map(|i| HitNote {
            covered: covered.get(i).cloned().flatten(),
            place: None,
        })
        .collect();
    for group in places::same_looking(r, COVERED_FLAGGED) {
        let records: Vec<_> = group
            .iter()
            .filter_map(|&i| places::record_of(r, i))
            .collect();
        let labels = places::labels(&store.places(&records)?);
        for (&i, label) in group.iter().zip(labels) {
            notes[i].place = label;
        }
    }
    Ok(notes)
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
