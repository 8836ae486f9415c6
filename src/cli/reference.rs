//! `tradescope patterns|cet|covered export|import`: the editable reference tables. Exports and
//! imports are recorded in the audit log (an auditor must know which table a result used).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use sha2::Digest;

use super::audit::record;
use super::open::Db;
use super::output::json;
use tradescope_core::text::sanitize;
use tradescope_matching::NameIndex;
use tradescope_store::audit::NewRecord;
use tradescope_store::covered::{self, Covered};
use tradescope_store::import::columns;
use tradescope_store::import::input::{decode, hex};
use tradescope_store::{cet, entities, products};

#[derive(Debug, Subcommand)]
pub enum TableAction {
    /// Write the table as TSV to FILE (stdout when FILE is omitted or -)
    Export {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Replace the table with the TSV in FILE
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CoveredAction {
    /// Write the table as TSV to FILE (stdout when FILE is omitted or -)
    Export {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Replace the table with the TSV in FILE
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Is NAME a covered maker, and is it on a screening list?
    Check {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// The table
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy)]
pub enum Table {
    Patterns,
    Cet,
    Columns,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Patterns => "patterns",
            Table::Cet => "cet",
            Table::Columns => "columns",
        }
    }
}

/// Write `text` to FILE or stdout, and record the export.
pub(super) fn write_export(
    store: &dyn tradescope_store::Store,
    what: &str,
    file: Option<&Path>,
    text: &str,
    results: serde_json::Value,
) -> anyhow::Result<()> {
    let dest = match file {
        Some(p) if p.as_os_str() != "-" => {
            // Created exclusively: never replaces a file, never follows a planted link.
            tradescope_store::export::write_new(p, text)?;
            p.display().to_string()
        }
        _ => {
            // Exported text holds names from the database: on a terminal, escape sequences in
            // them must not reach it (a pipe or a file gets the bytes as they are).
            super::output::data_text(text)?;
            "stdout".to_string()
        }
    };
    if let Err(e) = record(
        store,
        &tradescope_store::audit::export_record(what, &dest, text, results),
    ) {
        // An export the log does not know of is not left behind.
        if let Some(p) = file.filter(|p| p.as_os_str() != "-") {
            let _ = std::fs::remove_file(p);
        }
        return Err(e);
    }
    if dest != "stdout" {
        errln!("wrote {what} to {}", sanitize(&dest));
    }
    Ok(())
}

fn read_text(file: &Path) -> anyhow::Result<(String, String)> {
    // Bounded as a batch file is: no device, a silent pipe gives up (see csv_input).
    let bytes = super::csv_input::read_whole(file, &file.display().to_string())?;
    let sha = hex(&sha2::Sha256::digest(&bytes));
    Ok((decode(&bytes).into_owned(), sha))
}

fn record_import(
    db: Db,
    what: &str,
    file: &Path,
    sha: &str,
    report: serde_json::Value,
) -> anyhow::Result<()> {
    record(
        &db.store(),
        &NewRecord {
            action: "reference_import".into(),
            query: Some(format!("{what} from {} (SHA-256 {sha})", file.display())),
            results: report,
            ..Default::default()
        },
    )
}

pub fn run_table(db: Db, table: Table, action: TableAction) -> anyhow::Result<()> {
    match action {
        TableAction::Export { file } => {
            let conn = db.open_ro()?;
            let (text, rows) = match table {
                Table::Patterns => (
                    products::export_tsv(&conn)?,
                    products::patterns(&conn)?.len(),
                ),
                Table::Cet => {
                    let n: i64 =
                        conn.query_row("SELECT count(*) FROM cet_cpc", [], |r| r.get(0))?;
                    (cet::export_tsv(&conn)?, n as usize)
                }
                Table::Columns => (columns::export_tsv(&conn)?, columns::table(&conn)?.len()),
            };
            drop(conn);
            write_export(
                &db.store(),
                &format!("{} table", table.name()),
                file.as_deref(),
                &text,
                serde_json::json!({ "table": table.name(), "rows": rows }),
            )
        }
        TableAction::Import {
            file,
            json: as_json,
        } => {
            let (text, sha) = read_text(&file)?;
            let shown = file.display().to_string();
            let mut conn = db.open_rw()?;
            let tx = conn.transaction()?;
            let report = match table {
                Table::Patterns => serde_json::to_value(products::load_tsv(&tx, &shown, &text)?)?,
                Table::Cet => serde_json::to_value(cet::load_tsv(&tx, &shown, &text)?)?,
                Table::Columns => serde_json::to_value(columns::load_tsv(&tx, &shown, &text)?)?,
            };
            tx.commit()?;
            drop(conn);
            record_import(db, table.name(), &file, &sha, report.clone())?;
            if as_json {
                return json(&report);
            }
            match table {
                Table::Patterns => outln!(
                    "loaded {} patterns from {}: products found in {} of {} shipment descriptions; {} maker–entry links",
                    report["patterns"],
                    sanitize(&shown),
                    report["shipments_with_products"],
                    report["shipments_scanned"],
                    report["maker_links"]
                ),
                Table::Cet => outln!(
                    "loaded {} CET areas with {} CPC prefixes from {}",
                    report["areas"],
                    report["prefixes"],
                    sanitize(&shown)
                ),
                Table::Columns => outln!(
                    "loaded {} shipment column aliases (layouts: {}) from {}",
                    report["aliases"],
                    report["layouts"]
                        .as_array()
                        .map(|l| l.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default(),
                    sanitize(&shown)
                ),
            }
            Ok(())
        }
    }
}

pub fn run_covered(db: Db, action: CoveredAction) -> anyhow::Result<()> {
    match action {
        CoveredAction::Export { file } => {
            let conn = db.open_ro()?;
            let text = covered::export_tsv(&conn)?;
            let rows = covered::all(&conn)?.len();
            drop(conn);
            write_export(
                &db.store(),
                "covered equipment table",
                file.as_deref(),
                &text,
                serde_json::json!({ "table": "covered", "rows": rows }),
            )
        }
        CoveredAction::Import {
            file,
            json: as_json,
        } => {
            let (text, sha) = read_text(&file)?;
            let shown = file.display().to_string();
            let mut conn = db.open_rw()?;
            let tx = conn.transaction()?;
            let report = covered::load_tsv(&tx, &shown, &text)?;
            tx.commit()?;
            drop(conn);
            record_import(db, "covered", &file, &sha, serde_json::to_value(report)?)?;
            if as_json {
                return json(&report);
            }
            outln!(
                "loaded {} covered makers from {}",
                report.makers,
                sanitize(&shown)
            );
            Ok(())
        }
        CoveredAction::List { json: as_json } => {
            let conn = db.open_ro()?;
            let rows = covered::all(&conn)?;
            if as_json {
                return json(&rows);
            }
            for m in rows {
                outln!(
                    "{:<10} {:<11} {}  [{}]",
                    sanitize(&m.group),
                    sanitize(&m.relation),
                    sanitize(&m.maker),
                    sanitize(&m.basis)
                );
            }
            Ok(())
        }
        CoveredAction::Check {
            name,
            json: as_json,
        } => {
            let conn = db.open_ro()?;
            let index = NameIndex::build(entities::current_names(&conn)?);
            let checks = Covered::load(&conn)?.check(&index, &name);
            if as_json {
                return json(&checks);
            }
            if checks.is_empty() {
                outln!("{:?} is not a covered equipment maker", sanitize(&name));
            }
            for c in &checks {
                print_check(c);
            }
            Ok(())
        }
    }
}

/// One covered maker a name is, in words.
/// Say the "covered but on no screening list" notes next to a search or screen result: on
/// stderr under `--json` (the JSON stays an array of hits), on stdout otherwise.
pub(super) fn say_unlisted_covered(checks: &[covered::CoveredCheck], as_json: bool) {
    for c in checks.iter().filter(|c| c.note.is_some()) {
        match (&c.note, as_json) {
            (Some(n), true) => errln!("note: {}", sanitize(n)),
            _ => print_check(c),
        }
    }
}

pub(super) fn print_check(c: &covered::CoveredCheck) {
    match &c.note {
        Some(note) => outln!("note: {}", sanitize(note)),
        None => outln!(
            "covered: {} ({}, {}: {}); listed as entries {}",
            sanitize(&c.flag.maker),
            sanitize(&c.flag.group),
            sanitize(&c.flag.relation),
            sanitize(&c.flag.basis),
            c.listed_entity_ids
                .iter()
                .map(|i| format!("#{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
