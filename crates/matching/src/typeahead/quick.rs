//! The first, cheap pass over every name: does it pass the final scorer's gate at all, and if
//! so a rough score that orders candidates the way the final ranking will as far as bytes tell
//! (as typed and a whole word ≫ as typed at the name's start ≫ at a word start ≫ inside a word
//! ≫ scattered; then record rank and length). Only the best few thousand are scored by skim, ~50× slower per name.

use memchr::memchr2;

/// Both ASCII cases of a byte (the same byte twice for anything else).
fn cases(b: u8) -> (u8, u8) {
    (b.to_ascii_lowercase(), b.to_ascii_uppercase())
}

/// Whether `needle` is an ASCII-case-insensitive subsequence of `hay` (bytes). Necessary for a
/// skim match (skim compares ASCII case-insensitively; other bytes must be equal).
pub fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut pos = 0;
    for &n in needle {
        let (l, u) = cases(n);
        match memchr2(l, u, &hay[pos..]) {
            Some(i) => pos += i + 1,
            None => return false,
        }
    }
    true
}

/// A byte of a word: ASCII letters and digits, and every byte of a non-ASCII character.
fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The query as [`score`] and [`tier`] compare it: lower case, its spaces and punctuation
/// removed (they do not count on either side).
pub fn words(q: &[u8]) -> Vec<u8> {
    q.iter()
        .map(u8::to_ascii_lowercase)
        .filter(|&b| word(b))
        .collect()
}

/// How a name contains the query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// As typed, whole words: starting a word and ending where a word ends (`putin` in
    /// "PUTIN, Vladimir", not in "PUTINA, Maria").
    Word = 0,
    /// As typed, starting a word.
    WordStart = 1,
    /// As typed, inside a word.
    Inside = 2,
    /// Only as a scattered subsequence.
    Scattered = 3,
}

/// The best place where `name` contains the query words `qw` as typed (separators in the name
/// skipped), in skim's order of preference: tier first, then at the name's start, then without
/// a separator inside the match. None: only scattered, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    tier: Tier,
    not_first: bool,
    separated: bool,
}

/// How many leading bytes of `qw` match `name` from position `p` on, separators in the name
/// skipped, whether any separator was skipped between two matched bytes, and where the match
/// ends (the position after its last byte).
fn run_from(qw: &[u8], name: &[u8], p: usize) -> (usize, bool, usize) {
    let mut k = p;
    let mut separated = false;
    for (n, &b) in qw.iter().enumerate() {
        let skipped = k;
        while k < name.len() && !word(name[k]) {
            k += 1;
        }
        if k >= name.len() || name[k].to_ascii_lowercase() != b {
            return (n, separated, k);
        }
        separated |= n > 0 && k > skipped;
        k += 1;
    }
    (qw.len(), separated, k)
}

/// Positions where `q0` occurs in `name` (either ASCII case), left to right.
fn occurrences(q0: u8, name: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let (l, u) = cases(q0);
    memchr::memchr2_iter(l, u, name)
}

fn found(qw: &[u8], name: &[u8]) -> Option<Found> {
    let &q0 = qw.first()?;
    let mut best: Option<Found> = None;
    for p in occurrences(q0, name) {
        let (n, separated, end) = run_from(qw, name, p);
        if n < qw.len() {
            continue;
        }
        let starts = p == 0 || !word(name[p - 1]);
        let ends = end >= name.len() || !word(name[end]);
        let here = Found {
            tier: match (starts, ends) {
                (true, true) => Tier::Word,
                (true, false) => Tier::WordStart,
                _ => Tier::Inside,
            },
            not_first: p != 0,
            separated,
        };
        if best.is_none_or(|b| here < b) {
            best = Some(here);
        }
        // Occurrences are met left to right, so only the first can be at the name's start:
        // past it, whole words without a separator cannot be beaten.
        if here.tier == Tier::Word && !here.separated {
            break;
        }
    }
    best
}

/// The tier of `name` for the query words `qw` ([`words`]): `hikvision` is "as typed" in
/// HIK-VISION and `dahua tech` in DAHUA TECHNOLOGY.
pub fn tier(qw: &[u8], name: &[u8]) -> Tier {
    found(qw, name).map_or(Tier::Scattered, |f| f.tier)
}

/// Quick scores of the two contiguous tiers are at least this; scattered matches score below.
pub const AS_TYPED: i64 = 1 << 40;

/// What a name must contain to be scored at all: the final scorer's own rule, so the byte
/// pass drops only names the scorer would drop too.
pub enum Gate {
    /// skim: the query's bytes in order (ASCII case ignored).
    Ordered(Vec<u8>),
    /// nucleo-matcher: each whitespace-separated word, in any order.
    Words(Vec<Vec<u8>>),
}

