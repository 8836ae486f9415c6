//! The data bundled into the binary (data/ at build time) and `init`, which builds the default
//! database from it: the real lists, the real patent records, the seed case and demo shipments.
//!
//! The database is built in a temporary file next to the target and renamed into place at the
//! end, so an interrupted `init` never leaves a half-built database behind.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::demo;
use tradescope_core::progress::Progress;
use tradescope_store::error::{Error, Result};
use tradescope_store::import::{self, Format, ImportOptions, ImportReport, Input};
use tradescope_store::{self as db, cet, covered, products, stats};

/// One bundled file: its path under data/ and its bytes.
pub struct Bundled {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! bundled {
    ($p:literal) => {
        Bundled {
            path: $p,
            bytes: include_bytes!(concat!("../data/", $p)),
        }
    };
}

/// One import of the default database.
pub struct Step {
    pub format: Format,
    pub files: &'static [Bundled],
    /// The publisher's as-of date where known (see data/SOURCES.md); None: derived from data.
    pub as_of: Option<&'static str>,
    pub synthetic: bool,
}

static OFAC_SDN: &[Bundled] = &[
    bundled!("lists/ofac_sdn/sdn.csv"),
    bundled!("lists/ofac_sdn/add.csv"),
    bundled!("lists/ofac_sdn/alt.csv"),
    bundled!("lists/ofac_sdn/sdn_comments.csv"),
];
static OFAC_CONS: &[Bundled] = &[
    bundled!("lists/ofac_consolidated/cons_prim.csv"),
    bundled!("lists/ofac_consolidated/cons_add.csv"),
    bundled!("lists/ofac_consolidated/cons_alt.csv"),
    bundled!("lists/ofac_consolidated/cons_comments.csv"),
];
static DPL: &[Bundled] = &[bundled!("lists/bis_dpl.txt")];
static CSL: &[Bundled] = &[bundled!("lists/csl_consolidated_2022-05.csv.gz")];
static ASSIGNEES: &[Bundled] = &[bundled!("patents/patentsview_assignee.tsv")];
static PATENTS: &[Bundled] = &[bundled!("patents/curated_us_patents.tsv")];
static SEED: &[Bundled] = &[bundled!("demo/seed_shipments.csv")];

/// The imports that build the default database, in order (older list files first).
pub fn steps() -> Vec<Step> {
    vec![
        Step {
            format: Format::Ofac,
            files: OFAC_SDN,
            as_of: None,
            synthetic: false,
        },
        Step {
            format: Format::Dpl,
            files: DPL,
            as_of: None,
            synthetic: false,
        },
        Step {
            format: Format::Csl,
            files: CSL,
            as_of: None,
            synthetic: false,
        },
        Step {
            format: Format::Ofac,
            files: OFAC_CONS,
            as_of: None,
            synthetic: false,
        },
        // Assignees first, so that the patent records attach to the PatentsView organizations.
        Step {
            format: Format::Patentsview,
            files: ASSIGNEES,
            as_of: None,
            synthetic: false,
        },
        Step {
            format: Format::Patents,
            files: PATENTS,
            as_of: None,
            synthetic: false,
        },
        // The seed case: real parties and descriptions from the published analysis, synthetic
        // dates, bill numbers and ports (data/demo/README.md).
        Step {
            format: Format::Shipments,
            files: SEED,
            as_of: None,
            synthetic: true,
        },
    ]
}

#[derive(Debug, Serialize)]
pub struct InitReport {
    pub path: PathBuf,
    pub imports: Vec<ImportReport>,
    pub stats: stats::Stats,
}

/// Build the default database at `path`. Refuses to replace an existing file unless `force`.
pub fn init(path: &Path, force: bool, progress: &dyn Progress) -> Result<InitReport> {
    // A directory, FIFO or device is refused whatever --force says.
    db::check_path(path)?;
    if path.exists() && !force {
        return Err(Error::User(format!(
            "{} already exists; use `tradescope init --force` to rebuild it",
            path.display()
        )));
    }
    let tmp = tmp_path(path);
    remove_db_files(&tmp)?;
    let result = build(&tmp, progress);
    if result.is_err() {
        let _ = remove_db_files(&tmp);
    }
    let imports = result?;
    // A database built anew here (`init`, `init --force`, the workbench's first start after the
    // file was removed) starts a new audit log: an anchor left by an earlier database at this
    // path no longer applies.
    let _ = db::audit::anchor::forget(path);
    remove_db_files(path)?;
    std::fs::rename(&tmp, path)?;
    let conn = db::open_ro(path)?;
    Ok(InitReport {
        path: path.to_path_buf(),
        imports,
        stats: stats::stats(&conn)?,
    })
}

fn build(tmp: &Path, progress: &dyn Progress) -> Result<Vec<ImportReport>> {
    let mut conn = db::open_rw(tmp)?;
    // Reference tables first: shipments are scanned for products as they are imported, and
    // each list import links the pattern makers to its entries.
    progress.stage("reference tables", None);
    {
        let tx = conn.transaction()?;
        products::load_tsv(
            &tx,
            "data/reference/product_patterns.tsv",
            tradescope_core::products::DEFAULT_TSV,
        )?;
        covered::load_tsv(
            &tx,
            "data/reference/covered_equipment.tsv",
            covered::DEFAULT_TSV,
        )?;
        tx.commit()?;
    }
    let mut reports = Vec::new();
    for step in steps() {
        let inputs: Vec<Input> = step
            .files
            .iter()
            .map(|b| Input::embedded(format!("data/{}", b.path), b.bytes))
            .collect();
        let opts = ImportOptions {
            as_of: step.as_of.map(str::to_string),
            synthetic: step.synthetic,
            ..Default::default()
        };
        reports.push(import::import(
            &mut conn,
            step.format,
            &inputs,
            &opts,
            progress,
        )?);
    }
    progress.stage("technology areas", None);
    {
        let tx = conn.transaction()?;
        cet::load_tsv(&tx, "data/reference/cet_cpc.tsv", cet::DEFAULT_TSV)?;
        tx.commit()?;
    }
    progress.stage("demo shipments", None);
    let (demo, _) = demo::import(&mut conn, demo::DEFAULT_SEED, progress)?;
    reports.push(demo);
    progress.stage("optimizing", None);
    // Fold the WAL into the file so the renamed database is complete on its own.
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?;
    drop(conn);
    Ok(reports)
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".building");
    path.with_file_name(name)
}

/// Remove a database file and its WAL/SHM companions, if present.
fn remove_db_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        match std::fs::remove_file(PathBuf::from(p)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
