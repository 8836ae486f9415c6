//! The list-update figure (issue 21 item 6): a generated watch list of N entries in a real
//! published format (src/gen/lists) is imported, then its next revision (2% dropped, 2% added,
//! 1% renamed) is imported as an update, timed end to end — parse, write, diff against the
//! current version, link every entry against every trade party, carry review decisions, drop
//! the replaced version's links. The naive baseline is the same update, on a copy of the same
//! database, linked the way it was before (db::link::naive).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::report::Figure;
use super::timing::Stat;
use crate::gen::{self, lists, GenConfig};
use tradescope_core::progress::NoProgress;
use tradescope_store::error::Result;
use tradescope_store::import::{self, Format, ImportOptions, ImportReport, Input};
use tradescope_store::{self as db, link};

/// Which published format the generated list is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// OFAC legacy SDN CSV set (sdn.csv, add.csv, alt.csv).
    OfacSdn,
    /// trade.gov Consolidated Screening List CSV.
    Csl,
}

impl ListFormat {
    fn label(self) -> &'static str {
        match self {
            ListFormat::OfacSdn => "OFAC SDN-format",
            ListFormat::Csl => "CSL-format",
        }
    }
}

/// What one list-update measurement gave.
#[derive(Debug, Clone)]
pub struct Measured {
    pub entries: u64,
    pub parties: u64,
    pub ours_seconds: f64,
    pub naive_seconds: Option<f64>,
    pub first_import_seconds: f64,
    pub links: u64,
    pub naive_links: Option<u64>,
    pub peak_rss_mib: f64,
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
}

/// Write revision `rev` of the generated list under `dir` in `format`; the files to import.
fn write_list(dir: &Path, format: ListFormat, n: u64, rev: u64) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let entries = lists::revision(21, n, rev);
    match format {
        ListFormat::OfacSdn => {
            let paths: Vec<PathBuf> = ["sdn.csv", "add.csv", "alt.csv"]
                .iter()
                .map(|f| dir.join(f))
                .collect();
            let open = |p: &PathBuf| File::create(p).map(BufWriter::new);
            let (mut sdn, mut add, mut alt) =
                (open(&paths[0])?, open(&paths[1])?, open(&paths[2])?);
            lists::write_ofac_sdn(entries, &mut sdn, &mut add, &mut alt)?;
            for w in [&mut sdn, &mut add, &mut alt] {
                std::io::Write::flush(w)?;
            }
            Ok(paths)
        }
        ListFormat::Csl => {
            let path = dir.join("consolidated.csv");
            let mut w = BufWriter::new(File::create(&path)?);
            lists::write_csl(entries, &mut w)?;
            std::io::Write::flush(&mut w)?;
            Ok(vec![path])
        }
    }
}

fn import_list(
    conn: &mut rusqlite::Connection,
    format: ListFormat,
    files: &[PathBuf],
    as_of: &str,
) -> Result<ImportReport> {
    let inputs: Vec<Input> = files.iter().map(Input::path).collect();
    let fmt = match format {
        ListFormat::OfacSdn => Format::Ofac,
        ListFormat::Csl => Format::Csl,
    };
    import::import(
        conn,
        fmt,
        &inputs,
        &ImportOptions {
            as_of: Some(as_of.into()),
            ..Default::default()
        },
        &NoProgress,
    )
}

