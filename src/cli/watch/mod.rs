//! `tradescope watch add|list|remove` (monitored vendor/party sets) and `tradescope rescreen`
//! (screen a set again and report what changed). The store keeps them:
//! `tradescope_store::watch`.

mod report;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::csv_input::CsvInput;
use super::open::Db;
use super::output::json;
use super::screen::load_index;
use tradescope_core::text::sanitize::sanitize;
use tradescope_matching as matching;
use tradescope_store::error::Error;
use tradescope_store::search;
use tradescope_store::watch::rescreen;
use tradescope_store::watch::{self, NewParty};

#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Store a vendor/party list as a monitored set and screen it once (the baseline)
    Add {
        /// The set's name (letters, digits, '-', '_', '.'), e.g. vendors-2026
        set: String,
        /// CSV file with a header row
        file: PathBuf,
        /// Column that holds the names
        #[arg(long, default_value = "name")]
        column: String,
        /// Column that holds each party's country (name or ISO code): evidence for or against
        #[arg(long, value_name = "COLUMN")]
        country_column: Option<String>,
        /// Column that holds dates of birth (YYYY or YYYY-MM-DD; default: a "dob" column)
        #[arg(long, value_name = "COLUMN")]
        dob_column: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The monitored sets, with their new potential matches since the last list import
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a set (its parties and last hits; audited)
    Remove {
        set: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct RescreenArgs {
    /// The set (`tradescope watch list`)
    pub set: String,
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// text (default), md (a Markdown report to file) or csv (one row per new hit, hit gone,
    /// changed score and decision; spreadsheet-safe)
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "md", "csv"])]
    pub format: Option<String>,
}

pub fn run_watch(db: Db, action: WatchAction) -> anyhow::Result<()> {
    match action {
        WatchAction::Add {
            set,
            file,
            column,
            country_column,
            dob_column,
            json: as_json,
        } => add(
            db,
            &set,
            &file,
            &column,
            country_column,
            dob_column,
            as_json,
        ),
        WatchAction::List { json: as_json } => {
            let conn = db.open_ro()?;
            let sets = watch::list(&conn)?;
            if as_json {
                return json(&sets);
            }
            if sets.is_empty() {
                outln!("no watch sets yet (add one with `tradescope watch add SET FILE.csv`)");
            }
            for s in &sets {
                outln!(
                    "{}  {} parties from {}  last screened {}{}",
                    sanitize(&s.name),
                    s.parties,
                    sanitize(&s.path),
                    s.screened_at.as_deref().unwrap_or("never"),
                    if s.alert_count > 0 {
                        format!(
                            "  — {} new potential matches: `tradescope rescreen {}`",
                            s.alert_count, s.name
                        )
                    } else {
                        String::new()
                    }
                );
            }
            Ok(())
        }
        WatchAction::Remove { set, json: as_json } => {
            let mut conn = db.open_rw()?;
            let s = watch::remove(&mut conn, &set)?;
            if as_json {
                return json(&s);
            }
            outln!("removed watch set {} ({} parties)", s.name, s.parties);
            Ok(())
        }
    }
}

