//! `tradescope-bench bench`: run the benchmark, print the results table, write BENCHMARKS.md.

use std::path::PathBuf;

use tradescope::cli::output::{self, json};
use tradescope::cli::progress::Bar;
use tradescope::outln;
use tradescope_bench::{self as bench, report, BenchOptions};

/// What `bench` does besides the full run.
pub struct What {
    /// Internal: the memory probe in a fresh process.
    pub probe_rss: bool,
    /// Build (or check) the database only.
    pub build_only: bool,
    /// Only SQLite and PostgreSQL side by side, on a new database on this server.
    pub postgres: Option<String>,
}

pub fn cmd_bench(
    db: Option<PathBuf>,
    quick: bool,
    out: Option<PathBuf>,
    no_cold: bool,
    shipments: Option<u64>,
    what: What,
) -> anyhow::Result<()> {
    let size = shipments.map(|n| bench::Size {
        shipments: n,
        names: n / 10,
        link_busiest: (n / 500) as usize,
    });
    let db = db.unwrap_or_else(|| match size {
        Some(s) => {
            bench::default_db(false).with_file_name(format!("tradescope-bench-{}.db", s.shipments))
        }
        None => bench::default_db(quick),
    });
    if what.probe_rss {
        return json(&bench::rss_probe(&db)?);
    }
    // The side-by-side report goes where --out says, else to stdout (never over BENCHMARKS.md).
    let engines_out = out.clone();
    let out = out.or_else(|| (!quick && size.is_none()).then(|| PathBuf::from("BENCHMARKS.md")));
    let opts = BenchOptions {
        quick,
        db,
        out: out.clone(),
        no_cold,
        size,
    };
    let bar = Bar::new("bench");
    if what.build_only {
        let built = bench::build(&opts, &bar);
        bar.finish();
        match built? {
            Some(report) => outln!(
                "built {}: {}",
                opts.db.display(),
                serde_json::to_string(&report)?
            ),
            None => outln!("{} exists and has the benchmark's size", opts.db.display()),
        }
        return Ok(());
    }
    if let Some(url) = &what.postgres {
        let built = bench::build(&opts, &bar).map_err(anyhow::Error::from);
        let reps = if quick { 5 } else { 20 };
        let measured =
            built.and_then(|_| bench::engines::measure(&opts.db, url, reps, !no_cold, &bar));
        bar.finish();
        let md = bench::engines::markdown(&measured?);
        outln!("- load average: {}", bench::machine::load_average());
        match &engines_out {
            Some(o) => {
                std::fs::write(o, &md)?;
                outln!("wrote {}", o.display());
            }
            None => output::lines(&md),
        }
        return Ok(());
    }
    let results = bench::run(&opts, &bar);
    bar.finish();
    let results = results?;
    if quick && out.is_none() {
        output::lines(&results.markdown);
    } else {
        output::lines(&report::table(&results.figures));
        if let Some(o) = &out {
            outln!("wrote {}", o.display());
        }
    }
    Ok(())
}

/// `bench --search-names N`: the name-search rows over the lists + N generated names.
pub fn cmd_search_names(db: &std::path::Path, parties: u64) -> anyhow::Result<()> {
    let conn = tradescope_store::open_ro(db)?;
    let s = bench::search::measure_generated(&conn, parties, 5)?;
    let mut figures = vec![s.load];
    for (full, typing) in s.engines {
        figures.push(full);
        figures.push(typing);
    }
    output::lines(&report::table(&figures));
    output::lines(&report::notes(&figures));
    Ok(())
}

/// `bench --import-only N`: the import figure alone (N shipments over N/100 parties), in the
/// benchmark directory.
pub fn cmd_import_only(n: u64) -> anyhow::Result<()> {
    let dir = bench::default_db(true)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let f = bench::import_figure(&dir, n, (n / 100).max(1))?;
    output::lines(&report::table(std::slice::from_ref(&f)));
    output::lines(&report::notes(std::slice::from_ref(&f)));
    Ok(())
}

/// `bench --workbench-only`: the workbench figures on any database.
pub fn cmd_workbench_only(db: &std::path::Path) -> anyhow::Result<()> {
    let bar = Bar::new("bench");
    let figures = bench::workbench_figures(db, false, &bar);
    bar.finish();
    let figures = figures?;
    outln!("- load average: {}", bench::machine::load_average());
    output::lines(&report::table(&figures));
    output::lines(&report::notes(&figures));
    Ok(())
}

/// `bench --frequency-only`: the frequency-table figures on any database.
pub fn cmd_frequency_only(db: &std::path::Path) -> anyhow::Result<()> {
    let conn = tradescope_store::open_ro(db)?;
    let figures = bench::freq::figures(&conn, 5, 1)?;
    outln!("- load average: {}", bench::machine::load_average());
    output::lines(&report::table(&figures));
    output::lines(&report::notes(&figures));
    Ok(())
}

/// The list format of `bench --list-update-only`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListFormatArg {
    /// OFAC legacy SDN CSV set
    Ofac,
    /// trade.gov Consolidated Screening List CSV
    Csl,
}

/// `bench --list-update-only N`: the list-update figure alone (a generated N-entry list and
/// its next revision, over `parties` generated trade parties), against the naive baseline up
/// to 100K entries, in the benchmark directory.
pub fn cmd_rescreen_only(
    n: usize,
    baseline: bool,
    list_names: Option<usize>,
) -> anyhow::Result<()> {
    let dir = bench::default_db(true)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let m = bench::rescreen::measure(&dir, n, baseline, list_names)?;
    let f = [
        bench::rescreen::figure(&m),
        bench::rescreen::check_figure(&m),
    ];
    outln!("- load average: {}", bench::machine::load_average());
    output::lines(&report::table(&f));
    output::lines(&report::notes(&f));
    Ok(())
}

/// `bench --screen-only N`: the batch-screening figure alone, in the benchmark directory.
pub fn cmd_screen_only(n: usize) -> anyhow::Result<()> {
    let dir = bench::default_db(true)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let m = bench::screen::measure(&dir, n, 3, 20)?;
    let f = bench::screen::figure(&m);
    outln!("- load average: {}", bench::machine::load_average());
    output::lines(&report::table(std::slice::from_ref(&f)));
    output::lines(&report::notes(std::slice::from_ref(&f)));
    Ok(())
}

pub fn cmd_list_update_only(
    n: u64,
    format: ListFormatArg,
    parties: u64,
    baseline: bool,
) -> anyhow::Result<()> {
    let dir = bench::default_db(true)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let format = match format {
        ListFormatArg::Ofac => bench::lists::ListFormat::OfacSdn,
        ListFormatArg::Csl => bench::lists::ListFormat::Csl,
    };
    let m = bench::lists::measure(&dir, format, n, parties, baseline)?;
    let f = bench::lists::figure(format, &m);
    outln!("- load average: {}", bench::machine::load_average());
    output::lines(&report::table(std::slice::from_ref(&f)));
    output::lines(&report::notes(std::slice::from_ref(&f)));
    Ok(())
}

/// `bench --patents N`: the patents figures alone, in the benchmark directory.
pub fn cmd_patents(n: u64) -> anyhow::Result<()> {
    let dir = bench::default_db(true)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let rows = tradescope_bench::patents::run(&dir, n)?;
    output::lines(&tradescope_bench::patents::table(&rows).join("\n"));
    Ok(())
}
