//! Evaluation of the matcher on labelled name pairs (precision, recall, F1 at a threshold)
//! and scoring throughput. Pure apart from the clock; shared by the quality test and the
//! bench command.

use std::time::{Duration, Instant};

use super::{score_pair, Schema};

/// One labelled pair: two names and whether they name the same party.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledPair {
    pub name1: String,
    pub name2: String,
    pub schema: Schema,
    pub is_match: bool,
    /// Free-text category of the case (typo, legal form, near miss …), for breakdowns.
    pub kind: String,
    /// The schema as written in the file (`LegalEntity`, `company` …), for breakdowns.
    pub schema_label: String,
    /// Where the pair comes from (a public project's file), if the file says.
    pub source: String,
}

/// Confusion counts and the figures derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    pub threshold: f64,
    pub true_pos: usize,
    pub false_pos: usize,
    pub true_neg: usize,
    pub false_neg: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Metrics {
    fn from_counts(threshold: f64, tp: usize, fp: usize, tn: usize, fneg: usize) -> Metrics {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fneg);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Metrics {
            threshold,
            true_pos: tp,
            false_pos: fp,
            true_neg: tn,
            false_neg: fneg,
            precision,
            recall,
            f1,
        }
    }
}

/// A scored pair, for reports of what the matcher got wrong.
#[derive(Debug, Clone)]
pub struct Scored<'a> {
    pub pair: &'a LabelledPair,
    pub score: f64,
    pub sls_score: f64,
    pub explanation: String,
}

/// Score every pair.
pub fn score_all(pairs: &[LabelledPair]) -> Vec<Scored<'_>> {
    pairs
        .iter()
        .map(|p| {
            let s = score_pair(&p.name1, &p.name2, p.schema);
            Scored {
                pair: p,
                score: s.score,
                sls_score: s.sls_score,
                explanation: s.explanation,
            }
        })
        .collect()
}

/// Precision, recall and F1 of already scored pairs at `threshold`.
pub fn metrics(scored: &[Scored], threshold: f64) -> Metrics {
    let (mut tp, mut fp, mut tn, mut fneg) = (0, 0, 0, 0);
    for s in scored {
        match (s.score >= threshold, s.pair.is_match) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, false) => tn += 1,
            (false, true) => fneg += 1,
        }
    }
    Metrics::from_counts(threshold, tp, fp, tn, fneg)
}

/// Score the pairs and compute precision, recall and F1 at `threshold`.
pub fn evaluate(pairs: &[LabelledPair], threshold: f64) -> Metrics {
    metrics(&score_all(pairs), threshold)
}

/// Figures overall and per group (schema as written, category), at one threshold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Breakdown {
    pub overall: Metrics,
    pub by_schema: Vec<(String, Metrics)>,
    pub by_category: Vec<(String, Metrics)>,
}

fn grouped<'a>(
    scored: &[Scored<'a>],
    threshold: f64,
    key: impl Fn(&LabelledPair) -> &str,
) -> Vec<(String, Metrics)> {
    let mut keys: Vec<String> = scored.iter().map(|s| key(s.pair).to_string()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let part: Vec<Scored> = scored
                .iter()
                .filter(|s| key(s.pair) == k)
                .cloned()
                .collect();
            (k, metrics(&part, threshold))
        })
        .collect()
}

/// Precision, recall and F1 overall, by schema and by category.
pub fn breakdown(scored: &[Scored], threshold: f64) -> Breakdown {
    Breakdown {
        overall: metrics(scored, threshold),
        by_schema: grouped(scored, threshold, |p| p.schema_label.as_str()),
        by_category: grouped(scored, threshold, |p| p.kind.as_str()),
    }
}

