//! `tradescope screen --file`: batch screening for audits, one output row per input row.
//!
//! Every row is screened exactly as `tradescope screen NAME` screens one name: the matcher in
//! parallel, then `search::screened` per row (collapsed per listing, covered makers flagged,
//! decisions applied) and `Covered::check` for the name itself. The report (CSV, or JSON lines
//! with `--json`) is written by `report`; `--manifest` names the list versions it ran against.

use std::path::Path;

use rayon::prelude::*;

use super::report::{self, Row};
use super::*;
use crate::cli::csv_input::CsvInput;
use tradescope_store::decisions::Book;
use tradescope_store::lapsed::Lapse;

/// Candidates searched per name once decisions or lapsed entries exist: a cleared or lapsed
/// best hit must not hide the next listing the name matches.
const CANDIDATES: usize = 8;
use tradescope_store::error::Error;

/// A row of the input, checked: its line, cells, the name and the evidence to screen it with.
pub(super) struct InputRow {
    pub line: u64,
    pub cells: csv::StringRecord,
    pub name: String,
    pub country: Option<String>,
    pub dob: Option<String>,
}

/// The input file read and every row checked before anything is screened, so a typo stops the
/// audit early and names its line.
pub(super) struct Input {
    pub shown: String,
    pub sha256: String,
    pub headers: csv::StringRecord,
    pub rows: Vec<InputRow>,
    /// Names of the columns used: name, country, date of birth.
    pub name_column: String,
    pub country_column: Option<String>,
    pub dob_column: Option<String>,
}

fn no_column(input: &CsvInput, name: &str, flag: &str) -> Error {
    Error::file(
        &input.shown,
        format!(
            "no column {name:?}{flag}; the columns are: {}",
            input.headers.iter().collect::<Vec<_>>().join(", ")
        ),
    )
}

fn read_input(file: &Path, args: &ScreenArgs, country: &Option<String>) -> anyhow::Result<Input> {
    let input = CsvInput::read(file, &args.column)?;
    let shown = input.shown.clone();
    let col = input
        .column(&args.column)
        .ok_or_else(|| no_column(&input, &args.column, " (choose one with --column)"))?;
    let country_col = match &args.country_column {
        Some(c) => Some(
            input
                .column(c)
                .ok_or_else(|| no_column(&input, c, " for --country-column"))?,
        ),
        None => None,
    };
    let dob_col = match &args.dob_column {
        Some(c) => Some(
            input
                .column(c)
                .ok_or_else(|| no_column(&input, c, " for --dob-column"))?,
        ),
        None => input.column("dob"),
    };
    let heading = |c: usize| input.headers.get(c).unwrap_or("").to_string();
    let mut rows = Vec::with_capacity(input.rows.len());
    for (line, r) in &input.rows {
        let line = *line;
        let name = r.get(col).unwrap_or("").trim();
        // A row without a name would be reported "no match": an empty cell is an input error.
        if name.is_empty() {
            return Err(Error::input(
                &shown,
                line,
                heading(col),
                "empty name: every row needs a name to screen (fill it in, or remove the row)",
            )
            .into());
        }
        if let Some(why) = search::name_too_long(name) {
            return Err(Error::input(&shown, line, heading(col), why).into());
        }
        let cell = |c: Option<usize>| c.and_then(|c| r.get(c)).map(str::trim).unwrap_or("");
        // A row's own country; an empty cell falls back to --country.
        let row_country = match cell(country_col) {
            "" => country.clone(),
            c => Some(
                tradescope_core::country::code(c)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        Error::input(
                            &shown,
                            line,
                            country_col.map(heading).unwrap_or_default(),
                            format!("{c:?} is not a country name or ISO code I know"),
                        )
                    })?,
            ),
        };
        let dob = match cell(dob_col) {
            "" => None,
            d => Some(check_dob(d).map_err(|e| {
                Error::input(&shown, line, dob_col.map(heading).unwrap_or_default(), e)
            })?),
        };
        rows.push(InputRow {
            line,
            cells: r.clone(),
            name: name.to_string(),
            country: row_country,
            dob,
        });
    }
    Ok(Input {
        name_column: heading(col),
        country_column: country_col.map(heading),
        dob_column: dob_col.map(heading),
        shown,
        sha256: input.sha256,
        headers: input.headers,
        rows,
    })
}

