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

/// How a name contains the query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// As typed, starting a word.
    WordStart = 0,
    /// As typed, inside a word.
    Inside = 1,
    /// Only as a scattered subsequence.
    Scattered = 2,
}

/// The tier of `name` for the lower-case query `q`. Spaces and punctuation do not count on
/// either side, so `hikvision` is "as typed" in HIK-VISION and `dahua tech` in DAHUA TECHNOLOGY.
pub fn tier(q: &[u8], name: &[u8]) -> Tier {
    // Bytes of non-ASCII characters count as word characters.
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    let qn: Vec<u8> = q.iter().copied().filter(|&b| word(b)).collect();
    let Some((&q0, rest)) = qn.split_first() else {
        return Tier::Scattered;
    };
    let mut best = Tier::Scattered;
    for p in 0..name.len() {
        if name[p].to_ascii_lowercase() != q0 {
            continue;
        }
        let mut k = p + 1;
        let found = rest.iter().all(|&b| {
            while k < name.len() && !word(name[k]) {
                k += 1;
            }
            let ok = k < name.len() && name[k].to_ascii_lowercase() == b;
            k += 1;
            ok
        });
        if found {
            if p == 0 || !word(name[p - 1]) {
                return Tier::WordStart;
            }
            best = Tier::Inside;
        }
    }
    best
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
    fn tiers_ignore_separators() {
        assert_eq!(tier(b"hikvision", b"HANGZHOU HIK-VISION"), Tier::WordStart);
        assert_eq!(
            tier(b"dahua tech", b"ZHEJIANG DAHUA TECHNOLOGY"),
            Tier::WordStart
        );
        assert_eq!(tier(b"vision", b"HIKVISION"), Tier::Inside);
        assert_eq!(tier(b"dahua", b"Dalian Huarui"), Tier::Scattered);
        assert_eq!(tier(b"-", b"A-B"), Tier::Scattered);
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
