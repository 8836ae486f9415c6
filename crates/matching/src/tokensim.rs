//! Token similarity: how closely two tokens of two names correspond (exact, plural, joined,
//! transliteration skeleton, fuzzy, initial), and the per-schema parameters scoring uses.

use super::romanize::{chinese_key, coarse_key};
use super::tables::Class;
use super::textsim::{self, edit_similarity, jaro_winkler, same_stem};
use super::translit::Script;
use super::Schema;

/// A token as the scorer sees it.
#[derive(Debug, Clone, Copy)]
pub struct STok<'a> {
    pub text: &'a [u8],
    pub skel: &'a [u8],
    pub class: Class,
    /// Rarity factor from the indexed corpus, 0.5–1 (1 without a corpus).
    pub rarity: f32,
    /// The script the name was written in (transliterations of abjads and of loose scripts
    /// are compared by their consonants).
    pub script: Script,
    /// How normalization rewrote the token, for explanations ("1ST=FIRST (ordinal)").
    pub orig: Option<&'a str>,
}

/// How two tokens were found to correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimKind {
    Exact,
    Stem,
    Phonetic,
    Fuzzy,
    Initial,
    Legal,
    Compound,
    /// Same word in two romanizations of Chinese (TSE TUNG ~ ZEDONG).
    Romanization,
    /// A loose transcription (Han, kana, Hangul …) with the consonants of a Latin word.
    Transcription,
    /// A keyboard slip in a word of four letters or more: two adjacent letters swapped
    /// (HAUWEI / HUAWEI) or one letter doubled (AQSSA / AQSA). Not a different letter: that
    /// makes another word as often as a typo (MEDOC / MEDIC).
    Slip,
}

/// Scoring parameters for a schema.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Person names: generic words and places are ordinary name words; initials match.
    pub person: bool,
    pub initials: bool,
    pub extra_word: f64,
    pub extra_number: f64,
    /// Vessel or aircraft names: a legal form on one side only means a company, not a ship.
    pub craft: bool,
    /// Neither name has a distinctive word (BEIJING INSTITUTE OF TECHNOLOGY): its descriptive
    /// words and places are its identity and weigh as words. Set per pair by [`align`].
    pub descriptive_only: bool,
    /// Both names read as romanized Chinese: Wade-Giles and pinyin spellings correspond.
    pub chinese: bool,
    /// Tokens are characters in their original script (CJK against CJK): exact only.
    pub native: bool,
}

impl Params {
    pub fn for_schema(s: Schema) -> Params {
        match s {
            Schema::Company => Params {
                person: false,
                initials: false,
                extra_word: 0.6,
                extra_number: 0.5,
                craft: false,
                descriptive_only: false,
                chinese: false,
                native: false,
            },
            Schema::Person => Params {
                person: true,
                initials: true,
                extra_word: 0.3,
                extra_number: 0.5,
                craft: false,
                descriptive_only: false,
                chinese: false,
                native: false,
            },
            Schema::Vessel | Schema::Aircraft => Params {
                person: false,
                initials: false,
                extra_word: 0.6,
                extra_number: 0.9,
                craft: true,
                descriptive_only: false,
                chinese: false,
                native: false,
            },
            Schema::Unknown => Params {
                person: false,
                initials: true,
                extra_word: 0.45,
                extra_number: 0.6,
                craft: false,
                descriptive_only: false,
                chinese: false,
                native: false,
            },
        }
    }
}

/// Lowest similarity for two different tokens to be aligned.
const MIN_FUZZY: f64 = 0.80;

/// Similarity of two tokens, 0 when they should not be aligned. Approximate similarities
/// (fuzzy, same skeleton) are stretched: their distance from 1 counts double, so two different
/// words that merely look alike (ALPINE / ALBIN, raw 0.82) weigh far less than a typo
/// (HIKVISON / HIKVISION, raw 0.97).
pub fn token_sim(a: &STok, b: &STok, p: &Params) -> (f64, SimKind) {
    let (s, kind) = raw_sim(a, b, p);
    match kind {
        SimKind::Fuzzy | SimKind::Phonetic if s > 0.0 => ((1.0 - 2.0 * (1.0 - s)).max(0.01), kind),
        _ => (s, kind),
    }
}

