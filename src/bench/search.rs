//! Entity search figures: ranked fuzzy search over every list and party name.

use std::time::Instant;

use rusqlite::Connection;

use super::report::Figure;
use super::timing::Stat;
use crate::db::{entities, parties};
use crate::error::Result;
use crate::rank::{Engine, NameList, Ranker};

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

/// Every current list name and every party name, as the search list.
pub fn load_names(conn: &Connection) -> Result<NameList> {
    let mut names: Vec<String> = entities::current_names(conn)?
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.extend(parties::all_names(conn)?.into_iter().map(|(_, n)| n));
    Ok(NameList::new(names))
}

pub struct SearchFigures {
    pub load: Figure,
    /// Per engine: full search, typing.
    pub engines: Vec<(Figure, Figure)>,
}

pub fn measure(conn: &Connection, reps: usize) -> Result<SearchFigures> {
    let t = Instant::now();
    let list = load_names(conn)?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(measure_list(list, load_ms, reps))
}

/// The search figures over `list` (loaded in `load_ms`).
pub fn measure_list(list: NameList, load_ms: f64, reps: usize) -> SearchFigures {
    let mut load = Figure::new(
        &format!("load {} names into the search list", list.len()),
        "off the UI thread",
        "ms",
    );
    load.ours = Some(Stat::one(load_ms));
    load.note = format!(
        "read (or generated) and prepared (folded copy + character mask per name); {:.0} MiB of \
         heap. The workbench does this in the background after the first frame.",
        list.heap_bytes() as f64 / 1024.0 / 1024.0
    );
    // The baseline: fuzzy-matcher (skim), one thread, every name.
    let skim = Ranker::new(Engine::Skim);
    let naive: Vec<f64> = QUERIES
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(skim.search_naive(&list, q, 50));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let naive = Stat::of(naive);
    let mut engines = Vec::new();
    for engine in [Engine::Skim, Engine::Nucleo] {
        engines.push(measure_engine(&list, engine, naive, reps));
    }
    SearchFigures { load, engines }
}

/// The search figures over the current list names plus `parties` generated party names, without
/// a shipments database (the name list does not depend on shipments).
pub fn measure_generated(conn: &Connection, parties: u64, reps: usize) -> Result<SearchFigures> {
    let t = Instant::now();
    let mut names: Vec<String> = entities::current_names(conn)?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let cfg = crate::gen::GenConfig {
        shipments: 0,
        parties,
        seed: 1,
    };
    let (ps, _) = crate::gen::parties(&cfg, &[], &Default::default());
    names.extend(ps.into_iter().map(|p| p.name));
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    Ok(measure_list(NameList::new(names), ms, reps))
}

fn measure_engine(list: &NameList, engine: Engine, naive: Stat, reps: usize) -> (Figure, Figure) {
    let label = match engine {
        Engine::Skim => "fuzzy-matcher skim",
        Engine::Nucleo => "nucleo-matcher",
    };
    let ranker = Ranker::new(engine);
    let mut ours = Vec::new();
    let mut agree = true;
    for q in QUERIES {
        for _ in 0..reps {
            let g = ranker.next_generation();
            let t = Instant::now();
            let r = ranker.search(list, q, None, 50, g);
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(&r);
        }
        let g = ranker.next_generation();
        agree &= ranker.search(list, q, None, 50, g).map(|r| r.hits)
            == Some(ranker.search_naive(list, q, 50));
    }
    let mut full = Figure::new(
        &format!(
            "full ranked entity search over {} names ({label})",
            list.len()
        ),
        "p50 ≤ 30 ms",
        "ms",
    );
    full.ours = Some(Stat::of(ours));
    full.baseline_name = "single-threaded fuzzy-matcher (skim) full scan".into();
    full.baseline = Some(naive);
    full.met = full.ours.map(|s| s.median <= 30.0);
    full.note =
        format!(
        "{} queries ({}), {reps} runs each from scratch, top 50 by {label} score; baseline once \
         per query. Same top 50 as the same scorer's naive full scan: {}. Character-mask{} \
         prefilter, then the scorer on the survivors, on all cores.",
        QUERIES.len(),
        QUERIES.join(", "),
        if agree { "yes (checked)" } else { "NO" },
        if engine == Engine::Skim { " and subsequence" } else { "" },
    );
    let mut per_key = Vec::new();
    for word in [
        "hikvision digital",
        "rosoboronexport",
        "shenzhen huaxin electronics",
    ] {
        for _ in 0..reps {
            let mut prev = None;
            for end in 1..=word.len() {
                let q = &word[..end];
                let g = ranker.next_generation();
                let t = Instant::now();
                let r = ranker.search(list, q, prev.as_ref(), 50, g);
                per_key.push(t.elapsed().as_secs_f64() * 1000.0);
                prev = r;
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