impl Gate {
    /// The gate of `scorer` for the lower-case query `q`.
    pub fn of(scorer: super::Scorer, q: &str) -> Gate {
        match scorer {
            super::Scorer::Skim => Gate::Ordered(q.as_bytes().to_vec()),
            super::Scorer::Nucleo => Gate::Words(
                q.split_whitespace()
                    .map(|w| w.as_bytes().to_vec())
                    .collect(),
            ),
        }
    }

    pub fn passes(&self, name: &[u8]) -> bool {
        match self {
            Gate::Ordered(q) => is_subsequence(q, name),
            Gate::Words(ws) => ws.iter().all(|w| is_subsequence(w, name)),
        }
    }

    /// Whether every name that passes for `q` passed for the earlier query `prev`, so the
    /// scan may look only at `prev`'s matches.
    pub fn narrows(&self, prev: &str, q: &str) -> bool {
        match self {
            Gate::Ordered(_) => is_subsequence(prev.as_bytes(), q.as_bytes()),
            // Appending keeps every earlier word or extends the last one.
            Gate::Words(_) => q.starts_with(prev),
        }
    }

    /// Whether a match of the query words as typed implies passing (no spaces or punctuation
    /// in the query, which the as-typed match skips).
    fn implied_by_words(&self, qw: &[u8]) -> bool {
        match self {
            Gate::Ordered(q) => q.len() == qw.len(),
            Gate::Words(ws) => ws.iter().map(Vec::len).sum::<usize>() == qw.len(),
        }
    }
}

/// Rough score of `name` (of a record of rank `rank`, `Corpus::rank`) for the query words `qw`
/// (the query as [`words`] gives it), if the name passes `gate`. skim scores a match as typed
/// by where it lies (tier, start of the name, separators inside), not by the name's length or
/// how far in it is, and the final ranking breaks its ties by record rank (kind; dead ends
/// last), then the shorter name: the quick score does the same. Scattered matches score below
/// [`AS_TYPED`], by rank and length only; [`scattered`] ranks them when they matter.
pub fn score(gate: &Gate, qw: &[u8], name: &[u8], rank: u8) -> Option<i64> {
    let tie = tie(name, rank);
    match found(qw, name) {
        Some(f) if gate.implied_by_words(qw) || gate.passes(name) => {
            let class = match (f.tier, f.not_first, f.separated) {
                (Tier::Word, false, false) => 10,
                (Tier::Word, false, true) => 9,
                (Tier::Word, true, false) => 8,
                (Tier::Word, true, true) => 7,
                (Tier::WordStart, false, false) => 6,
                (Tier::WordStart, false, true) => 5,
                (Tier::WordStart, true, false) => 4,
                (Tier::WordStart, true, true) => 3,
                (_, _, false) => 2,
                _ => 1,
            };
            Some(AS_TYPED * class - tie)
        }
        _ => gate.passes(name).then_some(-tie),
    }
}

/// The quick score of a scattered match, by an estimate of what skim rewards (letters landing
/// on word starts and in runs): the longest run of the query as typed at a word start and the
/// query letters found in order among the words' initials, then rank and length. Computed only
/// when scattered matches reach the result and are too many to score them all.
pub fn scattered(qw: &[u8], name: &[u8], rank: u8) -> i64 {
    (2 * longest_run(qw, name) + initials(qw, name)) as i64 * 100_000 - tie(name, rank)
}

/// The tie-break part of a quick score: record rank, then the shorter name.
fn tie(name: &[u8], rank: u8) -> i64 {
    i64::from(rank) * 10_000 + name.len().min(9_999) as i64
}

/// How many letters of `qw`, in order, are initials of the name's words (query letters that
/// are no initial are skipped).
fn initials(qw: &[u8], name: &[u8]) -> usize {
    let mut hits = 0;
    let mut rest = qw;
    for (i, &b) in name.iter().enumerate() {
        if rest.is_empty() {
            break;
        }
        if (i == 0 || !word(name[i - 1])) && word(b) {
            // Skip query letters up to the one equal to this initial, if any is.
            if let Some(k) = rest.iter().position(|&x| x == b.to_ascii_lowercase()) {
                hits += 1;
                rest = &rest[k + 1..];
            }
        }
    }
    hits
}

