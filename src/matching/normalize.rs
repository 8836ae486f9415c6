//! Normalization: Unicode folding and transliteration to ASCII upper case, tokenization,
//! legal-form canonicalization, and parsing a published name into the variants it contains
//! (parenthesized and "a.k.a." aliases, Entity List affiliate names, location suffixes).

use unicode_normalization::UnicodeNormalization;

use super::tables::{Class, TABLES_DATA};
use super::textsim::osa_distance;
pub use super::variants::parse;

/// One token of a name: folded text and what kind of word it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub text: String,
    pub class: Class,
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
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub variants: Vec<Variant>,
    pub notes: Notes,
}

impl Parsed {
    pub fn has_class(&self, class: Class) -> bool {
        self.variants
            .iter()
            .any(|v| v.toks.iter().any(|t| t.class == class))
    }
}

/// NFKC, transliteration of any script to ASCII (Cyrillic, Greek, Arabic, CJK … via any_ascii,
/// which also strips diacritics), upper case. Returns whether anything non-ASCII was folded.
pub fn fold(s: &str) -> (String, bool) {
    if s.is_ascii() {
        return (s.to_ascii_uppercase(), false);
    }
    let mut ascii = String::with_capacity(s.len() * 2);
    for c in s.nfkc() {
        if c.is_ascii() {
            ascii.push(c);
        } else if is_cjk(c) {
            // One syllable per character, as separate words: 杭州 → HANG ZHOU (which the
            // scorer joins again to match HANGZHOU).
            ascii.push(' ');
            ascii.push_str(any_ascii::any_ascii_char(c));
            ascii.push(' ');
        } else {
            ascii.push_str(any_ascii::any_ascii_char(c));
        }
    }
    ascii.make_ascii_uppercase();
    (ascii, true)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
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
                out.push((p.to_string(), seg));
            }
        }
        chunk.clear();
    };
    for c in folded.chars() {
        match c {
            'A'..='Z' | '0'..='9' | '.' => chunk.push(c),
            'a'..='z' => chunk.push(c.to_ascii_uppercase()),
            '\'' | '`' | '?' | '"' => {}
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

/// Tokens with classes; legal-form phrases rewritten to their canonical form. Each token keeps
/// the comma segment of its first word.
/// Long legal-form words whose one-letter typos ("LIMITD") are still read as legal forms.
const LEGAL_WORDS: &[&str] = &[
    "LIMITED",
    "COMPANY",
    "CORPORATION",
    "INCORPORATED",
    "LIMITADA",
];

/// The legal word `w` is a one-letter typo of, if any.
fn legal_typo(w: &str) -> Option<&'static str> {
    if w.len() < 6 {
        return None;
    }
    LEGAL_WORDS
        .iter()
        .find(|l| {
            l.len().abs_diff(w.len()) <= 1
                && l.as_bytes()[0] == w.as_bytes()[0]
                && osa_distance(w.as_bytes(), l.as_bytes()) == 1
        })
        .copied()
}

pub(super) fn classify(ws: &[(String, u16)]) -> (Vec<(Tok, u16)>, bool) {
    let mut fixed: Vec<(String, u16)> = Vec::new();
    let ws = if ws.iter().any(|(w, _)| legal_typo(w).is_some()) {
        fixed.extend(ws.iter().map(|(w, s)| match legal_typo(w) {
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
            out.push((Tok { text, class }, ws[i].1));
            i += n;
        } else {
            let w = &ws[i].0;
            out.push((
                Tok {
                    text: w.clone(),
                    class: t.word_class(w),
                },
                ws[i].1,
            ));
            i += 1;
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
