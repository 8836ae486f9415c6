//! Entity search figures: ranked fuzzy search over every list and party name.

use std::time::Instant;

use rusqlite::Connection;

use super::report::Figure;
use super::timing::Stat;
use crate::db::{entities, parties};
use crate::error::Result;
use crate::rank::{NameList, Ranker};

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
    pub full: Figure,
    pub typing: Figure,
}

pub fn measure(conn: &Connection, reps: usize) -> Result<SearchFigures> {
    let t = Instant::now();
    let list = load_names(conn)?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut load = Figure::new(
        &format!("load {} names into the search list", list.len()),
        "off the UI thread",
        "ms",
    );
    load.ours = Some(Stat::one(load_ms));
    load.note = format!(
        "read from SQLite and prepared (folded copy + character mask per name); {:.0} MiB of \
         heap. The workbench does this in the background after the first frame.",
        list.heap_bytes() as f64 / 1024.0 / 1024.0
    );

    let ranker = Ranker::default();
    let (mut ours, mut naive) = (Vec::new(), Vec::new());
    let mut agree = true;
    for q in QUERIES {
        for _ in 0..reps {
            let g = ranker.next_generation();
            let t = Instant::now();
            let r = ranker.search(&list, q, None, 50, g);
            ours.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(&r);
        }
        let t = Instant::now();
        let base = ranker.search_naive(&list, q, 50);
        naive.push(t.elapsed().as_secs_f64() * 1000.0);
        let g = ranker.next_generation();
        agree &= ranker.search(&list, q, None, 50, g).map(|r| r.hits) == Some(base);
    }
    let mut full = Figure::new(
        &format!("full ranked entity search over {} names", list.len()),
        "p50 ≤ 30 ms",
        "ms",
    );
    full.ours = Some(Stat::of(ours));
    full.baseline_name = "single-threaded fuzzy-matcher full scan".into();
    full.baseline = Some(Stat::of(naive));
    full.met = full.ours.map(|s| s.median <= 30.0);
    full.note = format!(
        "{} queries ({}), {reps} runs each from scratch, top 50 by fuzzy-matcher's skim score; \
         baseline once per query. Same ranking as the baseline: {}. Character-mask and \
         subsequence prefilter, then skim on the survivors, on all cores.",
        QUERIES.len(),
        QUERIES.join(", "),
        if agree { "yes (checked)" } else { "NO" }
    );

    // Typing a name key by key: each keystroke narrows the previous result.
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
                let r = ranker.search(&list, q, prev.as_ref(), 50, g);
                per_key.push(t.elapsed().as_secs_f64() * 1000.0);
                prev = r;
            }
        }
    }
    let mut typing = Figure::new(
        "search per keystroke while typing (previous result reused)",
        "p50 ≤ 30 ms",
        "ms",
    );
    typing.ours = Some(Stat::of(per_key));
    typing.met = typing.ours.map(|s| s.median <= 30.0);
    typing.note = "typing \"hikvision digital\", \"rosoboronexport\" and \"shenzhen huaxin \
                   electronics\" one key at a time; the first key is a full scan, later keys \
                   rescan only the previous matches."
        .into();
    Ok(SearchFigures { load, full, typing })
}