fn raw_sim(a: &STok, b: &STok, p: &Params) -> (f64, SimKind) {
    if p.native {
        return if a.text == b.text {
            (1.0, SimKind::Exact)
        } else {
            (0.0, SimKind::Fuzzy)
        };
    }
    let a_legal = a.class == Class::Legal;
    let b_legal = b.class == Class::Legal;
    if a_legal || b_legal {
        return match (a_legal && b_legal, a.text == b.text) {
            (true, true) => (1.0, SimKind::Exact),
            (true, false) => (0.7, SimKind::Legal),
            _ => (0.0, SimKind::Fuzzy),
        };
    }
    if a.text == b.text {
        return (1.0, SimKind::Exact);
    }
    if a.class == Class::Number || b.class == Class::Number {
        return (0.0, SimKind::Fuzzy);
    }
    let (la, lb) = (a.text.len(), b.text.len());
    if la == 1 || lb == 1 {
        if p.initials && a.text[0] == b.text[0] {
            return (0.85, SimKind::Initial);
        }
        return (0.0, SimKind::Fuzzy);
    }
    if same_stem(a.text, b.text) {
        return (0.97, SimKind::Stem);
    }
    // Word forms of a descriptive word (TRADE / TRADING / TRADERS, ENGINEER / ENGINEERING).
    if (a.class == Class::Generic || b.class == Class::Generic) && same_word_form(a.text, b.text) {
        return (0.95, SimKind::Stem);
    }
    if la.min(lb) >= 4 && is_slip(a.text, b.text) {
        return (0.94, SimKind::Slip);
    }
    if p.chinese && same_chinese(a.text, b.text) {
        return (0.9, SimKind::Romanization);
    }
    if a.script.is_loose() != b.script.is_loose() && same_coarse(a, b) {
        return (0.85, SimKind::Transcription);
    }
    // Abbreviated descriptive words: INST / INSTITUTE, TECH / TECHNOLOGY, MFG is not handled.
    let (short, long) = if la < lb { (a, b) } else { (b, a) };
    if short.text.len() >= 3
        && long.class == Class::Generic
        && long.text.len() >= short.text.len() + 3
        && long.text.starts_with(short.text)
    {
        return (0.9, SimKind::Stem);
    }
    let longest = la.max(lb);
    if longest <= 3 {
        // Short words (acronyms) correspond only through a slip that keeps their letters: two
        // swapped (DJI / DIJ) or one letter romanizations confuse (VTB / WTB). Weak (0.76
        // after stretching): such a word counts only next to words that agree exactly.
        let swapped = la == lb
            && (0..la - 1).any(|i| {
                a.text[i] == b.text[i + 1]
                    && a.text[i + 1] == b.text[i]
                    && a.text[..i] == b.text[..i]
                    && a.text[i + 2..] == b.text[i + 2..]
            });
        if la == lb && la >= 2 && (swapped || (a.skel == b.skel && a.text[1..] == b.text[1..])) {
            return (0.88, SimKind::Fuzzy);
        }
        return (0.0, SimKind::Fuzzy);
    }
    if a.skel == b.skel && la.min(lb) * 5 >= longest * 3 {
        // The same skeleton lifts the string similarity by 0.15 — it does not replace it:
        // SECTRA / SOKTAR share a skeleton but are different names.
        let lifted =
            0.5 * jaro_winkler(a.text, b.text) + 0.5 * edit_similarity(a.text, b.text) + 0.15;
        // Abjad transliterations carry no vowels (محمد → MHMD): the skeleton is all there is.
        let abjad = |t: &STok, o: &STok| {
            matches!(t.script, Script::Arabic | Script::Hebrew)
                && t.text.len() >= 3
                && o.text.len() >= t.text.len() + 2
                && !t.text.iter().any(|c| b"AEIOU".contains(c))
        };
        if a.skel.len() >= 3 && (abjad(a, b) || abjad(b, a)) {
            return (0.9, SimKind::Phonetic);
        }
        if a.skel.len() >= 3 && lifted >= MIN_FUZZY {
            return (lifted.min(0.96), SimKind::Phonetic);
        }
        // Two consonants are weaker evidence than three (NOOR / NUR, SAEED / SAID) and need
        // the same first letter (DAHUA is not TAIHE).
        // (A leading vowel is not a consonant: ANNA / ANA share one.)
        if a.skel.len() == 2
            && a.skel[0] != b'A'
            && la.min(lb) >= 3
            && a.text[0] == b.text[0]
            && lifted >= 0.77
        {
            return (lifted.min(0.9), SimKind::Phonetic);
        }
    }
    // One letter in four changes a short word into another (AMIR / AMIN).
    let min = if longest <= 4 { 0.85 } else { MIN_FUZZY };
    match fuzzy_at_least(a.text, b.text, min) {
        Some(s) => (s, SimKind::Fuzzy),
        None => (0.0, SimKind::Fuzzy),
    }
}

