//! `tradescope screen` (one name, or a CSV file of names for audits) and `tradescope match`
//! (score pairs of names from a CSV file).

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

mod batch;
mod eval;
mod report;

pub use eval::{run_eval, EvalArgs};

use super::audit;
use super::csv_input::CsvInput;
use super::open::{Db, On};
use super::output::json;
use super::progress::Bar;
use tradescope_core::progress::Progress;
use tradescope_core::text::sanitize::sanitize;
use tradescope_matching::{self as matching, NameIndex, Schema, SearchOptions};
use tradescope_store::audit::NewRecord;
use tradescope_store::covered::Covered;
use tradescope_store::entities;
use tradescope_store::error::Error;
use tradescope_store::lapsed::Lapse;
use tradescope_store::search;

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Name to screen against the current lists
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub name: Option<String>,
    /// CSV file of names to screen; writes a report (CSV, or JSON lines with --json; one record
    /// per input row) to stdout
    #[arg(long, value_name = "CSV")]
    pub file: Option<PathBuf>,
    /// Column of --file that holds the names
    #[arg(long, default_value = "name", requires = "file")]
    pub column: String,
    /// Country of the screened party (name or ISO code): weak evidence for or against a hit
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Date of birth of the screened person (YYYY or YYYY-MM-DD): evidence for or against a hit
    #[arg(long, value_name = "DATE", conflicts_with = "file")]
    pub dob: Option<String>,
    /// Column of --file that holds each party's country (name or ISO code; an empty cell: --country)
    #[arg(long, value_name = "COLUMN", requires = "file")]
    pub country_column: Option<String>,
    /// With --file: also write a manifest (JSON) of what the report was made from: the input's
    /// SHA-256, the list versions (dataset, as-of date, SHA-256 of the imported file), matcher,
    /// threshold
    #[arg(long, value_name = "FILE", requires = "file")]
    pub manifest: Option<PathBuf>,
    /// Column of --file that holds dates of birth (YYYY or YYYY-MM-DD; default: a "dob" column
    /// if there is one)
    #[arg(long, value_name = "COLUMN", requires = "file")]
    pub dob_column: Option<String>,
    /// Lowest score reported as a match (0–1)
    #[arg(long, default_value_t = matching::DEFAULT_THRESHOLD, value_name = "T")]
    pub threshold: f64,
    /// Most hits to show for one name
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Count lapsed entries (end date or DPL expiry before today) as matches; they are shown,
    /// marked `lapsed DATE`, either way
    #[arg(long)]
    pub include_lapsed: bool,
    /// JSON; with --file, JSON lines: one object per input row
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// CSV with columns name1,name2 and optionally schema (person, company, organization,
    /// legalentity, vessel, airplane — FollowTheMoney names, any case — or aircraft)
    #[arg(long, value_name = "CSV")]
    pub pairs: PathBuf,
}

/// One screening hit, collapsed per listing.
fn check_threshold(t: f64) -> Result<(), Error> {
    if (0.0..=1.0).contains(&t) {
        Ok(())
    } else {
        Err(Error::User(format!(
            "--threshold must be between 0 and 1, not {t}"
        )))
    }
}

fn country_code(c: &Option<String>) -> Result<Option<String>, Error> {
    match c {
        None => Ok(None),
        Some(c) => tradescope_core::country::code(c)
            .map(|c| Some(c.to_string()))
            .ok_or_else(|| {
                Error::User(format!(
                    "--country {c:?} is not a country name or ISO code I know"
                ))
            }),
    }
}

/// A query date of birth, checked: the matcher ignores what it cannot read, the user must not.
fn check_dob(d: &str) -> Result<String, String> {
    let d = d.trim();
    matching::dob::parse_query(d)
        .map(|_| d.to_string())
        .ok_or_else(|| format!("{d:?} is not a date of birth as YYYY or YYYY-MM-DD"))
}

/// The name index of the current list entries; an error saying what to do when there are none.
pub(super) fn load_index(conn: &dyn tradescope_store::sql::Sql) -> anyhow::Result<NameIndex> {
    let names = entities::current_names(conn)?;
    if names.is_empty() {
        return Err(Error::User(
            "the database has no list entries: import a list first (tradescope import csl FILE)"
                .into(),
        )
        .into());
    }
    Ok(NameIndex::build(names))
}

pub fn run_screen(db: Db, args: ScreenArgs) -> anyhow::Result<()> {
    let (country, dob) = checked(&args)?;
    match (&args.file, &args.name) {
        (Some(file), _) => {
            let conn = db.open_ro()?;
            let index = load_index(&conn)?;
            batch::screen_file(db, &conn, &index, file, &args, country)
        }
        (None, Some(name)) => screen_one(On::Lite(db), name, &args, country, dob),
        (None, None) => Err(Error::User("give a NAME or --file CSV".into()).into()),
    }
}

/// `tradescope screen NAME` on a PostgreSQL database (a batch screen is SQLite's only).
pub fn run_screen_on(store: &tradescope_pg::PgStore, args: ScreenArgs) -> anyhow::Result<()> {
    let (country, dob) = checked(&args)?;
    match (&args.file, &args.name) {
        (Some(_), _) => Err(Error::User(
            "`tradescope screen --file` is not available on a PostgreSQL database yet (issue 19; \
             `screen NAME` is): run it on a SQLite database, e.g. after `tradescope copy \
             --from postgresql://… --to FILE.db`"
                .into(),
        )
        .into()),
        (None, Some(name)) => screen_one(On::Pg(store), name, &args, country, dob),
        (None, None) => Err(Error::User("give a NAME or --file CSV".into()).into()),
    }
}

