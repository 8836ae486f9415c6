//! Scoring two tokenized names: token similarity, best alignment, and the weighted score.
//!
//! # The score
//! Tokens of the two names are aligned greedily by similarity (exact, plural stem,
//! transliteration skeleton, fuzzy Jaro-Winkler/edit blend, initials, and two adjacent tokens
//! against one: "HIK VISION" ~ "HIKVISION"). Every token has a weight by class × rarity
//! (distinctive word 1.0, number 0.8, patronymic 0.5, generic word or place 0.35, legal form
//! 0.15, particle 0.1; rarity from the indexed corpus, 0.5–1). Then
//!
//! ```text
//! score = Σ_matched w·sim / (Σ_matched w + Σ_unmatched w·penalty)
//! ```
//!
//! where an unmatched token's penalty depends on the other side: if the other side also has an
//! unmatched token of a comparable kind (word vs word, place vs place) the names *disagree*
//! and the penalty is full (DAHUA ELECTRONICS vs DAHUA TECHNOLOGY); if not, the token is
//! merely *extra* (a short alias against a long legal name, a dropped city or legal form) and
//! the penalty is small for descriptive words and moderate for distinctive ones (ZTE PARSIAN
//! vs ZTE CORPORATION). Extra distinctive words cost less in person names, where middle names
//! and patronymics are often left out, and extra numbers cost more in vessel names.

use super::against;
use super::romanize::coarse_key;
use super::tables::{Class, TABLES_DATA};
use super::textsim::skeleton;
use super::tokensim::{coarse_agree, fuzzy_at_least, fuzzy_possible, same_chinese};
pub use super::tokensim::{token_sim, Params, STok, SimKind};
use super::translit::Script;

/// One aligned correspondence between token spans: `(first, Some(last))` is a run of joined
/// tokens, `(i, None)` a single token.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub q: (u8, Option<u8>),
    pub c: (u8, Option<u8>),
    pub sim: f32,
    pub kind: SimKind,
}

#[derive(Debug, Clone, Default)]
pub struct Aligned {
    pub score: f64,
    pub pairs: Vec<Pair>,
    pub q_matched: u64,
    pub c_matched: u64,
    /// Which evidence-against rules lowered the score (`CAP_*` bits), for the explanation.
    pub caps: u16,
}

/// Each side has a number the other lacks (FUND XII / FUND XIII, TRUST 2004-1 / 2004-2).
pub const CAP_NUMBER: u16 = 1;
/// Two different countries left unmatched in a company name ("(Sweden) AB" / "(Finland) AB").
pub const CAP_COUNTRY: u16 = 2;
/// The same two names around BIN / IBN in the other order (father and son swapped).
pub const CAP_PATRONYMIC: u16 = 4;
/// Legal forms of different families (AG / GMBH): weak evidence against.
pub const CAP_LEGAL: u16 = 8;
/// Distinctive words agree only approximately and other words differ.
pub const CAP_APPROXIMATE: u16 = 16;
/// Matched only through an acronym alias (set by the caller).
pub const CAP_ACRONYM: u16 = 32;
/// All the company names share exactly are ordinary words ([common]) and descriptive words.
pub const CAP_COMMON: u16 = 64;
/// Legal forms of different countries' law (GMBH / SDN BHD).
pub const CAP_JURISDICTION: u16 = 128;
/// A country in one company name only (both with legal forms): a national subsidiary.
pub const CAP_SUBSIDIARY: u16 = 256;
/// A country in the query only (both with legal forms): the national subsidiary of the listed
/// company ("Huawei Technologies (Thailand) Co., Ltd." against "Huawei Technologies Co.,
/// Ltd."). A screening hit for review, never an automatic link.
pub const CAP_SUBSIDIARY_OF_LISTED: u16 = 4096;

/// Highest score of the query naming a national subsidiary of the listed company: above the
/// default threshold (a listed parent's subsidiary must be found), below `LINK_THRESHOLD`.
pub const SUBSIDIARY_OF_LISTED_MAX: f64 = 0.8;

/// Each side has a descriptive word the other lacks: sibling companies.
pub const CAP_DESCRIPTIVE: u16 = 512;
/// A holding word on one side only.
pub const CAP_HOLDING: u16 = 1024;
/// Vessel names agreeing only as singular and plural.
pub const CAP_VESSEL_PLURAL: u16 = 2048;

