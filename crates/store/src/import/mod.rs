//! Importers for the real published formats, one file per format. Every import runs in one
//! transaction: on any error nothing changes, and the error names file, line and field.
//!
//! Flow: hash the input files → skip if this exact file set was imported before → parse into the
//! database inside a transaction → (lists) make it the current version, record added/removed →
//! link new records by name → commit.

pub mod ams;
pub mod as_of;
mod bulk;
pub mod cells;
pub mod columns;
pub mod csl;
pub mod csl_ids;
pub mod dpl;
pub mod fields;
mod generated;
mod guard;
pub mod identity;
pub mod input;
pub mod lists;
pub mod ofac;
pub mod patent_writer;
pub mod patents;
pub mod patentsview;
pub mod records;
mod report;
pub mod shipments;
pub mod trade;
mod zip;

use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::link;
use crate::now_utc;
use tradescope_core::progress::Progress;

pub use generated::import_generated;
pub use input::Input;
pub use lists::{NewEntry, VersionReport};
pub use report::ImportReport;

/// The formats `tradescope import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// trade.gov Consolidated Screening List CSV (.csv or .csv.gz)
    Csl,
    /// OFAC legacy CSV set: sdn.csv add.csv alt.csv sdn_comments.csv, or the cons_* set
    Ofac,
    /// BIS Denied Persons List, tab-separated
    Dpl,
    /// PatentsView bulk TSVs: g_patent, g_assignee_disambiguated, g_cpc_current, assignee
    Patentsview,
    /// Plain patent records TSV/CSV (publication_number, title, assignee, cpc, …)
    Patents,
    /// CBP AMS manifest extract tables: header, billgen, shipper, consignee, notifyparty,
    /// cargodesc, tariff (joined on `identifier`)
    Ams,
    /// Plain shipments CSV for your own data (see docs/formats.md)
    Shipments,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csl => "csl",
            Format::Ofac => "ofac",
            Format::Dpl => "dpl",
            Format::Patentsview => "patentsview",
            Format::Patents => "patents",
            Format::Ams => "ams",
            Format::Shipments => "shipments",
        }
    }

    fn is_list(self) -> bool {
        matches!(self, Format::Csl | Format::Ofac | Format::Dpl)
    }

    fn description(self) -> &'static str {
        match self {
            Format::Csl => "trade.gov Consolidated Screening List CSV",
            Format::Ofac => "OFAC legacy CSV set",
            Format::Dpl => "BIS Denied Persons List (tab-separated)",
            Format::Patentsview => "PatentsView bulk TSV",
            Format::Patents => "patent records TSV",
            Format::Ams => "CBP AMS manifest extract",
            Format::Shipments => "tradescope shipments CSV",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The date the publisher's data stood at; derived from the data when not given.
    pub as_of: Option<String>,
    /// Accept a list version that shrinks the list by more than `lists::MAX_SHRINK`.
    pub allow_shrink: bool,
    /// Mark every imported record synthetic (demo data).
    pub synthetic: bool,
    pub note: Option<String>,
    /// Shipments CSV: `FIELD=COLUMN` overrides of the column table (`--map`).
    pub columns: Vec<(String, String)>,
}

/// Receives parsed list entries (the database writer, or a Vec in tests and fuzzing).
pub trait ListSink {
    fn entry(&mut self, e: NewEntry) -> Result<()>;
    /// Something in the input was skipped or repaired; the user is told.
    fn warning(&mut self, _message: String) {}
    /// The date the file says it stands at (its own metadata).
    fn as_of(&mut self, _as_of: as_of::AsOf) {}
}

impl ListSink for lists::EntryWriter<'_> {
    fn entry(&mut self, e: NewEntry) -> Result<()> {
        self.insert(&e).map(|_| ())
    }
    fn warning(&mut self, message: String) {
        self.warnings.push(message);
    }
    fn as_of(&mut self, as_of: as_of::AsOf) {
        self.as_of = Some(as_of);
    }
}

impl ListSink for Vec<NewEntry> {
    fn entry(&mut self, e: NewEntry) -> Result<()> {
        self.push(e);
        Ok(())
    }
}

