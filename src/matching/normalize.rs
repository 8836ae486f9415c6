//! Normalization: Unicode folding and transliteration to ASCII upper case, tokenization,
//! legal-form canonicalization, and parsing a published name into the variants it contains
//! (parenthesized and "a.k.a." aliases, Entity List affiliate names, location suffixes).

use unicode_normalization::UnicodeNormalization;

use super::tables::{Class, TABLES_DATA};
use super::textsim::osa_distance;

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
fn words(folded: &str) -> Vec<(String, u16)> {
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

fn classify(ws: &[(String, u16)]) -> (Vec<(Tok, u16)>, bool) {
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

const ALIAS_MARKERS: &[&str] = &[
    "A.K.A.",
    "A.K.A",
    "AKA",
    "F.K.A.",
    "F.K.A",
    "FKA",
    "N.K.A.",
    "NKA",
    "D.B.A.",
    "D.B.A",
    "DBA",
    "T/A",
    "FORMERLY KNOWN AS",
    "ALSO KNOWN AS",
    "TRADING AS",
    "FORMERLY",
    "FORMER NAME",
];

fn boundary(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Position of the first alias marker in `s` as (start, end). One pass over word starts: this
/// runs for every name indexed.
fn find_marker(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    for i in 0..b.len() {
        if !matches!(b[i], b'A' | b'F' | b'N' | b'D' | b'T')
            || (i > 0 && b[i - 1].is_ascii_alphanumeric())
        {
            continue;
        }
        // Longest marker first at this position ("A.K.A." before "A.K.A").
        let mut best: Option<usize> = None;
        for m in ALIAS_MARKERS {
            let end = i + m.len();
            if b[i..].starts_with(m.as_bytes())
                && boundary(s, i, end)
                && best.is_none_or(|e| end > e)
            {
                best = Some(end);
            }
        }
        if let Some(end) = best {
            return Some((i, end));
        }
    }
    None
}

/// Strip a leading alias marker ("a.k.a. X" → "X").
fn strip_marker(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    match find_marker(t) {
        Some((0, end)) => t[end..].trim_start_matches([':', ' ', ',', '.']),
        _ => t,
    }
}

/// Split folded text at alias markers: the first part and the aliases.
fn split_aka(s: &str) -> (String, Vec<String>) {
    let mut parts = Vec::new();
    let mut rest = s;
    let mut main = None;
    while let Some((start, end)) = find_marker(rest) {
        let head = rest[..start].trim().trim_end_matches([',', ';', ':']);
        if main.is_none() {
            main = Some(head.to_string());
        } else if !head.is_empty() {
            parts.push(head.to_string());
        }
        rest = rest[end..].trim_start_matches([':', ' ', ',', '.']);
    }
    match main {
        None => (rest.to_string(), parts),
        Some(m) => {
            if !rest.trim().is_empty() {
                parts.push(rest.trim().to_string());
            }
            (m, parts)
        }
    }
}

/// Take out parenthesized groups: returns the text without them and the groups' contents.
fn take_parens(s: &str) -> (String, Vec<String>) {
    let mut main = String::with_capacity(s.len());
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' => {
                if depth == 0 {
                    cur.clear();
                } else {
                    cur.push(' ');
                }
                depth += 1;
                main.push(' ');
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push(std::mem::take(&mut cur));
                }
            }
            _ if depth > 0 => cur.push(c),
            _ => main.push(c),
        }
    }
    if depth > 0 && !cur.is_empty() {
        // Unclosed parenthesis: keep its text in the name.
        main.push_str(&cur);
    }
    (main, groups)
}

