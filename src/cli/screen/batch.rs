//! `tradescope screen --file`: batch screening for audits, one output row per input row.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::*;
use crate::cli::csv_input::CsvInput;
use crate::cli::output;
use tradescope_core::text::spreadsheet::CsvWriter;
use tradescope_matching::{self as matching, Hit, NameIndex, SearchOptions};
use tradescope_store::covered::{Covered, CoveredFlag};
use tradescope_store::entities;
use tradescope_store::error::Error;

/// Best candidate for one name of a batch: the best hit (even under the threshold, so the
/// report shows the near miss) or none: up to `limit` hits, entries still in force first — a
/// lapsed entry (in `pass_over`) ranks after them, so a lapsed twin never hides a current match.
fn best_hit(
    index: &NameIndex,
    name: &str,
    country: &Option<String>,
    dob: Option<String>,
    limit: usize,
    pass_over: &HashMap<i64, String>,
) -> Vec<Hit> {
    let opts = SearchOptions {
        threshold: 0.5,
        limit: if pass_over.is_empty() {
            limit
        } else {
            limit.max(10)
        },
        schema: Schema::Unknown,
        country: country.clone(),
        dob,
    };
    let (in_force, lapsed): (Vec<Hit>, Vec<Hit>) = index
        .search(name, &opts)
        .into_iter()
        .partition(|h| !pass_over.contains_key(&h.id));
    in_force.into_iter().chain(lapsed).collect()
}

pub(super) fn screen_file(
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
        // A row without a name would be reported "no match": an empty cell is an input error.
        if r.get(col).unwrap_or("").trim().is_empty() {
            let field = input.headers.get(col).unwrap_or(&args.column);
            return Err(Error::input(
                &shown,
                *line,
                field,
                "empty name: every row needs a name to screen (fill it in, or remove the row)",
            )
            .into());
        }
        if let Some(why) = tradescope_store::search::name_too_long(r.get(col).unwrap_or("")) {
            let field = input.headers.get(col).unwrap_or(&args.column);
            return Err(Error::input(&shown, *line, field, why).into());
        }
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
    let lapsed =
        tradescope_store::lapsed::current_lapsed(conn, &tradescope_store::lapsed::today())?;
    // --include-lapsed: lapsed entries are matches like any other (the column still says so).
    let no_match_if_lapsed = |id: i64| !args.include_lapsed && lapsed.contains_key(&id);
    let pass_over = if args.include_lapsed {
        HashMap::new()
    } else {
        lapsed.clone()
    };
    let book = tradescope_store::decisions::Book::load(conn)?;
    let limit = if book.is_empty() {
        1
    } else {
        decided::CANDIDATES
    };
    let candidates: Vec<(Vec<Hit>, Option<CoveredFlag>)> = rows
        .par_iter()
        .zip(dobs)
        .map(|(r, dob)| {
            let name = r.get(col).unwrap_or("").trim();
            let h = if name.is_empty() {
                (Vec::new(), None)
            } else {
                (
                    best_hit(index, name, &country, dob, limit, &pass_over),
                    covered.flag(name),
                )
            };
            bar.inc(1);
            h
        })
        .collect();
    bar.finish();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r.get(col).unwrap_or("").trim())
        .collect();
    let (hits, decided) = decided::pick_all(conn, &book, &names, candidates, args.threshold)?;
    let clears = |i: usize| decided[i].as_ref().is_some_and(|d| d.clears());
    // Recorded before any answer is written: an answer without its audit record is not given.
    let total = rows.len();
    let matched = hits
        .iter()
        .enumerate()
        .filter(|(i, (h, _))| {
            h.as_ref()
                .is_some_and(|h| h.score >= args.threshold && !no_match_if_lapsed(h.id))
                && !clears(*i)
        })
        .count();
    let n_covered = hits.iter().filter(|(_, f)| f.is_some()).count();
    let n_cleared = (0..hits.len()).filter(|i| clears(*i)).count();
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
            results: serde_json::json!({ "rows": total, "matches": matched, "covered": n_covered, "cleared": n_cleared }),
            at: None,
        },
    )?;
    let mut details: HashMap<i64, (String, String)> = HashMap::new();
    // Spreadsheet-safe cells; sanitized on a terminal (names from the file and the lists).
    let mut w = CsvWriter::new(output::data());
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
        "lapsed",
        "decision",
    ] {
        header.push(h.to_string());
    }
    w.write_record(&header)?;
    for (i, (r, (hit, flag))) in rows.iter().zip(&hits).enumerate() {
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
                let is_match = h.score >= args.threshold && !no_match_if_lapsed(h.id) && !clears(i);
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
                .map(|c| format!("{} ({}): {}", c.group, c.relation, c.basis))
                .unwrap_or_default(),
        );
        // The end date of a lapsed best hit (then "no match" unless --include-lapsed).
        rec.push(
            hit.as_ref()
                .and_then(|h| lapsed.get(&h.id).cloned())
                .unwrap_or_default(),
        );
        rec.push(
            decided[i]
                .as_ref()
                .map(|d| d.describe())
                .unwrap_or_default(),
        );
        w.write_record(&rec)?;
    }
    w.flush()?;
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
