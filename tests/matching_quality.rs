//! Matcher quality on our own labelled name pairs (tests/data/name_pairs.csv: real names from
//! the bundled lists with their published aliases and realistic variants, and near-miss
//! negatives). Prints precision, recall and F1 at the default threshold and every pair the
//! matcher gets wrong, so a change in quality is visible in the test log.

use tradescope::matching::eval::{metrics, parse_labelled, score_all};
use tradescope::matching::DEFAULT_THRESHOLD;

const PAIRS: &str = include_str!("data/name_pairs.csv");

#[test]
fn labelled_pairs_meet_recall_and_f1_targets() {
    let pairs = match parse_labelled(PAIRS) {
        Ok(p) => p,
        Err(e) => panic!("tests/data/name_pairs.csv: {e}"),
    };
    assert!(
        pairs.len() >= 300,
        "the labelled set has {} pairs",
        pairs.len()
    );
    let scored = score_all(&pairs);
    let m = metrics(&scored, DEFAULT_THRESHOLD);
    let positives = pairs.iter().filter(|p| p.is_match).count();
    println!(
        "labelled pairs: {} ({} matches, {} non-matches)",
        pairs.len(),
        positives,
        pairs.len() - positives
    );
    println!(
        "at threshold {:.2}: precision {:.3}  recall {:.3}  F1 {:.3}  (TP {} FP {} TN {} FN {})",
        m.threshold, m.precision, m.recall, m.f1, m.true_pos, m.false_pos, m.true_neg, m.false_neg
    );
    for t in [0.70, 0.75, 0.80, 0.85, 0.90] {
        let mt = metrics(&scored, t);
        println!(
            "  threshold {t:.2}: precision {:.3} recall {:.3} F1 {:.3}",
            mt.precision, mt.recall, mt.f1
        );
    }
    let sls = scored
        .iter()
        .map(|s| s.sls_score >= 100.0 * DEFAULT_THRESHOLD)
        .zip(&pairs)
        .fold((0, 0, 0), |(tp, fp, fnn), (hit, p)| {
            match (hit, p.is_match) {
                (true, true) => (tp + 1, fp, fnn),
                (true, false) => (tp, fp + 1, fnn),
                (false, true) => (tp, fp, fnn + 1),
                _ => (tp, fp, fnn),
            }
        });
    println!(
        "for comparison, SLS-style score >= {:.0}: TP {} FP {} FN {}",
        100.0 * DEFAULT_THRESHOLD,
        sls.0,
        sls.1,
        sls.2
    );
    println!("misclassified:");
    for s in &scored {
        if (s.score >= DEFAULT_THRESHOLD) != s.pair.is_match {
            println!(
                "  {} {:.3} [{}] {:?} ~ {:?}: {}",
                if s.pair.is_match { "FN" } else { "FP" },
                s.score,
                s.pair.kind,
                s.pair.name1,
                s.pair.name2,
                s.explanation
            );
        }
    }
    assert!(m.recall >= 0.90, "recall {:.3} < 0.90", m.recall);
    assert!(m.f1 >= 0.85, "F1 {:.3} < 0.85", m.f1);
}