/// Tokens of one piece of folded text, with location suffixes marked as places.
fn tokens_with_locations(text: &str, notes: &mut Notes) -> Vec<Tok> {
    let ws = words(text);
    let (toks, legal) = classify(&ws);
    notes.legal_form |= legal;
    let mut toks = toks;
    // Segments in order, as ranges of token positions.
    let mut segs: Vec<(usize, usize)> = Vec::new();
    for (i, (_, s)) in toks.iter().enumerate() {
        match segs.last_mut() {
            Some((_, end)) if toks[*end - 1].1 == *s => *end = i + 1,
            _ => segs.push((i, i + 1)),
        }
    }
    if segs.len() == 2 {
        let first = &toks[segs[0].0..segs[0].1];
        let no_org_words = toks
            .iter()
            .all(|(t, _)| !matches!(t.class, Class::Legal | Class::Generic | Class::Number));
        if first.len() <= 3 && no_org_words {
            notes.comma_order = true;
        }
    }
    // Location suffixes: trailing segments that are all places, or short segments right
    // after a legal form ("… Co., Ltd., Pingquan").
    let t = &*TABLES_DATA;
    let mut k = segs.len();
    while k > 1 {
        let (a, b) = segs[k - 1];
        let words: Vec<&str> = toks[a..b].iter().map(|(t, _)| t.text.as_str()).collect();
        let all_places = t.all_places(&words);
        let after_legal =
            toks[segs[k - 2].1 - 1].0.class == Class::Legal || (k >= 3 && notes.location_suffix);
        let plain = b - a <= 3
            && toks[a..b]
                .iter()
                .all(|(t, _)| matches!(t.class, Class::Word | Class::Place));
        if all_places || (after_legal && plain) {
            for (tok, _) in &mut toks[a..b] {
                tok.class = Class::Place;
            }
            notes.location_suffix = true;
            k -= 1;
        } else {
            break;
        }
    }
    toks.into_iter().map(|(t, _)| t).collect()
}

/// Parse a published name into its variants.
pub fn parse(name: &str) -> Parsed {
    let (folded, transliterated) = fold(name);
    let mut notes = Notes {
        transliterated,
        ..Notes::default()
    };
    let mut text: &str = &folded;
    if let Some(p) = text.find("AFFILIATED ENTITY:") {
        // "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks
        // Co., Ltd.": the listed party is the affiliate.
        let after = &text[p + "AFFILIATED ENTITY:".len()..];
        if after.chars().any(|c| c.is_ascii_alphanumeric()) {
            text = after;
            notes.affiliate = true;
        }
    }
    let (without_parens, groups) = take_parens(text);
    let (main, akas) = split_aka(&without_parens);
    let mut variants = Vec::with_capacity(1 + groups.len() + akas.len());
    let mut main_toks = tokens_with_locations(&main, &mut notes);
    let t = &*TABLES_DATA;
    for g in &groups {
        let inner = strip_marker(g);
        let mut n2 = Notes::default();
        let toks = tokens_with_locations(inner, &mut n2);
        if toks.is_empty() {
            continue;
        }
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        if t.all_places(&words) || toks.iter().all(|t| t.class == Class::Legal) {
            // "(Suzhou)", "(Pvt)": part of the name, not an alias.
            main_toks.extend(toks.into_iter().map(|mut tok| {
                if tok.class != Class::Legal {
                    tok.class = Class::Place;
                }
                tok
            }));
            continue;
        }
        if !toks
            .iter()
            .any(|t| t.text.len() >= 3 && matches!(t.class, Class::Word | Class::Number))
        {
            // "(M)", "(P)", "(Holdings)": an abbreviation or a descriptive word, not an alias.
            main_toks.extend(toks.into_iter().map(|mut tok| {
                if tok.class == Class::Word {
                    tok.class = Class::Particle;
                }
                tok
            }));
            continue;
        }
        notes.legal_form |= n2.legal_form;
        notes.aliases = true;
        variants.push(Variant {
            kind: VariantKind::Parenthesized,
            toks,
        });
    }
    for a in &akas {
        let toks = tokens_with_locations(a, &mut Notes::default());
        if !toks.is_empty() {
            notes.aliases = true;
            variants.push(Variant {
                kind: VariantKind::Aka,
                toks,
            });
        }
    }
    if !main_toks.is_empty() || variants.is_empty() {
        variants.insert(
            0,
            Variant {
                kind: VariantKind::Name,
                toks: main_toks,
            },
        );
    }
    Parsed { variants, notes }
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
