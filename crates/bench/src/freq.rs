//! Frequency-table figures (the workbench's `F`, issue 20): the time to the first screen of
//! the table (top 200 values + "other"; streamed in chunks of ids where the filter names no
//! party), against the naive single GROUP BY over the filter's SQL in the same run.

use std::time::Instant;

use rusqlite::Connection;

use super::report::Figure;
use super::timing::time_ms;
use crate::baseline as q;
use tradescope_store::error::Result;
use tradescope_store::shipments::freq::{self, FreqColumn};
use tradescope_store::shipments::{freq_scan, ShipmentFilter};

/// Values the workbench's table lists before "other".
const LIMIT: usize = 200;

const COLUMNS: [FreqColumn; 6] = [
    FreqColumn::Shipper,
    FreqColumn::Consignee,
    FreqColumn::Origin,
    FreqColumn::Hs,
    FreqColumn::Month,
    FreqColumn::PortOfLading,
];

/// Milliseconds to the first screen of the streamed table (the first partial table, or the
/// whole one when it is not streamed), and to its end; the values and chunks it took.
fn streamed(
    conn: &Connection,
    f: &ShipmentFilter,
    col: FreqColumn,
    whole: bool,
) -> Result<(f64, f64, i64, i64, usize)> {
    let t0 = Instant::now();
    let mut first: Option<f64> = None;
    let mut chunks = 0;
    let t = freq_scan::frequency_streamed(conn, f, col, LIMIT, &mut |_| {
        chunks += 1;
        first.get_or_insert(t0.elapsed().as_secs_f64() * 1000.0);
        whole
    })?;
    let end = t0.elapsed().as_secs_f64() * 1000.0;
    let (total, values) = t
        .map(|t| (t.total, t.rows.len() as i64 + t.other_values))
        .unwrap_or((0, 0));
    Ok((first.unwrap_or(end), end, total, values, chunks + 1))
}

/// One figure per column over the busiest linked entity's shipments (a drill: one GROUP BY
/// by index), over one origin country's (a broad filter) and over every shipment (streamed
/// in chunks of ids): the time to the first screen against the naive single GROUP BY over
/// the filter, in the same run.
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
    let busiest_origin: Option<String> = conn
        .query_row(
            "SELECT origin_country FROM shipment WHERE origin_country IS NOT NULL
             AND id <= (SELECT min(id) + 100000 FROM shipment)
             GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(c) = busiest_origin {
        cases.push((
            format!("origin {c} shipments"),
            ShipmentFilter {
                origin_country: Some(c),
                ..Default::default()
            },
            vec![FreqColumn::Month, FreqColumn::Hs, FreqColumn::Consignee],
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
                &format!(
                    "frequency table (F) of {} over {what}: first screen",
                    col.label()
                ),
                "≤ 1 s, or streams (progress, Esc)",
                "ms",
            );
            fig.ours = Some(time_ms(reps, |_| {
                let (first, ..) = streamed(conn, &f, col, false)?;
                std::hint::black_box(first);
                Ok(())
            })?);
            // The whole scan once, for the note (how long the table streams).
            let (_, end, total, values, chunks) = streamed(conn, &f, col, true)?;
            let shown = (end, total, values, chunks as i64);
            fig.baseline_name = "one GROUP BY over the filter".into();
            fig.baseline = Some(time_ms(baseline_reps, |_| {
                std::hint::black_box(freq::frequency(conn, &f, col, LIMIT)?);
                Ok(())
            })?);
            let scans = freq_scan::scans(&f);
            fig.met = fig.ours.map(|s| s.median <= 1000.0);
            fig.note = if scans {
                format!(
                    "streamed: chunks of shipment ids (the first {} ids, then sized to ~250 ms \
                     each), each one GROUP BY over a rowid range, summed; the first screen is \
                     the first chunk's table with a progress line, Esc stops it. The whole scan: \
                     {:.0} ms in {} chunks, {} shipments, {} values.",
                    freq_scan::FIRST_CHUNK,
                    shown.0,
                    shown.3,
                    shown.1,
                    shown.2
                )
            } else {
                format!(
                    "one GROUP BY over the drill's index runs (not streamed): {} shipments, {} \
                     values.",
                    shown.1, shown.2
                )
            };
            out.push(fig);
        }
    }
    Ok(out)
}
