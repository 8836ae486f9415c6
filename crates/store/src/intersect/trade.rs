//! Shipment aggregates of a company's trade parties: GROUP BY per party over the
//! (party, ship_date, id) indexes, never one statement per shipment.

use std::collections::HashMap;

use crate::args;
use crate::asof::Range;
use crate::error::Result;
use crate::sql::Sql;

/// (consignee, destination, shipments, first date, last date) of one shipper.
type ShipperAgg = (
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
);

/// Shipment aggregates of a set of parties.
#[derive(Default)]
pub(super) struct Trade {
    pub(super) shipped: i64,
    pub(super) received: i64,
    pub(super) both: i64,
    pub(super) while_listed: i64,
    pub(super) first: Option<String>,
    pub(super) last: Option<String>,
    pub(super) consignees: HashMap<i64, i64>,
    pub(super) destinations: HashMap<String, i64>,
}

fn widen(
    first: &mut Option<String>,
    last: &mut Option<String>,
    lo: Option<String>,
    hi: Option<String>,
) {
    if let Some(lo) = lo {
        if first.as_ref().is_none_or(|f| lo < *f) {
            *first = Some(lo);
        }
    }
    if let Some(hi) = hi {
        if last.as_ref().is_none_or(|l| hi > *l) {
            *last = Some(hi);
        }
    }
}

/// Merge [from, until) ranges (None = open).
pub(super) fn merge_ranges(mut r: Vec<Range>) -> Vec<Range> {
    r.sort();
    let mut out: Vec<Range> = Vec::new();
    for (from, until) in r {
        if let Some(last) = out.last_mut() {
            // Overlapping or touching: the earlier range reaches this one's start.
            let reaches = match (&last.1, &from) {
                (None, _) => true,
                (Some(_), None) => true,
                (Some(u), Some(f)) => f <= u,
            };
            if reaches {
                last.1 = match (&last.1, &until) {
                    (None, _) | (_, None) => None,
                    (Some(a), Some(b)) => Some(a.max(b).clone()),
                };
                continue;
            }
        }
        out.push((from, until));
    }
    out
}

pub(super) fn trade(conn: &dyn Sql, parties: &[i64], listed: &[Range]) -> Result<Trade> {
    let mut t = Trade::default();
    let in_range = |role: &str, pid: i64| -> Result<i64> {
        let mut n = 0;
        for (from, until) in listed {
            let sql = format!(
                "SELECT count(*) FROM shipment WHERE {role} = ?1
                   AND ship_date >= COALESCE(?2, '') AND (CAST(?3 AS TEXT) IS NULL OR ship_date < ?3)"
            );
            n += conn.one::<i64>(&sql, args![pid, from.as_deref(), until.as_deref()])?;
        }
        Ok(n)
    };
    for &pid in parties {
        let rows: Vec<ShipperAgg> = conn.map(
            "SELECT consignee_id, dest_country, count(*), min(ship_date), max(ship_date)
             FROM shipment WHERE shipper_id = ?1 GROUP BY consignee_id, dest_country",
            args![pid],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        for (consignee, dest, n, lo, hi) in rows {
            t.shipped += n;
            if let Some(c) = consignee {
                *t.consignees.entry(c).or_default() += n;
            }
            if let Some(d) = dest {
                *t.destinations.entry(d).or_default() += n;
            }
            widen(&mut t.first, &mut t.last, lo, hi);
        }
        let (n, lo, hi): (i64, Option<String>, Option<String>) = conn
            .opt(
                "SELECT count(*), min(ship_date), max(ship_date) FROM shipment
                 WHERE consignee_id = ?1",
                args![pid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .unwrap_or_default();
        t.received += n;
        widen(&mut t.first, &mut t.last, lo, hi);
        t.while_listed += in_range("shipper_id", pid)? + in_range("consignee_id", pid)?;
    }
    if parties.len() > 1 || t.received > 0 {
        // Shipments between two of the company's own parties were counted twice.
        let list: Vec<String> = parties.iter().map(i64::to_string).collect();
        let list = list.join(",");
        t.both = conn.one(
            &format!(
                "SELECT count(*) FROM shipment WHERE shipper_id IN ({list}) AND consignee_id IN ({list})"
            ),
            &[],
        )?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: Option<&str>, b: Option<&str>) -> (Option<String>, Option<String>) {
        (a.map(str::to_string), b.map(str::to_string))
    }

    #[test]
    fn listed_ranges_merge() {
        let m = merge_ranges(vec![
            r(Some("2021-06-03"), None),
            r(Some("2019-10-09"), None),
        ]);
        assert_eq!(m, vec![r(Some("2019-10-09"), None)]);
        let m = merge_ranges(vec![
            r(Some("2018-01-01"), Some("2019-01-01")),
            r(Some("2020-01-01"), Some("2021-01-01")),
            r(Some("2020-06-01"), Some("2022-01-01")),
        ]);
        assert_eq!(
            m,
            vec![
                r(Some("2018-01-01"), Some("2019-01-01")),
                r(Some("2020-01-01"), Some("2022-01-01"))
            ]
        );
        assert_eq!(
            merge_ranges(vec![
                r(None, Some("2000-01-01")),
                r(Some("1999-01-01"), None)
            ]),
            vec![r(None, None)]
        );
    }
}
