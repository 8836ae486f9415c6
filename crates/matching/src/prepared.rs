//! A name prepared for scoring: its variants as owned tokens with transliteration skeletons,
//! and the schema its form suggests.

use super::normalize::{self, Notes, VariantKind};
use super::score::{self, Aligned, Params, STok, SimKind};
use super::tables::Class;
use super::textsim::skeleton;
use super::{explain, Schema};

pub struct PTok {
    pub text: Box<str>,
    pub skel: Box<[u8]>,
    pub class: Class,
    pub orig: Option<Box<str>>,
}

pub struct PVariant {
    pub kind: VariantKind,
    pub toks: Vec<PTok>,
}

pub struct Prepared {
    pub variants: Vec<PVariant>,
    pub notes: Notes,
    /// Schema suggested by the name's form (legal form or generic words → company; "SURNAME,
    /// Given" → person).
    pub hint: Schema,
    /// A name written in Han, kana or Hangul: its characters, for comparing with another such
    /// name character by character.
    pub native: Option<PVariant>,
    /// Letters and digits of the name without spaces or punctuation.
    pub squashed: Box<str>,
}

impl Prepared {
    pub fn new(name: &str) -> Prepared {
        let parsed = normalize::parse(name);
        let hint = if parsed.has_class(Class::Legal) || parsed.has_class(Class::Generic) {
            Schema::Company
        } else if parsed.notes.comma_order {
            Schema::Person
        } else {
            Schema::Unknown
        };
        let mut sk = Vec::new();
        let variants = parsed
            .variants
            .into_iter()
            .map(|v| PVariant {
                kind: v.kind,
                toks: v
                    .toks
                    .into_iter()
                    .map(|t| {
                        skeleton(t.text.as_bytes(), &mut sk);
                        PTok {
                            skel: sk.as_slice().into(),
                            text: t.text.into_boxed_str(),
                            class: t.class,
                            orig: t.orig,
                        }
                    })
                    .collect(),
            })
            .collect();
        let native = parsed.notes.script.is_cjk().then(|| native_variant(name));
        Prepared {
            variants,
            notes: parsed.notes,
            hint,
            native,
            squashed: parsed.squashed.into_boxed_str(),
        }
    }
}

/// The characters of a CJK name as tokens in their original script.
pub fn native_variant(name: &str) -> PVariant {
    PVariant {
        kind: VariantKind::Name,
        toks: super::translit::cjk_chars(name)
            .into_iter()
            .map(|c| PTok {
                skel: c.as_bytes().into(),
                text: c.into_boxed_str(),
                class: Class::Word,
                orig: None,
            })
            .collect(),
    }
}

/// Score of the original-script characters of two CJK names (both `native`).
pub fn native_align(a: &PVariant, b: &PVariant, notes_a: Notes, notes_b: Notes) -> Aligned {
    let params = Params {
        native: true,
        ..Params::for_schema(Schema::Unknown)
    };
    score::align(&view(a, notes_a), &view(b, notes_b), &params)
}

/// The acronym rule: a variant that is an acronym alias matches only exactly, and only a name
/// that is the acronym alone (legal forms and places aside). Otherwise the score is capped
/// below the threshold ("Kai Motors Corporation" is not "Korea Automation Industry (KAI)").
pub fn acronym_rule(
    q_kind: VariantKind,
    c_kind: VariantKind,
    q: &[STok],
    c: &[STok],
    a: &mut Aligned,
) {
    if q_kind != VariantKind::Acronym && c_kind != VariantKind::Acronym {
        return;
    }
    let all_exact = a.pairs.iter().all(|p| p.kind == SimKind::Exact);
    let only_acronym = |toks: &[STok], m: u64| {
        toks.iter().enumerate().all(|(i, t)| {
            m & (1u64 << i.min(63)) != 0
                || matches!(t.class, Class::Legal | Class::Place | Class::Particle)
        })
    };
    let both_acronyms = q_kind == VariantKind::Acronym && c_kind == VariantKind::Acronym;
    if both_acronyms || !all_exact || !only_acronym(q, a.q_matched) || !only_acronym(c, a.c_matched)
    {
        a.caps |= score::CAP_ACRONYM;
        a.score = a.score.min(score::EVIDENCE_AGAINST_MAX);
    }
}

