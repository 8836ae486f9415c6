//! Parsing a published name into the variants it contains: aliases in parentheses or after
//! a.k.a. / f.k.a. / d.b.a., Entity List affiliate names, and location suffixes marked as
//! places ("…, Chengdu, Sichuan").

use super::normalize::{classify, words, Notes, Parsed, Tok, Variant, VariantKind};
use super::romanize::is_chinese;
use super::tables::{Class, TABLES_DATA};

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

/// Strip a leading alias marker ("a.k.a. X" → "X"; in parentheses also a former name,
/// "(ex-Cape Diamond)" → "Cape Diamond", as vessels are listed).
fn strip_marker(s: &str) -> &str {
    let t = s.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    if let Some(rest) = t.strip_prefix("EX") {
        if rest.starts_with(['-', ' ', '.', ':']) {
            let rest = rest.trim_start_matches(['-', ' ', '.', ':']);
            if rest.chars().any(|c| c.is_ascii_alphanumeric()) {
                return rest;
            }
        }
    }
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
        // An address after the legal form ("…, Inc, 12250 Brevard Ln, Pasadena TX 77506"):
        // words and a house number or postal code of three or more digits.
        let address = b - a <= 6
            && toks[a..b].iter().any(|(t, _)| {
                t.class == Class::Number
                    && t.text.len() >= 3
                    && t.text.bytes().all(|c| c.is_ascii_digit())
            })
            && toks[a..b].iter().any(|(t, _)| t.class == Class::Word)
            && toks[a..b]
                .iter()
                .all(|(t, _)| matches!(t.class, Class::Word | Class::Place | Class::Number));
        let legal_before = segs[..k - 1]
            .iter()
            .any(|&(_, e)| toks[e - 1].0.class == Class::Legal);
        if all_places || (after_legal && plain) || (legal_before && address) {
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
    let (folded, transliterated, script) = super::translit::fold(name);
    let mut notes = Notes {
        transliterated,
        script,
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
    if let Some(p) = text.find(':') {
        // A party label before the name ("SHIPPER:", "FIELD 59:", "BENEFICIARY:"): at most
        // three words, then the name.
        let (label, after) = (&text[..p], &text[p + 1..]);
        if label.split_whitespace().count() <= 3
            && !label.contains(['(', ','])
            && find_marker(label).is_none()
            && after.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 3
        {
            text = after;
        }
    }
    let mut squashed = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '&' {
            squashed.push_str("AND");
        } else if c.is_ascii_alphanumeric() {
            squashed.push(c.to_ascii_uppercase());
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
        let kind = if is_acronym_of(&toks, &main_toks) {
            VariantKind::Acronym
        } else {
            VariantKind::Parenthesized
        };
        variants.push(Variant { kind, toks });
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
    notes.chinese = variants.iter().any(|v| {
        // At least two words (a surname and a given name), every one of them syllables.
        let words: Vec<&Tok> = v.toks.iter().filter(|t| t.class == Class::Word).collect();
        words.len() >= 2 && words.iter().all(|t| is_chinese(t.text.as_bytes()))
    });
    Parsed {
        variants,
        notes,
        squashed,
    }
}

/// Whether `alias` is one word of 2–6 letters made of the initials of `name`'s words, in order
/// (CARDC for China Aerodynamics Research and Development Center; IRB for Institute for
/// Research in Biomedicine, skipping FOR and IN).
fn is_acronym_of(alias: &[Tok], name: &[Tok]) -> bool {
    let [a] = alias else {
        return false;
    };
    let letters = a.text.as_bytes();
    if !(2..=6).contains(&letters.len()) || !letters.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let initials: Vec<u8> = name
        .iter()
        .filter(|t| !matches!(t.class, Class::Legal | Class::Particle))
        .filter_map(|t| t.text.bytes().next())
        .collect();
    if initials.len() < letters.len() || initials.first() != letters.first() {
        return false;
    }
    let mut it = initials.iter();
    letters.iter().all(|l| it.any(|i| i == l))
}
