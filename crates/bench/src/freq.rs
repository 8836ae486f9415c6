//! Frequency-table figures (the workbench's `F`, issue 20): one GROUP BY in SQLite over the
//! filter's SQL, top 200 values + "other", against the naive way in the same run — load every
//! matching row (the Shipments list's row query) and count the column in Rust.

use std::collections::HashMap;

use rusqlite::Connection;

use super::report::Figure;
use super::timing::time_ms;
use crate::baseline as q;
use tradescope_store::error::Result;
use tradescope_store::shipments::freq::{self, FreqColumn};
use tradescope_store::shipments::{self, ShipmentFilter, ShipmentRow, Sort};

/// Values the workbench's table lists before "other".
const LIMIT: usize = 200;

const COLUMNS: [FreqColumn; 5] = [
    FreqColumn::Shipper,
    FreqColumn::Consignee,
    FreqColumn::Origin,
    FreqColumn::Hs,
    FreqColumn::Month,
];

/// The naive table: every matching row loaded (as the Shipments list reads them), the column
/// counted in a HashMap, sorted by count (every shipment: streamed, not held). HS counts the first code of a bill (the row's), so it
/// does less work than ours, which counts every code.
fn naive(conn: &Connection, f: &ShipmentFilter, col: FreqColumn) -> Result<usize> {
    let key = |r: &ShipmentRow| -> Option<String> {
        match col {
            FreqColumn::Shipper => r.shipper_id.map(|i| i.to_string()),
            FreqColumn::Consignee => r.consignee_id.map(|i| i.to_string()),
            FreqColumn::Origin => r.origin_country.clone(),
            FreqColumn::Hs => r.hs_code.clone(),
            _ => r
                .ship_date
                .as_deref()
                .and_then(|d| d.get(..7))
                .map(str::to_string),
        }
    };
    let mut counts: HashMap<Option<String>, i64> = HashMap::new();
    if f.is_empty() {
        // Every shipment: streamed through the row query (10M rows do not fit in memory).
        let sql = format!("SELECT {} FROM {}", shipments::ROW_COLUMNS, shipments::FROM);
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            *counts.entry(key(&shipments::row(r)?)).or_default() += 1;
        }
    } else {
        let rows = shipments::page(conn, f, Sort::default(), None, 100_000_000)?.rows;
        for r in &rows {
            *counts.entry(key(r)).or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(LIMIT);
    Ok(std::hint::black_box(v).len())
}

/// One figure per column over the busiest linked entity's shipments (a drill) and over every
/// shipment (the unfiltered table, the largest GROUP BY there is).
pub fn figures(conn: &Connection, reps: usize, baseline_reps: usize) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let ents = q::linked_entities(conn, 1)?;
    let mut cases: Vec<(String, ShipmentFilter, Vec<FreqColumn>)> = Vec::new();
    if let Some((e, n)) = ents.first() {
        cases.push((
            format!("the busiest linked entity's {n} shipments"),
            ShipmentFilter {
                entity_id: Some(*e),
                ..Default::default()
            },
            COLUMNS.to_vec(),
        ));
    }
    cases.push((
        "all shipments".into(),
        ShipmentFilter::default(),
        COLUMNS.to_vec(),
    ));
    for (what, f, cols) in cases {
        for col in cols {
            let mut fig = Figure::new(
                &format!("frequency table (F) of {} over {what}", col.label()),
                "≤ 1 s",
                "ms",
            );
            let mut shown = (0, 0, 0);
            fig.ours = Some(time_ms(reps, |_| {
                let t = freq::frequency(conn, &f, col, LIMIT)?;
                shown = (t.total, t.rows.len() as i64 + t.other_values, t.rows.len());
                Ok(())
            })?);
            fig.baseline_name = "load every matching row, count in Rust".into();
            fig.baseline = Some(time_ms(baseline_reps, |_| {
                naive(conn, &f, col)?;
                Ok(())
            })?);
            fig.met = fig.ours.map(|s| s.median <= 1000.0);
            fig.note = format!(
                "one GROUP BY over the filter's SQL (the index runs of the drill, or the \
                 table), top {LIMIT} + other: {} shipments, {} values, {} listed. Baseline: the \
                 Shipments list's row query for all matching rows, counted in a HashMap \
                 (HS: the first code of each bill only).",
                shown.0, shown.1, shown.2
            );
            out.push(fig);
        }
    }
    Ok(out)
}
