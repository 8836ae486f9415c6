//! `tradescope rescreen` output: the report as text (the default), Markdown (a report to file)
//! or CSV (one row per new hit, hit gone, changed score and decision applied; spreadsheet-safe
//! like every CSV the program writes). The JSON is the store's `Report` as it is.

use crate::cli::output;
use tradescope_core::text::markdown::inline as md;
use tradescope_core::text::sanitize::sanitize;
use tradescope_core::text::spreadsheet::CsvWriter;
use tradescope_store::watch::rescreen::{ListChange, Report};

/// "added on 2023-12-01 in csl version #3 (SHA-256 1f2e3d4c5b6a)".
fn cause(c: &ListChange) -> String {
    let what = if c.change == "added" {
        "added"
    } else {
        "listed (not newly added)"
    };
    format!(
        "{what} on {} in {} version #{} ({}, SHA-256 {})",
        c.as_of.as_deref().unwrap_or("an undated version"),
        c.dataset,
        c.version,
        c.list_code,
        c.sha256.get(..12).unwrap_or(&c.sha256)
    )
}

pub(super) fn text(r: &Report) {
    let s = &r.summary;
    outln!(
        "rescreen of {}: {} parties against {} (matcher {}, threshold {:.2}); compared with the screen of {}",
        r.set,
        s.parties,
        lists(r),
        r.matcher,
        r.threshold,
        r.previous_screen.as_deref().unwrap_or("(none)")
    );
    outln!(
        "{} new hits ({} new potential matches), {} hits gone, {} changed scores, {} decisions applied",
        s.new_hits,
        s.new_potential_matches,
        s.hits_gone,
        s.changed_scores,
        s.decisions_applied
    );
    for p in &r.parties {
        outln!("line {}: {}", p.line, sanitize(&p.name));
        for h in &p.new_hits {
            outln!(
                "  NEW   {:.3}  {:<6} #{} {}{}",
                h.hit.score,
                h.hit.list,
                h.hit.id,
                sanitize(&h.hit.name),
                if h.hit.is_match {
                    ""
                } else {
                    "  (not counted)"
                }
            );
            if let Some(c) = &h.list_change {
                outln!("        {}", cause(c));
            }
        }
        for h in &p.hits_gone {
            outln!(
                "  GONE  {:.3}  #{} {}",
                h.score,
                h.entry_id,
                sanitize(&h.name)
            );
        }
        for c in &p.changed_scores {
            outln!(
                "  SCORE {:.3} → {:.3}  #{} {}",
                c.from,
                c.to,
                c.id,
                sanitize(&c.name)
            );
        }
        for h in &p.decisions {
            if let Some(d) = &h.decision {
                outln!(
                    "  DECIDED #{} {}: {}",
                    h.id,
                    sanitize(&h.name),
                    sanitize(&d.describe())
                );
            }
        }
    }
}

