//! Normalization: Unicode folding and transliteration to ASCII upper case, tokenization,
//! legal-form canonicalization, and parsing a published name into the variants it contains
//! (parenthesized and "a.k.a." aliases, Entity List affiliate names, location suffixes).

use super::tables::{Class, TABLES_DATA};
use super::textsim::osa_distance;
pub use super::translit::Script;
pub use super::variants::parse;

/// One token of a name: folded text and what kind of word it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub text: String,
    pub class: Class,
    /// How the token was rewritten, for explanations ("1ST=FIRST (ordinal)"); `Some("")` for
    /// the second and later words of one rewrite (UNITED STATES from U.S.).
    pub orig: Option<Box<str>>,
}

impl Tok {
    pub fn new(text: String, class: Class) -> Tok {
        Tok {
            text,
            class,
            orig: None,
        }
    }
}

/// Where a variant of a name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariantKind {
    /// The name itself (with any aliases taken out).
    Name,
    /// An alias written in parentheses: "Huawei Technologies Co., Ltd. (Huawei)".
    Parenthesized,
    /// An alias after a.k.a. / f.k.a. / d.b.a.
    Aka,
    /// An alias in parentheses that is the initials of the name ("… Development Center
    /// (CARDC)"): it matches only exactly, and only a name that is that acronym.
    Acronym,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub kind: VariantKind,
    pub toks: Vec<Tok>,
}

/// What normalization did to a name, for explanations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Notes {
    pub transliterated: bool,
    pub legal_form: bool,
    pub location_suffix: bool,
    pub aliases: bool,
    pub affiliate: bool,
    /// Written "SURNAME, Given names".
    pub comma_order: bool,
    /// The script the name was written in.
    pub script: Script,
    /// Every distinctive word reads as romanized Chinese syllables (pinyin or Wade-Giles).
    pub chinese: bool,
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub variants: Vec<Variant>,
    pub notes: Notes,
    /// The name's letters and digits without spaces or punctuation (ETSDIALLO for "Ets
    /// Diallo"), for the rule that names spaced differently are the same name.
    pub squashed: String,
}

impl Parsed {
    pub fn has_class(&self, class: Class) -> bool {
        self.variants
            .iter()
            .any(|v| v.toks.iter().any(|t| t.class == class))
    }
}

/// NFKC, transliteration of any script to ASCII (see `translit`: any_ascii, with tables for
/// abjads), upper case. Returns whether anything non-ASCII was folded.
pub fn fold(s: &str) -> (String, bool) {
    let (f, t, _) = super::translit::fold(s);
    (f, t)
}

/// Words of folded text with the comma-segment each belongs to. Apostrophes and `?` (a
/// mangled apostrophe or quote in published files: "Xi?an") join; `&` reads AND; dotted
/// initials join (S.A. → SA, U.S.A. → USA); everything else separates.
pub(super) fn words(folded: &str) -> Vec<(String, u16)> {
    let mut out: Vec<(String, u16)> = Vec::new();
    let mut seg: u16 = 0;
    let mut chunk = String::new();
    let flush = |chunk: &mut String, seg: u16, out: &mut Vec<(String, u16)>| {
        if chunk.is_empty() {
            return;
        }
        let parts: Vec<&str> = chunk.split('.').filter(|p| !p.is_empty()).collect();
        if parts.len() >= 2 && parts.iter().all(|p| p.len() == 1) {
            out.push((parts.concat(), seg));
        } else {
            for p in parts {
                out.push((unleet(p), seg));
            }
        }
        chunk.clear();
    };
    for c in folded.chars() {
        match c {
            'A'..='Z' | '0'..='9' | '.' => chunk.push(c),
            'a'..='z' => chunk.push(c.to_ascii_uppercase()),
            '\'' | '`' | '?' | '"' => {}
            // M/V, M/T, T/B, N/M (vessel prefixes) join as dotted initials do; other slashes
            // separate.
            '/' if chunk.len() == 1 && chunk.as_bytes()[0].is_ascii_alphabetic() => chunk.push('.'),
            '&' => {
                flush(&mut chunk, seg, &mut out);
                out.push(("AND".to_string(), seg));
            }
            ',' | ';' => {
                flush(&mut chunk, seg, &mut out);
                seg = seg.saturating_add(1);
            }
            _ => flush(&mut chunk, seg, &mut out),
        }
    }
    flush(&mut chunk, seg, &mut out);
    out
}