/// The threshold, country and date of birth of `args`, checked.
fn checked(args: &ScreenArgs) -> anyhow::Result<(Option<String>, Option<String>)> {
    check_threshold(args.threshold)?;
    let country = country_code(&args.country)?;
    let dob = match &args.dob {
        Some(d) => Some(check_dob(d).map_err(|e| Error::User(format!("--dob {e}")))?),
        None => None,
    };
    Ok((country, dob))
}

fn screen_one(
    on: On,
    name: &str,
    args: &ScreenArgs,
    country: Option<String>,
    dob: Option<String>,
) -> anyhow::Result<()> {
    let opts = SearchOptions {
        threshold: args.threshold,
        limit: args.limit,
        schema: Schema::Unknown,
        country,
        dob,
    };
    let lapse = Lapse {
        include: args.include_lapsed,
        ..Lapse::today()
    };
    let (hits, checks, screened) = on.read(|conn| {
        let index = load_index(conn)?;
        let hits = search::screen_at(conn, &index, name, &opts, &lapse)?;
        let checks = Covered::load(conn)?.check(&index, name);
        Ok((hits, checks, index.len()))
    })?;
    on.record(
        &NewRecord {
            action: "screen".into(),
            query: Some(with_evidence(name, &opts.country, &opts.dob)),
            normalized_query: Some(matching::normalize_key(name)),
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            threshold: Some(args.threshold),
            results: serde_json::json!(hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score, "match": h.is_match}))
                .collect::<Vec<_>>()),
            at: None,
        },
    )?;
    super::reference::say_unlisted_covered(&checks, args.json);
    if args.json {
        return json(&hits);
    }
    if hits.is_empty() {
        outln!(
            "no match for {:?} at threshold {:.2} ({} names screened, matcher {})",
            sanitize(name),
            args.threshold,
            screened,
            matching::MATCHER_VERSION
        );
        return Ok(());
    }
    for h in &hits {
        outln!(
            "{:.3}  SLS {:>5.1}  {:<6} #{:<6} {}",
            h.score,
            h.sls_score,
            h.list,
            h.id,
            sanitize(&h.name)
        );
        if let Some(end) = &h.lapsed {
            outln!("        {}", lapsed_note(end, h.is_match));
        }
        if h.matched_name != h.name {
            outln!("        matched {:?}", sanitize(&h.matched_name));
        }
        outln!("        {}", sanitize(&h.explanation));
        if let Some(c) = &h.covered {
            outln!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
        if let Some(d) = &h.decision {
            outln!("        {}", sanitize(&d.describe()));
        }
    }
    // Once decisions apply, say what counts: a cleared false positive is shown, not counted.
    let cleared = hits
        .iter()
        .filter(|h| h.decision.as_ref().is_some_and(|d| d.clears()))
        .count();
    if hits.iter().any(|h| h.decision.is_some()) {
        outln!(
            "{} of {} hits count as matches; {cleared} cleared as false positives",
            hits.iter().filter(|h| h.is_match).count(),
            hits.len()
        );
    }
    Ok(())
}

/// "lapsed 2020-10-13: ended before today, not counted as a match (--include-lapsed counts it)".
fn lapsed_note(end: &str, counted: bool) -> String {
    if counted {
        format!("lapsed {end}: ended before today, counted as a match (--include-lapsed)")
    } else {
        format!(
            "lapsed {end}: ended before today, not counted as a match (--include-lapsed counts it)"
        )
    }
}

pub fn run_match(args: MatchArgs) -> anyhow::Result<()> {
    let input = CsvInput::read(&args.pairs, "name1")?;
    let shown = &input.shown;
    let (Some(c1), Some(c2)) = (input.column("name1"), input.column("name2")) else {
        return Err(Error::file(shown, "the header must have columns name1 and name2").into());
    };
    let cs = input.column("schema");
    let mut pairs: Vec<(String, String, Schema)> = Vec::new();
    for (line, r) in &input.rows {
        let schema = match cs.and_then(|c| r.get(c)).map(str::trim) {
            None | Some("") => Schema::Unknown,
            Some(s) => Schema::parse(s).ok_or_else(|| {
                Error::input(
                    shown,
                    *line,
                    "schema",
                    format!("{s:?} is not a schema: one of {}", Schema::ACCEPTED),
                )
            })?,
        };
        pairs.push((
            r.get(c1).unwrap_or("").to_string(),
            r.get(c2).unwrap_or("").to_string(),
            schema,
        ));
    }
    let scores: Vec<matching::PairScore> = pairs
        .par_iter()
        .map(|(a, b, s)| matching::score_pair(a, b, *s))
        .collect();
    // Spreadsheet-safe cells; sanitized on a terminal.
    let mut w = tradescope_core::text::spreadsheet::CsvWriter::new(super::output::data());
    w.write_record(["name1", "name2", "score", "sls_score", "match"])?;
    for ((a, b, _), s) in pairs.iter().zip(&scores) {
        w.write_record([
            a.as_str(),
            b.as_str(),
            &format!("{:.4}", s.score),
            &format!("{:.2}", s.sls_score),
            if s.score >= matching::DEFAULT_THRESHOLD {
                "1"
            } else {
                "0"
            },
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The screened name (or file) as the audit log records it, with the evidence that changed
/// the scores: "PUTIN, Vladimir (country RU; date of birth 1952-10-07)".
fn with_evidence(query: &str, country: &Option<String>, dob: &Option<String>) -> String {
    let parts: Vec<String> = [
        country.as_ref().map(|c| format!("country {c}")),
        dob.as_ref().map(|d| format!("date of birth {d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() {
        query.to_string()
    } else {
        format!("{query} ({})", parts.join("; "))
    }
}