/// The parties of a set file: every row needs a name; countries and dates are checked.
fn read_parties(
    input: &CsvInput,
    column: &str,
    country_column: Option<&str>,
    dob_column: Option<&str>,
) -> anyhow::Result<Vec<NewParty>> {
    let shown = &input.shown;
    let columns = || input.headers.iter().collect::<Vec<_>>().join(", ");
    let find = |c: &str, what: &str| {
        input.column(c).ok_or_else(|| {
            Error::file(
                shown,
                format!("no column {c:?}{what}; the columns are: {}", columns()),
            )
        })
    };
    let name_col = find(column, " (choose one with --column)")?;
    let country_col = country_column
        .map(|c| find(c, " for --country-column"))
        .transpose()?;
    let dob_col = match dob_column {
        Some(c) => Some(find(c, " for --dob-column")?),
        None => input.column("dob"),
    };
    let field = |i: usize| input.headers.get(i).unwrap_or("").to_string();
    let mut out = Vec::with_capacity(input.rows.len());
    for (line, r) in &input.rows {
        let name = r.get(name_col).unwrap_or("").trim();
        if name.is_empty() {
            return Err(Error::input(
                shown,
                *line,
                field(name_col),
                "empty name: every row needs a name to screen (fill it in, or remove the row)",
            )
            .into());
        }
        if let Some(why) = search::name_too_long(name) {
            return Err(Error::input(shown, *line, field(name_col), why).into());
        }
        let country = match country_col.map(|c| r.get(c).unwrap_or("").trim()) {
            None | Some("") => None,
            Some(c) => Some(
                tradescope_core::country::code(c)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        Error::input(
                            shown,
                            *line,
                            field(country_col.unwrap_or(0)),
                            format!("{c:?} is not a country name or ISO code I know"),
                        )
                    })?,
            ),
        };
        let dob = match dob_col.map(|c| r.get(c).unwrap_or("").trim()) {
            None | Some("") => None,
            Some(d) => {
                matching::dob::parse_query(d).ok_or_else(|| {
                    Error::input(
                        shown,
                        *line,
                        field(dob_col.unwrap_or(0)),
                        format!("{d:?} is not a date of birth as YYYY or YYYY-MM-DD"),
                    )
                })?;
                Some(d.to_string())
            }
        };
        out.push(NewParty {
            line: *line,
            name: name.to_string(),
            country,
            dob,
        });
    }
    Ok(out)
}

fn add(
    db: Db,
    set: &str,
    file: &std::path::Path,
    column: &str,
    country_column: Option<String>,
    dob_column: Option<String>,
    as_json: bool,
) -> anyhow::Result<()> {
    watch::check_name(set)?;
    let input = CsvInput::read(file, column)?;
    let parties = read_parties(
        &input,
        column,
        country_column.as_deref(),
        dob_column.as_deref(),
    )?;
    let mut conn = db.open_rw()?;
    let index = load_index(&conn)?;
    let s = watch::add(
        &mut conn,
        set,
        &input.shown,
        &input.sha256,
        matching::DEFAULT_THRESHOLD,
        &parties,
    )?;
    // The baseline the next rescreen is compared with.
    let report = rescreen::rescreen(&mut conn, &index, &s)?;
    if as_json {
        return json(&serde_json::json!({ "set": s, "baseline": report.summary }));
    }
    outln!(
        "watch set {}: {} parties from {}; screened: {} with hits at or above {:.2} ({} hits, {} with decisions)",
        s.name,
        s.parties,
        sanitize(&s.path),
        report.summary.parties_with_hits,
        s.threshold,
        report.summary.new_hits,
        report.summary.decisions_applied
    );
    outln!(
        "after each list import, new potential matches are named; `tradescope rescreen {}` reports them",
        s.name
    );
    Ok(())
}

pub fn run_rescreen(db: Db, args: RescreenArgs) -> anyhow::Result<()> {
    let mut conn = db.open_rw()?;
    let set = watch::get(&conn, &args.set)?;
    let index = load_index(&conn)?;
    let report = rescreen::rescreen(&mut conn, &index, &set)?;
    if args.json {
        return json(&report);
    }
    match args.format.as_deref() {
        Some("md") => report::markdown(&report),
        Some("csv") => report::csv(&report)?,
        _ => report::text(&report),
    }
    Ok(())
}

/// After a list import: name each set that now has new potential matches.
pub fn after_import(conn: &mut rusqlite::Connection, to_stderr: bool) -> anyhow::Result<()> {
    if watch::list(conn)?.is_empty() {
        return Ok(());
    }
    let index = load_index(conn)?;
    for (set, n) in watch::check::after_import(conn, &index)? {
        if n == 0 {
            continue;
        }
        let line = format!(
            "watch set {set}: {n} new potential match{} — `tradescope rescreen {set}`",
            if n == 1 { "" } else { "es" }
        );
        if to_stderr {
            errln!("{line}");
        } else {
            outln!("{line}");
        }
    }
    Ok(())
}
