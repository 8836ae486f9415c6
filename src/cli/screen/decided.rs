//! Decisions in a batch report: of a name's best candidates, the hit its row shows — the best
//! one that still counts, else the best cleared one (shown as cleared) — with its decision.
//! Only the best candidate is searched for while no decision is recorded.

use tradescope_matching::Hit;
use tradescope_store::covered::CoveredFlag;
use tradescope_store::decisions::{self, Book, HitDecision};
use tradescope_store::error::Result;

/// Candidates searched per name once decisions exist: a cleared best hit must not hide the
/// next listing the name matches.
pub(super) const CANDIDATES: usize = 8;

/// One report row's hit and covered flag.
pub(super) type RowHit = (Option<Hit>, Option<CoveredFlag>);

/// The hit and decision each row shows, from its candidates (best first).
pub(super) fn pick_all(
    conn: &rusqlite::Connection,
    book: &Book,
    names: &[&str],
    candidates: Vec<(Vec<Hit>, Option<CoveredFlag>)>,
    threshold: f64,
) -> Result<(Vec<RowHit>, Vec<Option<HitDecision>>)> {
    let mut rows = Vec::with_capacity(candidates.len());
    let mut decided = Vec::with_capacity(candidates.len());
    for (name, (hits, flag)) in names.iter().zip(candidates) {
        let (hit, d) = pick(conn, book, name, hits, threshold)?;
        rows.push((hit, flag));
        decided.push(d);
    }
    Ok((rows, decided))
}

fn pick(
    conn: &rusqlite::Connection,
    book: &Book,
    name: &str,
    hits: Vec<Hit>,
    threshold: f64,
) -> Result<(Option<Hit>, Option<HitDecision>)> {
    if book.is_empty() {
        return Ok((hits.into_iter().next(), None));
    }
    let mut cleared: Option<(Hit, HitDecision)> = None;
    for h in hits {
        if h.score < threshold {
            // Best first: nothing from here on counts.
            return Ok(match cleared {
                Some((c, d)) => (Some(c), Some(d)),
                None => {
                    let d = decision(conn, book, name, &h)?;
                    (Some(h), d)
                }
            });
        }
        match decision(conn, book, name, &h)? {
            Some(d) if d.clears() => {
                if cleared.is_none() {
                    cleared = Some((h, d));
                }
            }
            d => return Ok((Some(h), d)),
        }
    }
    Ok(match cleared {
        Some((c, d)) => (Some(c), Some(d)),
        None => (None, None),
    })
}

fn decision(
    conn: &rusqlite::Connection,
    book: &Book,
    name: &str,
    h: &Hit,
) -> Result<Option<HitDecision>> {
    match decisions::listing_key(conn, h.id)? {
        Some(key) => book.for_hit(conn, name, &key, h.score),
        None => Ok(None),
    }
}
