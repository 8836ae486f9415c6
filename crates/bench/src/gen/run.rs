//! `tradescope-bench gen` end to end: generate parties (this thread) and shipments (a second thread),
//! bulk-load them (this thread), then link the new parties to list entries.

use std::collections::HashSet;
use std::time::Instant;

use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{parties, spawn_shipments, GenConfig};
use crate::bulk::{self, BulkReport, Phase, SourceInfo};
use tradescope_core::progress::Progress;
use tradescope_matching::Schema;
use tradescope_store::error::Result;
use tradescope_store::{entities, link};

/// Dataset name of the `source` row generated data is recorded under.
pub const DATASET: &str = "gen";

/// `meta` key holding the last generator run's report (JSON).
pub const META_KEY: &str = "gen_report";

/// Parties matched per chunk when linking (bounds memory; each chunk runs on all cores).
const LINK_CHUNK: usize = 20_000;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct GenReport {
    pub load: BulkReport,
    /// Links stored between generated parties and list entries (None: linking skipped).
    pub links: Option<u64>,
    /// Parties that went through the matcher.
    pub parties_linked: u64,
    pub seconds_generate_parties: f64,
    /// From the start of the shipment load to commit and ANALYZE (excludes linking).
    pub seconds_load: f64,
    pub seconds_link: f64,
    pub seconds_total: f64,
    /// Shipments per second over generation + load (parsing-free: this is the write path).
    pub shipments_per_second: f64,
    /// Shipment, shipment_hs and party rows per second over the same span.
    pub rows_per_second: f64,
}

/// Which generated parties to link to list entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkScope {
    None,
    All,
    /// The N most active parties.
    Busiest(usize),
}

/// Generate and store `cfg` into the database, then link the new parties in `scope`.
pub fn generate(
    conn: &mut Connection,
    cfg: &GenConfig,
    scope: LinkScope,
    progress: &dyn Progress,
) -> Result<GenReport> {
    let t0 = Instant::now();
    progress.stage("generating parties", None);
    let list: Vec<(String, Option<String>)> = entities::current_names(conn)?
        .into_iter()
        .filter(|r| r.schema == Schema::Company)
        .map(|r| (r.name, r.country))
        .collect();
    let taken: HashSet<(String, String)> = bulk::party_keys(conn)?;
    let (ps, roles) = parties(cfg, &list, &taken);
    let seconds_generate_parties = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let params = format!(
        "gen --shipments {} --parties {} --seed {}",
        cfg.shipments, cfg.parties, cfg.seed
    );
    let src = SourceInfo {
        dataset: DATASET.into(),
        format: "tradescope synthetic generator".into(),
        path: params.clone(),
        sha256: format!("{:x}", Sha256::digest(params.as_bytes())),
        note: Some("synthetic data for scale tests; not real trade".into()),
    };
    let rx = spawn_shipments(*cfg, roles);
    let load = bulk::load(conn, &src, &ps, rx, cfg.shipments, progress)?;
    let seconds_load = t1.elapsed().as_secs_f64();
    drop(ps);

    let t2 = Instant::now();
    let busiest = match scope {
        LinkScope::None => None,
        LinkScope::All => Some(None),
        LinkScope::Busiest(n) => Some(Some(n)),
    };
    let mut linked = 0;
    let links = match busiest {
        None => None,
        Some(limit) => {
            linked = limit.map_or(load.parties, |n| (n as u64).min(load.parties));
            progress.stage("linking parties", Some(linked));
            let tx = conn.transaction()?;
            let n = link::link_source_parties(&tx, load.source_id, limit, LINK_CHUNK, progress)?;
            tx.commit()?;
            Some(n)
        }
    };
    let seconds_link = t2.elapsed().as_secs_f64();
    let span = seconds_generate_parties + seconds_load;
    let rows = load.shipments + load.hs_rows + load.parties;
    let mut load = load;
    load.phases.insert(
        0,
        Phase {
            name: "generate parties".into(),
            seconds: seconds_generate_parties,
        },
    );
    let report = GenReport {
        links,
        parties_linked: linked,
        seconds_generate_parties,
        seconds_load,
        seconds_link,
        seconds_total: t0.elapsed().as_secs_f64(),
        shipments_per_second: load.shipments as f64 / span.max(1e-9),
        rows_per_second: rows as f64 / span.max(1e-9),
        load,
    };
    // Kept so a benchmark reusing this database can still report how fast it was built.
    if let Ok(text) = serde_json::to_string(&report) {
        bulk::set_meta(conn, META_KEY, &text)?;
    }
    Ok(report)
}
