//! Database figures: drill-down pages, description substring search, counts, query plans.

use std::path::Path;
use std::time::Instant;

use rusqlite::Connection;

use super::machine::evict;
use super::report::Figure;
use super::timing::{time_ms, Stat};
use crate::baseline as q;
use tradescope_store as db;
use tradescope_store::error::Result;
use tradescope_store::shipments::{self, ShipmentFilter, Sort};

pub const PAGE: usize = 50;

/// Model-number fragment searched in descriptions (a Hikvision camera's model).
pub const MODEL_QUERY: &str = "2CD7A46";

pub struct Reps {
    pub warm: usize,
    pub cold: usize,
    pub baseline: usize,
}

fn entity_filter(id: i64) -> ShipmentFilter {
    ShipmentFilter {
        entity_id: Some(id),
        ..Default::default()
    }
}

fn first_page(conn: &Connection, f: &ShipmentFilter) -> Result<()> {
    std::hint::black_box(shipments::page(conn, f, Sort::default(), None, PAGE)?);
    Ok(())
}

/// Cold timings: for each sample, open a new connection (its schema read), evict the database
/// file from the OS page cache (machine::evict: this file only), and time one call.
fn cold(
    path: &Path,
    n: usize,
    mut f: impl FnMut(&Connection, usize) -> Result<()>,
) -> Result<Option<Stat>> {
    if n == 0 {
        return Ok(None);
    }
    let mut xs = Vec::new();
    for i in 0..n {
        let conn = db::open_ro(path)?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        if !evict(path) {
            return Ok(None);
        }
        let t = Instant::now();
        f(&conn, i)?;
        xs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(Some(Stat::of(xs)))
}

/// Drill entity → first page of its linked parties' shipments, warm and cold, with baselines.
pub fn drill(conn: &Connection, path: &Path, reps: &Reps) -> Result<Vec<Figure>> {
    let ents = q::linked_entities(conn, 20)?;
    let mut warm = Figure::new(
        "drill entity → first page of shipments (warm)",
        "≤ 2 ms",
        "ms",
    );
    let mut coldf = Figure::new(
        "drill entity → first page of shipments (cold)",
        "≤ 20 ms",
        "ms",
    );
    if ents.is_empty() {
        warm.note = "no entity is linked to a trade party in this database".into();
        return Ok(vec![warm, coldf]);
    }
    for (e, _) in &ents {
        first_page(conn, &entity_filter(*e))?;
    }
    warm.ours = Some(time_ms(reps.warm * ents.len(), |i| {
        first_page(conn, &entity_filter(ents[i % ents.len()].0))
    })?);
    warm.baseline_name = "naive query: OR of the party columns, ORDER BY date (sort)".into();
    warm.baseline = Some(time_ms(reps.baseline * ents.len(), |i| {
        std::hint::black_box(q::naive_entity_page(conn, ents[i % ents.len()].0, PAGE)?);
        Ok(())
    })?);
    warm.met = warm.ours.map(|s| s.median <= 2.0);
    let acts: Vec<String> = ents.iter().map(|(_, a)| a.to_string()).collect();
    warm.note = format!(
        "{} entities linked to trade parties, spread from busiest to quietest (their parties' \
         shipments: {}); page of {PAGE} newest first via a MERGE (UNION) of the composite \
         indexes (party, ship_date, id). Baseline: the same page from the query one would \
         write first (`{}`), which reads and sorts every shipment of the entity's parties — \
         what a single-column index on the party column gives. The check against a real \
         single-column index is in the plan section below.",
        ents.len(),
        acts.join(", "),
        "WHERE shipper_id IN (…) OR consignee_id IN (…) ORDER BY ship_date DESC LIMIT 51"
    );
    let n_cold = reps.cold.min(ents.len());
    coldf.ours = cold(path, n_cold, |c, i| {
        first_page(c, &entity_filter(ents[i].0))
    })?;
    if coldf.ours.is_some() {
        coldf.baseline_name = warm.baseline_name.clone();
        coldf.baseline = cold(path, n_cold.min(reps.baseline.max(3)), |c, i| {
            std::hint::black_box(q::naive_entity_page(c, ents[i].0, PAGE)?);
            Ok(())
        })?;
        coldf.met = coldf.ours.map(|s| s.median <= 20.0);
        coldf.note = "cold: before each sample a new SQLite connection reads the schema, then \
                      the database file alone is evicted from the OS page cache \
                      (`posix_fadvise(POSIX_FADV_DONTNEED)` on the file and its WAL: no root, \
                      the rest of the machine's cache untouched); one sample per entity. Every \
                      page the query touches then comes from the disk."
            .into();
    } else {
        coldf.note = "not measured: --no-cold, or the file could not be evicted".into();
    }
    Ok(vec![warm, coldf])
}

/// Every drill path's first page (warm), with the plan SQLite chooses.
pub fn drill_paths(conn: &Connection, reps: usize) -> Result<(Vec<Figure>, String)> {
    let parties = q::parties_by_activity(conn, 10)?;
    let shippers = q::shippers_by_activity(conn, 10)?;
    let ents = q::linked_entities(conn, 5)?;
    let mut paths: Vec<(String, Vec<ShipmentFilter>)> = vec![
        (
            "party (any role)".into(),
            parties
                .iter()
                .map(|(p, _)| ShipmentFilter {
                    party_id: Some(*p),
                    ..Default::default()
                })
                .collect(),
        ),
        (
            "shipper".into(),
            shippers
                .iter()
                .map(|(p, _)| ShipmentFilter {
                    shipper_id: Some(*p),
                    ..Default::default()
                })
                .collect(),
        ),
        (
            "entity".into(),
            ents.iter().map(|(e, _)| entity_filter(*e)).collect(),
        ),
    ];
    // Paths filtered by one value: (name, the field it sets, the values measured).
    type Set = fn(&mut ShipmentFilter, String);
    let by_value: [(&str, Set, &[&str]); 5] = [
        (
            "destination country",
            |f, v| f.dest_country = Some(v),
            &["US", "PR"],
        ),
        (
            "country (origin or destination)",
            |f, v| f.country = Some(v),
            &["CN", "VN", "MX", "LK"],
        ),
        (
            "HS prefix",
            |f, v| f.hs_prefix = Some(v),
            &["852589", "8525", "85", "940360"],
        ),
        (
            "port (name contains)",
            |f, v| f.port = Some(v),
            &["haiphong", "long beach", "colombo"],
        ),
        (
            "model number in description",
            |f, v| f.text = Some(v),
            &[MODEL_QUERY],
        ),
    ];
    for (name, set, values) in by_value {
        let filters = values
            .iter()
            .map(|v| {
                let mut f = ShipmentFilter::default();
                set(&mut f, (*v).to_string());
                f
            })
            .collect();
        paths.push((name.into(), filters));
    }
    paths.push((
        "party + date range".into(),
        parties
            .iter()
            .map(|(p, _)| ShipmentFilter {
                party_id: Some(*p),
                date_from: Some("2021-01-01".into()),
                date_to: Some("2021-12-31".into()),
                ..Default::default()
            })
            .collect(),
    ));
    let mut figures = Vec::new();
    let mut plans = String::new();
    for (name, filters) in &paths {
        if filters.is_empty() {
            continue;
        }
        for f in filters {
            first_page(conn, f)?;
        }
        let mut fig = Figure::new(
            &format!("first page, drill by {name} (warm)"),
            "≤ 2 ms",
            "ms",
        );
        fig.ours = Some(time_ms(reps * filters.len(), |i| {
            first_page(conn, &filters[i % filters.len()])
        })?);
        fig.met = fig.ours.map(|s| s.median <= 2.0);
        let plan = shipments::page_plan(conn, &filters[0], Sort::default(), PAGE)?;
        let temp = plan.iter().any(|l| l.contains("TEMP B-TREE"));
        fig.note = format!(
            "{} filter(s); plan {}",
            filters.len(),
            if temp {
                "uses a temp B-tree (see plans)"
            } else {
                "reads index order, no temp B-tree"
            }
        );
        plans.push_str(&format!(
            "**{name}** (`{}`):\n```\n{}\n```\n",
            serde_json::to_string(&filters[0]).unwrap_or_default(),
            plan.join("\n")
        ));
        figures.push(fig);
    }
    Ok((figures, plans))
}

/// Description substring: the first page of shipments whose description contains a model
/// number, through the FTS5 trigram index vs LIKE '%…%'; and the count of all matches.
pub fn substring(conn: &Connection, reps: &Reps) -> Result<Vec<Figure>> {
    let f = ShipmentFilter {
        text: Some(MODEL_QUERY.into()),
        ..Default::default()
    };
    first_page(conn, &f)?;
    let mut page = Figure::new(
        &format!("description substring \"{MODEL_QUERY}\" → first page"),
        "≤ 5 ms",
        "ms",
    );
    page.ours = Some(time_ms(reps.warm * 5, |_| first_page(conn, &f))?);
    page.baseline_name = "LIKE '%…%' scan, newest first".into();
    page.baseline = Some(time_ms(reps.baseline, |_| {
        std::hint::black_box(q::naive_substring_page(conn, MODEL_QUERY, PAGE)?);
        Ok(())
    })?);
    page.met = page.ours.map(|s| s.median <= 5.0);
    let mut all = Figure::new(
        &format!("description substring \"{MODEL_QUERY}\" → count all matches"),
        "≤ 5 ms",
        "ms",
    );
    let mut n = 0;
    all.ours = Some(time_ms(reps.warm * 5, |_| {
        n = q::fts_count(conn, MODEL_QUERY)?;
        Ok(())
    })?);
    let mut n_naive = 0;
    all.baseline_name = "LIKE '%…%' full scan".into();
    all.baseline = Some(time_ms(1, |_| {
        n_naive = q::naive_count(conn, MODEL_QUERY)?;
        Ok(())
    })?);
    all.met = all.ours.map(|s| s.median <= 5.0);
    all.note = format!(
        "{n} matching shipments (LIKE finds {n_naive}); contentless FTS5 trigram index keyed by date key, \
         quoted phrase = case-insensitive substring. Baseline run once (a full table scan)."
    );
    page.note = format!(
        "the workbench's query (FTS5 trigram match, then newest first, {PAGE} rows) over {n} \
         matches; baseline: LIKE '%{MODEL_QUERY}%' walking the date index newest first until \
         {PAGE} rows match."
    );
    Ok(vec![page, all])
}

/// Counts shown before a jump ("Shipments (1,204)"): never a scan past the cap.
pub fn counts(conn: &Connection, reps: usize) -> Result<Vec<Figure>> {
    let shippers = q::shippers_by_activity(conn, 5)?;
    let ents = q::linked_entities(conn, 5)?;
    let mut cases: Vec<(String, Vec<ShipmentFilter>, i64)> = vec![
        (
            "unfiltered (capped at 100,000)".into(),
            vec![ShipmentFilter::default()],
            100_000,
        ),
        (
            "destination country (capped at 100,000)".into(),
            vec![ShipmentFilter {
                dest_country: Some("US".into()),
                ..Default::default()
            }],
            100_000,
        ),
        (
            "shipper (precomputed counter)".into(),
            shippers
                .iter()
                .map(|(p, _)| ShipmentFilter {
                    shipper_id: Some(*p),
                    ..Default::default()
                })
                .collect(),
            1_000_000,
        ),
    ];
    if !ents.is_empty() {
        cases.push((
            "entity (capped at 1,000,000)".into(),
            ents.iter().map(|(e, _)| entity_filter(*e)).collect(),
            1_000_000,
        ));
    }
    let mut out = Vec::new();
    for (name, filters, cap) in cases {
        if filters.is_empty() {
            continue;
        }
        let mut fig = Figure::new(&format!("count: {name}"), "no scan", "ms");
        let mut shown = Vec::new();
        fig.ours = Some(time_ms(reps * filters.len(), |i| {
            let n = shipments::count(conn, &filters[i % filters.len()], cap)?;
            if i < filters.len() {
                shown.push(match n {
                    Ok(n) => n.to_string(),
                    Err(n) => format!("≥{n}"),
                });
            }
            Ok(())
        })?);
        fig.note = format!("counts shown: {}", shown.join(", "));
        out.push(fig);
    }
    Ok(out)
}
