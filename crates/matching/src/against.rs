//! Rules of evidence against that look at a name's structure rather than its spelling: legal
//! forms of different countries, a foreign subsidiary, sibling companies that differ in a
//! descriptive word, a holding against its operating company, vessel names that differ in
//! a word's number, and a lone short brand against its look-alike (docs/matching.md, "Evidence against"). Each returns whether it applies;
//! `score::evidence_against` caps the score and the explanation names the rule.

use super::score::{effective, Aligned, Params, STok, SimKind};
use super::tables::{Class, TABLES_DATA};
use super::translit::Script;

fn bit(i: usize) -> u64 {
    1u64 << i.min(63)
}

fn unmatched<'a>(toks: &'a [STok<'a>], m: u64) -> impl Iterator<Item = &'a STok<'a>> + 'a {
    toks.iter()
        .enumerate()
        .filter(move |(i, _)| *i < 64 && m & bit(*i) == 0)
        .map(|(_, t)| t)
}

fn legal_forms<'a>(toks: &'a [STok<'a>]) -> impl Iterator<Item = &'a [u8]> {
    toks.iter()
        .filter(|t| t.class == Class::Legal)
        .map(|t| t.text)
}

/// Both names carry legal forms of a national law, and no country's law has both
/// ("Korvessa Industrial GmbH" / "Korvessa Industrial Sdn. Bhd."): two companies.
pub fn different_jurisdictions(q: &[STok], c: &[STok]) -> bool {
    let t = &*TABLES_DATA;
    let qs: Vec<&[&str]> = legal_forms(q)
        .filter_map(|f| t.legal_countries(f))
        .collect();
    let cs: Vec<&[&str]> = legal_forms(c)
        .filter_map(|f| t.legal_countries(f))
        .collect();
    !qs.is_empty()
        && !cs.is_empty()
        && qs
            .iter()
            .all(|a| cs.iter().all(|b| !a.iter().any(|x| b.contains(x))))
}

/// A country in one company name only, both names carrying legal forms ("Banco Santander
/// S.A." / "Banco Santander México S.A.", "Lundqvist Hydraulics Inc." / "Lundqvist Hydraulics
/// (UK) Ltd."): the national subsidiary, not the company itself. Names without a legal form
/// (agencies: "Atomic Energy Organization of Iran") are left alone. `Some(true)` when the
/// country is in the query (the query names a subsidiary of the listed company, which a
/// screening must still find), `Some(false)` when it is in the list name (the listed entry is
/// the subsidiary, the query its parent or a sibling).
pub fn foreign_subsidiary(q: &[STok], c: &[STok], a: &Aligned) -> Option<bool> {
    let t = &*TABLES_DATA;
    let country = |toks: &[STok], m: u64| {
        unmatched(toks, m).any(|x| x.class == Class::Place && t.is_country(x.text))
    };
    let legal = |toks: &[STok]| legal_forms(toks).next().is_some();
    let (in_q, in_c) = (country(q, a.q_matched), country(c, a.c_matched));
    (in_q != in_c && legal(q) && legal(c)).then_some(in_q)
}

/// Each side has a descriptive word the other lacks, the rest agreeing ("Kilifi Coastal
/// Traders Ltd" / "Kilifi Coastal Transporters Ltd"): sibling companies of one family.
pub fn different_descriptive(q: &[STok], c: &[STok], a: &Aligned) -> bool {
    let generic = |toks: &[STok], m: u64| unmatched(toks, m).any(|x| x.class == Class::Generic);
    generic(q, a.q_matched) && generic(c, a.c_matched)
}

/// A holding word on one side only ("… Trucking LLC" / "… Trucking Holdings LLC").
pub fn holding_one_side(q: &[STok], c: &[STok], a: &Aligned) -> bool {
    let t = &*TABLES_DATA;
    let holding = |toks: &[STok], m: u64| unmatched(toks, m).any(|x| t.is_holding(x.text));
    holding(q, a.q_matched) != holding(c, a.c_matched)
}

/// Vessel names whose words agree only as singular and plural (ALTAIR STAR / ALTAIR STARS):
/// ship names are given exactly, so these are sister ships.
pub fn vessel_plural(a: &Aligned) -> bool {
    a.pairs
        .iter()
        .any(|p| p.kind == SimKind::Stem && p.sim >= 0.97)
}

/// A company name (a legal form on one side at least) whose one distinctive word is all it shares with the other beyond legal
/// forms and particles, and that word of five letters or fewer agrees only as a respelling
/// with a different letter (MEDOC / MEDIC, SANGO / SANCO, GENIC / GENCO) or as a plural
/// (EIKO / EIKOS, OSI / OSIS), or a joined word that agrees only approximately (COREMEDIA /
/// KORA MEDIA): one brand against another that looks like it. A slip of the keyboard
/// (swapped or doubled letters), a letter dropped from a word of five or more (SCHELL /
/// SHELL) and a transliteration from another script still match; longer look-alike brands
/// (MACROSOFT / MICROSOFT) stay hits for review.
pub fn lone_respelled_brand(q: &[STok], c: &[STok], out: &Aligned, p: &Params) -> bool {
    let legal = |toks: &[STok]| toks.iter().any(|t| t.class == Class::Legal);
    if p.person || p.descriptive_only || !(legal(q) || legal(c)) {
        return false;
    }
    let mut respelled = 0;
    for x in &out.pairs {
        let a = &q[x.q.0 as usize];
        let b = &c[x.c.0 as usize];
        let joined = x.q.1.is_some() || x.c.1.is_some();
        if joined {
            // Joined words that agree only approximately (COREMEDIA / KORA MEDIA).
            if x.kind == SimKind::Compound && x.sim < 0.97 {
                respelled += 1;
                continue;
            }
            return false;
        }
        match effective(a.class, p) {
            Class::Legal | Class::Particle => continue,
            Class::Word => {}
            _ => return false,
        }
        let foreign = a.script != Script::Latin || b.script != Script::Latin;
        let short = a.text.len().min(b.text.len()) <= 5;
        match x.kind {
            SimKind::Fuzzy | SimKind::Phonetic
                if !foreign && short && !dropped_letter(a.text, b.text) =>
            {
                respelled += 1
            }
            // A short brand and its plural (EIKO / EIKOS, OSI / OSIS): the S is the name's.
            SimKind::Stem if short => respelled += 1,
            _ => return false,
        }
    }
    respelled == 1
}

/// One letter dropped from a word, five letters or more remaining (HANIFAH / HANIFA): a
/// typo, not another word.
fn dropped_letter(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 || short.len() < 5 {
        return false;
    }
    let i = (0..short.len())
        .find(|&i| short[i] != long[i])
        .unwrap_or(short.len());
    long[i + 1..] == short[i..]
}