/// Two adjacent letters swapped, or one letter doubled, and nothing else changed.
pub fn is_slip(a: &[u8], b: &[u8]) -> bool {
    if a.len() == b.len() {
        let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) else {
            return false;
        };
        return i + 1 < a.len()
            && a[i] == b[i + 1]
            && a[i + 1] == b[i]
            && a[i] != a[i + 1]
            && a[i + 2..] == b[i + 2..];
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let i = (0..short.len())
        .find(|&i| short[i] != long[i])
        .unwrap_or(short.len());
    // long[i] is the extra letter: a doubling repeats its neighbour.
    let doubled = (i > 0 && long[i] == long[i - 1]) || long.get(i + 1) == Some(&long[i]);
    doubled && long[i + 1..] == short[i..]
}

/// The stem of a descriptive word without its English word-form ending (-ING, -ERS, -ER,
/// -ES, -S, -E), if at least four letters remain.
fn word_stem(t: &[u8]) -> &[u8] {
    for suffix in [&b"ING"[..], b"ERS", b"ER", b"ES", b"S", b"E"] {
        if t.len() >= suffix.len() + 4 && t.ends_with(suffix) {
            return &t[..t.len() - suffix.len()];
        }
    }
    t
}

/// Two word forms of one descriptive word: TRADE / TRADING / TRADERS, PAINT / PAINTS.
pub fn same_word_form(a: &[u8], b: &[u8]) -> bool {
    a != b && word_stem(a) == word_stem(b)
}

/// Same Chinese syllables in pinyin or Wade-Giles (see `romanize`).
pub fn same_chinese(a: &[u8], b: &[u8]) -> bool {
    let (mut ka, mut kb) = (Vec::new(), Vec::new());
    chinese_key(a, &mut ka) && chinese_key(b, &mut kb) && ka == kb
}

/// Same coarse consonant key, at least two consonants (see `romanize`).
pub fn same_coarse(a: &STok, b: &STok) -> bool {
    let (mut ka, mut kb) = (Vec::new(), Vec::new());
    coarse_key(a.text, a.script == Script::Kana, &mut ka);
    coarse_key(b.text, b.script == Script::Kana, &mut kb);
    coarse_agree(&ka, a.script, &kb, b.script)
}

