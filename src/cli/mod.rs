//! The command line: argument definitions (clap) and dispatch. Thin: every command is a few
//! calls into the library plus output formatting (text for people, `--json` for scripts).

// First: its macros (`outln!`, `errln!`) are used by every module after it.
#[macro_use]
pub mod output;
mod audit;
mod case;
mod changes;
mod commands;
mod copy;
mod csv_input;
mod decide;
mod import;
mod invest;
mod link;
mod open;
mod patents;
mod pg;
pub mod progress;
mod reference;
mod screen;
mod search;
mod show;
mod watch;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use tradescope_store::error::Error;
use tradescope_store::import::Format;

#[derive(Debug, Parser)]
#[command(
    name = "tradescope",
    version,
    about = "Terminal workbench for export-control screening: watch lists, shipments and patents, linked",
    long_about = "Search watch-listed entities (US Consolidated Screening List, OFAC SDN and non-SDN, \
BIS Denied Persons), browse shipments, look up patents, and drill between linked records by keyboard.\n\n\
With no command, opens the workbench (building the default database from the bundled data on first start).",
    after_help = "Exit codes: 0 ok, 1 user error (bad file, no match for ID), 2 internal error."
)]
pub struct Cli {
    /// Database file [default: $TRADESCOPE_DB, else the XDG data dir]
    #[arg(long, global = true, env = "TRADESCOPE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Verify the database file's integrity (SQLite quick_check) before using it; done
    /// automatically for a file copied or downloaded from elsewhere
    #[arg(long, global = true)]
    pub check: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the workbench (the default command)
    Tui,
    /// Build the default database from the bundled data (real lists + demo shipments)
    Init {
        /// Rebuild even if the database exists (the old file is replaced)
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
    /// Import published files: csl, ofac (file set), dpl, patentsview, patents, ams (table set), shipments
    Import {
        #[arg(value_enum)]
        format: Format,
        /// File(s) to import; an OFAC or AMS set is given as all its files at once
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Date the publisher's data stood at (YYYY-MM-DD); derived from the data if omitted
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Accept a list update that removes more than 20% of the list's entries
        #[arg(long)]
        allow_shrink: bool,
        /// Mark the imported records synthetic
        #[arg(long)]
        synthetic: bool,
        /// shipments: read COLUMN as FIELD for this file (`--map date=ETA_DATE`), or every
        /// `field,column` row of FILE; repeatable; `ignore=COLUMN` leaves a column out
        #[arg(long = "map", value_name = "FIELD=COLUMN|FILE")]
        map: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Search list entries by name (best first)
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one record and every link the workbench can follow from it
    Show {
        #[arg(value_parser = ["entity", "party", "shipment", "patent", "assignee"])]
        kind: String,
        id: i64,
        /// Also the links a reviewer rejected (marked ✗)
        #[arg(long)]
        rejected: bool,
        #[arg(long)]
        json: bool,
    },
    /// Screen a name, or a CSV file of names (--file), against the current lists
    Screen(screen::ScreenArgs),
    /// Record a decision on a screening hit: match, false-positive (cleared) or escalate
    Decide(decide::DecideArgs),
    /// Decisions on screening hits: list, export for an auditor (--export), undo
    Decisions(decide::DecisionsArgs),
    /// Review the links the matcher made: confirm, reject or reset one (audited), list reviews
    Link {
        #[command(subcommand)]
        action: link::LinkAction,
    },
    /// Score pairs of names from a CSV file (`name1,name2[,schema]`); CSV on stdout
    Match(screen::MatchArgs),
    /// Precision, recall and F1 of the matcher on labelled pairs, overall, by schema and category
    Eval(screen::EvalArgs),
    /// Write a consistent copy of the database (safe while it is in use)
    ///
    /// The copy is one snapshot of the database, taken with SQLite's VACUUM INTO, so it can be
    /// made while an import or the workbench is running. An existing file is never
    /// overwritten. Upgrades of a database an older tradescope made write such a backup first,
    /// by themselves.
    Backup {
        /// Where to write the copy [default: next to the database, NAME.vVERSION-DATE.bak]
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Move a whole database between SQLite and PostgreSQL, user data included, verified after
    Copy(copy::CopyArgs),
    /// Counts per table and per source, with each source's SHA-256
    Stats {
        #[arg(long)]
        json: bool,
        /// Every entry the current list versions added, removed or changed (with what changed)
        /// against the versions they replaced
        #[arg(long)]
        changes: bool,
    },
    /// The audit log of searches, screenings and exports (hash-chained)
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Listed companies with patents in critical and emerging technology areas AND shipments
    Intersect(invest::IntersectArgs),
    /// Transshipment trail of a listed shipper: consignees abroad and their onward shipments
    Trail(invest::TrailArgs),
    /// Shipments, filtered (an entity's, listed at ship date or not, carrying listed makers' products)
    Shipments(invest::ShipmentsArgs),
    /// Patents, newest first: words, a number, a CET area, an assignee's or an entity's
    Patents(patents::PatentsArgs),
    /// Brand and model-number patterns used to find listed makers' products in descriptions
    Patterns {
        #[command(subcommand)]
        action: reference::TableAction,
    },
    /// Covered equipment makers (NDAA §889, FCC Covered List)
    Covered {
        #[command(subcommand)]
        action: reference::CoveredAction,
    },
    /// Critical and emerging technology areas and their CPC prefixes
    Cet {
        #[command(subcommand)]
        action: reference::TableAction,
    },
    /// Shipments CSV column names and the fields they fill (vendor exports: Panjiva, ImportGenius, …)
    Columns {
        #[command(subcommand)]
        action: reference::TableAction,
    },
    /// Cases: marked records, exported with provenance
    Case {
        #[command(subcommand)]
        action: case::CaseAction,
    },
    /// Monitored vendor/party sets, re-screened when the lists change: add, list, remove
    Watch {
        #[command(subcommand)]
        action: watch::WatchAction,
    },
    /// Screen a monitored set again: new hits (with the list change behind each), hits gone,
    /// changed scores, decisions applied
    Rescreen(watch::RescreenArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the keyed chain and its anchor; exit 1 if a row was edited, forged or deleted
    Verify {
        /// Also hold the log against this anchor (copied from an export or an earlier
        /// `audit verify`: tradescope-audit:v1:db=…:rows=…:head=…)
        #[arg(long, value_name = "ANCHOR")]
        anchor: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The newest records
    Show {
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Every record, as CSV (default) or JSON, for filing elsewhere
    Export {
        #[arg(long, value_parser = ["csv", "json"], default_value = "csv")]
        format: String,
    },
}

/// Run the program; returns the process exit code.
pub fn main() -> i32 {
    main_with(commands::run)
}

/// Parse the command line as `C`, run it, and map the outcome to an exit code (0 ok, 1 user
/// error, 2 internal; 141 when the reader of the output went away). Shared with the benchmark
/// binary, so both report errors and end the same way.
pub fn main_with<C: Parser>(run: impl FnOnce(C) -> anyhow::Result<()>) -> i32 {
    let cli = match C::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // Usage errors quote the arguments, which may come from a file: sanitized, as
            // every message (clap's colours are dropped with the escape sequences).
            output::err_text(&e.render().to_string());
            return 1;
        }
        Err(e) => {
            // --help, --version. `--help > /dev/full` must not claim success.
            if let Err(io) = e.print() {
                errln!(
                    "error: cannot write the help: {io}{}",
                    tradescope_store::error::io_hint(&io)
                );
                return 2;
            }
            return 0;
        }
    };
    let result = run(cli);
    let output = output::finish();
    match (result, output) {
        // The reader went away (`| head`): end quietly, as a filter killed by SIGPIPE would.
        (_, Some(o)) if o.is_broken_pipe() => 128 + 13,
        (result, Some(o)) => {
            errln!("error: {o}");
            if let Err(err) = result {
                // Unless it is the same failure, seen by the command.
                let same = err.chain().any(|c| {
                    c.downcast_ref::<output::OutputError>().is_some()
                        || c.downcast_ref::<std::io::Error>()
                            .is_some_and(|e| e.kind() == o.error.kind())
                });
                if !same {
                    errln!("error: {}", message(&err));
                }
            }
            2
        }
        (Ok(()), None) => 0,
        (Err(err), None) => {
            let code = match (
                err.downcast_ref::<Error>(),
                err.downcast_ref::<tradescope_pg::Error>(),
            ) {
                (Some(e), _) => e.exit_code(),
                (None, Some(e)) => e.exit_code(),
                (None, None) => 2,
            };
            // Messages quote file contents and names: `errln!` sanitizes them.
            errln!("error: {}", message(&err));
            code
        }
    }
}

/// The error and its causes, `: `-joined, each said once: a cause whose text the message
/// already holds is left out (an SQLite error's message, its code's description and our
/// wrapper all say "database is locked"; the user is told once).
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        // The SQLite code's description ("Error code 5: The database file is locked") under
        // a rusqlite error, which has said it already.
        if cause.downcast_ref::<rusqlite::ffi::Error>().is_some() && !out.is_empty() {
            continue;
        }
        let text = cause.to_string();
        let core = text.trim();
        if core.is_empty() || out.contains(core) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(core);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item9_a_cause_already_said_is_not_repeated() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        let err = anyhow::Error::from(Error::from(sqlite)).context("import csl failed");
        let m = message(&err);
        assert_eq!(m.matches("database is locked").count(), 1, "{m}");
        assert!(
            m.starts_with("import csl failed: SQLite: database is locked"),
            "{m}"
        );
        assert!(m.contains("wait for it to finish"), "{m}");
    }

    #[test]
    fn item9_a_full_disk_is_said_once_with_what_to_do() {
        let sqlite = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            Some("database or disk is full".into()),
        );
        let err = anyhow::Error::from(Error::from(sqlite)).context("import ams failed");
        let m = message(&err);
        assert_eq!(
            m.matches("is full").count(),
            2,
            "the error, then the hint: {m}"
        );
        assert!(m.contains("free some space"), "{m}");
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let m = message(&anyhow::Error::from(Error::from(io)));
        assert!(m.contains("the disk is full: free some space"), "{m}");
    }
}