pub fn view(v: &PVariant, notes: Notes) -> Vec<STok<'_>> {
    v.toks
        .iter()
        .map(|t| STok {
            text: t.text.as_bytes(),
            skel: &t.skel,
            class: t.class,
            rarity: 1.0,
            script: notes.script,
            orig: t.orig.as_deref(),
        })
        .collect()
}

/// The schema to score a pair with: the one given, else what the names suggest.
pub fn resolve(given: Schema, a: Schema, b: Schema) -> Schema {
    if given != Schema::Unknown {
        return given;
    }
    if a == Schema::Company || b == Schema::Company {
        return Schema::Company;
    }
    if a == Schema::Person || b == Schema::Person {
        return Schema::Person;
    }
    Schema::Unknown
}

/// Score of two names written with the same letters and digits, spaced or punctuated
/// differently ("EtsDiallo" / "Ets Diallo", "Wirra-long" / "Wirralong"): a compound or
/// missing space, not another name.
pub const SAME_LETTERS: f64 = 0.95;

/// Whether two names are the same letters and digits (at least six) spaced differently.
pub fn same_letters(a: &Prepared, b: &Prepared) -> bool {
    // Not for loose transcriptions (Han, kana, Hangul …): different characters read alike.
    !a.notes.script.is_loose()
        && !b.notes.script.is_loose()
        && a.squashed.len() >= 6
        && a.squashed == b.squashed
}

/// Best-scoring variant pair of two prepared names, with its explanation.
pub fn best(a: &Prepared, b: &Prepared, schema: Schema) -> (f64, String) {
    let (score, text) = best_of_variants(a, b, schema);
    if score < SAME_LETTERS && same_letters(a, b) {
        return (
            SAME_LETTERS,
            format!("the same letters spaced differently: {}", a.squashed),
        );
    }
    (score, text)
}

fn best_of_variants(a: &Prepared, b: &Prepared, schema: Schema) -> (f64, String) {
    if let (Some(na), Some(nb)) = (&a.native, &b.native) {
        // Both written in Han, kana or Hangul: the characters themselves are compared.
        let r = native_align(na, nb, a.notes, b.notes);
        let (va, vb) = (view(na, a.notes), view(nb, b.notes));
        let text = explain::describe(&explain::Context {
            q: &va,
            c: &vb,
            q_kind: VariantKind::Name,
            c_kind: VariantKind::Name,
            q_notes: a.notes,
            c_notes: b.notes,
            aligned: &r,
        });
        return (r.score, format!("{text}; compared in the original script"));
    }
    let params = Params {
        chinese: a.notes.chinese && b.notes.chinese,
        ..Params::for_schema(resolve(schema, a.hint, b.hint))
    };
    let views_a: Vec<Vec<STok>> = a.variants.iter().map(|v| view(v, a.notes)).collect();
    let views_b: Vec<Vec<STok>> = b.variants.iter().map(|v| view(v, b.notes)).collect();
    let mut top: Option<(usize, usize, Aligned)> = None;
    for (i, va) in views_a.iter().enumerate() {
        for (j, vb) in views_b.iter().enumerate() {
            let mut r = score::align(va, vb, &params);
            acronym_rule(a.variants[i].kind, b.variants[j].kind, va, vb, &mut r);
            if top.as_ref().is_none_or(|(_, _, t)| r.score > t.score) {
                top = Some((i, j, r));
            }
        }
    }
    match top {
        Some((i, j, r)) => {
            let text = explain::describe(&explain::Context {
                q: &views_a[i],
                c: &views_b[j],
                q_kind: a.variants[i].kind,
                c_kind: b.variants[j].kind,
                q_notes: a.notes,
                c_notes: b.notes,
                aligned: &r,
            });
            (r.score, text)
        }
        None => (0.0, "no words to compare".to_string()),
    }
}