/// Length of the longest prefix of `qw` found as typed (separators skipped) at a word start.
fn longest_run(qw: &[u8], name: &[u8]) -> usize {
    let Some(&q0) = qw.first() else {
        return 0;
    };
    occurrences(q0, name)
        .filter(|&p| p == 0 || !word(name[p - 1]))
        .map(|p| run_from(qw, name, p).0)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequence_is_case_insensitive() {
        assert!(is_subsequence(b"hkv", b"HiKVision"));
        assert!(!is_subsequence(b"hkvz", b"HiKVision"));
        assert!(is_subsequence(b"", b"x"));
    }

    #[test]
    fn tiers_ignore_separators() {
        let t = |q: &str, name: &str| tier(&words(q.as_bytes()), name.as_bytes());
        assert_eq!(t("hikvision", "HANGZHOU HIK-VISION"), Tier::Word);
        assert_eq!(t("hikvision", "HIK-VISIONS"), Tier::WordStart);
        assert_eq!(
            t("dahua tech", "ZHEJIANG DAHUA TECHNOLOGY"),
            Tier::WordStart
        );
        assert_eq!(t("putin", "PUTIN, Vladimir"), Tier::Word);
        assert_eq!(t("putin", "PUTINA, Maria"), Tier::WordStart);
        // A whole-word occurrence later in the name is found past a word-start one.
        assert_eq!(t("zte", "ZTEC ZTE"), Tier::Word);
        assert_eq!(t("vision", "HIKVISION"), Tier::Inside);
        assert_eq!(t("dahua", "Dalian Huarui"), Tier::Scattered);
        assert_eq!(t("-", "A-B"), Tier::Scattered);
    }

    #[test]
    fn a_whole_word_beats_a_word_start() {
        let gate = Gate::of(crate::typeahead::Scorer::Skim, "putin");
        let sc = |name: &str| score(&gate, b"putin", name.as_bytes(), 1).unwrap();
        assert!(sc("PUTIN, Vladimir Vladimirovich") > sc("PUTINA, Maria"));
        assert!(
            sc("ZHAO PUTIN") > sc("PUTINA"),
            "whole word later beats a prefix first"
        );
    }

    #[test]
    fn word_start_beats_inside_a_word_beats_scattered() {
        let sc = |q: &str, name: &str| {
            let gate = Gate::of(crate::typeahead::Scorer::Skim, q);
            score(&gate, &words(q.as_bytes()), name.as_bytes(), 1)
        };
        let start = sc("hik", "Hangzhou Hikvision").unwrap();
        let inside = sc("hik", "SHIKOKU TRADING").unwrap();
        let scattered = sc("hik", "HANGZHOU INKJET").unwrap();
        assert!(
            start > inside && inside > scattered,
            "{start} {inside} {scattered}"
        );
        assert_eq!(sc("xyz", "Hikvision"), None);
    }

    #[test]
    fn as_typed_ties_go_to_kind_then_length_not_to_how_far_in() {
        // skim scores both later word-start matches alike; the final ranking then prefers the
        // entity, then the shorter name, so the quick score must too (or the best few thousand
        // it keeps for skim are not the ones the full ranking would show).
        let gate = Gate::of(crate::typeahead::Scorer::Skim, "hk");
        let sc = |name: &str, kind| score(&gate, b"hk", name.as_bytes(), kind).unwrap();
        assert!(sc("A VERY LONG NAME HK", 0) > sc("ABC HK", 1));
        assert!(sc("ABC HK TRADING", 1) > sc("AB HK TRADING LIMITED", 1));
        assert!(sc("HK TRADING LIMITED", 2) > sc("AB HK", 0));
        assert!(sc("HKT", 1) > sc("H-KT", 1));
        // A whole word, even split by a separator, comes before a word's start.
        assert!(sc("H-K", 1) > sc("HKT", 1));
    }

    #[test]
    fn nucleos_gate_takes_the_words_in_any_order() {
        let skim = Gate::of(crate::typeahead::Scorer::Skim, "mahan air");
        let nucleo = Gate::of(crate::typeahead::Scorer::Nucleo, "mahan air");
        assert!(!skim.passes(b"AIR MAHAN"));
        assert!(nucleo.passes(b"AIR MAHAN"));
        assert!(nucleo.narrows("mahan ai", "mahan air"));
        assert!(
            !nucleo.narrows("ab", "a b"),
            "a re-split word is not a narrowing"
        );
        assert!(skim.narrows("ab", "a b"));
    }

    #[test]
    fn scattered_matches_with_a_longer_run_at_a_word_start_come_first() {
        let sc = |name: &str| scattered(b"sinopec", name.as_bytes(), 1);
        assert!(sc("Hebei Sinopack Electronics Co") > sc("SRI IVANOV OPTOELEC"));
        assert!(sc("SHREE IVANOV PRECISION INSTRUMENTS") > sc("SHENGXING OPTOELECTRONICS"));
        let gate = Gate::of(crate::typeahead::Scorer::Skim, "sinopec");
        assert!(score(&gate, b"sinopec", b"A Sinopack Electronics", 0).unwrap() < AS_TYPED);
    }
}