/// Digits written for the letters they look like inside a word (IG0R, SECH1N, I9OR): the rule
/// "digit for letter" applies only to digits with letters on both sides, so series and unit
/// markers (AHL1, 2004, A380) keep their digits.
fn unleet(w: &str) -> String {
    let b = w.as_bytes();
    let inside = |i: usize| {
        i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_alphabetic() && b[i + 1].is_ascii_alphabetic()
    };
    let letter = |d: u8| match d {
        b'0' => Some('O'),
        b'1' => Some('I'),
        b'3' => Some('E'),
        b'4' => Some('A'),
        b'5' => Some('S'),
        b'7' => Some('T'),
        b'9' => Some('G'),
        _ => None,
    };
    let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
    if digits.is_empty()
        || b.iter().filter(|c| c.is_ascii_alphabetic()).count() < 3
        || !digits.iter().all(|&i| inside(i) && letter(b[i]).is_some())
    {
        return w.to_string();
    }
    w.bytes()
        .map(|c| {
            letter(c)
                .filter(|_| c.is_ascii_digit())
                .unwrap_or(c as char)
        })
        .collect()
}

/// Long legal-form words whose typos ("LIMITD", "AKTIENGESELSCHAFT") are still read as legal
/// forms: one letter off, or two in a word of 12 letters or more.
const LEGAL_WORDS: &[&str] = &[
    "LIMITED",
    "COMPANY",
    "CORPORATION",
    "INCORPORATED",
    "LIMITADA",
    "LIABILITY",
    "AKTIENGESELLSCHAFT",
    "GESELLSCHAFT",
    "OBSHCHESTVO",
    "OGRANICHENNOI",
    "OGRANICHENNOY",
    "OTVETSTVENNOSTYU",
    "AKTSIONERNOE",
    "ZAKRYTOE",
    "OTKRYTOE",
    "PUBLICHNOE",
    "SOCIEDAD",
    "RESPONSABILIDAD",
];

/// Short legal forms whose slips where a legal form stands (LD, COO, AOO, GBMH, ZAAO, JCS, OC
/// before LTD) are still read as legal forms: a doubled or dropped letter, or two letters
/// swapped.
const SHORT_LEGAL: &[&str] = &[
    "LTD", "CO", "AO", "OOO", "ZAO", "OAO", "PAO", "GMBH", "LLC", "INC", "CORP", "JSC", "PJSC",
    "CJSC", "OJSC", "SRL", "PLC", "PTY", "PVT", "DOO", "LLP", "FZE", "FZCO", "LTDA", "SARL",
    "EOOD",
];

/// The short legal form `w` is a slip of, if any (never a word that is itself a legal form);
/// `drop`: a dropped letter counts too (not at the start of a name, where an acronym stands:
/// CSC is not CJSC).
fn short_legal_typo(w: &str, drop: bool) -> Option<&'static str> {
    if !(2..=5).contains(&w.len()) || SHORT_LEGAL.contains(&w) {
        return None;
    }
    SHORT_LEGAL
        .iter()
        .find(|l| {
            let (a, b) = (w.as_bytes(), l.as_bytes());
            let swapped = a.len() == b.len()
                && (0..a.len() - 1).any(|i| {
                    let mut t = a.to_vec();
                    t.swap(i, i + 1);
                    t == b
                });
            // A doubled letter (AOO, ZAAO, COO) or one dropped (LD): same first letter.
            let one_off = a.len().abs_diff(b.len()) == 1
                && a[0] == b[0]
                && osa_distance(a, b) == 1
                && (a.len() > b.len() || (drop && b.len() >= 3));
            swapped || one_off
        })
        .copied()
}

/// The legal word `w` is a typo of, if any.
fn legal_typo(w: &str) -> Option<&'static str> {
    if w.len() < 6 {
        return None;
    }
    LEGAL_WORDS
        .iter()
        .find(|l| {
            let allowed = if l.len() >= 12 { 2 } else { 1 };
            l.len().abs_diff(w.len()) <= allowed
                && l.as_bytes()[0] == w.as_bytes()[0]
                && (1..=allowed).contains(&osa_distance(w.as_bytes(), l.as_bytes()))
        })
        .copied()
}

/// A word, its comma segment, and what it was rewritten from (for the explanation).
type Rewritten = (String, u16, Option<Box<str>>);

