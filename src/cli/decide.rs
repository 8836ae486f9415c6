//! `tradescope decide` (record a verdict on a screening hit) and `tradescope decisions` (list,
//! export for an auditor, undo). The store keeps them: `tradescope_store::decisions`.

use clap::{Args, Subcommand};

use super::output::{self, json};
use tradescope_core::text::sanitize::sanitize;
use tradescope_core::text::spreadsheet::CsvWriter;
use tradescope_matching::{self as matching, Schema, SearchOptions};
use tradescope_store::decisions::{Decision, NewDecision, Verdict};
use tradescope_store::error::Error;
use tradescope_store::{search, Store};

#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The screened name, as it was screened (matched by its normalized form)
    pub name: String,
    /// The list entry of the hit (its id in `screen` output); the decision holds for its
    /// listing, across list versions
    pub entry_id: i64,
    /// match (a true hit), false-positive (cleared: no longer counts as a match), escalate
    #[arg(long, value_name = "VERDICT")]
    pub verdict: String,
    /// Why: an auditor reads it
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DecisionsArgs {
    #[command(subcommand)]
    pub action: Option<DecisionsAction>,
    /// Also the decisions that were undone
    #[arg(long)]
    pub all: bool,
    #[arg(long, conflicts_with = "export")]
    pub json: bool,
    /// Every decision, undone ones too, for an auditor: CSV (spreadsheet-safe) or JSON
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "csv",
          value_parser = ["csv", "json"])]
    pub export: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DecisionsAction {
    /// Undo a decision (kept in the record as undone; audited)
    Undo {
        /// The decision's id (from `tradescope decisions`)
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run_decide(store: &dyn Store, args: DecideArgs) -> anyhow::Result<()> {
    let verdict = Verdict::parse(&args.verdict).ok_or_else(|| {
        Error::User(format!(
            "--verdict {:?} is not a verdict: one of {}",
            args.verdict,
            Verdict::ACCEPTED
        ))
    })?;
    if let Some(why) = search::name_too_long(&args.name) {
        return Err(Error::User(why).into());
    }
    // The hit's score now, so a later rise past it re-opens a false positive.
    let score = {
        let e = store.entity(args.entry_id)?;
        let index = matching::NameIndex::build(store.current_names()?);
        let opts = SearchOptions {
            threshold: 0.3,
            limit: 50,
            schema: Schema::Unknown,
            ..Default::default()
        };
        let hits = store.screen(&index, &args.name, &opts)?;
        hits.iter()
            .find(|h| h.listing_key == e.listing_key)
            .map(|h| h.score)
    };
    if score.is_none() {
        errln!(
            "note: {:?} does not match entry #{} now; the decision is recorded all the same",
            sanitize(&args.name),
            args.entry_id
        );
    }
    let d = store.decide(&NewDecision {
        name: &args.name,
        entry_id: args.entry_id,
        verdict,
        reason: &args.reason,
        score,
    })?;
    if args.json {
        return json(&d);
    }
    outln!(
        "decision {}: {:?} × #{} ({}) = {} — {:?} ({} by {})",
        d.id,
        sanitize(&d.name),
        d.entry_id,
        sanitize(&d.listing_key),
        d.verdict.as_str(),
        sanitize(&d.reason),
        d.at,
        sanitize(&d.by)
    );
    Ok(())
}

pub fn run_decisions(store: &dyn Store, args: DecisionsArgs) -> anyhow::Result<()> {
    if let Some(DecisionsAction::Undo { id, json: as_json }) = args.action {
        let d = store.decision_undo(id)?;
        if as_json {
            return json(&d);
        }
        outln!(
            "decision {id} undone ({} {:?} × #{}: {})",
            d.verdict.as_str(),
            sanitize(&d.name),
            d.entry_id,
            sanitize(&d.reason)
        );
        return Ok(());
    }
    match args.export.as_deref() {
        Some(format) => export(store, format),
        None => {
            let all = store.decisions(args.all)?;
            if args.json {
                return json(&all);
            }
            if all.is_empty() {
                outln!("no decisions yet (record one with `tradescope decide NAME ENTRY_ID --verdict … --reason …`)");
                return Ok(());
            }
            for d in &all {
                outln!(
                    "{:>4}  {:<14} {:?} × #{} {}  {:?}  {} by {}{}",
                    d.id,
                    d.verdict.as_str(),
                    sanitize(&d.name),
                    d.entry_id,
                    sanitize(&d.listing_key),
                    sanitize(&d.reason),
                    d.at,
                    sanitize(&d.by),
                    match &d.undone_at {
                        Some(at) => format!(
                            "  (undone {at} by {})",
                            sanitize(d.undone_by.as_deref().unwrap_or(""))
                        ),
                        None => String::new(),
                    }
                );
            }
            outln!("{} decisions", all.len());
            Ok(())
        }
    }
}

/// Every decision (undone too) with the listed name and list, for an auditor; recorded in the
/// audit log.
fn export(store: &dyn Store, format: &str) -> anyhow::Result<()> {
    let all = store.decisions(true)?;
    let rows: Vec<ExportRow> = all
        .iter()
        .map(|d| {
            let e = store.entity(d.entry_id).ok();
            ExportRow {
                decision: d,
                list: e.as_ref().map(|e| e.list.clone()).unwrap_or_default(),
                listed_name: e.map(|e| e.name).unwrap_or_default(),
            }
        })
        .collect();
    super::audit::record(
        store,
        &tradescope_store::audit::NewRecord {
            action: "export".into(),
            query: Some(format!("decisions ({format})")),
            results: serde_json::json!({ "decisions": rows.len() }),
            ..Default::default()
        },
    )?;
    if format == "json" {
        return json(&rows);
    }
    let mut w = CsvWriter::new(output::data());
    w.write_record([
        "id",
        "screened_name",
        "normalized",
        "entry_id",
        "listing_key",
        "list",
        "listed_name",
        "verdict",
        "reason",
        "score",
        "decided_at",
        "decided_by",
        "undone_at",
        "undone_by",
    ])?;
    for r in &rows {
        let d = r.decision;
        w.write_record([
            d.id.to_string().as_str(),
            &d.name,
            &d.name_norm,
            &d.entry_id.to_string(),
            &d.listing_key,
            &r.list,
            &r.listed_name,
            d.verdict.as_str(),
            &d.reason,
            &d.score.map(|s| format!("{s:.3}")).unwrap_or_default(),
            &d.at,
            &d.by,
            d.undone_at.as_deref().unwrap_or(""),
            d.undone_by.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[derive(serde::Serialize)]
struct ExportRow<'a> {
    #[serde(flatten)]
    decision: &'a Decision,
    list: String,
    listed_name: String,
}
