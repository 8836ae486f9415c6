//! Entity search figures: ranked fuzzy search over every list and party name.

use std::time::Instant;

use rusqlite::Connection;

use super::report::Figure;
use super::timing::Stat;
use tradescope_matching::typeahead::{Corpus, Engine, Kind, Record, Scorer};
use tradescope_store::error::Result;

/// Queries an analyst types: full names, fragments, and short prefixes (the slow case).
pub const QUERIES: &[&str] = &[
    "hikvision",
    "dahua technology",
    "huawei",
    "zte corporation",
    "rosoboronexport",
    "kaspersky",
    "shenzhen huaxin",
    "pacific trading",
    "mahan air",
    "sinopec",
    "cong ty tnhh",
    "china electronics",
    "novatek",
    "iran",
    "aero",
    "hk",
];

/// The workbench's own search corpus (every list name and alias, party and assignee), loaded
/// by the workbench's loader.
pub fn load_corpus(conn: &Connection) -> Result<Corpus> {
    tradescope_store::names::corpus(conn)
}

pub struct SearchFigures {
    pub load: Figure,
    /// Per scorer: full search, typing.
    pub engines: Vec<(Figure, Figure)>,
}

pub fn measure(conn: &Connection, reps: usize) -> Result<SearchFigures> {
    let t = Instant::now();
    let corpus = load_corpus(conn)?;
    let engine = Engine::new(corpus);
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(measure_engine_set(
        engine,
        load_ms,
        reps,
        "the workbench's loader (names::corpus)",
    ))
}

/// The search figures over `engine`'s corpus (loaded in `load_ms`).
fn measure_engine_set(engine: Engine, load_ms: f64, reps: usize, how: &str) -> SearchFigures {
    let mut load = Figure::new(
        &format!(
            "load {} names into the search engine",
            engine.corpus().len()
        ),
        "off the UI thread",
        "ms",
    );
    load.ours = Some(Stat::one(load_ms));
    load.note = format!(
        "{how}, then a character mask per name; {:.0} MiB of heap. The workbench does this in \
         the background after the first frame.",
        engine.heap_bytes() as f64 / 1024.0 / 1024.0
    );
    // The baseline: fuzzy-matcher (skim), one thread, every name.
    let naive: Vec<f64> = QUERIES
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(engine.search_naive(q, 50));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let naive = Stat::of(naive);
    let mut engines = Vec::new();
    let mut engine = engine;
    for scorer in [Scorer::Skim, Scorer::Nucleo] {
        engine = engine.rescored(scorer);
        engines.push(measure_scorer(&mut engine, naive, reps));
    }
    SearchFigures { load, engines }
}

/// The search figures over the current list names plus `parties` generated party names, without
/// a shipments database (the name list does not depend on shipments).
pub fn measure_generated(conn: &Connection, parties: u64, reps: usize) -> Result<SearchFigures> {
    let t = Instant::now();
    let mut corpus = load_corpus(conn)?;
    let cfg = crate::gen::GenConfig {
        shipments: 0,
        parties,
        seed: 1,
    };
    let (ps, _) = crate::gen::parties(&cfg, &[], &Default::default());
    for (i, p) in ps.into_iter().enumerate() {
        let rec = corpus.add_record(Record {
            kind: Kind::Party,
            id: -(i as i64) - 1,
            name: p.name.as_str().into(),
            badge: "PARTY".into(),
            country: None,
            programs: None,
            start_date: None,
            end_date: None,
            synthetic: true,
            weight: 0,
        });
        corpus.add_name(rec, &p.name);
    }
    corpus.shrink();
    let engine = Engine::new(corpus);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(measure_engine_set(
        engine,
        ms,
        reps,
        "the workbench's corpus plus generated party names",
    ))
}

/// Share of the naive top `limit` records that the engine's top `limit` also has.
fn agreement(
    fast: &[tradescope_matching::typeahead::Hit],
    naive: &[tradescope_matching::typeahead::Hit],
) -> f64 {
    if naive.is_empty() {
        return if fast.is_empty() { 1.0 } else { 0.0 };
    }
    let want: std::collections::HashSet<_> =
        naive.iter().map(|h| (h.record.kind, h.record.id)).collect();
    let got = fast
        .iter()
        .filter(|h| want.contains(&(h.record.kind, h.record.id)))
        .count();
    got as f64 / naive.len() as f64
}

fn measure_scorer(engine: &mut Engine, naive: Stat, reps: usize) -> (Figure, Figure) {
    let label = engine.scorer().label();
    let never = || false;
    let mut ours = Vec::new();
    let mut agree = Vec::new();
    for q in QUERIES {
        for _ in 0..reps {
            engine.forget();
            let t = Instant::now();
            let r = engine.search(q, 50, &never);
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(&r);
        }
        engine.forget();
        let fast = engine.search(q, 50, &never).unwrap_or_default();
        agree.push(agreement(&fast.hits, &engine.search_naive(q, 50).hits));
    }
    let mean_agree = agree.iter().sum::<f64>() / agree.len().max(1) as f64;
    let (worst_query, min_agree) =
        QUERIES
            .iter()
            .zip(&agree)
            .fold(("", 1.0), |w, (q, &a)| if a < w.1 { (q, a) } else { w });
    let mut full = Figure::new(
        &format!(
            "full ranked entity search over {} names ({label})",
            engine.corpus().len()
        ),
        "p50 ≤ 30 ms",
        "ms",
    );
    full.ours = Some(Stat::of(ours));
    full.baseline_name = "single-threaded fuzzy-matcher (skim) full scan".into();
    full.baseline = Some(naive);
    full.met = full.ours.map(|s| s.median <= 30.0);
    full.note = format!(
        "the workbench's typeahead engine (src/typeahead): {} queries ({}), {reps} runs each \
         from scratch, top 50 records; baseline once per query (the same scorer on every name, \
         one thread, then the same one-row-per-record cut). Character mask, then the quick \
         byte pass on all cores, then {label} on the best {} candidates by the quick score (on \
         every scattered match, up to {}, when fewer than a page contain the query as typed). \
         Top 50 shared with the naive full scan: {:.0}% on average, {:.0}% for the worst \
         query{}.",
        QUERIES.len(),
        QUERIES.join(", "),
        tradescope_matching::typeahead::RERANK,
        tradescope_matching::typeahead::SCATTERED,
        mean_agree * 100.0,
        min_agree * 100.0,
        if min_agree < 1.0 {
            format!(" ({worst_query})")
        } else {
            String::new()
        },
    );
    let mut per_key = Vec::new();
    for word in [
        "hikvision digital",
        "rosoboronexport",
        "shenzhen huaxin electronics",
    ] {
        for _ in 0..reps {
            engine.forget();
            for end in 1..=word.len() {
                let q = &word[..end];
                let t = Instant::now();
                std::hint::black_box(engine.search(q, 50, &never));
                per_key.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let mut typing = Figure::new(
        &format!("search per keystroke while typing, previous result reused ({label})"),
        "p50 ≤ 30 ms",
        "ms",
    );
    typing.ours = Some(Stat::of(per_key));
    typing.met = typing.ours.map(|s| s.median <= 30.0);
    typing.note = "typing \"hikvision digital\", \"rosoboronexport\" and \"shenzhen huaxin \
                   electronics\" one key at a time; the first key is a full scan, later keys \
                   rescan only the previous matches."
        .into();
    (full, typing)
}
