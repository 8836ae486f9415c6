//! Matcher quality on our own labelled name pairs (tests/data/name_pairs.csv: real names from
//! the bundled lists with their published aliases and realistic variants, and near-miss
//! negatives). Prints precision, recall and F1 at the default threshold and every pair the
//! matcher gets wrong, so a change in quality is visible in the test log.

use tradescope::matching::eval::{metrics, parse_labelled, score_all};
use tradescope::matching::DEFAULT_THRESHOLD;

const PAIRS: &str = include_str!("../data/name_pairs.csv");

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
    for t in [
        0.70,
        0.75,
        0.80,
        0.85,
        tradescope::matching::LINK_THRESHOLD,
        0.90,
    ] {
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

/// Benchmark report (not a pass/fail test): pair-score throughput on one core, index build
/// time and memory for the bundled names (~80K: CSL names and aliases + PatentsView
/// assignees) and for 1M names (those names with generated spelling variants), and search
/// latency. Run: `cargo test --release --test matching_quality -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_report() {
    use std::io::Read;
    use std::time::{Duration, Instant};
    use tradescope::matching::eval::throughput;
    use tradescope::matching::{NameIndex, NameRecord, Schema, SearchOptions};

    let pairs: Vec<(String, String)> = parse_labelled(PAIRS)
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.name1, p.name2))
        .collect();
    let tp = throughput(&pairs, Duration::from_secs(3));
    println!("pair scores per second (one core): {tp:.0}");

    let mut gz = Vec::new();
    std::fs::File::open("data/lists/csl_consolidated_2022-05.csv.gz")
        .and_then(|f| flate2::read::GzDecoder::new(f).read_to_end(&mut gz))
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    let mut rdr = csv::Reader::from_reader(&gz[..]);
    let headers = rdr.headers().cloned().unwrap_or_default();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap_or(0);
    let (cn, ca) = (col("name"), col("alt_names"));
    for r in rdr.records().flatten() {
        names.push(r[cn].to_string());
        names.extend(
            r[ca]
                .split("; ")
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        );
    }
    let list_names = names.clone();
    let pv = std::fs::read_to_string("data/patents/patentsview_assignee.tsv").unwrap_or_default();
    let assignees: Vec<String> = pv
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    names.extend(assignees.iter().cloned());
    let records = |names: &[String]| -> Vec<NameRecord> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| NameRecord {
                id: i as i64,
                name: n.clone(),
                schema: Schema::Unknown,
                country: None,
                dob: None,
            })
            .collect()
    };
    // Link-time workload: every PatentsView assignee against the list names, as at import.
    {
        use rayon::prelude::*;
        let idx = NameIndex::build(records(&list_names));
        let opts = SearchOptions {
            threshold: tradescope::matching::LINK_THRESHOLD,
            limit: 50,
            ..SearchOptions::default()
        };
        let t = Instant::now();
        let found: Vec<(String, Vec<tradescope::matching::Hit>)> = assignees
            .par_iter()
            .map(|a| (a.clone(), idx.search(a, &opts)))
            .collect();
        let links: usize = found.iter().map(|(_, h)| h.len()).sum();
        for (a, hits) in found
            .iter()
            .filter(|(_, h)| !h.is_empty())
            .step_by(97)
            .take(40)
        {
            println!("  {a:?} -> {:?} {:.3}", hits[0].matched_name, hits[0].score);
        }
        println!(
            "link: {} assignees against {} list names: {:.2?} (2 threads), {links} links",
            assignees.len(),
            idx.len(),
            t.elapsed()
        );
    }
    let queries: Vec<String> = names
        .iter()
        .step_by(names.len() / 1000 + 1)
        .map(|n| n.replacen('A', "E", 1))
        .collect();
    for (label, list) in [
        ("bundled", names.clone()),
        ("1M", {
            let mut big = names.clone();
            let mut k = 0usize;
            while big.len() < 1_000_000 {
                let n = &names[k % names.len()];
                // A spelling variant: one letter changed, position and letter by counter.
                let mut b: Vec<char> = n.chars().collect();
                if !b.is_empty() {
                    let i = (k * 7) % b.len();
                    b[i] = char::from(b'A' + ((k / names.len()) % 26) as u8);
                }
                big.push(b.into_iter().collect());
                k += 1;
            }
            big
        }),
    ] {
        let recs = records(&list);
        let t = Instant::now();
        let idx = NameIndex::build(recs);
        let build = t.elapsed();
        let t = Instant::now();
        let mut hits = 0usize;
        for q in &queries {
            hits += idx.search(q, &SearchOptions::default()).len();
        }
        let per = t.elapsed() / queries.len() as u32;
        println!(
            "{label}: {} names, {} tokens: build {:.2?} (2 threads), heap ~{} MB; search {:?}/query over {} queries ({hits} hits)",
            idx.len(),
            idx.vocabulary_len(),
            build,
            idx.heap_bytes() / 1_000_000,
            per,
            queries.len()
        );
    }
}
