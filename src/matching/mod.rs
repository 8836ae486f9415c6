//! Name matching: normalization, candidate generation, scoring and explanations. Pure: no I/O.
//!
//! PROVISIONAL implementation (simple token Jaro-Winkler); the public API below is the contract
//! the rest of the program uses (linking at import, `search`, `screen`, `match`, the TUI).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Identifies the matcher in stored links and audit records; bump when scores change.
pub const MATCHER_VERSION: &str = "name:0";

/// Default screening threshold: hits at or above it are reported as matches.
pub const DEFAULT_THRESHOLD: f64 = 0.80;

/// Threshold for links stored at import (list entry ↔ trade party / patent assignee).
pub const LINK_THRESHOLD: f64 = 0.85;

/// What kind of thing a name belongs to; names of different schemas score differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    Company,
    Person,
    Vessel,
    Aircraft,
    Unknown,
}

impl Schema {
    /// From a list entry's type (`entity`, `individual`, `vessel`, `aircraft`, …).
    pub fn from_entity_type(t: &str) -> Schema {
        match t.to_ascii_lowercase().as_str() {
            "entity" | "company" | "organization" => Schema::Company,
            "individual" | "person" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Aircraft,
            _ => Schema::Unknown,
        }
    }

    pub fn parse(s: &str) -> Option<Schema> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "company" | "entity" | "organization" | "org" => Schema::Company,
            "person" | "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Aircraft,
            "" | "unknown" => Schema::Unknown,
            _ => return None,
        })
    }
}

/// Canonical text of a name for exact-duplicate detection (party dedupe, assignee resolution):
/// ASCII upper case, punctuation removed, legal forms canonicalized.
pub fn normalize_key(name: &str) -> String {
    tokens(name).join(" ")
}

const LEGAL: &[&str] = &[
    "CO",
    "LTD",
    "LIMITED",
    "COMPANY",
    "CORP",
    "CORPORATION",
    "INC",
    "LLC",
    "GMBH",
    "AG",
    "SA",
    "PLC",
    "PVT",
    "PRIVATE",
    "CIA",
    "LTDA",
    "OOO",
    "ZAO",
    "OAO",
    "JSC",
    "PJSC",
];

fn tokens(name: &str) -> Vec<String> {
    let folded: String = name.nfkc().collect::<String>();
    let ascii = any_ascii::any_ascii(&folded).to_ascii_uppercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn core_tokens(name: &str) -> Vec<String> {
    let all = tokens(name);
    let core: Vec<String> = all
        .iter()
        .filter(|t| !LEGAL.contains(&t.as_str()))
        .cloned()
        .collect();
    if core.is_empty() {
        all
    } else {
        core
    }
}

/// One name to index: `id` is the caller's (e.g. a list entry id; several names may share it).
#[derive(Debug, Clone)]
pub struct NameRecord {
    pub id: i64,
    pub name: String,
    pub schema: Schema,
    pub country: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub threshold: f64,
    pub limit: usize,
    /// Schema of the query name, if known.
    pub schema: Schema,
    /// Country evidence for the query (ISO alpha-2), if known.
    pub country: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 20,
            schema: Schema::Unknown,
            country: None,
        }
    }
}

/// A scored candidate: the best-scoring name of record `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub matched_name: String,
    /// 0–1.
    pub score: f64,
    /// OFAC Sanctions List Search style score, 0–100.
    pub sls_score: f64,
    pub explanation: String,
}

/// Score of one pair of names.
#[derive(Debug, Clone, PartialEq)]
pub struct PairScore {
    pub score: f64,
    pub sls_score: f64,
    pub explanation: String,
}

/// An in-memory index over names with token-based candidate generation.
pub struct NameIndex {
    records: Vec<(NameRecord, Vec<String>)>,
    postings: HashMap<String, Vec<u32>>,
}

impl NameIndex {
    pub fn build(records: Vec<NameRecord>) -> NameIndex {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let records: Vec<(NameRecord, Vec<String>)> = records
            .into_iter()
            .map(|r| {
                let t = core_tokens(&r.name);
                (r, t)
            })
            .collect();
        for (i, (_, toks)) in records.iter().enumerate() {
            for t in toks {
                let p = postings.entry(t.clone()).or_default();
                if p.last() != Some(&(i as u32)) {
                    p.push(i as u32);
                }
            }
        }
        NameIndex { records, postings }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Best hit per record id at or above `opts.threshold`, best first, at most `opts.limit`.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Vec<Hit> {
        let q = core_tokens(query);
        let mut cand: Vec<u32> = q
            .iter()
            .filter_map(|t| self.postings.get(t))
            .flatten()
            .copied()
            .collect();
        cand.sort_unstable();
        cand.dedup();
        let mut best: HashMap<i64, Hit> = HashMap::new();
        for i in cand {
            let (rec, toks) = &self.records[i as usize];
            let s = token_score(&q, toks);
            if s < opts.threshold {
                continue;
            }
            let hit = Hit {
                id: rec.id,
                matched_name: rec.name.clone(),
                score: s,
                sls_score: sls_score(query, &rec.name),
                explanation: format!("tokens {} ~ {}", q.join(" "), toks.join(" ")),
            };
            match best.get(&rec.id) {
                Some(h) if h.score >= s => {}
                _ => {
                    best.insert(rec.id, hit);
                }
            }
        }
        let mut hits: Vec<Hit> = best.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        hits.truncate(opts.limit);
        hits
    }
}

fn token_score(q: &[String], c: &[String]) -> f64 {
    if q.is_empty() || c.is_empty() {
        return 0.0;
    }
    let best = |a: &[String], b: &[String]| -> f64 {
        a.iter()
            .map(|x| {
                b.iter()
                    .map(|y| strsim::jaro_winkler(x, y))
                    .fold(0.0, f64::max)
            })
            .sum::<f64>()
            / a.len() as f64
    };
    best(q, c)
        .min(best(c, q).max(0.0))
        .max(if q.len() == 1 || c.len() == 1 {
            best(q, c).min(best(c, q))
        } else {
            0.0
        })
}

/// Score one pair of names (for `tradescope match --pairs`).
pub fn score_pair(a: &str, b: &str, _schema: Schema) -> PairScore {
    let s = token_score(&core_tokens(a), &core_tokens(b));
    PairScore {
        score: s,
        sls_score: sls_score(a, b),
        explanation: String::new(),
    }
}

/// The score the public OFAC Sanctions List Search would give, 0–100.
pub fn sls_score(query: &str, candidate: &str) -> f64 {
    strsim::jaro_winkler(&normalize_key(query), &normalize_key(candidate)) * 100.0
}