/// Build a database under `dir` with `parties` generated trade parties (some named like list
/// entries, so there are true links to find) and revision 0 of an `entries`-entry list, then
/// import revision 1 as the update: ours, and (with `naive`) the baseline on a copy.
pub fn measure(
    dir: &Path,
    format: ListFormat,
    entries: u64,
    parties: u64,
    naive: bool,
) -> Result<Measured> {
    let work = dir.join(format!("tradescope-bench-lists-{entries}"));
    std::fs::create_dir_all(&work)?;
    let db_path = work.join("ours.db");
    let naive_path = work.join("naive.db");
    remove_db(&db_path);
    remove_db(&naive_path);

    // Trade parties, through the shipments importer (two shipments a party on average); a
    // share of them are variants of list names.
    let list_names: Vec<(String, Option<String>)> = lists::revision(21, entries.min(20_000), 0)
        .filter(|e| e.kind == lists::Kind::Entity)
        .map(|e| (e.name, Some(e.country.to_string())))
        .collect();
    let cfg = GenConfig {
        shipments: parties * 2,
        parties,
        seed: 21,
    };
    let (ps, roles) = gen::parties(&cfg, &list_names, &Default::default());
    let csv = work.join("shipments.csv");
    super::import::write_csv(&csv, &ps, gen::Shipments::new(&cfg, roles))?;
    let mut conn = db::open_rw(&db_path)?;
    import::import(
        &mut conn,
        Format::Shipments,
        &[Input::path(&csv)],
        &ImportOptions {
            synthetic: true,
            ..Default::default()
        },
        &NoProgress,
    )?;
    let _ = std::fs::remove_file(&csv);

    let v1 = write_list(&work.join("v1"), format, entries, 0)?;
    let t = Instant::now();
    import_list(&mut conn, format, &v1, "2024-01-01")?;
    let first_import_seconds = t.elapsed().as_secs_f64();
    let v2 = write_list(&work.join("v2"), format, entries, 1)?;
    if naive {
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        std::fs::copy(&db_path, &naive_path)?;
    }

    let t = Instant::now();
    let ours = import_list(&mut conn, format, &v2, "2024-02-01")?;
    let ours_seconds = t.elapsed().as_secs_f64();
    let peak_rss_mib = super::machine::rss_mib().map_or(0.0, |(peak, _)| peak);
    drop(conn);

    let (naive_seconds, naive_links) = if naive {
        let mut nconn = db::open_rw(&naive_path)?;
        let t = Instant::now();
        let r = link::with_naive_linking(|| import_list(&mut nconn, format, &v2, "2024-02-01"))?;
        (
            Some(t.elapsed().as_secs_f64()),
            Some(r.links.party_links + r.links.assignee_links),
        )
    } else {
        (None, None)
    };
    remove_db(&db_path);
    remove_db(&naive_path);
    let _ = std::fs::remove_dir_all(&work);
    Ok(Measured {
        entries,
        parties,
        ours_seconds,
        naive_seconds,
        first_import_seconds,
        links: ours.links.party_links + ours.links.assignee_links,
        naive_links,
        peak_rss_mib,
    })
}

/// The figure of a measurement, against the target for its size.
pub fn figure(format: ListFormat, m: &Measured) -> Figure {
    let n = m.entries;
    let size = if n >= 1_000_000 {
        format!("{}M", n / 1_000_000)
    } else {
        format!("{}K", n / 1_000)
    };
    let target_seconds = if n >= 1_000_000 {
        Some(180.0)
    } else if n >= 100_000 {
        Some(20.0)
    } else {
        None
    };
    let mut f = Figure::new(
        &format!("list update, {size}-entry {} list", format.label()),
        &match target_seconds {
            Some(180.0) => "≤ 3 min".to_string(),
            Some(t) => format!("≤ {t:.0} s"),
            None => "linear in size".to_string(),
        },
        "s",
    );
    f.ours = Some(Stat::one(m.ours_seconds));
    f.met = target_seconds.map(|t| m.ours_seconds <= t);
    if let Some(b) = m.naive_seconds {
        f.baseline = Some(Stat::one(b));
        f.baseline_name = "linking before issue 21".into();
    }
    f.note =
        format!(
            "`import` of revision 2 of a generated {n}-entry {} list (2% dropped, 2% added, 1% \
         renamed) over revision 1, into a database with {} generated trade parties: parse, \
         write, diff, link every entry against every party ({} links), carry decisions, drop \
         replaced links; {:.1} s (revision 1, the first import: {:.1} s). Peak RSS of the \
         process {:.0} MiB. {} One run.",
            format.label(),
            m.parties,
            m.links,
            m.ours_seconds,
            m.first_import_seconds,
            m.peak_rss_mib,
            match (m.naive_seconds, m.naive_links) {
                (Some(s), Some(l)) =>
                    format!(
                "Baseline: the same update on a copy of the database, linked as before issue \
                 21 (db::link::naive): {s:.1} s, {l} links{}.",
                if l == m.links { ", the same count" } else { " — a DIFFERENT count" }
            ),
                _ => "Baseline not run at this size (quadratic: the issue saw no end after 20 \
                  minutes at 1M)."
                    .to_string(),
            }
        );
    f
}