/// Number words, ordinals and abbreviations rewritten (tables [number], [ordinal], [abbrev]):
/// FORTY FOUR / FORTY-FOUR / FORTY 4 -> 44, FIRST / 1ST -> 1ST, U.S. -> UNITED STATES. Each
/// rewritten word carries what it was, for the explanation.
fn rewrite(ws: &[(String, u16)]) -> Option<Vec<Rewritten>> {
    let t = &*TABLES_DATA;
    let hit = |w: &str| {
        t.numbers.contains_key(w) || t.ordinals.contains_key(w) || t.abbrev.contains_key(w)
    };
    if !ws.iter().any(|(w, _)| hit(w)) {
        return None;
    }
    let mut out = Vec::with_capacity(ws.len() + 2);
    let mut i = 0;
    while i < ws.len() {
        let (w, seg) = (&ws[i].0, ws[i].1);
        if let Some(&n) = t.numbers.get(w.as_str()) {
            // A tens word and a following unit (word or digit): one number.
            let unit = ws.get(i + 1).and_then(|(u, _)| {
                t.numbers
                    .get(u.as_str())
                    .copied()
                    .or_else(|| u.parse::<u32>().ok().filter(|_| u.len() == 1))
                    .filter(|&u| u < 10)
            });
            let (value, used) = match unit {
                Some(u) if n >= 20 && n % 10 == 0 && n < 100 => (n + u, 2),
                _ => (n, 1),
            };
            let words = ws[i..i + used]
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            out.push((
                value.to_string(),
                seg,
                Some(format!("{words}={value} (number words)").into()),
            ));
            i += used;
        } else if let Some(&o) = t.ordinals.get(w.as_str()) {
            let note = (o != w.as_str()).then(|| format!("{o}={w} (ordinal)").into());
            out.push((o.to_string(), seg, note));
            i += 1;
        } else if let Some(exp) = t.abbrev.get(w.as_str()) {
            for (k, e) in exp.iter().enumerate() {
                let note: Box<str> = if k == 0 {
                    format!("{w}={} (abbreviation)", exp.join(" ")).into()
                } else {
                    "".into()
                };
                out.push((e.to_string(), seg, Some(note)));
            }
            i += 1;
        } else {
            out.push((w.clone(), seg, None));
            i += 1;
        }
    }
    Some(out)
}

/// Tokens with classes; legal-form phrases rewritten to their canonical form. Each token keeps
/// the comma segment of its first word.
pub(super) fn classify(ws: &[(String, u16)]) -> (Vec<(Tok, u16)>, bool) {
    let rewritten = rewrite(ws);
    let rewritten_ws: Vec<(String, u16)>;
    let ws = match &rewritten {
        Some(r) => {
            rewritten_ws = r.iter().map(|(w, s, _)| (w.clone(), *s)).collect();
            &rewritten_ws[..]
        }
        None => ws,
    };
    let note_at = |i: usize| rewritten.as_ref().and_then(|r| r[i].2.clone());
    let ordinal = |w: &str| TABLES_DATA.ordinals.values().any(|o| *o == w);
    let mut fixed: Vec<(String, u16)> = Vec::new();
    // The last word of the name (or of its first comma segment, "NPF TRANSNEFT, AOO").
    let at_end = |i: usize| i + 1 == ws.len() || ws.get(i + 1).is_some_and(|n| n.1 != ws[i].1);
    // Not a word that is a legal form already (PT), nor the end of a spaced-out one (SP Z OO).
    let legal_already = |w: &str| matches!(TABLES_DATA.phrase_at(&[w]), Some((_, Class::Legal, _)));
    // A short legal form's slip is read where legal forms stand: at the end of the name, at
    // its start (JCS NIIP, OSJC INVESTTRADEBANK), or before another legal form (GROUP OC.,
    // LTD.).
    let before_legal = |i: usize| ws.get(i + 1).is_some_and(|(n, _)| legal_already(n));
    let slip = |i: usize, w: &str| {
        legal_typo(w).or_else(|| {
            let spaced = i > 0 && ws[i - 1].0.len() == 1;
            let place = (at_end(i) && i > 0) || (i == 0 && ws.len() > 1) || before_legal(i);
            if place && !spaced && !legal_already(w) {
                short_legal_typo(w, i > 0)
            } else {
                None
            }
        })
    };
    let ws = if ws
        .iter()
        .enumerate()
        .any(|(i, (w, _))| slip(i, w).is_some())
    {
        fixed.extend(ws.iter().enumerate().map(|(i, (w, s))| match slip(i, w) {
            Some(l) => (l.to_string(), *s),
            None => (w.clone(), *s),
        }));
        &fixed[..]
    } else {
        ws
    };
    let t = &*TABLES_DATA;
    let mut out = Vec::with_capacity(ws.len());
    let mut legal_rewritten = false;
    let mut i = 0;
    let mut window: Vec<&str> = Vec::with_capacity(t.longest);
    while i < ws.len() {
        window.clear();
        window.extend(ws[i..].iter().take(t.longest).map(|(w, _)| w.as_str()));
        if let Some((n, class, canonical)) = t.phrase_at(&window) {
            let text = match canonical {
                Some(c) => {
                    if n > 1 || c != window[0] {
                        legal_rewritten = true;
                    }
                    c.to_string()
                }
                None if n == 1 => ws[i].0.clone(),
                None => window[..n].join(" "),
            };
            out.push((
                Tok {
                    text,
                    class,
                    orig: if n == 1 { note_at(i) } else { None },
                },
                ws[i].1,
            ));
            i += n;
        } else {
            let w = &ws[i].0;
            // Ordinals weigh as the descriptive word FIRST always did; 1ST is not a number.
            let class = if ordinal(w) {
                Class::Generic
            } else {
                t.word_class(w)
            };
            out.push((
                Tok {
                    text: w.clone(),
                    class,
                    orig: note_at(i),
                },
                ws[i].1,
            ));
            i += 1;
        }
    }
    // A roman numeral that opens a name is a word (XI JINPING), not a series number.
    if let Some((first, _)) = out.first_mut() {
        if first.class == Class::Number && first.text.bytes().all(|b| b.is_ascii_alphabetic()) {
            first.class = Class::Word;
        }
    }
    (out, legal_rewritten)
}

