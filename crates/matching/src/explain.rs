//! One-line, human-readable explanations of a score: which name or alias matched, how the
//! tokens were aligned, what was left over on each side, and what normalization did.

use std::fmt::Write;

use super::normalize::{Notes, VariantKind};
use super::score::{self, Aligned, STok, SimKind};
use super::tables::{Class, TABLES_DATA};

fn text(t: &STok) -> String {
    String::from_utf8_lossy(t.text).into_owned()
}

fn side(toks: &[STok], first: u8, last: Option<u8>) -> String {
    (first..=last.unwrap_or(first))
        .map(|i| text(&toks[i as usize]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Unmatched tokens grouped by class: "HANGZHOU (place), DIGITAL TECHNOLOGY (generic)".
fn leftovers(toks: &[STok], matched: u64) -> String {
    let mut groups: Vec<(Class, Vec<String>)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if i < 64 && matched & (1u64 << i) != 0 {
            continue;
        }
        match groups.iter_mut().find(|(c, _)| *c == t.class) {
            Some((_, v)) => v.push(text(t)),
            None => groups.push((t.class, vec![text(t)])),
        }
    }
    groups
        .iter()
        .map(|(c, v)| format!("{} ({})", v.join(" "), c.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the matched variant of a name is, for the explanation's opening words.
fn variant_label(kind: VariantKind, toks: &[STok]) -> Option<String> {
    let words: Vec<String> = toks.iter().map(text).collect();
    match kind {
        VariantKind::Name => None,
        VariantKind::Parenthesized => Some(format!("alias in parentheses \"{}\"", words.join(" "))),
        VariantKind::Aka => Some(format!("a.k.a. \"{}\"", words.join(" "))),
        VariantKind::Acronym => Some(format!("acronym \"{}\"", words.join(" "))),
    }
}

pub struct Context<'a> {
    pub q: &'a [STok<'a>],
    pub c: &'a [STok<'a>],
    pub q_kind: VariantKind,
    pub c_kind: VariantKind,
    pub q_notes: Notes,
    pub c_notes: Notes,
    pub aligned: &'a Aligned,
}

fn unmatched_texts(toks: &[STok], matched: u64, keep: impl Fn(&STok) -> bool) -> String {
    toks.iter()
        .enumerate()
        .filter(|(i, t)| *i < 64 && matched & (1u64 << i) == 0 && keep(t))
        .map(|(_, t)| text(t))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rules of evidence against that lowered the score, in words.
fn evidence(x: &Context) -> Vec<String> {
    let a = x.aligned;
    let mut out = Vec::new();
    let both = |keep: &dyn Fn(&STok) -> bool| {
        (
            unmatched_texts(x.q, a.q_matched, keep),
            unmatched_texts(x.c, a.c_matched, keep),
        )
    };
    if a.caps & score::CAP_NUMBER != 0 {
        let (q, c) = both(&|t| t.class == Class::Number);
        out.push(format!("different number: {q} vs {c}"));
    }
    if a.caps & score::CAP_COUNTRY != 0 {
        let t = &*TABLES_DATA;
        let (q, c) = both(&|s| s.class == Class::Place && t.is_country(s.text));
        out.push(format!("different country: {q} vs {c}"));
    }
    if a.caps & score::CAP_PATRONYMIC != 0 {
        out.push("the names around BIN are in the other order (father and son differ)".into());
    }
    if a.caps & score::CAP_LEGAL != 0 {
        let forms: Vec<String> = a
            .pairs
            .iter()
            .filter(|p| p.kind == SimKind::Legal)
            .map(|p| {
                format!(
                    "{} vs {}",
                    text(&x.q[p.q.0 as usize]),
                    text(&x.c[p.c.0 as usize])
                )
            })
            .collect();
        out.push(format!(
            "different kinds of legal form: {} (weak evidence against)",
            forms.join(", ")
        ));
    }
    if a.caps & score::CAP_APPROXIMATE != 0 {
        out.push("distinctive words agree only approximately and other words differ".into());
    }
    if a.caps & score::CAP_COMMON != 0 {
        out.push(
            "all they share are ordinary words or a short acronym, and other words differ".into(),
        );
    }
    if a.caps & score::CAP_ACRONYM != 0 {
        out.push("matched only through an acronym of a longer name".into());
    }
    let legal = |toks: &[STok]| {
        toks.iter()
            .filter(|t| t.class == Class::Legal)
            .map(text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    if a.caps & score::CAP_JURISDICTION != 0 {
        out.push(format!(
            "legal forms of different countries: {} vs {}",
            legal(x.q),
            legal(x.c)
        ));
    }
    if a.caps & score::CAP_SUBSIDIARY != 0 {
        let t = &*TABLES_DATA;
        let (q, c) = both(&|s| s.class == Class::Place && t.is_country(s.text));
        out.push(format!(
            "a country in one name only ({q}{c}): a national subsidiary"
        ));
    }
    if a.caps & score::CAP_SUBSIDIARY_OF_LISTED != 0 {
        let t = &*TABLES_DATA;
        let (q, _) = both(&|s| s.class == Class::Place && t.is_country(s.text));
        out.push(format!(
            "a country in the query only ({q}): a national subsidiary of the listed company, for review"
        ));
    }
    if a.caps & score::CAP_DESCRIPTIVE != 0 {
        let (q, c) = both(&|s| s.class == Class::Generic);
        out.push(format!("different descriptive words: {q} vs {c}"));
    }
    if a.caps & score::CAP_HOLDING != 0 {
        let t = &*TABLES_DATA;
        let (q, c) = both(&|s| t.is_holding(s.text));
        out.push(format!(
            "a holding against its operating company: {}{} on one side only",
            q, c
        ));
    }
    if a.caps & score::CAP_VESSEL_PLURAL != 0 {
        let words: Vec<String> = a
            .pairs
            .iter()
            .filter(|p| p.kind == SimKind::Stem && p.sim >= 0.97)
            .map(|p| {
                format!(
                    "{} vs {}",
                    text(&x.q[p.q.0 as usize]),
                    text(&x.c[p.c.0 as usize])
                )
            })
            .collect();
        out.push(format!(
            "vessel names differ in a word's number: {}",
            words.join(", ")
        ));
    }
    out
}

/// The explanation line.
pub fn describe(x: &Context) -> String {
    let mut out = String::new();
    match variant_label(x.c_kind, x.c) {
        Some(l) => {
            let _ = write!(out, "via {l}: ");
        }
        None => {
            if x.c_notes.affiliate {
                out.push_str("via affiliate name: ");
            }
        }
    }
    if let Some(l) = variant_label(x.q_kind, x.q) {
        let _ = write!(out, "query {l}: ");
    }
    let mut aligned: Vec<String> = Vec::new();
    let mut legal: Vec<String> = Vec::new();
    for p in &x.aligned.pairs {
        let a = side(x.q, p.q.0, p.q.1);
        let b = side(x.c, p.c.0, p.c.1);
        // A rewritten token says what it was: "1ST=FIRST (ordinal)", "US=UNITED STATES
        // (abbreviation)"; the later words of one rewrite ("STATES") say nothing more.
        let orig = x.q[p.q.0 as usize].orig.or(x.c[p.c.0 as usize].orig);
        if p.kind == SimKind::Exact && p.q.1.is_none() && p.c.1.is_none() {
            if let Some(o) = orig {
                if !o.is_empty() {
                    aligned.push(o.to_string());
                }
                continue;
            }
        }
        let s = match p.kind {
            SimKind::Exact => format!("{a}={b}"),
            SimKind::Romanization => format!("{a}~{b} (Wade-Giles / pinyin)"),
            SimKind::Transcription => format!("{a}~{b} (transcription)"),
            SimKind::Legal => {
                legal.push(format!("{a}≈{b}"));
                continue;
            }
            SimKind::Stem => format!("{a}~{b} (word form)"),
            SimKind::Phonetic => format!("{a}~{b} (spelling)"),
            SimKind::Slip => format!("{a}~{b} (typing slip)"),
            SimKind::Initial => format!("{a}~{b} (initial)"),
            SimKind::Compound => format!("{a}~{b} (joined)"),
            SimKind::Fuzzy => format!("{a}~{b} {:.2}", p.sim),
        };
        if p.kind == SimKind::Exact && x.q[p.q.0 as usize].class == Class::Legal {
            legal.push(a);
        } else {
            aligned.push(s);
        }
    }
    if aligned.is_empty() {
        out.push_str("no distinctive word in common");
    } else {
        out.push_str(&aligned.join(", "));
    }
    if !legal.is_empty() {
        let _ = write!(out, "; legal form {}", legal.join(", "));
    }
    let q_left = leftovers(x.q, x.aligned.q_matched);
    let c_left = leftovers(x.c, x.aligned.c_matched);
    if !q_left.is_empty() {
        let _ = write!(out, "; only in query: {q_left}");
    }
    if !c_left.is_empty() {
        let _ = write!(out, "; only in list name: {c_left}");
    }
    for note in evidence(x) {
        let _ = write!(out, "; {note}");
    }
    let mut norm: Vec<&str> = Vec::new();
    let both = |f: fn(&Notes) -> bool| f(&x.q_notes) || f(&x.c_notes);
    if both(|n| n.transliterated) {
        norm.push("transliterated to Latin");
    }
    if both(|n| n.legal_form) {
        norm.push("legal forms canonicalized");
    }
    if both(|n| n.location_suffix) {
        norm.push("location suffix weighed as place");
    }
    if both(|n| n.comma_order) {
        norm.push("word order ignored");
    }
    if !norm.is_empty() {
        let _ = write!(out, "; normalized: {}", norm.join(", "));
    }
    out
}
