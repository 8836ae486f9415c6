//! `tradescope screen` (one name, or a CSV file of names for audits) and `tradescope match`
//! (score pairs of names from a CSV file).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use super::audit;
use super::commands::Db;
use super::csv_input::CsvInput;
use super::output::json;
use super::progress::Bar;
use crate::db::audit::NewRecord;
use crate::db::covered::{Covered, CoveredFlag};
use crate::db::entities;
use crate::error::Error;
use crate::matching::{self, Hit, NameIndex, Schema, SearchOptions};
use crate::progress::Progress;
use crate::search;
use crate::text::sanitize::sanitize;

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Name to screen against the current lists
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    pub name: Option<String>,
    /// CSV file of names to screen; writes a report CSV (one row per input row) to stdout
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
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// CSV with columns name1,name2 and optionally schema (company, person, vessel, aircraft)
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
        Some(c) => crate::country::code(c)
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

fn load_index(conn: &rusqlite::Connection) -> anyhow::Result<NameIndex> {
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
    check_threshold(args.threshold)?;
    let country = country_code(&args.country)?;
    let dob = match &args.dob {
        Some(d) => Some(check_dob(d).map_err(|e| Error::User(format!("--dob {e}")))?),
        None => None,
    };
    let conn = db.open_ro()?;
    let index = load_index(&conn)?;
    match (&args.file, &args.name) {
        (Some(file), _) => screen_file(db, &conn, &index, file, &args, country),
        (None, Some(name)) => screen_one(db, &conn, &index, name, &args, country, dob),
        (None, None) => Err(Error::User("give a NAME or --file CSV".into()).into()),
    }
}

fn screen_one(
    db: Db,
    conn: &rusqlite::Connection,
    index: &NameIndex,
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
    let hits = search::screen(conn, index, name, &opts)?;
    audit::record(
        db,
        &NewRecord {
            action: "screen".into(),
            query: Some(with_evidence(name, &opts.country, &opts.dob)),
            normalized_query: Some(matching::normalize_key(name)),
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            threshold: Some(args.threshold),
            results: serde_json::json!(hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score}))
                .collect::<Vec<_>>()),
        },
    );
    let checks = Covered::load(conn)?.check(index, name);
    super::reference::say_unlisted_covered(&checks, args.json);
    if args.json {
        return json(&hits);
    }
    if hits.is_empty() {
        println!(
            "no match for {:?} at threshold {:.2} ({} names screened, matcher {})",
            sanitize(name),
            args.threshold,
            index.len(),
            matching::MATCHER_VERSION
        );
        return Ok(());
    }
    for h in &hits {
        println!(
            "{:.3}  SLS {:>5.1}  {:<6} #{:<6} {}",
            h.score,
            h.sls_score,
            h.list,
            h.id,
            sanitize(&h.name)
        );
        if h.matched_name != h.name {
            println!("        matched {:?}", sanitize(&h.matched_name));
        }
        println!("        {}", sanitize(&h.explanation));
        if let Some(c) = &h.covered {
            println!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
    }
    Ok(())
}

/// Best candidate for one name of a batch: the best hit (even under the threshold, so the
/// report shows the near miss) or none.
fn best_hit(
    index: &NameIndex,
    name: &str,
    country: &Option<String>,
    dob: Option<String>,
) -> Option<Hit> {
    let opts = SearchOptions {
        threshold: 0.5,
        limit: 1,
        schema: Schema::Unknown,
        country: country.clone(),
        dob,
    };
    index.search(name, &opts).into_iter().next()
}

