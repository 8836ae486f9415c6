//! String similarity on folded (ASCII upper-case) tokens: Jaro, Jaro-Winkler, optimal string
//! alignment distance, a transliteration skeleton and a plural stem. Byte-level and
//! allocation-free for the short strings names are made of; this is the matcher's hot path.

/// Longest strings handled on the stack; longer ones fall back to heap buffers.
pub(crate) const STACK: usize = 64;

#[cfg(test)]
thread_local! {
    /// Tests: the plain algorithms (window scan, no length bound), to compare results with.
    pub(crate) static REFERENCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread computes with the plain algorithms (tests only).
#[inline]
pub(crate) fn reference() -> bool {
    #[cfg(test)]
    {
        REFERENCE.with(std::cell::Cell::get)
    }
    #[cfg(not(test))]
    {
        false
    }
}

/// Jaro similarity, 0–1.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if b.len() <= STACK && !reference() {
        jaro_bits(a, b)
    } else {
        jaro_scan(a, b)
    }
}

/// Bits `lo..hi` of a word (`lo < hi <= 64`).
fn bit_range(lo: usize, hi: usize) -> u64 {
    let upto = if hi >= 64 { u64::MAX } else { (1u64 << hi) - 1 };
    upto & !((1u64 << lo) - 1)
}