/// Highest score when a cap rule of evidence against applies: below the default threshold.
pub const EVIDENCE_AGAINST_MAX: f64 = 0.7;

/// Score factor for a vessel or aircraft name against a name with a legal form on one side.
pub const VESSEL_COMPANY_FACTOR: f64 = 0.7;

/// Score factor for legal forms of different families.
pub const LEGAL_FAMILY_FACTOR: f64 = 0.85;

/// Most tokens of a name the scorer looks at (the rest of a very long name is ignored).
pub const MAX_TOKENS: usize = 48;

pub(super) fn effective(class: Class, p: &Params) -> Class {
    if p.person && matches!(class, Class::Generic | Class::Place)
        || p.descriptive_only && matches!(class, Class::Generic | Class::Place)
    {
        Class::Word
    } else {
        class
    }
}

fn base_weight(class: Class) -> f64 {
    match class {
        Class::Word => 1.0,
        Class::Number => 0.8,
        Class::Patronymic => 0.5,
        Class::Generic | Class::Place => 0.35,
        Class::Legal => 0.15,
        Class::Particle => 0.1,
    }
}

fn weight(t: &STok, p: &Params) -> f64 {
    let class = effective(t.class, p);
    let w = base_weight(class);
    let w = if class == Class::Word && t.text.len() == 1 {
        w * 0.5
    } else {
        w
    };
    w * f64::from(t.rarity)
}

fn bit(i: usize) -> u64 {
    1u64 << i
}

/// Align and score query tokens `q` against candidate tokens `c`.
pub fn align(q: &[STok], c: &[STok], p: &Params) -> Aligned {
    let q = &q[..q.len().min(MAX_TOKENS)];
    let c = &c[..c.len().min(MAX_TOKENS)];
    let distinct = |t: &STok| matches!(t.class, Class::Word | Class::Number | Class::Patronymic);
    let params = Params {
        descriptive_only: !q.iter().chain(c).any(distinct),
        ..*p
    };
    let p = &params;
    let mut cands: Vec<(f64, f64, u8, u8, SimKind)> = Vec::with_capacity(q.len() * 2);
    for (i, a) in q.iter().enumerate() {
        for (j, b) in c.iter().enumerate() {
            let (s, kind) = token_sim(a, b, p);
            if s > 0.0 {
                let w = weight(a, p) + weight(b, p);
                cands.push((s, w, i as u8, j as u8, kind));
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)));
    let mut out = Aligned {
        pairs: Vec::with_capacity(q.len().min(c.len()) + 1),
        ..Aligned::default()
    };
    // Sure correspondences first (same word, plural), then words that join exactly (DR CONGO
    // = DRCONGO), then approximate ones, then approximate joins.
    let sure = |s: f64| s >= 0.97;
    for pass_sure in [true, false] {
        for &(s, _, i, j, kind) in &cands {
            if sure(s) != pass_sure
                || out.q_matched & bit(i as usize) != 0
                || out.c_matched & bit(j as usize) != 0
            {
                continue;
            }
            out.q_matched |= bit(i as usize);
            out.c_matched |= bit(j as usize);
            out.pairs.push(Pair {
                q: (i, None),
                c: (j, None),
                sim: s as f32,
                kind,
            });
        }
        compounds(q, c, &mut out, false, pass_sure, p);
        compounds(c, q, &mut out, true, pass_sure, p);
    }
    out.score = weigh(q, c, &out, p);
    let legal = |t: &[STok]| t.iter().any(|t| t.class == Class::Legal);
    if p.craft && legal(q) != legal(c) {
        // A vessel against a company of the same name (its owner or manager).
        out.score *= VESSEL_COMPANY_FACTOR;
    }
    evidence_against(q, c, &mut out, p);
    out
}

