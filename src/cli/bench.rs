//! `tradescope bench`: run the benchmark, print the results table, write BENCHMARKS.md.

use std::path::PathBuf;

use super::output::json;
use super::progress::Bar;
use crate::bench::{self, report, BenchOptions};

pub fn cmd_bench(
    db: Option<PathBuf>,
    quick: bool,
    out: Option<PathBuf>,
    no_cold: bool,
    shipments: Option<u64>,
    probe_rss: bool,
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
    if probe_rss {
        return json(&bench::rss_probe(&db)?);
    }
    let out = out.or_else(|| (!quick && size.is_none()).then(|| PathBuf::from("BENCHMARKS.md")));
    let opts = BenchOptions {
        quick,
        db,
        out: out.clone(),
        no_cold,
        size,
    };
    let bar = Bar::new("bench");
    let results = bench::run(&opts, &bar);
    bar.finish();
    let results = results?;
    if quick && out.is_none() {
        println!("{}", results.markdown);
    } else {
        println!("{}", report::table(&results.figures));
        if let Some(o) = &out {
            println!("wrote {}", o.display());
        }
    }
    Ok(())
}

/// `bench --search-names N`: the name-search rows over the lists + N generated names.
pub fn cmd_search_names(db: &std::path::Path, parties: u64) -> anyhow::Result<()> {
    let conn = crate::db::open_ro(db)?;
    let s = bench::search::measure_generated(&conn, parties, 5)?;
    let mut figures = vec![s.load];
    for (full, typing) in s.engines {
        figures.push(full);
        figures.push(typing);
    }
    println!("{}", report::table(&figures));
    println!("{}", report::notes(&figures));
    Ok(())
}