/// Tokens of a name without variant parsing: the basis of [`super::normalize_key`].
pub fn key_tokens(name: &str) -> Vec<Tok> {
    let (folded, _) = fold(name);
    classify(&words(&folded))
        .0
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: &Variant) -> Vec<&str> {
        v.toks.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn folds_scripts_and_diacritics() {
        assert_eq!(fold("Владимир Путин").0, "VLADIMIR PUTIN");
        assert_eq!(fold("Société Générale").0, "SOCIETE GENERALE");
        assert_eq!(fold("ＺＴＥ").0, "ZTE");
        assert!(fold("Ελλάδα").0.starts_with("ELLADA"));
        assert_eq!(
            fold("杭州").0.split_whitespace().collect::<Vec<_>>(),
            ["HANG", "ZHOU"]
        );
    }

    #[test]
    fn legal_forms_canonicalize() {
        let p = parse("HIKVISION DIGITAL TECHNOLOGY CO.,LTD.");
        assert_eq!(
            texts(&p.variants[0]),
            ["HIKVISION", "DIGITAL", "TECHNOLOGY", "CO LTD"]
        );
        let q = parse("Hikvision Digital Technology Company Limited");
        assert_eq!(texts(&q.variants[0]), texts(&p.variants[0]));
        assert_eq!(
            texts(&parse("LIBRE ABORDO, S.A. DE C.V.").variants[0]),
            ["LIBRE", "ABORDO", "SA DE CV"]
        );
    }

    #[test]
    fn city_suffix_becomes_place() {
        let p = parse("Huawei Technologies Co., Ltd., Chengdu, Sichuan");
        let v = &p.variants[0];
        assert!(p.notes.location_suffix);
        assert_eq!(v.toks.last().map(|t| t.class), Some(Class::Place));
        let p = parse("Changde Oscillator Co., Ltd., Pingquan");
        assert_eq!(
            p.variants[0].toks.last().map(|t| t.class),
            Some(Class::Place)
        );
        // A research institute after the legal form is part of the name.
        let p = parse("Huawei Technologies Co., Ltd., Beijing Research Institute");
        assert!(p.variants[0]
            .toks
            .iter()
            .any(|t| t.text == "RESEARCH" && t.class == Class::Generic));
    }

    #[test]
    fn aliases_are_variants() {
        let p = parse("Huawei Technologies Co., Ltd. (Huawei)");
        assert_eq!(p.variants.len(), 2);
        assert_eq!(texts(&p.variants[1]), ["HUAWEI"]);
        let p = parse("Gazprom Telekom, OOO (f.k.a. Zakrytoe Aktsionernoe Obshchestvo Gaztelekom)");
        assert_eq!(texts(&p.variants[1]), ["ZAO", "GAZTELEKOM"]);
        let p = parse("Huawei Digital Technologies (Suzhou) Co., Ltd.");
        assert_eq!(p.variants.len(), 1);
        let p = parse("JOHN SMITH a.k.a. JOHNNY SMYTHE");
        assert_eq!(texts(&p.variants[1]), ["JOHNNY", "SMYTHE"]);
        let p = parse("OSAKA TRADING");
        assert_eq!(p.variants.len(), 1);
    }

    #[test]
    fn affiliate_is_the_listed_name() {
        let p = parse("Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine Networks Co., Ltd.");
        assert!(p.notes.affiliate);
        assert_eq!(
            texts(&p.variants[0]),
            ["HUAWEI", "MARINE", "NETWORKS", "CO LTD"]
        );
        assert_eq!(p.variants.len(), 1);
    }

    #[test]
    fn person_comma_order_is_noted() {
        assert!(parse("PUTIN, Vladimir Vladimirovich").notes.comma_order);
        assert!(!parse("Optron, JSC").notes.comma_order);
    }

    #[test]
    fn mangled_apostrophes_join() {
        assert_eq!(
            texts(&parse("Xi?an Huawei").variants[0]),
            ["XIAN", "HUAWEI"]
        );
        assert_eq!(
            texts(&parse("AL-JALA' HOTEL").variants[0]),
            ["AL", "JALA", "HOTEL"]
        );
    }
}
