//! A name prepared for scoring: its variants as owned tokens with transliteration skeletons,
//! and the schema its form suggests.

use super::normalize::{self, Notes, VariantKind};
use super::score::{self, Aligned, Params, STok};
use super::tables::Class;
use super::textsim::skeleton;
use super::{explain, Schema};

pub struct PTok {
    pub text: Box<str>,
    pub skel: Box<[u8]>,
    pub class: Class,
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
                        }
                    })
                    .collect(),
            })
            .collect();
        Prepared {
            variants,
            notes: parsed.notes,
            hint,
        }
    }
}

pub fn view(v: &PVariant, translit: bool) -> Vec<STok<'_>> {
    v.toks
        .iter()
        .map(|t| STok {
            text: t.text.as_bytes(),
            skel: &t.skel,
            class: t.class,
            rarity: 1.0,
            translit,
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

/// Best-scoring variant pair of two prepared names, with its explanation.
pub fn best(a: &Prepared, b: &Prepared, schema: Schema) -> (f64, String) {
    let params = Params::for_schema(resolve(schema, a.hint, b.hint));
    let views_a: Vec<Vec<STok>> = a
        .variants
        .iter()
        .map(|v| view(v, a.notes.transliterated))
        .collect();
    let views_b: Vec<Vec<STok>> = b
        .variants
        .iter()
        .map(|v| view(v, b.notes.transliterated))
        .collect();
    let mut top: Option<(usize, usize, Aligned)> = None;
    for (i, va) in views_a.iter().enumerate() {
        for (j, vb) in views_b.iter().enumerate() {
            let r = score::align(va, vb, &params);
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