/// Rules of evidence against (docs/matching.md, "Evidence against"): each caps or lowers the
/// score and sets its bit in `caps` for the explanation.
fn evidence_against(q: &[STok], c: &[STok], out: &mut Aligned, p: &Params) {
    // Unmatched positions as masks: this runs for every candidate, so nothing is allocated.
    let uq = Unmatched(!out.q_matched, q.len());
    let uc = Unmatched(!out.c_matched, c.len());
    let t = &*TABLES_DATA;
    let number = |toks: &[STok], u: Unmatched| u.iter().any(|i| toks[i].class == Class::Number);
    if number(q, uq) && number(c, uc) {
        out.caps |= CAP_NUMBER;
    }
    let country = |toks: &[STok], u: Unmatched| {
        u.iter()
            .any(|i| toks[i].class == Class::Place && t.is_country(toks[i].text))
    };
    if !p.person && country(q, uq) && country(c, uc) {
        out.caps |= CAP_COUNTRY;
    }
    if p.person && patronymics_swapped(q, c) {
        out.caps |= CAP_PATRONYMIC;
    }
    let mut factor = 1.0;
    for pair in &out.pairs {
        if pair.kind == SimKind::Legal {
            let fa = t.legal_family(q[pair.q.0 as usize].text);
            let fb = t.legal_family(c[pair.c.0 as usize].text);
            if let (Some(a), Some(b)) = (fa, fb) {
                if a != b {
                    out.caps |= CAP_LEGAL;
                    factor = LEGAL_FAMILY_FACTOR;
                }
            }
        }
    }
    out.score *= factor;
    if !p.person && out.score > EVIDENCE_AGAINST_MAX && !corroborated(q, out, p) {
        // A company name whose distinctive words agree only approximately, and something
        // else differs (a word or descriptive word on one side only, legal forms of different
        // kinds): a look-alike (SIONYX INC / SONEX INVESTMENTS LIMITED), not a misspelling of
        // the same name. A person's names vary too much in transliteration for this rule.
        let content = |toks: &[STok], u: Unmatched| {
            u.iter().any(|i| {
                matches!(
                    effective(toks[i].class, p),
                    Class::Word | Class::Generic | Class::Number
                )
            })
        };
        // Words of four letters or fewer one letter apart are different words (IMEC / EMEC,
        // OPEX / APEX).
        let short = out.pairs.iter().any(|x| {
            !matches!(x.kind, SimKind::Exact | SimKind::Legal | SimKind::Slip)
                && x.q.1.is_none()
                && x.c.1.is_none()
                && matches!(effective(q[x.q.0 as usize].class, p), Class::Word)
                && q[x.q.0 as usize]
                    .text
                    .len()
                    .min(c[x.c.0 as usize].text.len())
                    < 5
        });
        if short || content(q, uq) || content(c, uc) || out.caps & CAP_LEGAL != 0 {
            out.caps |= CAP_APPROXIMATE;
        }
    }
    if !p.person && out.score > EVIDENCE_AGAINST_MAX && against::lone_respelled_brand(q, c, out, p)
    {
        out.caps |= CAP_APPROXIMATE;
    }
    if !p.person && out.score > EVIDENCE_AGAINST_MAX && common_only(q, c, out, p, uq, uc) {
        out.caps |= CAP_COMMON;
    }
    if !p.person && out.score > EVIDENCE_AGAINST_MAX {
        if against::different_jurisdictions(q, c) {
            out.caps |= CAP_JURISDICTION;
        }
        match against::foreign_subsidiary(q, c, out) {
            Some(true) => out.caps |= CAP_SUBSIDIARY_OF_LISTED,
            Some(false) => out.caps |= CAP_SUBSIDIARY,
            None => {}
        }
        if !p.descriptive_only && against::different_descriptive(q, c, out) {
            out.caps |= CAP_DESCRIPTIVE;
        }
        if against::holding_one_side(q, c, out) {
            out.caps |= CAP_HOLDING;
        }
        if p.craft && against::vessel_plural(out) {
            out.caps |= CAP_VESSEL_PLURAL;
        }
    }
    const CAPPED: u16 = CAP_NUMBER
        | CAP_COUNTRY
        | CAP_APPROXIMATE
        | CAP_COMMON
        | CAP_JURISDICTION
        | CAP_SUBSIDIARY
        | CAP_DESCRIPTIVE
        | CAP_HOLDING
        | CAP_VESSEL_PLURAL;
    if out.caps & CAPPED != 0 {
        out.score = out.score.min(EVIDENCE_AGAINST_MAX);
    } else if out.caps & CAP_SUBSIDIARY_OF_LISTED != 0 {
        out.score = out.score.min(SUBSIDIARY_OF_LISTED_MAX);
    }
    if out.caps & CAP_PATRONYMIC != 0 {
        out.score = out.score.min(0.6);
    }
}