/// Parse a labelled CSV: header with `name1`, `name2`, `match` (1/0, yes/no, true/false,
/// `is_match` also accepted) and optionally `schema` (ours or FollowTheMoney names, see
/// [`Schema::parse`]), `category` (or `kind`) and `source`. Lines starting with `#` are
/// comments. Errors name the 1-based line of the file.
pub fn parse_labelled(text: &str) -> Result<Vec<LabelledPair>, String> {
    // Comment lines are dropped before parsing; line numbers count them.
    let mut line_of: Vec<usize> = Vec::new();
    let mut body = String::with_capacity(text.len());
    let mut in_quote = false;
    for (i, line) in text.lines().enumerate() {
        if !in_quote && line.starts_with('#') {
            continue;
        }
        if !in_quote {
            line_of.push(i + 1);
        }
        in_quote ^= line.bytes().filter(|&b| b == b'"').count() % 2 == 1;
        body.push_str(line);
        body.push('\n');
    }
    let at = |record: usize| line_of.get(record).copied().unwrap_or(0);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let headers = rdr.headers().map_err(|e| e.to_string())?.clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let (Some(c1), Some(c2), Some(cm)) = (
        col(&["name1"]),
        col(&["name2"]),
        col(&["match", "is_match"]),
    ) else {
        return Err("header must have name1, name2 and match columns".into());
    };
    let cs = col(&["schema"]);
    let ck = col(&["category", "kind"]);
    let csrc = col(&["source"]);
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = at(i + 1);
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let is_match = match get(cm).to_ascii_lowercase().as_str() {
            "1" | "yes" | "true" | "y" => true,
            "0" | "no" | "false" | "n" => false,
            other => return Err(format!("line {line}: match must be 1 or 0, not {other:?}")),
        };
        let label = cs.map(get).unwrap_or("");
        let schema = Schema::parse(label).ok_or_else(|| {
            format!(
                "line {line}: unknown schema {label:?} (one of {})",
                Schema::ACCEPTED
            )
        })?;
        out.push(LabelledPair {
            name1: get(c1).to_string(),
            name2: get(c2).to_string(),
            schema,
            is_match,
            kind: ck.map(get).unwrap_or("").to_string(),
            schema_label: if label.is_empty() {
                "(none)".to_string()
            } else {
                label.to_string()
            },
            source: csrc.map(get).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}

/// One OFAC Sanctions List Search score as OFAC's public tool showed it (`None`: the result did
/// not appear at the tool's slider 80, i.e. below 80).
#[derive(Debug, Clone, PartialEq)]
pub struct OfacScore {
    pub query: String,
    pub result: String,
    pub score: Option<f64>,
}

/// Parse `query_name,result_name,ofac_score` (-1 = below 80); `#` lines are comments.
pub fn parse_ofac_scores(text: &str) -> Result<Vec<OfacScore>, String> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| [l, "\n"])
        .collect();
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("record {}: {e}", i + 1))?;
        let score: f64 = rec
            .get(2)
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| format!("record {}: ofac_score is not a number", i + 1))?;
        out.push(OfacScore {
            query: rec.get(0).unwrap_or("").to_string(),
            result: rec.get(1).unwrap_or("").to_string(),
            score: (score >= 0.0).then_some(score),
        });
    }
    Ok(out)
}

/// Mean absolute error of the SLS-style score against OFAC's published scores (rows with a
/// score), and how many of the below-80 rows the SLS-style score also puts below 80.
pub fn ofac_agreement(rows: &[OfacScore]) -> (f64, usize, usize, usize) {
    let mut err = 0.0;
    let mut n = 0usize;
    let (mut below, mut below_total) = (0usize, 0usize);
    for r in rows {
        let ours = super::sls_score(&r.query, &r.result);
        match r.score {
            Some(s) => {
                err += (ours - s).abs();
                n += 1;
            }
            None => {
                below_total += 1;
                below += usize::from(ours < 80.0);
            }
        }
    }
    (
        if n == 0 { 0.0 } else { err / n as f64 },
        n,
        below,
        below_total,
    )
}

/// Pair scores per second on the calling thread: scores `pairs` round after round until at
/// least `min_duration` has passed.
pub fn throughput(pairs: &[(String, String)], min_duration: Duration) -> f64 {
    if pairs.is_empty() {
        return 0.0;
    }
    let start = Instant::now();
    let mut n = 0usize;
    let mut sink = 0.0;
    loop {
        for (a, b) in pairs {
            sink += score_pair(a, b, Schema::Unknown).score;
            n += 1;
        }
        let elapsed = start.elapsed();
        if elapsed >= min_duration {
            std::hint::black_box(sink);
            return n as f64 / elapsed.as_secs_f64();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_count_confusions() {
        let m = Metrics::from_counts(0.8, 8, 2, 9, 1);
        assert!((m.precision - 0.8).abs() < 1e-9);
        assert!((m.recall - 8.0 / 9.0).abs() < 1e-9);
        assert!(m.f1 > 0.84 && m.f1 < 0.85);
    }

    #[test]
    fn parses_labelled_csv_and_reports_bad_lines() {
        let ok = "name1,name2,schema,match\nA,B,,1\n\"C, D\",E,person,0\n";
        let v = parse_labelled(ok).unwrap_or_default();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].name1, "C, D");
        assert_eq!(v[1].schema, Schema::Person);
        assert!(!v[1].is_match);
        let bad = "name1,name2,match\nA,B,maybe\n";
        assert!(parse_labelled(bad).is_err_and(|e| e.contains("line 2")));
    }

    #[test]
    fn throughput_is_positive() {
        let pairs = vec![("Hikvision".to_string(), "HIKVISION".to_string())];
        assert!(throughput(&pairs, Duration::from_millis(5)) > 0.0);
    }
}
