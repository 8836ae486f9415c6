//! The first, cheap pass over every name: is the query a subsequence at all, and if so a rough
//! score (contiguous match at a word start ≫ contiguous ≫ scattered; shorter names first). Only
//! the best few thousand by this score are scored by skim, which is ~50× slower per name.

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

/// Rough score of `name` for the lower-case query `q`; None if it cannot match.
pub fn score(q: &[u8], name: &[u8]) -> Option<i64> {
    let len_penalty = name.len().min(2000) as i64;
    match find(q, name) {
        Some((pos, boundary)) => {
            let mut s = 100_000 - (pos.min(1000) as i64) * 10 - len_penalty;
            if boundary {
                s += 50_000;
            }
            if pos == 0 {
                s += 20_000;
            }
            Some(s)
        }
        None => is_subsequence(q, name).then_some(10_000 - len_penalty),
    }
}

/// First contiguous (ASCII-case-insensitive) occurrence of `q` in `name`, preferring one that
/// starts a word: (position, at a word start).
fn find(q: &[u8], name: &[u8]) -> Option<(usize, bool)> {
    let (&q0, rest) = q.split_first()?;
    let (l, u) = cases(q0);
    let mut first = None;
    let mut start = 0;
    while let Some(i) = memchr2(l, u, &name[start..]) {
        let p = start + i;
        if p + q.len() > name.len() {
            break;
        }
        if name[p + 1..p + q.len()]
            .iter()
            .zip(rest)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
        {
            if p == 0 || !name[p - 1].is_ascii_alphanumeric() {
                return Some((p, true));
            }
            first.get_or_insert((p, false));
        }
        start = p + 1;
    }
    first
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
    fn word_start_beats_inside_a_word_beats_scattered() {
        let start = score(b"hik", b"Hangzhou Hikvision").unwrap();
        let inside = score(b"hik", b"SHIKOKU TRADING").unwrap();
        let scattered = score(b"hik", b"HANGZHOU INKJET").unwrap();
        assert!(
            start > inside && inside > scattered,
            "{start} {inside} {scattered}"
        );
        assert_eq!(score(b"xyz", b"Hikvision"), None);
    }
}