/// Whether every distinctive word the names share is an ordinary word ([common]) or an acronym
/// of three letters or fewer (with no descriptive word shared besides), while either name has a
/// word or descriptive word the other lacks.
fn common_only(
    q: &[STok],
    c: &[STok],
    out: &Aligned,
    p: &Params,
    uq: Unmatched,
    uc: Unmatched,
) -> bool {
    let t = &*TABLES_DATA;
    let mut shared_common = false;
    let mut shared_short = false;
    let mut shared_descriptive = false;
    for x in &out.pairs {
        if x.q.1.is_some() || x.c.1.is_some() {
            return false;
        }
        let a = &q[x.q.0 as usize];
        match effective(a.class, p) {
            Class::Word | Class::Number | Class::Patronymic => {
                if t.is_common(a.text) || t.is_common(c[x.c.0 as usize].text) {
                    shared_common = true;
                } else if x.kind == SimKind::Exact && a.text.len() <= 3 {
                    // A word of three letters or fewer is an acronym: many unrelated companies
                    // share one (ECI TELECOM / ECI).
                    shared_short = true;
                } else {
                    return false;
                }
            }
            Class::Generic | Class::Place if x.kind == SimKind::Exact => {
                shared_descriptive = true;
            }
            _ => {}
        }
    }
    let shared = shared_common || (shared_short && !shared_descriptive);
    let content = |toks: &[STok], u: Unmatched| {
        u.iter()
            .any(|i| matches!(toks[i].class, Class::Word | Class::Generic | Class::Number))
    };
    shared && (content(q, uq) || content(c, uc))
}

/// The unmatched positions of one side: a mask of bits and the side's length.
#[derive(Clone, Copy)]
struct Unmatched(u64, usize);

impl Unmatched {
    fn iter(self) -> impl Iterator<Item = usize> {
        (0..self.1.min(64)).filter(move |&i| self.0 & bit(i) != 0)
    }
}

/// BIN, IBN, BEN, BINT: "X BIN Y" names X as the child of Y.
fn is_patronymic_particle(t: &[u8]) -> bool {
    matches!(t, b"BIN" | b"IBN" | b"BEN" | b"BINT" | b"BINTI" | b"BENT")
}

/// Whether the two names put the same two names around a BIN particle in opposite orders.
fn patronymics_swapped(q: &[STok], c: &[STok]) -> bool {
    let around = |toks: &[STok]| -> Vec<(Vec<u8>, Vec<u8>)> {
        (1..toks.len().saturating_sub(1))
            .filter(|&i| is_patronymic_particle(toks[i].text))
            .map(|i| (toks[i - 1].text.to_vec(), toks[i + 1].text.to_vec()))
            .collect()
    };
    if !q.iter().any(|t| is_patronymic_particle(t.text)) {
        return false;
    }
    let a = around(q);
    let b = around(c);
    a.iter()
        .any(|(x, y)| x != y && b.iter().any(|(u, v)| u == y && v == x))
}

/// Whether `skel` is the skeleton of `joined`, of three letters or more (the skeleton computed
/// into `sk` the first time, `done` set then).
fn same_joined_skeleton(joined: &[u8], sk: &mut Vec<u8>, done: &mut bool, skel: &[u8]) -> bool {
    if !*done {
        skeleton(joined, sk);
        *done = true;
    }
    skel == &sk[..] && sk.len() >= 3
}

