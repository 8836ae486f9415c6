//! Name matching: normalization, candidate generation, scoring and explanations. Pure: no I/O.
//!
//! The public API below is what the rest of the program uses (linking at import, `search`,
//! `screen`, `match`, the TUI). How it works, module by module:
//!
//! - [`normalize`]: NFKC + transliteration to ASCII upper case, tokens, legal forms
//!   canonicalized.
//! - `variants`: a published name parsed into variants (aliases in parentheses or after
//!   a.k.a., Entity List affiliates, location suffixes marked as places).
//! - `tables`: the word tables (legal forms, generic words, places, countries, legal-form
//!   families, abbreviations, number words, ordinals, particles) as data (`tables.txt`).
//! - `translit`: folding any script to ASCII (any_ascii, and `translit.txt` for abjads).
//! - `romanize`: sound keys for Wade-Giles / pinyin and for loose transcriptions (kana, Han).
//! - `tokensim`: how two tokens correspond (exact, plural, joined, skeleton, fuzzy, initial).
//! - `score`: best alignment of two names' tokens and the weighted score (formula there).
//! - [`sls`]: the OFAC Sanctions List Search style score (formula there).
//! - `index`: [`NameIndex`], the in-memory inverted index with fuzzy candidate generation.
//! - `explain`: the one-line explanation of a hit.
//! - [`eval`]: precision / recall / F1 over labelled pairs and throughput, for tests and bench.
//!
//! See docs/matching.md for the thresholds and measured quality.

mod against;
pub mod dob;
pub mod eval;
mod explain;
mod index;
pub mod normalize;
mod prepared;
mod romanize;
mod score;
pub mod sls;
mod tables;
mod textsim;
mod tokensim;
mod translit;
pub mod typeahead;
mod variants;

pub use index::NameIndex;
pub use sls::sls_score;

/// Identifies the matcher in stored links and audit records; bump when scores change.
pub const MATCHER_VERSION: &str = "name:4";

/// Default screening threshold: hits at or above it are reported as matches. Chosen for recall
/// (a missed listed party is the worst failure): on the labelled set in
/// tests/data/name_pairs.csv it keeps recall above 0.95 while precision stays near 0.99; one
/// typo in a two-word name, a dropped legal form or city, a short alias or a transliteration
/// all stay above it, a different distinctive word does not (docs/matching.md).
pub const DEFAULT_THRESHOLD: f64 = 0.75;

/// Threshold for links stored at import (list entry ↔ trade party / patent assignee): links are
/// made without a person looking, so it is stricter than screening. Spelling variants of the
/// same name (legal forms, city prefixes, a typo) stay above it; look-alikes that share one
/// distinctive word (DAHUA ELECTRONICS vs Dahua Technology, ZTE Parsian vs ZTE Corporation)
/// and names that share only common words stay below.
pub const LINK_THRESHOLD: f64 = 0.88;

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

    /// A schema name as written in a pairs file or on the command line, case-insensitively:
    /// ours (company, person, vessel, aircraft) and the FollowTheMoney schemata every
    /// OpenSanctions-based dataset uses (Person, Company, Organization, LegalEntity, Vessel,
    /// Airplane, PublicBody). `LegalEntity` may be a person or a company, so it leaves the
    /// schema to the names (`Unknown`).
    pub fn parse(s: &str) -> Option<Schema> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "company" | "entity" | "organization" | "organisation" | "org" | "publicbody" => {
                Schema::Company
            }
            "person" | "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" | "airplane" => Schema::Aircraft,
            "" | "unknown" | "legalentity" | "thing" => Schema::Unknown,
            _ => return None,
        })
    }

    /// The schema names [`Schema::parse`] accepts, for error messages.
    pub const ACCEPTED: &'static str = "person, company, organization, legalentity, vessel, \
        airplane (FollowTheMoney names), or aircraft, entity, individual";
}

/// Canonical text of a name for exact-duplicate detection (party dedupe, assignee resolution,
/// `norm` columns, substring search): ASCII upper-case tokens joined by single spaces, other
/// scripts transliterated, punctuation removed, legal forms canonicalized but kept
/// ("Co., Ltd." and "COMPANY LIMITED" → "CO LTD").
pub fn normalize_key(name: &str) -> String {
    let toks = normalize::key_tokens(name);
    let mut out = String::with_capacity(name.len());
    for t in &toks {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    out
}

/// One name to index: `id` is the caller's (e.g. a list entry id; several names may share it).
#[derive(Debug, Clone)]
pub struct NameRecord {
    pub id: i64,
    pub name: String,
    pub schema: Schema,
    pub country: Option<String>,
    /// The list's date-of-birth text, as written ("1973-03-25", "1967; 1966", "circa 1960").
    pub dob: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub threshold: f64,
    pub limit: usize,
    /// Schema of the query name, if known.
    pub schema: Schema,
    /// Country evidence for the query (ISO alpha-2), if known.
    pub country: Option<String>,
    /// Date-of-birth evidence for the query (YYYY or YYYY-MM-DD), if known.
    pub dob: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            threshold: DEFAULT_THRESHOLD,
            limit: 20,
            schema: Schema::Unknown,
            country: None,
            dob: None,
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

/// Score one pair of names (for `tradescope match --pairs`): the best of their variants
/// (aliases in parentheses or after a.k.a. count as variants), with an explanation.
pub fn score_pair(a: &str, b: &str, schema: Schema) -> PairScore {
    let pa = prepared::Prepared::new(a);
    let pb = prepared::Prepared::new(b);
    let (score, explanation) = prepared::best(&pa, &pb, schema);
    PairScore {
        score,
        sls_score: sls::sls_score(a, b),
        explanation,
    }
}