fn screen_file(
    db: Db,
    conn: &rusqlite::Connection,
    index: &NameIndex,
    file: &Path,
    args: &ScreenArgs,
    country: Option<String>,
) -> anyhow::Result<()> {
    let input = CsvInput::read(file, &args.column)?;
    let shown = input.shown.clone();
    let col = input.column(&args.column).ok_or_else(|| {
        Error::file(
            &shown,
            format!(
                "no column {:?}; the columns are: {} (choose one with --column)",
                args.column,
                input.headers.iter().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let dob_col = match &args.dob_column {
        Some(c) => Some(input.column(c).ok_or_else(|| {
            Error::file(
                &shown,
                format!(
                    "no column {c:?} for --dob-column; the columns are: {}",
                    input.headers.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })?),
        None => input.column("dob"),
    };
    // Every row's date of birth, checked before screening so a typo stops the audit early.
    let mut dobs: Vec<Option<String>> = Vec::with_capacity(input.rows.len());
    for (line, r) in &input.rows {
        let d = dob_col.and_then(|c| r.get(c)).map(str::trim).unwrap_or("");
        dobs.push(if d.is_empty() {
            None
        } else {
            let field = dob_col.and_then(|c| input.headers.get(c)).unwrap_or("dob");
            Some(check_dob(d).map_err(|e| Error::input(&shown, *line, field, e))?)
        });
    }
    let (headers, sha256) = (input.headers, input.sha256);
    let rows: Vec<csv::StringRecord> = input.rows.into_iter().map(|(_, r)| r).collect();
    let bar = Bar::new("screen");
    bar.stage(&format!("{} names", rows.len()), Some(rows.len() as u64));
    bar.rows_style();
    let covered = Covered::load(conn)?;
    let hits: Vec<(Option<Hit>, Option<CoveredFlag>)> = rows
        .par_iter()
        .zip(dobs)
        .map(|(r, dob)| {
            let name = r.get(col).unwrap_or("").trim();
            let h = if name.is_empty() {
                (None, None)
            } else {
                (best_hit(index, name, &country, dob), covered.flag(name))
            };
            bar.inc(1);
            h
        })
        .collect();
    bar.finish();
    let mut details: HashMap<i64, (String, String)> = HashMap::new();
    let stdout = std::io::stdout();
    let mut w = csv::Writer::from_writer(stdout.lock());
    let mut header: Vec<String> = headers.iter().map(str::to_string).collect();
    for h in [
        "match",
        "score",
        "sls_score",
        "list",
        "entity_id",
        "entity_name",
        "matched_name",
        "explanation",
        "threshold",
        "matcher",
        "covered",
    ] {
        header.push(h.to_string());
    }
    w.write_record(&header)?;
    let (mut matched, mut total) = (0usize, 0usize);
    let mut n_covered = 0usize;
    for (r, (hit, flag)) in rows.iter().zip(&hits) {
        total += 1;
        let mut rec: Vec<String> = (0..headers.len())
            .map(|i| r.get(i).unwrap_or("").to_string())
            .collect();
        match hit {
            Some(h) => {
                let (list, name) = match details.get(&h.id) {
                    Some(d) => d.clone(),
                    None => {
                        let e = entities::get(conn, h.id)?;
                        details.insert(h.id, (e.list.clone(), e.name.clone()));
                        (e.list, e.name)
                    }
                };
                let is_match = h.score >= args.threshold;
                matched += usize::from(is_match);
                rec.extend([
                    if is_match { "match" } else { "no match" }.to_string(),
                    format!("{:.3}", h.score),
                    format!("{:.1}", h.sls_score),
                    list,
                    h.id.to_string(),
                    name,
                    h.matched_name.clone(),
                    h.explanation.clone(),
                ]);
            }
            None => rec.extend(
                ["no match", "", "", "", "", "", "", ""]
                    .iter()
                    .map(|s| s.to_string()),
            ),
        }
        rec.push(format!("{}", args.threshold));
        rec.push(matching::MATCHER_VERSION.to_string());
        // The screened name itself may be a covered maker, listed or not (ZTE Corporation).
        rec.push(
            flag.as_ref()
                .map(|c| {
                    n_covered += 1;
                    format!("{} ({}): {}", c.group, c.relation, c.basis)
                })
                .unwrap_or_default(),
        );
        w.write_record(&rec)?;
    }
    w.flush()?;
    audit::record(
        db,
        &NewRecord {
            action: "batch_screen".into(),
            query: Some(with_evidence(
                &format!("{shown} (column {:?}, SHA-256 {})", args.column, sha256),
                &country,
                &dob_col.map(|c| format!("from column {:?}", headers.get(c).unwrap_or(""))),
            )),
            normalized_query: None,
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            threshold: Some(args.threshold),
            results: serde_json::json!({ "rows": total, "matches": matched, "covered": n_covered }),
        },
    );
    eprintln!(
        "screened {total} names against {} list names: {matched} at or above {:.2}",
        index.len(),
        args.threshold
    );
    Ok(())
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
                    format!("{s:?} is not one of company, person, vessel, aircraft"),
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut w = csv::Writer::from_writer(&mut out);
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
    drop(w);
    out.flush()?;
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
