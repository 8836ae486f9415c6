//! The rescreen figure (issue 17 item 2): a monitored set of N real company names (the bundled
//! PatentsView assignees, nearly all unlisted) screened again against the bundled lists.
//! Ours is `watch::rescreen::rescreen` (every party searched in the prepared name index in
//! parallel, the diff against the stored hits in one pass, the new baseline stored); the
//! baseline is the naive per-name loop — each name screened as `screen NAME` does, then
//! compared with its stored hits read by its own query — in the same run, on the same index.
//!
//! Then the check after a list import: a newer CSL version is imported — the bundled one less
//! its first 25 rows, plus the rows of the real 2023-11-16 fixture it lacks, plus 20 Entity
//! List rows naming parties of the set and 5 rows given one of them as a new alias (those 25
//! are SYNTHETIC: copies of a real Entity List row with the name or alias replaced, so that
//! the update makes new hits) — and the set is checked against what the import changed
//! (`watch::check::compare_changed`, what the import summary runs) and, as the baseline,
//! compared in full (`rescreen::compare`); both must give the same new hits.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use tradescope_matching::{self as matching, NameIndex, Schema, SearchOptions};
use tradescope_store::import::{self, Format, ImportOptions, Input};
use tradescope_store::watch::{self, check, rescreen, NewParty};
use tradescope_store::{entities, search};

use crate::report::Figure;
use crate::timing::Stat;

pub struct Measured {
    /// CPU seconds (user + system, all threads) of ours and of the naive loop.
    pub ours_cpu: f64,
    pub naive_cpu: f64,
    pub names: usize,
    pub list_names: usize,
    /// Of `list_names`, the SYNTHETIC ones `--list-names` added (0: the bundled lists only).
    pub synthetic_names: usize,
    pub index_seconds: f64,
    pub ours_seconds: f64,
    pub naive_seconds: f64,
    /// Hits (one per party and listing) each found: they must be the same.
    pub ours_hits: usize,
    pub naive_hits: usize,
    pub parties_with_hits: usize,
    pub check: Check,
}

/// The check after a list import, against the full comparison.
#[derive(Debug, Default)]
pub struct Check {
    /// The update: listings added and removed (`list_change`), changed (`list_edit`).
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub changed_seconds: f64,
    pub full_seconds: f64,
    /// Parties the check screened in full.
    pub screened: usize,
    pub new_hits: usize,
    pub new_potential_matches: usize,
    /// Both found the same new hits and the same count.
    pub same: bool,
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

pub fn measure(
    dir: &Path,
    n: usize,
    baseline: bool,
    list_names: Option<usize>,
) -> anyhow::Result<Measured> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("rescreen-{n}.db"));
    let mut conn = bundled_lists_db(&path)?;
    let synthetic_names = match list_names {
        Some(target) => crate::padded_lists::pad_lists(&mut conn, target)?,
        None => 0,
    };
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
    let check = check_after_update(&mut conn, &set, &parties)?;
    Ok(Measured {
        ours_cpu,
        naive_cpu,
        names: parties.len(),
        list_names: index.len(),
        synthetic_names,
        index_seconds,
        ours_seconds,
        naive_seconds,
        ours_hits,
        naive_hits,
        parties_with_hits: report.summary.parties_with_hits,
        check,
    })
}

