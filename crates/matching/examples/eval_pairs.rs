//! Precision / recall / F1 of the matcher on labelled pair files, built with this crate alone
//! (a quick loop while working on the rules; `tradescope eval` is the user's command).
//!
//! `cargo run -p tradescope-matching --release --example eval_pairs -- PAIRS.csv… [--errors]`

use tradescope_matching::eval::{breakdown, parse_labelled, score_all};
use tradescope_matching::DEFAULT_THRESHOLD;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let pairs = match parse_labelled(&text) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let scored = score_all(&pairs);
        let b = breakdown(&scored, DEFAULT_THRESHOLD);
        let m = &b.overall;
        println!(
            "{path}: {} pairs  P {:.3} R {:.3} F1 {:.3}  (TP {} FP {} TN {} FN {})",
            pairs.len(),
            m.precision,
            m.recall,
            m.f1,
            m.true_pos,
            m.false_pos,
            m.true_neg,
            m.false_neg
        );
        if errors {
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
        }
    }
}