/// Whether two coarse keys agree: equal (two consonants at least), or — for a word in a
/// script whose syllables cannot end in R or L (Myanmar, Thai, Lao, Khmer, Tibetan:
/// ဗလာဒီမာ BLADIMA for VLADIMIR) — equal but for the final R / L of the Latin word, three
/// consonants at least left.
pub fn coarse_agree(ka: &[u8], sa: Script, kb: &[u8], sb: Script) -> bool {
    if ka.len() >= 2 && ka == kb {
        return true;
    }
    let dropped_r = |loose: &[u8], latin: &[u8]| {
        loose.len() >= 3
            && latin.len() == loose.len() + 1
            && latin.ends_with(b"R")
            && latin.starts_with(loose)
    };
    (sa == Script::Loose && dropped_r(ka, kb)) || (sb == Script::Loose && dropped_r(kb, ka))
}

/// Whether tokens of these lengths can reach `min` in [`fuzzy_at_least`]: the edit distance is
/// at least the difference in length and Jaro-Winkler at most 1, so the blend is at most
/// `0.5 + 0.5 × (1 − difference / longer)`, computed as the blend computes it (the same
/// roundings, each monotone), so a pair this rules out is one the blend would rule out.
/// Tokens of 64 bytes or more are not ruled out (their edit distance counts characters, not
/// bytes).
pub fn fuzzy_possible(a_len: usize, b_len: usize, min: f64) -> bool {
    let n = a_len.max(b_len);
    if n == 0 || n >= textsim::STACK || textsim::reference() {
        return true;
    }
    let edit_at_most = 1.0 - a_len.abs_diff(b_len) as f64 / n as f64;
    0.5 * 1.0 + 0.5 * edit_at_most >= min
}

/// Blend of Jaro-Winkler (forgiving of typos late in a word) and edit similarity (which keeps
/// MARTIN from matching MARTINEZ as closely as JW alone would), if it reaches `min`. The edit
/// distance is skipped when Jaro-Winkler alone rules the pair out (most pairs).
pub fn fuzzy_at_least(a: &[u8], b: &[u8], min: f64) -> Option<f64> {
    if !fuzzy_possible(a.len(), b.len(), min) {
        return None;
    }
    let jw = jaro_winkler(a, b);
    if 0.5 * jw + 0.5 < min {
        return None;
    }
    let s = 0.5 * jw + 0.5 * edit_similarity(a, b);
    (s >= min).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blend without the length bound.
    fn blend(a: &[u8], b: &[u8]) -> f64 {
        0.5 * jaro_winkler(a, b) + 0.5 * edit_similarity(a, b)
    }

    #[test]
    fn the_length_bound_rules_out_only_pairs_the_blend_rules_out() {
        // Random tokens of 1–63 bytes over small alphabets (close pairs are common), at the
        // minimums the scorer asks for, and the bound at its edge (equal lengths, 4 vs 5 …).
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) % n
        };
        let mut ruled_out = 0usize;
        for _ in 0..100_000 {
            let alphabet: &[u8] =
                [b"AB".as_slice(), b"ABCD", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"][next(3) as usize];
            let la = 1 + next(20) as usize;
            let lb = if next(4) == 0 {
                1 + next(63) as usize
            } else {
                (la + next(5) as usize).clamp(1, 63)
            };
            let mut tok = |len: usize| -> Vec<u8> {
                (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            };
            let (a, b) = (tok(la), tok(lb));
            for min in [0.75, MIN_FUZZY, 0.85, 0.9] {
                if !fuzzy_possible(a.len(), b.len(), min) {
                    ruled_out += 1;
                    assert!(
                        blend(&a, &b) < min,
                        "{:?} {:?} {min}",
                        String::from_utf8_lossy(&a),
                        String::from_utf8_lossy(&b)
                    );
                }
            }
        }
        assert!(ruled_out > 10_000, "the bound rules out pairs: {ruled_out}");
        // A typo of one letter in five is never ruled out at 0.8 (HIKVISON / HIKVISION).
        assert!(fuzzy_possible(8, 9, MIN_FUZZY));
        assert_eq!(
            fuzzy_at_least(b"HIKVISON", b"HIKVISION", MIN_FUZZY).is_some(),
            blend(b"HIKVISON", b"HIKVISION") >= MIN_FUZZY
        );
    }
}
