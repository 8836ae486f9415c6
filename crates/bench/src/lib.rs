//! `tradescope-bench bench`: builds (or reuses) a database of 10M shipments and 1M names, measures
//! every figure of issue 6 with many repetitions against a naive baseline in the same run, and
//! writes BENCHMARKS.md. `--quick` does the same at 200K shipments in about a minute.

pub mod baseline;
pub mod bulk;
pub mod engines;
pub mod freq;
pub mod gen;
mod import;
pub mod lists;
pub mod machine;
pub mod padded_lists;
pub mod patents;
mod queries;
pub mod report;
pub mod rescreen;
pub mod screen;
pub mod search;
pub mod terminal;
pub mod timing;
pub mod tui;
mod workbench;

pub use workbench::workbench_figures;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Serialize;

use crate::baseline as q;
use crate::gen::{GenConfig, GenReport, LinkScope};
use report::Figure;
use timing::Stat;
use tradescope_core::progress::Progress;
use tradescope_store as db;
use tradescope_store::error::{Error, Result};

/// Sizes of the benchmark database.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Size {
    pub shipments: u64,
    /// List names + party names.
    pub names: u64,
    /// Parties linked by the matcher (the busiest), while linking all is too slow.
    pub link_busiest: usize,
}

pub const FULL: Size = Size {
    shipments: 10_000_000,
    names: 1_000_000,
    link_busiest: 20_000,
};

pub const QUICK: Size = Size {
    shipments: 200_000,
    names: 100_000,
    link_busiest: 500,
};

#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub quick: bool,
    pub db: PathBuf,
    pub out: Option<PathBuf>,
    /// Skip the cold-cache timings (they drop the OS page cache of the whole machine).
    pub no_cold: bool,
    /// Another size than FULL/QUICK (growth measurements).
    pub size: Option<Size>,
}

impl BenchOptions {
    pub fn size(&self) -> Size {
        if let Some(s) = self.size {
            s
        } else if self.quick {
            QUICK
        } else {
            FULL
        }
    }
}

/// Where the benchmark databases live unless `--db` says otherwise.
pub fn default_db(quick: bool) -> PathBuf {
    let dir = std::env::var_os("TRADESCOPE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    dir.join(if quick {
        "tradescope-bench-quick.db"
    } else {
        "tradescope-bench-10m.db"
    })
}

/// The database at `path` if it has the right size, else build it (a one-time cost).
/// Returns the generator's report (stored in the database) and whether it was built now.
fn ensure_db(
    path: &Path,
    size: Size,
    progress: &dyn Progress,
) -> Result<(Option<GenReport>, bool)> {
    if path.exists() {
        let conn = db::open_ro(path)?;
        let s = q::scale(&conn)?;
        let names = (s.parties + s.entry_names) as u64;
        if s.generated as u64 == size.shipments && names.abs_diff(size.names) <= size.names / 100 {
            let report = q::meta(&conn, gen::META_KEY)?
                .and_then(|t| serde_json::from_str::<GenReport>(&t).ok());
            return Ok((report, false));
        }
        return Err(Error::User(format!(
            "{} holds {} generated shipments and {} names, not the benchmark's {} and {}; \
             remove it or give another --db",
            path.display(),
            s.generated,
            names,
            size.shipments,
            size.names
        )));
    }
    let mut conn = db::open_rw(path)?;
    import_lists(&mut conn, progress)?;
    let s = q::scale(&conn)?;
    let cfg = GenConfig {
        shipments: size.shipments,
        parties: size.names.saturating_sub(s.entry_names as u64),
        seed: 1,
    };
    let report = gen::generate(
        &mut conn,
        &cfg,
        LinkScope::Busiest(size.link_busiest),
        progress,
    )?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok((Some(report), true))
}

