//! The score the public OFAC Sanctions List Search (SLS) would give a pair of names, so an
//! auditor can cite it next to tradescope's own score.
//!
//! # Formula (0–100)
//! Both names are folded to ASCII upper case (diacritics and other scripts transliterated) and
//! punctuation becomes spaces; words stay in the order written (SLS does not reorder names).
//!
//! ```text
//! jw*(a, b)  = jaro(a, b) + ℓ · 0.1 · (1 − jaro(a, b))
//!              ℓ = length of the common prefix, at most 4 — applied whatever jaro is (no 0.7
//!              boost threshold, as in the SimMetrics implementation SLS is built on) and only
//!              when the first letters agree (otherwise ℓ = 0)
//! whole      = jw*(query, candidate)                       (the whole strings)
//! parts      = mean over query words q with len(q) > 2 of  best_c jw*(q, c),
//!              where a best below 0.5 counts as 0          (c: every candidate word)
//! SLS        = 100 · max(whole, parts)
//! ```
//!
//! A query with no word longer than two characters scores by the whole string only.

use super::normalize::fold;
use super::textsim::jaro_winkler_unconditional;

/// Folded, punctuation-free words.
fn sls_words(s: &str) -> Vec<String> {
    let (folded, _) = fold(s);
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// OFAC SLS-style score, 0–100 (see the module documentation for the formula).
pub fn sls_score(query: &str, candidate: &str) -> f64 {
    let q = sls_words(query);
    let c = sls_words(candidate);
    if q.is_empty() || c.is_empty() {
        return 0.0;
    }
    let whole = jaro_winkler_unconditional(q.join(" ").as_bytes(), c.join(" ").as_bytes());
    let mut sum = 0.0;
    let mut n = 0usize;
    for w in q.iter().filter(|w| w.len() > 2) {
        let best = c
            .iter()
            .map(|x| jaro_winkler_unconditional(w.as_bytes(), x.as_bytes()))
            .fold(0.0, f64::max);
        sum += if best < 0.5 { 0.0 } else { best };
        n += 1;
    }
    let parts = if n == 0 { 0.0 } else { sum / n as f64 };
    (100.0 * whole.max(parts)).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_names_score_100() {
        assert_eq!(sls_score("Bank Melli Iran", "BANK MELLI IRAN"), 100.0);
    }

    #[test]
    fn reordered_person_name_scores_by_parts() {
        // Whole strings differ in order; every query word finds itself.
        let s = sls_score("Vladimir Putin", "PUTIN, Vladimir Vladimirovich");
        assert!((s - 100.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn short_query_words_are_dropped() {
        // "AL" is ignored; "QAIDA" alone decides the parts score.
        let a = sls_score("AL QAIDA", "QAIDA");
        assert!((a - 100.0).abs() < 1e-9, "{a}");
    }

    #[test]
    fn weak_word_pairs_count_zero() {
        // XYZ finds nothing at 0.5 or above; HIKVISION finds itself: parts = (1 + 0) / 2.
        let s = sls_score("HIKVISION XYZ", "HIKVISION");
        assert!((50.0..100.0).contains(&s), "{s}");
        let whole = 100.0 * jaro_winkler_unconditional(b"HIKVISION XYZ", b"HIKVISION");
        assert!((s - whole.max(50.0)).abs() < 1e-9);
    }
}