pub(super) fn screen_file(
    db: Db,
    conn: &rusqlite::Connection,
    index: &NameIndex,
    file: &Path,
    args: &ScreenArgs,
    country: Option<String>,
) -> anyhow::Result<()> {
    let input = read_input(file, args, &country)?;
    // Where the manifest goes is checked before the screen: a report is not left without one.
    if let Some(m) = &args.manifest {
        report::check_manifest_path(m)?;
    }
    let bar = Bar::new("screen");
    bar.stage(
        &format!("{} names", input.rows.len()),
        Some(input.rows.len() as u64),
    );
    bar.rows_style();
    let covered = Covered::load(conn)?;
    // The matcher reports the best hit even under the threshold, so the report shows the near
    // miss; whether it is a match is decided at the threshold, as `screen NAME` decides it.
    let search_at = args.threshold.min(0.5);
    // One candidate per name, or a few once decisions or lapsed entries could set the best
    // aside.
    let lapse = Lapse {
        include: args.include_lapsed,
        ..Lapse::today()
    };
    let book = Book::load(conn)?;
    let any_lapsed = !tradescope_store::lapsed::current_lapsed(conn, &lapse.on)?.is_empty();
    let candidates = if book.is_empty() && !any_lapsed {
        1
    } else {
        CANDIDATES
    };
    let found: Vec<(Vec<matching::Hit>, Option<String>)> = input
        .rows
        .par_iter()
        .map(|r| {
            let opts = SearchOptions {
                threshold: search_at,
                limit: candidates,
                schema: Schema::Unknown,
                country: r.country.clone(),
                dob: r.dob.clone(),
            };
            let hits = index.search(&r.name, &search::widened(&opts));
            let note = covered
                .check(index, &r.name)
                .into_iter()
                .find_map(|c| c.note);
            bar.inc(1);
            (hits, note)
        })
        .collect();
    bar.finish();
    let match_opts = SearchOptions {
        threshold: args.threshold,
        limit: candidates,
        ..Default::default()
    };
    let mut rows: Vec<Row> = Vec::with_capacity(input.rows.len());
    for (r, (hits, covered_note)) in input.rows.iter().zip(found) {
        let hits = search::screened(conn, &covered, &book, &r.name, hits, &match_opts, &lapse)?;
        // The row shows the best hit that counts; else the best one (a cleared false positive,
        // a lapsed entry, a near miss), so neither hides a match behind it.
        let best = hits.iter().position(|h| h.is_match).unwrap_or(0);
        let hit = hits.into_iter().nth(best);
        rows.push(Row {
            input: r,
            hit,
            covered_note,
        });
    }
    // Recorded before any answer is written: an answer without its audit record is not given.
    let total = rows.len();
    let matched = rows
        .iter()
        .filter(|r| r.hit.as_ref().is_some_and(|h| h.is_match))
        .count();
    let n_cleared = rows
        .iter()
        .filter(|r| {
            r.hit
                .as_ref()
                .and_then(|h| h.decision.as_ref())
                .is_some_and(|d| d.clears())
        })
        .count();
    let n_covered = rows
        .iter()
        .filter(|r| r.hit.as_ref().is_some_and(|h| h.covered.is_some()) || r.covered_note.is_some())
        .count();
    // The evidence the audit record names: countries from a column (else --country), dates
    // of birth from a column.
    let country_evidence = match (&input.country_column, &country) {
        (Some(c), Some(d)) => Some(format!("from column {c:?}, else {d}")),
        (Some(c), None) => Some(format!("from column {c:?}")),
        (None, d) => d.clone(),
    };
    let dob_evidence = input
        .dob_column
        .as_ref()
        .map(|c| format!("from column {c:?}"));
    audit::record(
        &db.store(),
        &NewRecord {
            action: "batch_screen".into(),
            query: Some(with_evidence(
                &format!(
                    "{} (column {:?}, SHA-256 {})",
                    input.shown, args.column, input.sha256
                ),
                &country_evidence,
                &dob_evidence,
            )),
            normalized_query: None,
            matcher_version: Some(matching::MATCHER_VERSION.into()),
            threshold: Some(args.threshold),
            results: serde_json::json!({
                "rows": total, "matches": matched, "covered": n_covered, "cleared": n_cleared,
            }),
            at: None,
        },
    )?;
    if let Some(m) = &args.manifest {
        let lists = tradescope_store::sources::current_lists(conn)?;
        report::write_manifest(m, &input, args, &lists, total, matched, n_covered)?;
    }
    if args.json {
        report::json_lines(&input, &rows, args.threshold)?;
    } else {
        report::csv(&input, &rows, args.threshold)?;
    }
    errln!(
        "screened {total} names against {} list names: {matched} at or above {:.2}{}",
        index.len(),
        args.threshold,
        if n_cleared > 0 {
            format!(" (and {n_cleared} cleared as false positives, not counted)")
        } else {
            String::new()
        }
    );
    Ok(())
}
