//! Tests of the token alignment and scores.

use super::super::textsim::skeleton;
use super::super::Schema;
use super::*;

struct Owned(Vec<(Vec<u8>, Vec<u8>, Class)>);

fn toks(spec: &[(&str, Class)]) -> Owned {
    Owned(
        spec.iter()
            .map(|(t, c)| {
                let mut s = Vec::new();
                skeleton(t.as_bytes(), &mut s);
                (t.as_bytes().to_vec(), s, *c)
            })
            .collect(),
    )
}

impl Owned {
    fn view(&self) -> Vec<STok<'_>> {
        self.0
            .iter()
            .map(|(t, s, c)| STok {
                text: t,
                skel: s,
                class: *c,
                rarity: 1.0,
                script: super::super::translit::Script::Latin,
                orig: None,
            })
            .collect()
    }
}

use Class::*;

#[test]
fn extra_descriptive_words_cost_little_distinctive_ones_a_lot() {
    let p = Params::for_schema(Schema::Company);
    let alias = toks(&[("HIKVISION", Word)]);
    let long = toks(&[
        ("HANGZHOU", Place),
        ("HIKVISION", Word),
        ("DIGITAL", Generic),
        ("TECHNOLOGY", Generic),
        ("CO LTD", Legal),
    ]);
    let s1 = align(&alias.view(), &long.view(), &p).score;
    assert!(s1 >= 0.8, "{s1}");
    let zte_p = toks(&[("ZTE", Word), ("PARSIAN", Word)]);
    let zte = toks(&[("ZTE", Word), ("CORP", Legal)]);
    let s2 = align(&zte_p.view(), &zte.view(), &p).score;
    assert!(s2 < super::super::DEFAULT_THRESHOLD, "{s2}");
}

#[test]
fn disagreeing_words_cost_more_than_extra_ones() {
    let p = Params::for_schema(Schema::Company);
    let a = toks(&[("DAHUA", Word), ("ELECTRONICS", Generic), ("CORP", Legal)]);
    let b = toks(&[("DAHUA", Word), ("TECHNOLOGY", Generic)]);
    let c = toks(&[
        ("ZHEJIANG", Place),
        ("DAHUA", Word),
        ("TECHNOLOGY", Generic),
        ("CO LTD", Legal),
    ]);
    let ab = align(&a.view(), &b.view(), &p).score;
    let cb = align(&c.view(), &b.view(), &p).score;
    assert!(cb > 0.9 && ab < 0.7, "{ab} {cb}");
}

#[test]
fn compound_tokens_align() {
    let p = Params::for_schema(Schema::Company);
    let a = toks(&[("HIK", Word), ("VISION", Word)]);
    let b = toks(&[("HIKVISION", Word)]);
    let r = align(&a.view(), &b.view(), &p);
    assert!(r.score > 0.95, "{}", r.score);
    assert_eq!(r.pairs[0].kind, SimKind::Compound);
}

#[test]
fn person_initials_and_order() {
    let p = Params::for_schema(Schema::Person);
    let a = toks(&[("PUTIN", Word), ("VLADIMIR", Word)]);
    let b = toks(&[("V", Word), ("PUTIN", Word)]);
    let s = align(&a.view(), &b.view(), &p).score;
    assert!(s > 0.85, "{s}");
    // An initial does not stand in for a surname next to a different surname.
    let c = toks(&[("KONONOV", Word), ("VLADIMIR", Word), ("P", Word)]);
    let s = align(&a.view(), &c.view(), &p).score;
    assert!(s < 0.6, "{s}");
}

#[test]
fn typing_slips_are_swaps_and_doubled_letters_only() {
    use super::super::tokensim::{is_slip, same_word_form};
    assert!(is_slip(b"HAUWEI", b"HUAWEI"));
    assert!(is_slip(b"AQSSA", b"AQSA"));
    assert!(is_slip(b"AQSA", b"AQSSA"));
    // A different letter, a dropped letter that is not a doubling, or two swaps: no slip.
    assert!(!is_slip(b"MEDOC", b"MEDIC"));
    assert!(!is_slip(b"MEGEL", b"MEDGEL"));
    assert!(!is_slip(b"ABCD", b"BADC"));
    assert!(!is_slip(b"SAME", b"SAME"));
    assert!(same_word_form(b"TRADE", b"TRADING"));
    assert!(same_word_form(b"TRADERS", b"TRADING"));
    assert!(!same_word_form(b"EXPORTS", b"EXPERTS"));
    assert!(!same_word_form(b"MINING", b"MINE"));
}

#[test]
fn loose_scripts_may_drop_a_final_r() {
    use super::super::tokensim::coarse_agree;
    use super::super::translit::Script::{Kana, Latin, Loose};
    // BLADIMA (Myanmar) ~ VLADIMIR: P R T M against P R T M R.
    assert!(coarse_agree(b"PRTM", Loose, b"PRTMR", Latin));
    assert!(coarse_agree(b"PRTMR", Latin, b"PRTM", Loose));
    // Kana writes its R; two consonants are too few; only a final R.
    assert!(!coarse_agree(b"PRTM", Kana, b"PRTMR", Latin));
    assert!(!coarse_agree(b"PT", Loose, b"PTR", Latin));
    assert!(!coarse_agree(b"PRTM", Loose, b"PRTMN", Latin));
}