/// The bundled watch lists only (the benchmark's names come from them and from `gen`; the
/// bundled patents and demo shipments would only slow the build down).
pub fn import_lists(conn: &mut rusqlite::Connection, progress: &dyn Progress) -> Result<()> {
    use tradescope_store::import::{self, Format, ImportOptions, Input};
    for step in tradescope::bundle::steps() {
        if !matches!(step.format, Format::Csl | Format::Ofac | Format::Dpl) {
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
        import::import(conn, step.format, &inputs, &opts, progress)?;
    }
    Ok(())
}

/// Output of the RSS probe (a fresh process).
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct RssProbe {
    pub peak_mib: f64,
    pub rss_mib: f64,
    pub names: usize,
}

/// Run in a fresh process by `bench`: do what the workbench does on start (names into the
/// typeahead engine, a search, the Shipments screen, a frame) and report memory.
pub fn rss_probe(path: &Path) -> Result<RssProbe> {
    let (names, (peak_mib, rss_mib)) = tui::open_like_the_workbench(path, |names| {
        (names, machine::rss_mib().unwrap_or_default())
    })?;
    Ok(RssProbe {
        peak_mib,
        rss_mib,
        names,
    })
}

fn probe_rss(path: &Path) -> Result<Option<RssProbe>> {
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .arg("--db")
        .arg(path)
        .args(["bench", "--probe-rss"])
        .output()?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(serde_json::from_slice(&out.stdout).ok())
}

/// Everything a run measured.
pub struct Results {
    pub figures: Vec<Figure>,
    pub plans: String,
    pub markdown: String,
}

/// The import figure alone: `shipments` generated rows over `parties` parties, from a CSV in
/// `dir`.
pub fn import_figure(dir: &Path, shipments: u64, parties: u64) -> Result<Figure> {
    import::measure(dir, shipments, parties)
}

/// Build the benchmark database if it does not exist yet (the generator's report), else check
/// that it has the benchmark's size (None).
pub fn build(opts: &BenchOptions, progress: &dyn Progress) -> Result<Option<GenReport>> {
    let (report, built_now) = ensure_db(&opts.db, opts.size(), progress)?;
    Ok(report.filter(|_| built_now))
}

pub fn run(opts: &BenchOptions, progress: &dyn Progress) -> Result<Results> {
    let size = opts.size();
    let t0 = Instant::now();
    progress.stage("database", None);
    let (built, built_now) = ensure_db(&opts.db, size, progress)?;
    let build_seconds = t0.elapsed().as_secs_f64();
    let mut facts = machine::facts(&opts.db);
    if !opts.no_cold {
        if let Some(s) = machine::random_read_ms(&opts.db, 300) {
            facts.push((
                "disk: random 4 KiB read, cold cache".into(),
                format!(
                    "median {:.2} ms, p99 {:.2} ms (300 reads of the database file)",
                    s.median, s.p99
                ),
            ));
        }
    }
    let conn = db::open_ro(&opts.db)?;
    let reps = if opts.quick {
        queries::Reps {
            warm: 5,
            cold: if opts.no_cold { 0 } else { 3 },
            baseline: 2,
        }
    } else {
        queries::Reps {
            warm: 20,
            cold: if opts.no_cold { 0 } else { 15 },
            baseline: 3,
        }
    };
    let mut figures = Vec::new();

    progress.stage("entity search", None);
    let s = search::measure(&conn, if opts.quick { 2 } else { 5 })?;
    for (full, typing) in s.engines {
        figures.push(full);
        figures.push(typing);
    }
    figures.push(s.load);

    progress.stage("drill-down", None);
    figures.extend(queries::drill(&conn, &opts.db, &reps)?);
    progress.stage("description substring", None);
    figures.extend(queries::substring(&conn, &reps)?);

    progress.stage("import", None);
    let dir = opts
        .db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (n, p) = if opts.quick {
        (50_000, 1_000)
    } else {
        (500_000, 5_000)
    };
    figures.push(import::measure(dir, n, p)?);

    // List updates (issue 21 item 6): quick keeps a small list so CI stays fast; the full run
    // has the sizes, the naive baseline at 100K only (it is quadratic).
    progress.stage("list update", None);
    let updates: &[(u64, u64, bool)] = if opts.quick {
        &[(5_000, 1_000, true)]
    } else {
        &[(100_000, 20_000, true), (1_000_000, 20_000, false)]
    };
    for &(entries, parties, naive) in updates {
        let m = lists::measure(dir, lists::ListFormat::OfacSdn, entries, parties, naive)?;
        figures.push(lists::figure(lists::ListFormat::OfacSdn, &m));
    }

    let mut import = Figure::new(
        "bulk generation + load (`tradescope-bench gen`, no parsing)",
        "≥ 300K rows/s",
        "rows/s",
    );
    match &built {
        Some(g) => {
            let insert = g
                .load
                .phases
                .iter()
                .find(|p| p.name == "insert shipments")
                .map_or(0.0, |p| p.seconds);
            import.ours = Some(Stat::one(g.shipments_per_second));
            import.met = Some(g.shipments_per_second >= 300_000.0);
            let phases: Vec<String> = g
                .load
                .phases
                .iter()
                .map(|p| format!("{} {:.1} s", p.name, p.seconds))
                .collect();
            import.note = format!(
                "`tradescope-bench gen` end to end (generate, insert, rebuild 10 indexes, FTS5 trigram, \
                 counters, ANALYZE): {:.0} shipments/s; the insert phase alone: {:.0} shipments/s. \
                 Phases: {}. Linking {} busiest parties with the current matcher: {:.1} s ({:.0} \
                 parties/s), not included.",
                g.shipments_per_second,
                g.load.shipments as f64 / insert.max(1e-9),
                phases.join(", "),
                g.parties_linked,
                g.seconds_link,
                g.parties_linked as f64 / g.seconds_link.max(1e-9),
            );
        }
        None => import.note = "database reused, build report missing".into(),
    }
    figures.push(import);

    figures.extend(workbench_figures(&opts.db, opts.quick, progress)?);

    progress.stage("drill paths", None);
    let (paths, plans) = queries::drill_paths(&conn, if opts.quick { 5 } else { 20 })?;
    figures.extend(paths);
    figures.extend(queries::counts(&conn, if opts.quick { 5 } else { 20 })?);
    progress.stage("frequency tables", None);
    figures.extend(freq::figures(&conn, if opts.quick { 3 } else { 5 }, 1)?);

    let build_seconds = match (&built, built_now) {
        (_, true) => build_seconds,
        (Some(g), false) => g.seconds_total,
        (None, false) => 0.0,
    };
    let markdown = render(
        opts,
        size,
        &facts,
        build_seconds,
        built_now,
        &figures,
        &plans,
    );
    if let Some(out) = &opts.out {
        std::fs::write(out, &markdown)?;
    }
    Ok(Results {
        figures,
        plans,
        markdown,
    })
}

/// "10M", "200K": a size as the figures name it.
fn millions(n: i64) -> String {
    if n >= 1_000_000 {
        format!("{}M", n / 1_000_000)
    } else {
        format!("{}K", n / 1_000)
    }
}

fn render(
    opts: &BenchOptions,
    size: Size,
    facts: &[(String, String)],
    build_seconds: f64,
    built: bool,
    figures: &[Figure],
    plans: &str,
) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# tradescope benchmarks{}\n\n\
         Reproduce: `cargo run -p tradescope-bench --release -- bench{}` (builds the database on first run, then \
         reuses it). Every figure is measured in this run, with its baseline in the same run. \
         Synthetic data (`tradescope-bench gen`, seed 1): {} shipments, {} names (real list names + \
         generated trade parties).\n",
        if opts.quick { " (quick)" } else { "" },
        match (opts.quick, opts.size) {
            (true, _) => " --quick".to_string(),
            (false, Some(s)) => format!(" --shipments {}", s.shipments),
            (false, None) => String::new(),
        },
        size.shipments,
        size.names
    );
    md.push_str("## Machine\n\n");
    for (k, v) in facts {
        let _ = writeln!(md, "- {k}: {v}");
    }
    let _ = writeln!(md, "- load average at end: {}", machine::load_average());
    let _ = writeln!(
        md,
        "- database {}: {:.0} s\n\nThe machine's 2 cores are shared with other jobs; the load \
         average above says how busy it was.\n",
        if built {
            "built in this run"
        } else {
            "reused; built by an earlier run in"
        },
        build_seconds
    );
    md.push_str("## Results\n\n");
    md.push_str(&report::table(figures));
    md.push_str("\nratio = baseline median / our median.\n\n## How each figure was measured\n\n");
    md.push_str(&report::notes(figures));
    md.push_str("\n## Query plans of the drill paths\n\n");
    md.push_str(plans);
    md
}
