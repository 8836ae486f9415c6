//! String similarity on folded (ASCII upper-case) tokens: Jaro, Jaro-Winkler, optimal string
//! alignment distance, a transliteration skeleton and a plural stem. Byte-level and
//! allocation-free for the short strings names are made of; this is the matcher's hot path.

/// Longest strings handled on the stack; longer ones fall back to heap buffers.
const STACK: usize = 64;

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
    let window = (b.len() / 2).saturating_sub(1);
    let mut a_flags_s = [false; STACK];
    let mut b_flags_s = [false; STACK];
    let mut a_heap;
    let mut b_heap;
    let (a_flags, b_flags): (&mut [bool], &mut [bool]) = if b.len() <= STACK {
        (&mut a_flags_s[..a.len()], &mut b_flags_s[..b.len()])
    } else {
        a_heap = vec![false; a.len()];
        b_heap = vec![false; b.len()];
        (&mut a_heap[..], &mut b_heap[..])
    };
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
