//! `tradescope-bench gen`: synthetic data at scale, with the timing of every phase.

use std::path::Path;

use tradescope::cli::output::{json, thousands};
use tradescope::cli::progress::Bar;
use tradescope::outln;
use tradescope_bench::gen::{self, GenConfig, LinkScope};
use tradescope_store as db;
use tradescope_store::error::Error;

pub fn cmd_gen(
    db_path: &Path,
    shipments: u64,
    parties: u64,
    seed: u64,
    scope: LinkScope,
    as_json: bool,
) -> anyhow::Result<()> {
    if parties == 0 && shipments > 0 {
        return Err(Error::User("shipments need parties: give --parties 1 or more".into()).into());
    }
    let mut conn = db::open_rw(db_path)?;
    let bar = Bar::new("gen");
    let cfg = GenConfig {
        shipments,
        parties,
        seed,
    };
    let report = gen::generate(&mut conn, &cfg, scope, &bar);
    bar.finish();
    let report = report?;
    if as_json {
        return json(&report);
    }
    let l = &report.load;
    outln!(
        "generated {} parties and {} shipments ({} HS rows) as source #{} (synthetic)",
        thousands(l.parties as i64),
        thousands(l.shipments as i64),
        thousands(l.hs_rows as i64),
        l.source_id
    );
    for p in &l.phases {
        outln!("  {:<20} {:>8.2} s", p.name, p.seconds);
    }
    outln!(
        "  {:<20} {:>8.2} s  ({} shipments/s, {} rows/s)",
        "generate + load",
        report.seconds_generate_parties + report.seconds_load,
        thousands(report.shipments_per_second as i64),
        thousands(report.rows_per_second as i64)
    );
    if let Some(n) = report.links {
        outln!(
            "  {:<20} {:>8.2} s  ({} links for {} parties, {} parties/s)",
            "link parties",
            report.seconds_link,
            thousands(n as i64),
            thousands(report.parties_linked as i64),
            thousands((report.parties_linked as f64 / report.seconds_link.max(1e-9)) as i64)
        );
    }
    Ok(())
}

/// `gen --patents N --out DIR`: the PatentsView tables, timed.
pub fn cmd_gen_patents(dir: &Path, n: u64, seed: u64, as_json: bool) -> anyhow::Result<()> {
    let t = std::time::Instant::now();
    let files = gen::patents::write(dir, n, seed)?;
    if as_json {
        return json(&files);
    }
    outln!(
        "wrote {} synthetic patents, {} assignee rows ({} organisations), {} CPC rows to {} in {:.1} s",
        thousands(files.patents as i64),
        thousands(files.assignee_rows as i64),
        thousands(files.organisations as i64),
        thousands(files.cpc_rows as i64),
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    outln!(
        "import them with: tradescope import patentsview --synthetic {}",
        files
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}
