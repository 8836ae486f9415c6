//! `tradescope eval PAIRS.csv`: the matcher's precision, recall and F1 on labelled pairs,
//! overall, by schema and by category, at the default threshold (or `--threshold`).

use std::path::PathBuf;

use clap::Args;
use rayon::prelude::*;

use tradescope_core::text::sanitize::sanitize;
use tradescope_matching::eval::{breakdown, parse_labelled, LabelledPair, Metrics, Scored};
use tradescope_matching::{self as matching, score_pair};
use tradescope_store::error::Error;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Labelled pairs: CSV with name1,name2,match (1/0, true/false) and optionally schema,
    /// category, source; lines starting with # are comments
    #[arg(required = true, value_name = "PAIRS.csv")]
    pub pairs: Vec<PathBuf>,
    /// Threshold at which a pair counts as a match (0–1)
    #[arg(long, default_value_t = matching::DEFAULT_THRESHOLD, value_name = "T")]
    pub threshold: f64,
    /// Also list every pair the matcher gets wrong, with its explanation
    #[arg(long)]
    pub errors: bool,
    #[arg(long)]
    pub json: bool,
}

fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<LabelledPair>> {
    let mut all = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        let bytes = crate::cli::csv_input::read_whole(p, &shown)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::file(&shown, "not UTF-8 text".to_string()))?;
        let pairs = parse_labelled(&text).map_err(|e| Error::file(&shown, e))?;
        all.extend(pairs);
    }
    if all.is_empty() {
        return Err(Error::User("no labelled pairs in the file(s)".into()).into());
    }
    Ok(all)
}

fn metrics_json(m: &Metrics) -> serde_json::Value {
    serde_json::json!({
        "pairs": m.true_pos + m.false_pos + m.true_neg + m.false_neg,
        "precision": m.precision, "recall": m.recall, "f1": m.f1,
        "tp": m.true_pos, "fp": m.false_pos, "tn": m.true_neg, "fn": m.false_neg,
    })
}

fn row(label: &str, m: &Metrics) -> String {
    let n = m.true_pos + m.false_pos + m.true_neg + m.false_neg;
    // Recall (or precision) of a group without positives (or hits) is undefined: "—".
    let f = |v: f64, defined: bool| {
        if defined {
            format!("{v:.3}")
        } else {
            "—".to_string()
        }
    };
    format!(
        "  {:<24} {:>5}  {:>9}  {:>6}  {:>5}   {:>3} {:>3} {:>3} {:>3}",
        label,
        n,
        f(m.precision, m.true_pos + m.false_pos > 0),
        f(m.recall, m.true_pos + m.false_neg > 0),
        f(
            m.f1,
            m.true_pos + m.false_pos > 0 && m.true_pos + m.false_neg > 0
        ),
        m.true_pos,
        m.false_pos,
        m.true_neg,
        m.false_neg
    )
}

pub fn run_eval(args: EvalArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(Error::User(format!(
            "--threshold must be between 0 and 1, not {}",
            args.threshold
        ))
        .into());
    }
    let pairs = load(&args.pairs)?;
    let scored: Vec<Scored> = pairs
        .par_iter()
        .map(|p| {
            let s = score_pair(&p.name1, &p.name2, p.schema);
            Scored {
                pair: p,
                score: s.score,
                sls_score: s.sls_score,
                explanation: s.explanation,
            }
        })
        .collect();
    let b = breakdown(&scored, args.threshold);
    let wrong: Vec<&Scored> = scored
        .iter()
        .filter(|s| (s.score >= args.threshold) != s.pair.is_match)
        .collect();
    if args.json {
        let groups = |g: &[(String, Metrics)]| {
            g.iter()
                .map(|(k, m)| (k.clone(), metrics_json(m)))
                .collect::<serde_json::Map<_, _>>()
        };
        let mut v = serde_json::json!({
            "threshold": args.threshold,
            "matcher": matching::MATCHER_VERSION,
            "overall": metrics_json(&b.overall),
            "by_schema": groups(&b.by_schema),
            "by_category": groups(&b.by_category),
        });
        if args.errors {
            v["errors"] = wrong
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "name1": s.pair.name1, "name2": s.pair.name2,
                        "schema": s.pair.schema_label, "category": s.pair.kind,
                        "match": s.pair.is_match, "score": s.score,
                        "explanation": s.explanation,
                    })
                })
                .collect();
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let positives = pairs.iter().filter(|p| p.is_match).count();
    println!(
        "{} labelled pairs ({positives} matches, {} non-matches), threshold {:.2}, matcher {}",
        pairs.len(),
        pairs.len() - positives,
        args.threshold,
        matching::MATCHER_VERSION
    );
    let header = format!(
        "  {:<24} {:>5}  {:>9}  {:>6}  {:>5}   {:>3} {:>3} {:>3} {:>3}",
        "", "pairs", "precision", "recall", "F1", "TP", "FP", "TN", "FN"
    );
    println!("{header}");
    println!("{}", row("overall", &b.overall));
    println!("by schema:");
    for (k, m) in &b.by_schema {
        println!("{}", row(k, m));
    }
    println!("by category:");
    for (k, m) in &b.by_category {
        println!("{}", row(if k.is_empty() { "(none)" } else { k }, m));
    }
    if args.errors {
        println!("misclassified ({}):", wrong.len());
        for s in &wrong {
            println!(
                "  {} {:.3} [{}] {:?} ~ {:?}: {}",
                if s.pair.is_match { "FN" } else { "FP" },
                s.score,
                s.pair.kind,
                sanitize(&s.pair.name1),
                sanitize(&s.pair.name2),
                sanitize(&s.explanation)
            );
        }
    }
    Ok(())
}
