//! `tradescope import`: read published files into the database and say what changed.

use std::path::PathBuf;

use anyhow::Context;

use super::open::Db;
use super::output::{json, thousands};
use super::progress::Bar;
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::error::Error;
use tradescope_store::import::{self, ImportOptions, Input};

/// Widest warning line of an import report: warnings quote names and file contents.
const REPORT_WARNING_WIDTH: usize = 1000;

/// The `--map` arguments as (field, column) pairs; only the shipments format has columns to map.
pub(super) fn column_map(
    format: import::Format,
    args: &[String],
) -> anyhow::Result<Vec<(String, String)>> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    if format != import::Format::Shipments {
        return Err(Error::User(format!(
            "--map is for the shipments format; {} has a fixed layout",
            format.as_str()
        ))
        .into());
    }
    let read = |path: &str| -> tradescope_store::error::Result<String> {
        let bytes = super::csv_input::read_whole(std::path::Path::new(path), path)
            .map_err(|e| Error::User(format!("--map {path}: {e:#}")))?;
        Ok(tradescope_store::import::input::decode(&bytes).into_owned())
    };
    let mut out = Vec::new();
    for a in args {
        out.extend(import::columns::parse_map_arg(a, read)?);
    }
    Ok(out)
}

pub(super) fn cmd_import(
    db: Db,
    format: import::Format,
    paths: &[PathBuf],
    opts: ImportOptions,
    as_json: bool,
) -> anyhow::Result<()> {
    if let Some(d) = &opts.as_of {
        tradescope_store::import::fields::date(d)
            .map_err(|m| Error::User(format!("--as-of: {m}")))?;
    }
    let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
    let mut conn = db.open_rw()?;
    let bar = Bar::new(format.as_str());
    let report = import::import(&mut conn, format, &inputs, &opts, &bar);
    bar.finish();
    let report = report.with_context(|| {
        format!(
            "import {} failed; the database is unchanged",
            format.as_str()
        )
    })?;
    // A new current list version: name the monitored sets that now have new potential hits.
    let check =
        !report.already_imported && report.version.as_ref().is_some_and(|v| v.became_current);
    if as_json {
        json(&report)?;
    } else {
        print_import(&report, &opts);
    }
    if check {
        super::watch::after_import(&mut conn, as_json)?;
    }
    Ok(())
}

fn print_import(report: &import::ImportReport, opts: &ImportOptions) {
    if report.already_imported {
        outln!(
            "{}: already imported as source #{} (SHA-256 {}); nothing changed",
            sanitize(&report.files.join(", ")),
            report.source_id.unwrap_or_default(),
            &report.sha256[..12]
        );
        if !opts.columns.is_empty() {
            outln!("--map does not re-read a file already imported; its records are as first read");
        }
        return;
    }
    outln!(
        "imported {} rows from {} as source #{} ({}, as of {})",
        thousands(report.rows as i64),
        sanitize(&report.files.join(", ")),
        report.source_id.unwrap_or_default(),
        report.dataset,
        report
            .as_of_source
            .as_ref()
            .map(|a| a.describe())
            .or_else(|| report.as_of.clone())
            .unwrap_or_else(|| "unknown".into())
    );
    if let Some(v) = &report.version {
        if !v.became_current {
            outln!(
                "older than the current version of {}: kept as history",
                report.dataset
            );
        } else if let Some(old) = v.replaced {
            super::changes::say_version(old, v);
        }
    }
    if let Some(c) = &report.columns {
        outln!(
            "columns: read as {}; {} of {} columns used",
            c.layout
                .as_deref()
                .map(|l| format!("layout {l}"))
                .unwrap_or_else(|| "the plain shipments format".into()),
            c.used.len(),
            c.used.len() + c.ignored.len()
        );
    }
    for w in &report.warnings {
        errln!("warning: {}", truncate_to_width(w, REPORT_WARNING_WIDTH));
    }
    outln!(
        "links: {} to trade parties, {} to patent assignees",
        thousands(report.links.party_links as i64),
        thousands(report.links.assignee_links as i64)
    );
}