/// Two or three adjacent unmatched tokens on side `a` against one unmatched token on side `b`
/// ("HIK VISION" ~ "HIKVISION", "CHONG CHON GANG" ~ "CHONGCHONGANG"), four syllables of a
/// loose script.
fn compounds(
    a: &[STok],
    b: &[STok],
    out: &mut Aligned,
    swapped: bool,
    exact_only: bool,
    p: &Params,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut sk_a: Vec<u8> = Vec::new();
    for span in [4usize, 3, 2] {
        if a.len() < span {
            continue;
        }
        for i in 0..=a.len() - span {
            // Four syllables make one word only in scripts that mark syllables, not words
            // (Tibetan ཝ་ལ་ཌི་མིར WA LA DI MIR ~ VLADIMIR; Myanmar, Thai, Khmer, Lao).
            if span == 4 && a[i].script != Script::Loose {
                continue;
            }
            let (ma, mb) = if swapped {
                (out.c_matched, out.q_matched)
            } else {
                (out.q_matched, out.c_matched)
            };
            let mask = (i..i + span).fold(0u64, |m, k| m | bit(k));
            // A legal form joins only exactly and only at the end (SIEMENSAG = SIEMENS AG).
            let legal_inside = a[i..i + span - 1].iter().any(|t| t.class == Class::Legal);
            let legal_last = a[i + span - 1].class == Class::Legal;
            if ma & mask != 0 || legal_inside || (legal_last && !exact_only) {
                continue;
            }
            buf.clear();
            for t in &a[i..i + span] {
                buf.extend_from_slice(t.text);
            }
            // The joined skeleton, computed when a token gets that far (most never do).
            let mut sk_done = false;
            let mut best: Option<(usize, f64, SimKind)> = None;
            for (j, t) in b.iter().enumerate() {
                if mb & bit(j) != 0 || t.class == Class::Legal || t.text.len() < 4 {
                    continue;
                }
                let mut kind = SimKind::Compound;
                let s = if t.text == &buf[..] {
                    0.97
                } else if exact_only || legal_last {
                    0.0
                } else if p.chinese && same_chinese(&buf, t.text) {
                    kind = SimKind::Romanization;
                    0.9
                } else if a[i].script.is_loose() != t.script.is_loose() && {
                    let mut ka = Vec::new();
                    coarse_key(&buf, a[i].script == Script::Kana, &mut ka);
                    let mut kb = Vec::new();
                    coarse_key(t.text, t.script == Script::Kana, &mut kb);
                    coarse_agree(&ka, a[i].script, &kb, t.script)
                } {
                    kind = SimKind::Transcription;
                    0.85
                } else if !fuzzy_possible(buf.len(), t.text.len(), 0.75) {
                    // Neither blend below can reach its minimum at these lengths.
                    0.0
                } else if same_joined_skeleton(&buf, &mut sk_a, &mut sk_done, t.skel) {
                    fuzzy_at_least(&buf, t.text, 0.75).map_or(0.0, |_| 0.9)
                } else {
                    fuzzy_at_least(&buf, t.text, 0.9).map_or(0.0, |f| f * 0.97)
                };
                if s > 0.0 && best.is_none_or(|(_, bs, _)| s > bs) {
                    best = Some((j, s, kind));
                }
            }
            let Some((j, s, kind)) = best else {
                continue;
            };
            let first = i as u8;
            let second = (i + span - 1) as u8;
            let pair = if swapped {
                out.c_matched |= mask;
                out.q_matched |= bit(j);
                Pair {
                    q: (j as u8, None),
                    c: (first, Some(second)),
                    sim: s as f32,
                    kind,
                }
            } else {
                out.q_matched |= mask;
                out.c_matched |= bit(j);
                Pair {
                    q: (first, Some(second)),
                    c: (j as u8, None),
                    sim: s as f32,
                    kind,
                }
            };
            out.pairs.push(pair);
        }
    }
}

/// Kinds of unmatched token present on one side, for telling disagreement from extras.
#[derive(Default, Clone, Copy)]
struct Leftover {
    /// A distinctive word, number or patronymic.
    word: bool,
    generic: bool,
    place: bool,
    legal: bool,
}

fn leftover(toks: &[STok], matched: u64, p: &Params) -> Leftover {
    let mut l = Leftover::default();
    for (i, t) in toks.iter().enumerate() {
        if matched & bit(i) != 0 {
            continue;
        }
        match effective(t.class, p) {
            Class::Word | Class::Number | Class::Patronymic => l.word = true,
            Class::Generic => l.generic = true,
            Class::Place => l.place = true,
            Class::Legal => l.legal = true,
            Class::Particle => {}
        }
    }
    l
}

/// Penalty factor of an unmatched token given what the other side left unmatched, and whether
/// the token disagrees with the other side (rather than being extra). Words disagree with
/// words, descriptive words and places (ACME vs SHANGHAI TRADING); descriptive words with
/// words and descriptive words; places with places and words. A descriptive word against a
/// place is not a disagreement (DIGITAL TECHNOLOGY vs HANGZHOU … TECHNOLOGY).
fn penalty(class: Class, o: Leftover, p: &Params) -> (f64, bool) {
    match class {
        Class::Word | Class::Number if o.word || o.generic || o.place => (1.0, true),
        Class::Patronymic if o.word || o.generic => (0.8, true),
        Class::Generic if o.word || o.generic => (1.0, true),
        Class::Place if o.place || o.word => (1.0, true),
        Class::Legal if o.legal => (0.3, true),
        Class::Particle if o.word || o.generic => (0.3, true),
        Class::Word => (p.extra_word, false),
        Class::Number => (p.extra_number, false),
        Class::Patronymic => (0.1, false),
        Class::Generic | Class::Place => (0.15, false),
        Class::Legal => (0.1, false),
        Class::Particle => (0.2, false),
    }
}