/// Jaro of `a` and `b` (`a` the shorter, `b` at most 64 bytes) with bit sets: the positions of
/// each byte of `b` as a mask, so each byte of `a` finds its first unused equal byte within the
/// window in a few instructions. The same matches and transpositions as [`jaro_scan`] (the
/// lowest unused position in the window, as the scan takes the first), so the same value.
fn jaro_bits(a: &[u8], b: &[u8]) -> f64 {
    let window = (b.len() / 2).saturating_sub(1);
    // Positions by the byte's low six bits (A–Z, 0–9 and space apart); a shared slot is
    // told apart by comparing the bytes.
    let mut pos = [0u64; 64];
    for (j, &c) in b.iter().enumerate() {
        pos[usize::from(c & 63)] |= 1u64 << j;
    }
    let (mut a_used, mut b_used) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        if lo >= hi {
            continue;
        }
        let mut cand = pos[usize::from(ca & 63)] & bit_range(lo, hi) & !b_used;
        while cand != 0 {
            let j = cand.trailing_zeros() as usize;
            if b[j] == ca {
                a_used |= 1u64 << i;
                b_used |= 1u64 << j;
                matches += 1;
                break;
            }
            cand &= cand - 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched bytes of `a` and of `b`, both in order: a transposition where they differ.
    let mut transpositions = 0usize;
    while a_used != 0 {
        let (i, j) = (a_used.trailing_zeros(), b_used.trailing_zeros());
        transpositions += usize::from(a[i as usize] != b[j as usize]);
        a_used &= a_used - 1;
        b_used &= b_used - 1;
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Jaro of `a` and `b` (`a` the shorter, neither empty nor equal) by scanning each window.
fn jaro_scan(a: &[u8], b: &[u8]) -> f64 {
    let window = (b.len() / 2).saturating_sub(1);
    let mut a_flags = vec![false; a.len()];
    let mut b_flags = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_flags[j] && b[j] == ca {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        if !a_flags[i] {
            continue;
        }
        while !b_flags[k] {
            k += 1;
        }
        if ca != b[k] {
            transpositions += 1;
        }
        k += 1;
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

fn common_prefix(a: &[u8], b: &[u8], max: usize) -> usize {
    a.iter()
        .zip(b)
        .take(max)
        .take_while(|(x, y)| x == y)
        .count()
}

/// Standard Jaro-Winkler (prefix bonus 0.1 per shared leading character, at most 4, applied
/// only when the Jaro similarity exceeds 0.7).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    if j <= 0.7 {
        return j;
    }
    let l = common_prefix(a, b, 4) as f64;
    j + l * 0.1 * (1.0 - j)
}

/// Jaro-Winkler as the OFAC Sanctions List Search computes it: the prefix bonus is applied
/// whatever the Jaro similarity (no 0.7 boost threshold), and only when the first letters
/// agree (a shared prefix starts with the first letter, so a different first letter means no
/// bonus at all).
pub fn jaro_winkler_unconditional(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    let l = common_prefix(a, b, 4) as f64;
    j + l * 0.1 * (1.0 - j)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
pub fn osa_distance(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    if a.len() >= STACK || b.len() >= STACK {
        return strsim::osa_distance(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b));
    }
    // Three rolling rows (two back for transpositions, previous, current) in one buffer,
    // rotated by offset rather than copied.
    let w = b.len() + 1;
    let mut rows = [0usize; 3 * STACK];
    let (mut r2, mut r1, mut r0) = (0usize, STACK, 2 * STACK);
    for j in 0..w {
        rows[r1 + j] = j;
    }
    for i in 1..=a.len() {
        rows[r0] = i;
        for j in 1..w {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (rows[r1 + j] + 1)
                .min(rows[r0 + j - 1] + 1)
                .min(rows[r1 + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[r2 + j - 2] + 1);
            }
            rows[r0 + j] = v;
        }
        (r2, r1, r0) = (r1, r0, r2);
    }
    rows[r1 + b.len()]
}

/// Edit similarity 1 − distance / longer length.
pub fn edit_similarity(a: &[u8], b: &[u8]) -> f64 {
    let n = a.len().max(b.len());
    if n == 0 {
        return 1.0;
    }
    1.0 - osa_distance(a, b) as f64 / n as f64
}

/// Singular and plural of one word: SYSTEM / SYSTEMS, TECHNOLOGY / TECHNOLOGIES (but not
/// HONEST / HONESTY).
pub fn same_stem(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() < 3 {
        return false;
    }
    if long.len() == short.len() + 1 && long.ends_with(b"S") && long.starts_with(short) {
        return !short.ends_with(b"S");
    }
    // …Y / …IES
    long.len() == short.len() + 2
        && short.ends_with(b"Y")
        && long.ends_with(b"IES")
        && long.starts_with(&short[..short.len() - 1])
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// Transliteration skeleton: spellings of one name in different romanizations collapse to one
/// key (MOHAMMED / MUHAMMAD / MOHAMAD → MHMD; ALEKSANDR / ALEXANDER → ALKSNDR; HUSSEIN /
/// HOSSEIN / HUSAYN → HSN; YEVGENIY / EVGENY → AVGN). First letter kept (a leading vowel or Y
/// becomes A); later vowels dropped; letters that romanizations confuse folded together, as
/// Soundex does but finer (C/K/Q/G/KH/GH → K, D/DH/T → T, B/P → P, V/W/PH/F → F, Z/S → S,
/// ZH/DJ → J, X → KS); doubled letters collapsed.
pub fn skeleton(t: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        let next = t.get(i + 1).copied();
        let (mapped, step): (&[u8], usize) = match (c, next) {
            (b'P', Some(b'H')) => (b"F", 2),
            (b'K' | b'G', Some(b'H')) => (b"K", 2),
            (b'T', Some(b'H')) => (b"T", 2),
            (b'D', Some(b'H')) => (b"T", 2),
            (b'C', Some(b'K')) => (b"K", 2),
            (b'C', Some(b'H')) => (b"C", 2),
            (b'S', Some(b'H')) => (b"S", 2),
            (b'Z', Some(b'H')) => (b"J", 2),
            (b'D', Some(b'J')) => (b"J", 2),
            (b'T', Some(b'S')) if i > 0 => (b"S", 2),
            // C before E, I or Y is the TS or S sound (Slavic C = TS: HOTINCEV / KHOTINTSEV;
            // Romance C = S: CENTRE / SENTRE).
            (b'C', Some(b'E' | b'I' | b'Y')) if i > 0 => (b"S", 1),
            (b'C' | b'Q' | b'G' | b'K', _) => (b"K", 1),
            (b'X', _) => (b"KS", 1),
            (b'D', _) => (b"T", 1),
            (b'B', _) => (b"P", 1),
            (b'Z', _) => (b"S", 1),
            (b'V', _) => (b"F", 1),
            // W after a vowel and before a consonant is a vowel (NOWSHAD / NAUSHAD).
            (b'W', Some(n)) if i > 0 && !is_vowel(n) && is_vowel(t[i - 1]) => (b"", 1),
            (b'W', _) => (b"F", 1),
            (b'Y', _) if i == 0 => (b"A", 1),
            (b'A' | b'E' | b'I' | b'O' | b'U' | b'Y', _) => {
                if i == 0 {
                    (b"A", 1)
                } else {
                    (b"", 1)
                }
            }
            _ => (std::slice::from_ref(&t[i]), 1),
        };
        for &m in mapped {
            if out.last() != Some(&m) {
                out.push(m);
            }
        }
        i += step;
    }
    // A trailing H is silent in most romanizations (ALLAH / ALLA, SHAH / SHA).
    if out.len() > 2 && out.last() == Some(&b'H') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sk(s: &str) -> String {
        let mut v = Vec::new();
        skeleton(s.as_bytes(), &mut v);
        String::from_utf8(v).unwrap_or_default()
    }

    #[test]
    fn jaro_with_bit_sets_is_the_window_scan() {
        // Every pair of a set of real and edge-case tokens (shared bytes in one slot of the
        // position table: A and 0x01, 0 and p; repeats; the 64-byte limit), both orders.
        let mut toks: Vec<Vec<u8>> = [
            "MARTHA",
            "MARHTA",
            "DIXON",
            "DICKSONX",
            "HIKVISION",
            "HIKVISON",
            "HIK",
            "VISION",
            "TECHNOLOGY",
            "TECHNOLOGIES",
            "AAAAAAAA",
            "AAB",
            "ABA",
            "BAA",
            "ZHEJIANG",
            "DAHUA",
            "TAIHE",
            "ROSOBORONEXPORT",
            "ROSOBORONEKSPORT",
            "0123",
            "P0P0",
            "A\u{1}A",
            "\u{1}AA",
            "ÄÖÜ",
            "MUHAMMAD",
            "MOHAMMED",
            "X",
            "XY",
            "YX",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        toks.push(vec![b'A'; 64]);
        toks.push([vec![b'B'; 63], vec![b'A']].concat());
        toks.push((0..64u8).map(|i| b'A' + i % 26).collect());
        toks.push((0..64u8).map(|i| b'Z' - i % 26).collect());
        for a in &toks {
            for b in &toks {
                if a.is_empty() || b.is_empty() || a == b {
                    continue;
                }
                let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
                assert_eq!(
                    jaro_bits(s, l).to_bits(),
                    jaro_scan(s, l).to_bits(),
                    "{:?} {:?}",
                    String::from_utf8_lossy(s),
                    String::from_utf8_lossy(l)
                );
            }
        }
    }

    #[test]
    fn jaro_with_bit_sets_is_the_window_scan_on_random_tokens() {
        // 200,000 pairs over small alphabets (many shared letters, repeats and transpositions),
        // 1–64 bytes; a fixed-seed LCG so a failure repeats.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % n
        };
        for _ in 0..200_000 {
            let alphabet = [
                b"AB".as_slice(),
                b"ABC",
                b"AEIOUN",
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            ][next(4) as usize];
            let max = if next(8) == 0 { 64 } else { 14 };
            let mut tok = || -> Vec<u8> {
                let len = 1 + next(max) as usize;
                (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            };
            let (a, b) = (tok(), tok());
            if a == b {
                continue;
            }
            let (s, l) = if a.len() <= b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            assert_eq!(
                jaro_bits(s, l).to_bits(),
                jaro_scan(s, l).to_bits(),
                "{:?} {:?}",
                String::from_utf8_lossy(s),
                String::from_utf8_lossy(l)
            );
        }
    }

    #[test]
    fn jaro_winkler_matches_reference_values() {
        // Classic textbook pairs.
        assert!((jaro(b"MARTHA", b"MARHTA") - 0.9444).abs() < 1e-3);
        assert!((jaro_winkler(b"MARTHA", b"MARHTA") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler(b"DIXON", b"DICKSONX") - 0.8133).abs() < 1e-3);
        for (a, b) in [
            ("HIKVISION", "HIKVISON"),
            ("DAHUA", "DAHAU"),
            ("ZTE", "ZET"),
        ] {
            let ours = jaro_winkler(a.as_bytes(), b.as_bytes());
            assert!((ours - strsim::jaro_winkler(a, b)).abs() < 1e-9, "{a} {b}");
        }
    }

    #[test]
    fn unconditional_prefix_bonus_applies_below_point_seven() {
        let a = b"ABCXYZQW";
        let b = b"ABXXXXXX";
        let j = jaro(a, b);
        assert!(j <= 0.7);
        assert!(jaro_winkler_unconditional(a, b) > j);
        assert_eq!(jaro_winkler(a, b), j);
        // No shared first letter: no bonus.
        assert_eq!(
            jaro_winkler_unconditional(b"XBC", b"ABC"),
            jaro(b"XBC", b"ABC")
        );
    }

    #[test]
    fn osa_counts_transpositions_once() {
        assert_eq!(osa_distance(b"DAHUA", b"DAHAU"), 1);
        assert_eq!(osa_distance(b"KITTEN", b"SITTING"), 3);
        assert_eq!(osa_distance(b"", b"ABC"), 3);
    }

    #[test]
    fn skeleton_joins_romanizations() {
        assert_eq!(sk("MOHAMMED"), sk("MUHAMMAD"));
        assert_eq!(sk("MOHAMAD"), sk("MUHAMMAD"));
        assert_eq!(sk("ALEKSANDR"), sk("ALEXANDR"));
        assert_eq!(sk("HUSSEIN"), sk("HOSSEIN"));
        assert_eq!(sk("HUSAYN"), sk("HUSSEIN"));
        assert_eq!(sk("YEVGENIY"), sk("EVGENY"));
        assert_eq!(sk("TSAREV"), sk("TSARYOV"));
        assert_eq!(sk("QADHAFI"), sk("GADDAFI"));
        assert_eq!(sk("NAUSHAD"), sk("NOWSHAD"));
        assert_eq!(sk("LEASING"), sk("LIZING"));
        assert_eq!(sk("HOTINCEV"), sk("HOTINTSEV"));
        assert_eq!(sk("LUCIANO"), sk("LUSIANO"));
        assert_ne!(sk("MARCO"), sk("MARSO"));
        assert_ne!(sk("DAHUA"), sk("DAEWOO"));
        assert_ne!(sk("HIKVISION"), sk("HYTERA"));
    }

    #[test]
    fn stems_fold_plurals() {
        assert!(same_stem(b"TECHNOLOGIES", b"TECHNOLOGY"));
        assert!(same_stem(b"SYSTEM", b"SYSTEMS"));
        assert!(!same_stem(b"HONEST", b"HONESTY"));
        assert!(!same_stem(b"GLAS", b"GLASS"));
    }
}