/// Parse list files without a database (for tests, fuzzing and dry runs).
pub fn parse_list(
    format: Format,
    inputs: &[Input],
    progress: &dyn Progress,
    sink: &mut dyn ListSink,
) -> Result<()> {
    match format {
        Format::Csl => {
            for i in inputs {
                csl::read(&i.name, i.open(progress)?, sink)?;
            }
            Ok(())
        }
        Format::Dpl => {
            for i in inputs {
                dpl::read(&i.name, i.open(progress)?, sink)?;
            }
            Ok(())
        }
        Format::Ofac => ofac::read(inputs, progress, sink),
        _ => Err(Error::User(format!(
            "{} is not a list format",
            format.as_str()
        ))),
    }
}

fn dataset(format: Format, inputs: &[Input]) -> &'static str {
    match format {
        Format::Csl => csl::DATASET,
        Format::Dpl => dpl::DATASET,
        Format::Ofac => ofac::dataset(inputs),
        Format::Patentsview => "patentsview",
        Format::Patents => "patents",
        Format::Ams => "ams",
        Format::Shipments => "shipments",
    }
}

/// Import one file (or one file set) of `format`.
pub fn import(
    conn: &mut Connection,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    run(conn, format, inputs, opts, progress, Finish::Commit)
}

/// Everything `import` does — read, check, write, link — inside a transaction that is then
/// rolled back: the report (or the error) an import would give, and the database unchanged.
/// Used by the fuzz targets, which feed each importer thousands of files a second.
pub fn dry_run(
    conn: &mut Connection,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    run(conn, format, inputs, opts, progress, Finish::RollBack)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    Commit,
    RollBack,
}

fn run(
    conn: &mut Connection,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
    finish: Finish,
) -> Result<ImportReport> {
    if format == Format::Patentsview {
        return bulk::with_bulk_settings(conn, |conn| {
            run_with(conn, format, inputs, opts, progress, finish)
        });
    }
    run_with(conn, format, inputs, opts, progress, finish)
}

