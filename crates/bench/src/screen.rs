//! The batch-screening figure (issue 18 item 5): N real company names (the bundled PatentsView
//! assignees, nearly all unlisted) screened against the bundled lists the way `screen --file`
//! screens a file — every name searched in parallel in the name index, at the report's search
//! threshold (0.5: the best candidate is shown even below the match threshold), widened as
//! `screen NAME` widens it. The naive baseline, in the same run, scores a sample of the names
//! against every list name with `score_pair` (one thread, no index) and keeps the best; its
//! time for N names is extrapolated from the sample.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use tradescope_matching::{self as matching, NameIndex, Schema, SearchOptions};
use tradescope_store::{entities, search};

use crate::report::Figure;
use crate::rescreen::{assignee_names, bundled_lists_db, cpu_seconds};
use crate::timing::Stat;

pub struct Measured {
    pub names: usize,
    pub list_names: usize,
    pub index_seconds: f64,
    /// Wall seconds of each run of ours over the N names.
    pub ours_runs: Vec<f64>,
    pub ours_cpu: f64,
    /// Names with a hit at the default threshold (ours).
    pub flagged: usize,
    /// How many names the naive scan screened, its wall seconds, and the names of that
    /// sample on which its best hit and ours agree at the default threshold.
    pub naive_sample: usize,
    pub naive_seconds: f64,
    pub agree: usize,
    pub threads: usize,
}

/// Search options of a `screen --file` row (src/cli/screen/batch.rs).
fn row_options() -> SearchOptions {
    search::widened(&SearchOptions {
        threshold: matching::DEFAULT_THRESHOLD.min(0.5),
        limit: 1,
        ..SearchOptions::default()
    })
}

pub fn measure(dir: &Path, n: usize, runs: usize, sample: usize) -> anyhow::Result<Measured> {
    std::fs::create_dir_all(dir)?;
    let conn = bundled_lists_db(&dir.join(format!("screen-{n}.db")))?;
    let records = entities::current_names(&conn)?;
    let names = assignee_names(n);
    let t = Instant::now();
    let index = NameIndex::build(records.clone());
    let index_seconds = t.elapsed().as_secs_f64();
    let opts = row_options();
    let mut ours_runs = Vec::new();
    let mut ours_cpu = 0.0;
    let mut best: Vec<Option<matching::Hit>> = Vec::new();
    for _ in 0..runs.max(1) {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        best = names
            .par_iter()
            .map(|name| index.search(name, &opts).into_iter().next())
            .collect();
        ours_runs.push(t.elapsed().as_secs_f64());
        ours_cpu = cpu_seconds() - cpu;
    }
    let hit = |h: &Option<matching::Hit>| {
        h.as_ref()
            .is_some_and(|h| h.score >= matching::DEFAULT_THRESHOLD)
    };
    let flagged = best.iter().filter(|h| hit(h)).count();
    // The naive scan: every list name scored against each name of an evenly spread sample.
    let step = (names.len() / sample.max(1)).max(1);
    let picked: Vec<usize> = (0..names.len()).step_by(step).take(sample).collect();
    let t = Instant::now();
    let mut agree = 0;
    for &i in &picked {
        let top = records
            .iter()
            .map(|r| matching::score_pair(&names[i], &r.name, Schema::Unknown).score)
            .fold(0.0f64, f64::max);
        agree += usize::from((top >= matching::DEFAULT_THRESHOLD) == hit(&best[i]));
    }
    let naive_seconds = t.elapsed().as_secs_f64();
    Ok(Measured {
        names: names.len(),
        list_names: index.len(),
        index_seconds,
        ours_runs,
        ours_cpu,
        flagged,
        naive_sample: picked.len(),
        naive_seconds,
        agree,
        threads: rayon::current_num_threads(),
    })
}

pub fn figure(m: &Measured) -> Figure {
    let mut f = Figure::new(
        &format!(
            "batch screening, {} names × {} list names",
            m.names, m.list_names
        ),
        "≥ 2,000 names/s",
        "s",
    );
    let ours = Stat::of(m.ours_runs.clone());
    let rate = m.names as f64 / ours.median;
    f.ours = Some(ours);
    f.met = Some(rate >= 2000.0);
    let naive_rate = m.naive_sample as f64 / m.naive_seconds;
    if m.naive_sample > 0 {
        f.baseline = Some(Stat::one(m.names as f64 / naive_rate));
        f.baseline_name = "naive scan: score_pair against every list name, one thread".into();
    }
    f.note = format!(
        "`screen --file`'s matching of {} PatentsView assignee names against the bundled lists \
         ({} names and aliases; index built once, {:.2} s, not counted), {} threads: median of \
         {} runs {:.2} s = {:.0} names/s (CPU {:.1} s in the last run); {} names flagged at \
         {}. Naive: {} names of the set scanned in {:.1} s = {:.2} names/s, its time for all \
         {} names extrapolated; on that sample it and ours agree on match / no match for {} \
         of {}.",
        m.names,
        m.list_names,
        m.index_seconds,
        m.threads,
        m.ours_runs.len(),
        ours.median,
        rate,
        m.ours_cpu,
        m.flagged,
        matching::DEFAULT_THRESHOLD,
        m.naive_sample,
        m.naive_seconds,
        naive_rate,
        m.names,
        m.agree,
        m.naive_sample
    );
    f
}
