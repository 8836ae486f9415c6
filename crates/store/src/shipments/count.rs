//! Counting shipments without scanning more than a cap.

use rusqlite::{params_from_iter, Connection};

use super::filter::*;
use super::runs::*;
use super::*;
use crate::error::Result;

/// Number of shipments matching `f`, counting at most `cap` (Err(n) means "n or more").
///
/// Never scans more than `cap` index entries: a party's or an entity's count comes from the
/// parties' precomputed counters when that is exact (one run, or the largest run alone reaches
/// `cap`); otherwise the runs' covering-index entries are counted up to `cap`.
pub fn count(
    conn: &Connection,
    f: &ShipmentFilter,
    cap: i64,
) -> Result<std::result::Result<i64, i64>> {
    let listed = listed_ranges(conn, f)?;
    let (w, p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let capped = |n: i64| if n > cap { Err(cap) } else { Ok(n) };
    // One party in one role and nothing else: the party's counter is the answer.
    for (id, col) in [
        (f.shipper_id, "shipper_id"),
        (f.consignee_id, "consignee_id"),
        (f.notify_id, "notify_id"),
    ] {
        let alone = w.len() == 1 && f.party_id.is_none() && f.entity_id.is_none();
        if let (Some(id), true) = (id, alone) {
            if let Some(c) = run_counters(conn, &[(col, id.into())])? {
                return Ok(capped(c.first().copied().unwrap_or(0)));
            }
        }
    }
    let n = match runs(conn, f, Sort::default(), listed.as_ref())? {
        Some(runs) if runs.is_empty() => 0,
        Some(runs) => {
            if w.is_empty() {
                if let Some(counts) = run_counters(conn, &runs)? {
                    let max = counts.iter().copied().max().unwrap_or(0);
                    let nonzero = counts.iter().filter(|&&n| n > 0).count();
                    if nonzero <= 1 || max > cap {
                        return Ok(capped(max));
                    }
                }
            }
            let mut total = 0;
            for group in runs.chunks(RUNS_PER_QUERY) {
                let (arms, p2) = union_arms(&w, &p, group);
                let sql = format!("SELECT count(*) FROM ({arms} LIMIT {})", cap + 1);
                total +=
                    conn.query_row(&sql, params_from_iter(p2.iter()), |r| r.get::<_, i64>(0))?;
                if total > cap || runs.len() > RUNS_PER_QUERY {
                    // Across groups a shipment could be counted twice: say "at least".
                    return Ok(Err(cap.min(total)));
                }
            }
            total
        }
        None => {
            let where_sql = if w.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", w.join(" AND "))
            };
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM shipment s {where_sql} LIMIT {})",
                cap + 1
            );
            conn.query_row(&sql, params_from_iter(p.iter()), |r| r.get(0))?
        }
    };
    Ok(capped(n))
}
