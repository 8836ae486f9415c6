//! The rescreen figure (issue 17 item 2): a monitored set of N real company names (the bundled
//! PatentsView assignees, nearly all unlisted) screened again against the bundled lists.
//! Ours is `watch::rescreen::rescreen` (every party searched in the prepared name index in
//! parallel, the diff against the stored hits in one pass, the new baseline stored); the
//! baseline is the naive per-name loop — each name screened as `screen NAME` does, then
//! compared with its stored hits read by its own query — in the same run, on the same index.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use tradescope_matching::{self as matching, NameIndex, Schema, SearchOptions};
use tradescope_store::import::{self, Format, ImportOptions, Input};
use tradescope_store::watch::{self, rescreen, NewParty};
use tradescope_store::{entities, search};

use crate::report::Figure;
use crate::timing::Stat;

pub struct Measured {
    /// CPU seconds (user + system, all threads) of ours and of the naive loop.
    pub ours_cpu: f64,
    pub naive_cpu: f64,
    pub names: usize,
    pub list_names: usize,
    pub index_seconds: f64,
    pub ours_seconds: f64,
    pub naive_seconds: f64,
    /// Hits (one per party and listing) each found: they must be the same.
    pub ours_hits: usize,
    pub naive_hits: usize,
    pub parties_with_hits: usize,
}

/// The first `n` organization names of the bundled PatentsView assignee table.
pub fn assignee_names(n: usize) -> Vec<String> {
    let step = tradescope::bundle::steps()
        .into_iter()
        .find(|s| s.format == Format::Patentsview);
    let bytes = step
        .and_then(|s| s.files.first())
        .map(|b| b.bytes)
        .unwrap_or(&[]);
    String::from_utf8_lossy(bytes)
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(n)
        .map(str::to_string)
        .collect()
}

/// A fresh database at `path` with the bundled lists (OFAC SDN and non-SDN, BIS DPL, CSL)
/// imported as `tradescope init` imports them.
pub fn bundled_lists_db(path: &Path) -> anyhow::Result<rusqlite::Connection> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = tradescope_store::audit::anchor::forget(path);
    let mut conn = tradescope_store::open_rw(path).context("bench database")?;
    for step in tradescope::bundle::steps() {
        if !matches!(step.format, Format::Ofac | Format::Dpl | Format::Csl) {
            continue;
        }
        let inputs: Vec<Input> = step
            .files
            .iter()
            .map(|b| Input::embedded(format!("data/{}", b.path), b.bytes))
            .collect();
        let opts = ImportOptions {
            as_of: step.as_of.map(str::to_string),
            ..Default::default()
        };
        import::import(
            &mut conn,
            step.format,
            &inputs,
            &opts,
            &tradescope_core::progress::NoProgress,
        )?;
    }
    Ok(conn)
}

pub fn measure(dir: &Path, n: usize, baseline: bool) -> anyhow::Result<Measured> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("rescreen-{n}.db"));
    let mut conn = bundled_lists_db(&path)?;
    let parties: Vec<NewParty> = assignee_names(n)
        .into_iter()
        .enumerate()
        .map(|(i, name)| NewParty {
            line: i as u64 + 2,
            name,
            country: None,
            dob: None,
        })
        .collect();
    let t = Instant::now();
    let index = NameIndex::build(entities::current_names(&conn)?);
    let index_seconds = t.elapsed().as_secs_f64();
    let set = watch::add(
        &mut conn,
        "bench",
        "patentsview_assignee.tsv",
        "-",
        matching::DEFAULT_THRESHOLD,
        &parties,
    )?;
    // The baseline screen (as `watch add` makes it), then the measured rescreen.
    rescreen::rescreen(&mut conn, &index, &set)?;
    let set = watch::get(&conn, "bench")?;
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let report = rescreen::rescreen(&mut conn, &index, &set)?;
    let ours_seconds = t.elapsed().as_secs_f64();
    let ours_cpu = cpu_seconds() - cpu;
    let stored = watch::previous_hits(&conn, set.id)?;
    let ours_hits = stored.values().map(Vec::len).sum();

    let cpu = cpu_seconds();
    let (naive_seconds, naive_hits) = if baseline {
        naive(&conn, &index, set.id, set.threshold)?
    } else {
        (f64::NAN, 0)
    };
    let naive_cpu = cpu_seconds() - cpu;
    Ok(Measured {
        ours_cpu,
        naive_cpu,
        names: parties.len(),
        list_names: index.len(),
        index_seconds,
        ours_seconds,
        naive_seconds,
        ours_hits,
        naive_hits,
        parties_with_hits: report.summary.parties_with_hits,
    })
}

/// CPU time of this process so far (user + system, every thread).
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return f64::NAN;
    }
    let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    s(u.ru_utime) + s(u.ru_stime)
}

/// One name at a time: `search::screen` (collapse and decisions per call), then the party's
/// stored hits by their own query, and the diff.
fn naive(
    conn: &rusqlite::Connection,
    index: &NameIndex,
    set_id: i64,
    threshold: f64,
) -> anyhow::Result<(f64, usize)> {
    let t = Instant::now();
    let parties = watch::parties(conn, set_id)?;
    let mut stmt = conn.prepare("SELECT listing_key FROM watch_hit WHERE party_id = ?1")?;
    let (mut hits, mut changes) = (0usize, 0usize);
    for p in &parties {
        let opts = SearchOptions {
            threshold,
            limit: 20,
            schema: Schema::Unknown,
            country: p.country.clone(),
            dob: p.dob.clone(),
        };
        let now = search::screen(conn, index, &p.name, &opts)?;
        let before: HashSet<String> = stmt
            .query_map([p.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let keys: HashSet<&str> = now.iter().map(|h| h.listing_key.as_str()).collect();
        changes += keys.iter().filter(|k| !before.contains(**k)).count();
        changes += before.iter().filter(|k| !keys.contains(k.as_str())).count();
        hits += now.len();
    }
    std::hint::black_box(changes);
    Ok((t.elapsed().as_secs_f64(), hits))
}

pub fn figure(m: &Measured) -> Figure {
    let mut f = Figure::new(
        &format!("rescreen of a {}-name watch set", m.names),
        "≤ 5 s",
        "s",
    );
    f.ours = Some(Stat::one(m.ours_seconds));
    f.met = Some(m.ours_seconds <= 5.0);
    if m.naive_seconds.is_finite() {
        f.baseline = Some(Stat::one(m.naive_seconds));
        f.baseline_name = "per-name loop (screen, then query its stored hits)".into();
    }
    f.note = format!(
        "`rescreen` of {} PatentsView assignee names against the bundled lists ({} names and \
         aliases; index built once, {:.2} s, not counted): parallel search in the prepared \
         index, collapse per listing with the decisions in force, diff against the stored hits \
         in one pass, the new baseline written with its audit record. {} parties with hits; \
         {} hits ours, {} naive{}. CPU time: ours {:.1} s, naive {:.1} s. One run.",
        m.names,
        m.list_names,
        m.index_seconds,
        m.parties_with_hits,
        m.ours_hits,
        m.naive_hits,
        if m.ours_hits == m.naive_hits || !m.naive_seconds.is_finite() {
            ""
        } else {
            " (DIFFERENT)"
        },
        m.ours_cpu,
        m.naive_cpu
    );
    f
}