fn run_with(
    conn: &mut Connection,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
    finish: Finish,
) -> Result<ImportReport> {
    if inputs.is_empty() {
        return Err(Error::User("no input files given".into()));
    }
    if format == Format::Ofac {
        ofac::check_set(inputs)?;
    } else if !matches!(format, Format::Patentsview | Format::Ams) && inputs.len() > 1 {
        return Err(Error::User(format!(
            "{} imports one file at a time; run one import per file",
            format.as_str()
        )));
    }
    let dataset = dataset(format, inputs);
    let mut hashes = Vec::new();
    let total: u64 = inputs.iter().map(|i| i.len().unwrap_or(0)).sum();
    progress.stage("hashing", Some(total));
    for i in inputs {
        hashes.push(i.sha256()?);
        progress.inc(i.len().unwrap_or(0));
    }
    let sha = input::set_sha256(&hashes);
    let mut report = ImportReport::start(
        conn,
        format.as_str(),
        dataset,
        inputs.iter().map(|i| i.name.clone()).collect(),
        sha.clone(),
        opts.as_of.clone(),
    );
    if report.already_imported {
        return Ok(report);
    }

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO source (dataset, format, path, sha256, imported_at, as_of, current, synthetic, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)",
        params![
            dataset,
            format.description(),
            report.files.join("; "),
            sha,
            now_utc(),
            opts.as_of,
            opts.synthetic,
            opts.note
        ],
    )?;
    let source_id = tx.last_insert_rowid();
    report.source_id = Some(source_id);
    progress.stage("importing", Some(total));
    if format.is_list() {
        import_list(
            &tx,
            format,
            inputs,
            opts,
            progress,
            source_id,
            dataset,
            &mut report,
        )?;
    } else {
        report.rows = import_records(&tx, format, inputs, opts, progress, source_id, &mut report)
            // A damaged .gz breaks some row first: name the damage, not the row.
            .map_err(|e| input::damage_or(inputs, e))?;
        // As for lists: a file with a header and nothing else (an empty export) is refused
        // rather than recorded as a source that added nothing.
        if report.rows == 0 {
            return Err(Error::file(
                &inputs[0].name,
                "no records found in this file (only a header?)",
            ));
        }
        report.links = link::link_new_records(&tx, source_id, progress)?;
    }
    tx.execute(
        "UPDATE source SET row_count = ?1, as_of = ?2 WHERE id = ?3",
        params![report.rows as i64, report.as_of, source_id],
    )?;
    crate::safety::stamp(&tx)?;
    match finish {
        Finish::Commit => tx.commit()?,
        Finish::RollBack => tx.rollback()?,
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
fn import_list(
    tx: &Transaction,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
    source_id: i64,
    dataset: &str,
    report: &mut ImportReport,
) -> Result<()> {
    let mut writer = lists::EntryWriter::new(tx, source_id, dataset);
    parse_list(format, inputs, progress, &mut writer).map_err(|e| input::damage_or(inputs, e))?;
    report.rows = writer.count;
    report.warnings.append(&mut writer.warnings);
    if report.rows == 0 {
        return Err(Error::file(
            &inputs[0].name,
            "no entries found in this file",
        ));
    }
    let found = list_as_of(tx, format, inputs, opts, source_id, writer.as_of.take())?;
    if let Some(a) = &found {
        report.as_of = Some(a.date.clone());
        as_of::record(tx, source_id, a)?;
    }
    report.as_of_source = found;
    let version = lists::apply_version(
        tx,
        source_id,
        dataset,
        report.as_of.as_deref(),
        opts.allow_shrink,
        &inputs[0].name,
    )?;
    if version.became_current {
        report.links = link::link_source_entries(tx, source_id, version.replaced, progress)?;
        report.links.maker_links = crate::products::link_makers(tx)?;
    }
    report.version = Some(version);
    Ok(())
}

/// A list version's date, best source first: `--as-of`, the file's own metadata (DPL
/// Last_Update), the date in an OFAC file set's download name, else derived from the data.
fn list_as_of(
    tx: &Transaction,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    source_id: i64,
    from_file: Option<as_of::AsOf>,
) -> Result<Option<as_of::AsOf>> {
    if let Some(d) = &opts.as_of {
        return Ok(Some(as_of::AsOf {
            date: d.clone(),
            basis: "given (--as-of)".into(),
            derived: false,
        }));
    }
    if from_file.is_some() {
        return Ok(from_file);
    }
    if format == Format::Ofac {
        let today = crate::lapsed::today();
        for i in inputs {
            if let Some(date) = as_of::date_in_name(&i.name, &today) {
                let shown = std::path::Path::new(&i.name)
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|p| p.to_string_lossy().into_owned())
                    .filter(|p| p.contains(&date[..4]))
                    .unwrap_or_else(|| i.name.clone());
                return Ok(Some(as_of::AsOf {
                    date,
                    basis: format!("download name {shown}"),
                    derived: false,
                }));
            }
        }
    }
    // The newest start date in the file is a lower bound for when it was published.
    let newest: Option<String> = tx.query_row(
        "SELECT max(start_date) FROM list_entry WHERE source_id = ?1 AND start_date <= date('now')",
        [source_id],
        |r| r.get(0),
    )?;
    Ok(newest.map(|date| as_of::AsOf {
        date,
        basis: "newest start date".into(),
        derived: true,
    }))
}

/// Shipments and patents: formats that add records (no versions).
fn import_records(
    tx: &Transaction,
    format: Format,
    inputs: &[Input],
    opts: &ImportOptions,
    progress: &dyn Progress,
    source_id: i64,
    report: &mut ImportReport,
) -> Result<u64> {
    let synthetic = opts.synthetic;
    let warnings = &mut report.warnings;
    match format {
        Format::Ams => ams::import(tx, inputs, source_id, synthetic, progress, warnings),
        Format::Shipments => {
            let (rows, columns) = shipments::import(
                tx,
                &inputs[0],
                source_id,
                synthetic,
                &opts.columns,
                progress,
                warnings,
            )?;
            report.columns = Some(columns);
            Ok(rows)
        }
        Format::Patentsview => {
            patentsview::import(tx, inputs, source_id, synthetic, progress, warnings)
        }
        Format::Patents => patents::import(tx, &inputs[0], source_id, synthetic, progress),
        Format::Csl | Format::Ofac | Format::Dpl => {
            Err(Error::User(format!("{} is a list format", format.as_str())))
        }
    }
}