/// The newer CSL version: the bundled file less its first 25 rows, plus the rows of the real
/// fixture of 2023-11-16 the bundled file lacks (by `_id`), plus (SYNTHETIC) 20 copies of the
/// first Entity List row named as parties of the set and 5 rows given a party's name as one
/// more alias.
fn newer_csl(parties: &[NewParty]) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let step = tradescope::bundle::steps()
        .into_iter()
        .find(|s| s.format == Format::Csl)
        .context("the bundled CSL")?;
    let b = step.files.first().context("the bundled CSL file")?;
    let mut text = Vec::new();
    Input::embedded(format!("data/{}", b.path), b.bytes)
        .open(&tradescope_core::progress::NoProgress)?
        .read_to_end(&mut text)?;
    let fixture = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/releases/input/csl_2023-11-16.csv"),
    )
    .context("tests/fixtures/releases/input/csl_2023-11-16.csv")?;
    let mut r = csv::Reader::from_reader(text.as_slice());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(r.headers()?)?;
    let mut ids = HashSet::new();
    let mut el: Option<csv::StringRecord> = None;
    let named = |k: usize| parties.get((k * 487 + 100) % parties.len().max(1));
    let mut aliased = 0usize;
    for (i, rec) in r.records().enumerate() {
        let rec = rec?;
        ids.insert(rec.get(0).unwrap_or("").to_string());
        let is_el = rec.get(1).unwrap_or("").starts_with("Entity List");
        if el.is_none() && is_el {
            el = Some(rec.clone());
        }
        if i < 25 {
            continue;
        }
        match named(20 + aliased) {
            Some(p) if is_el && aliased < 5 && i % 7 == 0 => {
                aliased += 1;
                let mut cells: Vec<String> = rec.iter().map(str::to_string).collect();
                if let Some(alt) = cells.get_mut(22) {
                    *alt = if alt.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{alt}; {}", p.name)
                    };
                }
                w.write_record(&cells)?;
            }
            _ => w.write_record(&rec)?,
        }
    }
    let el = el.context("an Entity List row")?;
    for k in 0..20 {
        let Some(p) = named(k) else { break };
        let mut cells: Vec<String> = el.iter().map(str::to_string).collect();
        cells[0] = format!("{k:040x}");
        cells[5] = p.name.clone();
        cells[22] = String::new();
        w.write_record(&cells)?;
    }
    for rec in csv::Reader::from_reader(fixture.as_slice()).records() {
        let rec = rec?;
        if !ids.contains(rec.get(0).unwrap_or("")) {
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Import the newer version, then check the set against what it changed and compare it in
/// full; the new hits of both.
fn check_after_update(
    conn: &mut rusqlite::Connection,
    set: &watch::WatchSet,
    parties: &[NewParty],
) -> anyhow::Result<Check> {
    let set = watch::get(conn, &set.name)?;
    let opts = ImportOptions {
        as_of: Some("2023-11-16".into()),
        ..Default::default()
    };
    let report = import::import(
        conn,
        Format::Csl,
        &[Input::bytes("csl_newer.csv", newer_csl(parties)?)],
        &opts,
        &tradescope_core::progress::NoProgress,
    )?;
    let v = report.version.unwrap_or_default();
    let index = NameIndex::build(entities::current_names(conn)?);
    let t = Instant::now();
    let changed = check::compare_changed(conn, &index, &set)?;
    let changed_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (full, _) = rescreen::compare(conn, &index, &set)?;
    let full_seconds = t.elapsed().as_secs_f64();
    let hits = |r: &rescreen::Report| -> Vec<(u64, String, bool, i64)> {
        let mut v: Vec<_> = r
            .parties
            .iter()
            .flat_map(|p| {
                p.new_hits.iter().map(move |h| {
                    (
                        p.line,
                        h.hit.listing_key.clone(),
                        h.hit.is_match,
                        (h.hit.score * 1000.0).round() as i64,
                    )
                })
            })
            .collect();
        v.sort();
        v
    };
    Ok(Check {
        added: v.added as usize,
        removed: v.removed as usize,
        changed: v.changed as usize,
        changed_seconds,
        full_seconds,
        screened: changed.summary.parties,
        new_hits: full.summary.new_hits,
        new_potential_matches: full.summary.new_potential_matches,
        same: hits(&changed) == hits(&full)
            && changed.summary.new_potential_matches == full.summary.new_potential_matches,
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

/// The check after a list import, against the full comparison of the same set.
pub fn check_figure(m: &Measured) -> Figure {
    let c = &m.check;
    let mut f = Figure::new(
        &format!("check of a {}-name watch set after a list import", m.names),
        "—",
        "s",
    );
    f.ours = Some(Stat::one(c.changed_seconds));
    f.baseline = Some(Stat::one(c.full_seconds));
    f.baseline_name = "full comparison (`rescreen::compare`, every party)".into();
    f.note = format!(
        "after importing a newer CSL version ({} listings added, {} removed, {} changed; 25 of \
         them synthetic, naming parties of the set): the \
         set checked against what the import changed (each party searched among the {} \
         changed listings' entries in the full index; {} parties then screened in full) \
         against the full comparison of every party. {} new hits ({} new potential matches); \
         {}. One run.",
        c.added,
        c.removed,
        c.changed,
        c.added + c.changed,
        c.screened,
        c.new_hits,
        c.new_potential_matches,
        if c.same {
            "the same new hits, scores and count both ways"
        } else {
            "DIFFERENT new hits"
        }
    );
    f
}

/// How the note names the synthetic part of the lists.
pub fn synthetic_note(synthetic: usize) -> String {
    if synthetic == 0 {
        String::new()
    } else {
        format!(
            ", of which {synthetic} SYNTHETIC: the OFAC non-SDN list replaced by a generated one \
             in its layout (`--list-names`)"
        )
    }
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
         aliases{}; index built once, {:.2} s, not counted): parallel search in the prepared \
         index, collapse per listing with the decisions in force, diff against the stored hits \
         in one pass, the new baseline written with its audit record. {} parties with hits; \
         {} hits ours, {} naive{}. CPU time: ours {:.1} s, naive {:.1} s. One run.",
        m.names,
        m.list_names,
        synthetic_note(m.synthetic_names),
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
