//! The import figure through the real shipments-CSV importer: generated shipments written as a
//! CSV file (docs/formats.md), then `import shipments` into a database holding the lists, timed
//! end to end (hashing, parsing, writing, full-text index, counters, linking new parties).

use std::path::Path;
use std::time::Instant;

use super::report::Figure;
use super::timing::Stat;
use crate::bulk::{BulkParty, BulkShipment};
use crate::gen::{self, GenConfig};
use tradescope_core::progress::NoProgress;
use tradescope_store as db;
use tradescope_store::error::Result;
use tradescope_store::import::{self, Format, ImportOptions, Input};

const HEADER: &[&str] = &[
    "record_id",
    "date",
    "shipper",
    "shipper_country",
    "consignee",
    "consignee_country",
    "notify_party",
    "notify_country",
    "port_of_lading",
    "port_of_unlading",
    "carrier",
    "vessel",
    "weight_kg",
    "quantity",
    "quantity_unit",
    "containers",
    "hs_codes",
    "description",
];

pub(super) fn write_csv(
    path: &Path,
    parties: &[BulkParty],
    batches: impl Iterator<Item = Vec<BulkShipment>>,
) -> Result<u64> {
    let io = |e: csv::Error| tradescope_store::error::Error::Io(std::io::Error::other(e));
    let mut w = csv::Writer::from_path(path).map_err(io)?;
    w.write_record(HEADER).map_err(io)?;
    let mut n = 0u64;
    let p = |i: u32| &parties[i as usize];
    for batch in batches {
        for s in batch {
            let (sh, co) = (p(s.shipper), p(s.consignee));
            let no = s.notify.map(p);
            let hs = s.hs_codes.join("; ");
            let (weight, qty) = (format!("{:.1}", s.weight_kg), s.quantity.to_string());
            w.write_record([
                s.identifier.as_str(),
                &s.ship_date,
                &sh.name,
                sh.country.as_deref().unwrap_or(""),
                &co.name,
                co.country.as_deref().unwrap_or(""),
                no.map_or("", |x| x.name.as_str()),
                no.and_then(|x| x.country.as_deref()).unwrap_or(""),
                &s.port_of_lading,
                &s.port_of_unlading,
                &s.carrier_code,
                &s.vessel_name,
                &weight,
                &qty,
                &s.quantity_unit,
                &s.containers,
                &hs,
                &s.description,
            ])
            .map_err(io)?;
            n += 1;
        }
    }
    w.flush()?;
    Ok(n)
}

/// Generate `shipments` over `parties` parties into a CSV under `dir`, import it into a fresh
/// database with the lists, and report rows per second.
pub fn measure(dir: &Path, shipments: u64, parties: u64) -> Result<Figure> {
    let cfg = GenConfig {
        shipments,
        parties,
        seed: 11,
    };
    let (ps, roles) = gen::parties(&cfg, &[], &Default::default());
    let csv_path = dir.join("tradescope-bench-shipments.csv");
    let rows = write_csv(&csv_path, &ps, gen::Shipments::new(&cfg, roles))?;
    let csv_mib = std::fs::metadata(&csv_path).map_or(0, |m| m.len()) as f64 / 1024.0 / 1024.0;
    let db_path = dir.join("tradescope-bench-import.db");
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    let mut conn = db::open_rw(&db_path)?;
    super::import_lists(&mut conn, &NoProgress)?;
    // The brand/model patterns `init` loads: every imported description is checked against
    // them (stored product detection), as in a real database.
    let tx = conn.transaction()?;
    tradescope_store::products::load_tsv(
        &tx,
        "data/reference/product_patterns.tsv",
        tradescope_core::products::DEFAULT_TSV,
    )?;
    tx.commit()?;
    let t = Instant::now();
    let report = import::import(
        &mut conn,
        Format::Shipments,
        &[Input::path(&csv_path)],
        &ImportOptions {
            synthetic: true,
            ..Default::default()
        },
        &NoProgress,
    )?;
    let secs = t.elapsed().as_secs_f64();
    drop(conn);
    let _ = std::fs::remove_file(&csv_path);
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    let rate = report.rows as f64 / secs.max(1e-9);
    let mut f = Figure::new(
        "import of shipments incl. parsing and linking (shipments CSV)",
        "≥ 300K rows/s",
        "rows/s",
    );
    f.ours = Some(Stat::one(rate));
    f.met = Some(rate >= 300_000.0);
    f.note = format!(
        "`import shipments` of a {csv_mib:.0} MiB CSV of {rows} generated shipments over {parties} \
         parties into a database with the lists: {:.1} s end to end (hash, parse, write, \
         full-text index, stored brand/model detection, counters, link {} new parties with the \
         current matcher: {} links). One run.",
        secs, parties, report.links.party_links
    );
    Ok(f)
}