/// Weight of the tokens a pair side covers: one token, or a span of joined tokens.
fn span_weight(toks: &[STok], (first, last): (u8, Option<u8>), p: &Params) -> f64 {
    let last = last.unwrap_or(first);
    (first..=last).map(|i| weight(&toks[i as usize], p)).sum()
}

fn weigh(q: &[STok], c: &[STok], a: &Aligned, p: &Params) -> f64 {
    let mut matched = 0.0;
    let mut denom = 0.0;
    for pair in &a.pairs {
        let w = 0.5 * (span_weight(q, pair.q, p) + span_weight(c, pair.c, p));
        matched += w * f64::from(pair.sim);
        denom += w;
    }
    if matched <= 0.0 {
        return 0.0;
    }
    let mut lq = leftover(q, a.q_matched, p);
    let mut lc = leftover(c, a.c_matched, p);
    // A full word matched only by an initial is weak: an unmatched word on the other side then
    // disagrees ("Vladimir Putin" is not "KONONOV, Vladimir P.").
    for pair in a.pairs.iter().filter(|p| p.kind == SimKind::Initial) {
        if q[pair.q.0 as usize].text.len() > 1 {
            lq.word = true;
        } else {
            lc.word = true;
        }
    }
    // Disagreements count in full; extras saturate (x / (1 + x)), so a name given in full
    // against its short form is not buried by the number of words it adds.
    let mut conflict = 0.0;
    let mut extra = 0.0;
    for (toks, m, other) in [(q, a.q_matched, lc), (c, a.c_matched, lq)] {
        for (i, t) in toks.iter().enumerate() {
            if m & bit(i) == 0 {
                let class = effective(t.class, p);
                let (f, disagrees) = penalty(class, other, p);
                if disagrees || class == Class::Number {
                    conflict += weight(t, p) * f;
                } else {
                    extra += weight(t, p) * f;
                }
            }
        }
    }
    let pen = conflict + extra / (1.0 + extra);
    let mut score = (matched / (denom + pen)).clamp(0.0, 1.0);
    if !corroborated(q, a, p) {
        score = score.min(UNCORROBORATED_MAX);
    }
    // One short name part (NA, LI) is all two person names share, next to other names.
    let words: Vec<&Pair> = a
        .pairs
        .iter()
        .filter(|x| effective(q[x.q.0 as usize].class, p) == Class::Word)
        .collect();
    if p.person
        && words.len() == 1
        && words[0].q.1.is_none()
        && q[words[0].q.0 as usize].text.len() <= 3
        && (lq.word || lc.word)
    {
        score = score.min(0.7);
    }
    score
}

/// Highest score of a pair whose distinctive words agree only approximately: a screening hit
/// for a person to review, never an automatic link (`LINK_THRESHOLD` is above it).
pub const UNCORROBORATED_MAX: f64 = 0.87;

/// Whether the pair has a distinctive word in common exactly (or as a plural or joined form),
/// or at least two other words in common exactly. Without that, a fuzzy or transliterated
/// single word (RYADON / RADIN) or one descriptive word is all that connects the names.
pub fn corroborated(q: &[STok], a: &Aligned, p: &Params) -> bool {
    let distinctive = |t: &STok| matches!(effective(t.class, p), Class::Word | Class::Number);
    let mut exact_others = 0;
    for pair in &a.pairs {
        let exact = matches!(
            pair.kind,
            SimKind::Exact | SimKind::Stem | SimKind::Romanization
        ) || (pair.kind == SimKind::Compound && pair.sim >= 0.97);
        if !exact {
            continue;
        }
        let t = &q[pair.q.0 as usize];
        match effective(t.class, p) {
            Class::Legal | Class::Particle => {}
            _ if distinctive(t) || pair.q.1.is_some() || pair.c.1.is_some() => return true,
            _ => exact_others += 1,
        }
    }
    exact_others >= 2
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
