//! The batch screening report: CSV (spreadsheet-safe) or JSON lines, one record per input row,
//! and the manifest an auditor files with it (the input's and the lists' SHA-256).

use std::path::Path;

use serde_json::{json, Map, Value};

use super::batch::{Input, InputRow};
use crate::cli::output;
use tradescope_core::text::spreadsheet::CsvWriter;
use tradescope_matching as matching;
use tradescope_store::covered::CoveredFlag;
use tradescope_store::error::Error;
use tradescope_store::search::ListingHit;
use tradescope_store::sources::ListVersion;

/// One screened row: the best hit (a near miss too) and the note on the name itself when it is
/// a covered maker on no list.
pub(super) struct Row<'a> {
    pub input: &'a InputRow,
    pub hit: Option<ListingHit>,
    pub covered_note: Option<String>,
}

/// The columns the report adds after the input's own.
const COLUMNS: [&str; 14] = [
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
    "covered_note",
];

/// A covered-maker flag as one cell: "FCC covered list (affiliate): basis".
fn flag_text(c: &CoveredFlag) -> String {
    format!("{} ({}): {}", c.group, c.relation, c.basis)
}

pub(super) fn csv(input: &Input, rows: &[Row], threshold: f64) -> anyhow::Result<()> {
    // Spreadsheet-safe cells; sanitized on a terminal (names from the file and the lists).
    let mut w = CsvWriter::new(output::data());
    w.write_record(input.headers.iter().chain(COLUMNS))?;
    for r in rows {
        let mut rec: Vec<String> = (0..input.headers.len())
            .map(|i| r.input.cells.get(i).unwrap_or("").to_string())
            .collect();
        match &r.hit {
            Some(h) => rec.extend([
                if h.is_match { "match" } else { "no match" }.to_string(),
                format!("{:.3}", h.score),
                format!("{:.1}", h.sls_score),
                h.list.clone(),
                h.id.to_string(),
                h.name.clone(),
                h.matched_name.clone(),
                h.explanation.clone(),
            ]),
            None => {
                rec.push("no match".into());
                rec.extend(std::iter::repeat_n(String::new(), 7));
            }
        }
        rec.push(format!("{threshold}"));
        rec.push(matching::MATCHER_VERSION.to_string());
        rec.push(
            r.hit
                .as_ref()
                .and_then(|h| h.covered.as_ref())
                .map(flag_text)
                .unwrap_or_default(),
        );
        // The end date of a lapsed hit (then "no match" unless --include-lapsed).
        rec.push(
            r.hit
                .as_ref()
                .and_then(|h| h.lapsed.clone())
                .unwrap_or_default(),
        );
        rec.push(
            r.hit
                .as_ref()
                .and_then(|h| h.decision.as_ref())
                .map(|d| d.describe())
                .unwrap_or_default(),
        );
        rec.push(r.covered_note.clone().unwrap_or_default());
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

/// One JSON object per input row, one per line; values exactly as read and as published.
pub(super) fn json_lines(input: &Input, rows: &[Row], threshold: f64) -> anyhow::Result<()> {
    for r in rows {
        let cells: Map<String, Value> = input
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), json!(r.input.cells.get(i).unwrap_or(""))))
            .collect();
        output::json_line(&json!({
            "line": r.input.line,
            "input": cells,
            "name": r.input.name,
            "country": r.input.country,
            "dob": r.input.dob,
            "match": r.hit.as_ref().is_some_and(|h| h.is_match),
            "hit": r.hit,
            "covered_note": r.covered_note,
            "threshold": threshold,
            "matcher": matching::MATCHER_VERSION,
        }))?;
    }
    Ok(())
}

/// The manifest must be a new file in an existing directory (checked before screening).
pub(super) fn check_manifest_path(path: &Path) -> anyhow::Result<()> {
    if path.exists() || path.is_symlink() {
        return Err(Error::User(format!(
            "--manifest {}: it already exists (a manifest never replaces a file): choose \
             another name",
            path.display()
        ))
        .into());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if dir.is_some_and(|d| !d.is_dir()) {
        return Err(
            Error::User(format!("--manifest {}: no such directory", path.display())).into(),
        );
    }
    Ok(())
}

/// What the report was made from: the input file and the list versions, each with its SHA-256.
pub(super) fn write_manifest(
    path: &Path,
    input: &Input,
    args: &super::ScreenArgs,
    lists: &[ListVersion],
    rows: usize,
    matches: usize,
    covered: usize,
) -> anyhow::Result<()> {
    let manifest = json!({
        "report": "tradescope batch screening",
        "screened_at": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "screened_by": tradescope_store::audit::current_user(),
        "format": if args.json { "jsonl" } else { "csv" },
        "input": {
            "file": input.shown,
            "sha256": input.sha256,
            "rows": rows,
            "name_column": input.name_column,
            "country_column": input.country_column,
            "country": args.country,
            "dob_column": input.dob_column,
        },
        "lists": lists,
        "matcher": matching::MATCHER_VERSION,
        "threshold": args.threshold,
        "matches": matches,
        "covered": covered,
    });
    let mut text = serde_json::to_string_pretty(&manifest)?;
    text.push('\n');
    tradescope_store::export::write_new(path, &text)?;
    Ok(())
}