fn lists(r: &Report) -> String {
    r.lists
        .iter()
        .map(|(d, a)| format!("{d} {}", a.as_deref().unwrap_or("undated")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn markdown(r: &Report) {
    let s = &r.summary;
    outln!("# Rescreen of watch set {}", md(&r.set));
    outln!();
    outln!(
        "Screened {} against {} (matcher {}, threshold {:.2}); compared with the screen of {}.",
        r.screened_at,
        md(&lists(r)),
        r.matcher,
        r.threshold,
        r.previous_screen.as_deref().unwrap_or("(none)")
    );
    outln!();
    outln!("| parties | new hits | new potential matches | hits gone | changed scores | decisions applied |");
    outln!("| --- | --- | --- | --- | --- | --- |");
    outln!(
        "| {} | {} | {} | {} | {} | {} |",
        s.parties,
        s.new_hits,
        s.new_potential_matches,
        s.hits_gone,
        s.changed_scores,
        s.decisions_applied
    );
    for p in &r.parties {
        outln!();
        outln!("## Line {}: {}", p.line, md(&p.name));
        outln!();
        for h in &p.new_hits {
            outln!(
                "- **new hit** {:.3} {} #{} {}{}{}",
                h.hit.score,
                md(&h.hit.list),
                h.hit.id,
                md(&h.hit.name),
                if h.hit.is_match { "" } else { " (not counted)" },
                h.list_change
                    .as_ref()
                    .map(|c| format!(" — {}", md(&cause(c))))
                    .unwrap_or_default()
            );
        }
        for h in &p.hits_gone {
            outln!("- **gone** {:.3} #{} {}", h.score, h.entry_id, md(&h.name));
        }
        for c in &p.changed_scores {
            outln!(
                "- **score** {:.3} → {:.3} #{} {}",
                c.from,
                c.to,
                c.id,
                md(&c.name)
            );
        }
        for h in &p.decisions {
            if let Some(d) = &h.decision {
                outln!(
                    "- **decision** #{} {}: {}",
                    h.id,
                    md(&h.name),
                    md(&d.describe())
                );
            }
        }
    }
}

/// The columns of `rescreen --format csv`.
const CSV_COLUMNS: [&str; 21] = [
    "set",
    "screened_at",
    "previous_screen",
    "line",
    "party",
    "country",
    "change",
    "entry_id",
    "listing_key",
    "list",
    "listed_name",
    "matched_name",
    "score",
    "previous_score",
    "match",
    "decision",
    "list_change",
    "list_version",
    "list_as_of",
    "list_sha256",
    "lists",
];

/// One item of a party's report, as a CSV row.
struct Item<'a> {
    change: &'static str,
    entry: i64,
    listing_key: &'a str,
    list: &'a str,
    listed: &'a str,
    matched: &'a str,
    score: Option<f64>,
    previous: Option<f64>,
    is_match: Option<bool>,
    decision: Option<String>,
    cause: Option<&'a ListChange>,
}

/// One row per item of the report, in file order: `new` (a new hit, with the list version that
/// brought it), `gone`, `score` (a changed score) and `decision` (a hit with a decision in
/// force, with what it says now). Every cell goes through the spreadsheet-safe writer.
pub(super) fn csv(r: &Report) -> anyhow::Result<()> {
    let mut w = CsvWriter::new(output::data());
    w.write_record(CSV_COLUMNS)?;
    let lists = lists(r);
    let three = |s: Option<f64>| s.map(|s| format!("{s:.3}")).unwrap_or_default();
    for p in &r.parties {
        let new = p.new_hits.iter().map(|h| Item {
            change: "new",
            entry: h.hit.id,
            listing_key: &h.hit.listing_key,
            list: &h.hit.list,
            listed: &h.hit.name,
            matched: &h.hit.matched_name,
            score: Some(h.hit.score),
            previous: None,
            is_match: Some(h.hit.is_match),
            decision: h.hit.decision.as_ref().map(|d| d.describe()),
            cause: h.list_change.as_ref(),
        });
        let gone = p.hits_gone.iter().map(|h| Item {
            change: "gone",
            entry: h.entry_id,
            listing_key: &h.listing_key,
            list: "",
            listed: &h.name,
            matched: "",
            score: None,
            previous: Some(h.score),
            is_match: None,
            decision: None,
            cause: None,
        });
        let scores = p.changed_scores.iter().map(|c| Item {
            change: "score",
            entry: c.id,
            listing_key: &c.listing_key,
            list: "",
            listed: &c.name,
            matched: "",
            score: Some(c.to),
            previous: Some(c.from),
            is_match: None,
            decision: None,
            cause: None,
        });
        let decided = p.decisions.iter().map(|h| Item {
            change: "decision",
            entry: h.id,
            listing_key: &h.listing_key,
            list: &h.list,
            listed: &h.name,
            matched: &h.matched_name,
            score: Some(h.score),
            previous: None,
            is_match: Some(h.is_match),
            decision: h.decision.as_ref().map(|d| d.describe()),
            cause: None,
        });
        for i in new.chain(gone).chain(scores).chain(decided) {
            w.write_record([
                r.set.as_str(),
                &r.screened_at,
                r.previous_screen.as_deref().unwrap_or(""),
                &p.line.to_string(),
                &p.name,
                p.country.as_deref().unwrap_or(""),
                i.change,
                &i.entry.to_string(),
                i.listing_key,
                i.list,
                i.listed,
                i.matched,
                &three(i.score),
                &three(i.previous),
                &i.is_match.map(|m| m.to_string()).unwrap_or_default(),
                &i.decision.unwrap_or_default(),
                &i.cause.map(cause).unwrap_or_default(),
                &i.cause.map(|c| c.version.to_string()).unwrap_or_default(),
                i.cause.and_then(|c| c.as_of.as_deref()).unwrap_or(""),
                i.cause.map(|c| c.sha256.as_str()).unwrap_or(""),
                &lists,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
