//! The engine's own tests: ranking tiers, narrowing, cancellation.

use super::*;

fn rec(kind: Kind, id: i64, name: &str, badge: &str) -> Record {
    Record {
        kind,
        id,
        name: name.into(),
        badge: badge.into(),
        country: None,
        programs: None,
        start_date: None,
        end_date: None,
        synthetic: false,
        weight: 0,
    }
}

fn engine() -> Engine {
    let mut c = Corpus::new();
    let hik = c.add_record(rec(
        Kind::Entity,
        1,
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
        "EL",
    ));
    c.add_name(hik, "Hangzhou Hikvision Digital Technology Co., Ltd.");
    c.add_name(hik, "Hikvision");
    let dahua = c.add_record(rec(Kind::Entity, 2, "Zhejiang Dahua Technology", "EL"));
    c.add_name(dahua, "Zhejiang Dahua Technology");
    let p = c.add_record(rec(Kind::Party, 7, "PHUONG VIET DISTRIBUTION", "PARTY"));
    c.add_name(p, "PHUONG VIET DISTRIBUTION");
    Engine::new(c)
}

#[test]
fn alias_ranks_the_record_once_with_highlights() {
    let mut e = engine();
    let r = e.search("hikvision", 10, &|| false).unwrap();
    assert_eq!(r.hits.len(), 1, "one row per record, not per alias");
    assert_eq!(r.matched_names, 2);
    let h = &r.hits[0];
    assert_eq!(h.record.id, 1);
    assert_eq!(h.positions.len(), "hikvision".len());
}

#[test]
fn growing_query_narrows_the_previous_matches() {
    let mut e = engine();
    let broad = e.search("t", 10, &|| false).unwrap();
    assert!(broad.hits.len() >= 2);
    let narrow = e.search("tech", 10, &|| false).unwrap();
    let ids: Vec<i64> = narrow.hits.iter().map(|h| h.record.id).collect();
    assert!(ids.contains(&1) && ids.contains(&2));
    assert!(!ids.contains(&7), "PHUONG VIET has no 'tech'");
    // A different query after narrowing still sees the whole corpus.
    let other = e.search("phuong", 10, &|| false).unwrap();
    assert_eq!(other.hits[0].record.id, 7);
}

fn engine_of(names: &[(&str, &str)]) -> Engine {
    let mut c = Corpus::new();
    for (i, (name, badge)) in names.iter().enumerate() {
        let r = c.add_record(rec(Kind::Entity, i as i64 + 1, name, badge));
        c.add_name(r, name);
    }
    Engine::new(c)
}

fn names(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| &*h.record.name).collect()
}

#[test]
fn whole_words_first_and_a_quoted_query_wants_them_whole() {
    let mut e = engine_of(&[
        ("PUTINA, Maria", "SDN"),
        ("PUTIN, Vladimir Vladimirovich", "SDN"),
        ("ZTEC INDUSTRIES", "PARTY"),
        ("ZTE CORPORATION", "EL"),
        ("ZHONGXING TELECOM EQUIPMENT", "PARTY"),
    ]);
    let r = e.search("putin", 10, &|| false).unwrap();
    assert_eq!(
        names(&r),
        ["PUTIN, Vladimir Vladimirovich", "PUTINA, Maria"],
        "the whole word above the longer word it starts"
    );
    assert_eq!(names(&r), names(&e.search_naive("putin", 10)));
    // Quoted: the word itself, whole; the quotes are not searched for.
    let r = e.search("\"zte\"", 10, &|| false).unwrap();
    assert_eq!(names(&r), ["ZTE CORPORATION"]);
    assert_eq!(names(&e.search_naive("\"zte\"", 10)), ["ZTE CORPORATION"]);
    let r = e.search("zte", 10, &|| false).unwrap();
    assert_eq!(names(&r)[..2], ["ZTE CORPORATION", "ZTEC INDUSTRIES"]);
    let r = e.search("\"putin\"", 10, &|| false).unwrap();
    assert_eq!(names(&r), ["PUTIN, Vladimir Vladimirovich"]);
}

#[test]
fn names_containing_the_query_outrank_scattered_matches() {
    let mut e = engine_of(&[
        ("Dalian Huarui Heavy Industry Goup Co., Ltd.", "ASSIGNEE"),
        ("DAHUA ELECTRONICS CORPORATION", "DPL"),
        ("ZHEJIANG DAHUA TECHNOLOGY CO., LTD.", "PARTY"),
        ("THINK AND VISION GMBH", "ASSIGNEE"),
        ("Hikvision", "EL"),
    ]);
    let r = e.search("dahua", 10, &|| false).unwrap();
    assert_eq!(
        names(&r),
        [
            "DAHUA ELECTRONICS CORPORATION",
            "ZHEJIANG DAHUA TECHNOLOGY CO., LTD."
        ],
        "a one-word query found as typed drops the scattered Dalian HUArui"
    );
    let r = e.search("hikvision", 10, &|| false).unwrap();
    assert_eq!(names(&r), ["Hikvision"], "no THINK AND VISION");
    // A typo is found only scattered: then scattered matches are the results.
    let r = e.search("hikvson", 10, &|| false).unwrap();
    assert_eq!(names(&r).first(), Some(&"Hikvision"));
    // Several words keep scattered matches, after the ones found as typed.
    let r = e.search("dahua tech", 10, &|| false).unwrap();
    assert_eq!(
        names(&r).first(),
        Some(&"ZHEJIANG DAHUA TECHNOLOGY CO., LTD.")
    );
}

#[test]
fn cancelled_scan_returns_nothing() {
    let mut e = engine();
    assert!(e.search("hik", 10, &|| true).is_none());
}

/// Packed records give back every field as added; a name equal to the record's own shares its
/// text; badges and countries are stored once.
#[test]
fn packed_records_round_trip_and_share_text() {
    let mut c = Corpus::new();
    let full = Record {
        kind: Kind::Entity,
        id: 7,
        name: "ZTE Corporation".into(),
        badge: "EL".into(),
        country: Some("CN".into()),
        programs: Some("EAR".into()),
        start_date: Some("2016-03-08".into()),
        end_date: None,
        synthetic: true,
        weight: 0,
    };
    let a = c.add_record(full.clone());
    c.add_name(a, "ZTE Corporation");
    c.add_name(a, "ZTE Kangxun");
    let party = Record {
        weight: 12,
        ..rec(Kind::Party, 9, "ZTE CORP", "PARTY")
    };
    let b = c.add_record(Record {
        country: Some("CN".into()),
        ..party.clone()
    });
    c.add_name(b, "  ZTE CORP ");
    assert_eq!(c.record(a), full);
    assert_eq!(
        c.record(b),
        Record {
            country: Some("CN".into()),
            ..party
        }
    );
    assert_eq!(c.record(b).kind, Kind::Party);
    assert_eq!(c.len(), 3);
    let names: Vec<&str> = c.slots.iter().map(|s| c.name(s)).collect();
    assert_eq!(names, ["ZTE Corporation", "ZTE Kangxun", "ZTE CORP"]);
    // Text holds each distinct string once: the two shared names are not repeated.
    let text = "ZTE Corporation".len()
        + "EAR".len()
        + "2016-03-08".len()
        + "ZTE Kangxun".len()
        + "ZTE CORP".len();
    assert!(c.heap_bytes() >= text);
    assert_eq!(c.slots[0].start, 0);
    assert_eq!(c.slots[2].start as usize, text - "ZTE CORP".len());
}

/// A corpus past both windows: 40,000 names built from syllables, so short queries have tens
/// of thousands of matches as typed and longer ones thousands of scattered matches.
fn big_engine() -> Engine {
    const SYLLABLES: [&str; 16] = [
        "sin", "o", "pec", "ro", "so", "bor", "hik", "vi", "sion", "tech", "ka", "hua", "zhen",
        "an", "li", "ne",
    ];
    const WORDS: [&str; 6] = ["TRADING", "CO", "LTD", "ELECTRONICS", "GROUP", "IMPORT"];
    let mut rng = fastrand::Rng::with_seed(6);
    let mut c = Corpus::new();
    for i in 0..40_000 {
        let mut name = String::new();
        for w in 0..rng.usize(1..4) {
            if w > 0 {
                name.push(' ');
            }
            for _ in 0..rng.usize(1..4) {
                name.push_str(SYLLABLES[rng.usize(..SYLLABLES.len())]);
            }
        }
        for _ in 0..rng.usize(0..3) {
            name.push(' ');
            name.push_str(WORDS[rng.usize(..WORDS.len())]);
        }
        let kind = [Kind::Entity, Kind::Party, Kind::Assignee][i % 3];
        let r = c.add_record(rec(kind, i as i64, &name.to_uppercase(), "X"));
        c.add_name(r, &name.to_uppercase());
    }
    Engine::new(c)
}

#[test]
fn fast_search_returns_the_naive_full_scans_top_records() {
    let mut e = big_engine();
    for scorer in [Scorer::Skim, Scorer::Nucleo] {
        e = e.rescored(scorer);
        same_top_as_the_naive_scan(&mut e);
    }
}

fn same_top_as_the_naive_scan(e: &mut Engine) {
    // "so", "oro": tens of thousands as typed (past RERANK); "sinopec", "tecro": fewer than a
    // page as typed, thousands scattered; "oeo", "nio": over 11,000 scattered (past SCATTERED).
    let queries = [
        "so",
        "hik",
        "oro",
        "sinopec",
        "rosobor",
        "hikvision tech",
        "kahua li",
        "tecro",
        "ioe",
        "oeo",
        "nio",
    ];
    for q in queries {
        e.forget();
        let fast = e.search(q, 50, &|| false).unwrap();
        let naive = e.search_naive(q, 50);
        let ids = |r: &Results| -> Vec<(Kind, i64)> {
            r.hits
                .iter()
                .map(|h| (h.record.kind, h.record.id))
                .collect()
        };
        assert_eq!(
            ids(&fast),
            ids(&naive),
            "{q}: {} names matched",
            fast.matched_names
        );
    }
}

#[test]
fn capitals_do_not_decide_the_ranking() {
    // The same name in the SDN's capitals and the CSL's mixed case ties on the match; the
    // entity (kind) and then the shorter name break the tie, not the letters' case.
    let mut c = Corpus::new();
    let party = c.add_record(rec(Kind::Party, 1, "Mahan Air Cargo", "PARTY"));
    c.add_name(party, "Mahan Air Cargo");
    let sdn = c.add_record(rec(Kind::Entity, 2, "MAHAN AIR", "SDN"));
    c.add_name(sdn, "MAHAN AIR");
    let mut e = Engine::new(c);
    let r = e.search("mahan air", 10, &|| false).unwrap();
    assert_eq!(r.hits[0].record.id, 2, "{:?}", names(&r));
    assert_eq!(r.hits[0].score, r.hits[1].score);
    assert_eq!(r.hits[0].positions, (0..9).collect::<Vec<_>>());
}

#[test]
fn an_assignee_with_no_patents_here_comes_after_one_with_patents() {
    let mut c = Corpus::new();
    let none = c.add_record(rec(Kind::Assignee, 1, "Hikvision Digital", "ASSIGNEE"));
    c.add_name(none, "Hikvision Digital");
    let some = c.add_record(Record {
        weight: 4,
        ..rec(
            Kind::Assignee,
            2,
            "Hikvision Digital Technology",
            "ASSIGNEE",
        )
    });
    c.add_name(some, "Hikvision Digital Technology");
    let mut e = Engine::new(c);
    let r = e.search("hikvision", 10, &|| false).unwrap();
    assert_eq!(
        names(&r),
        ["Hikvision Digital Technology", "Hikvision Digital"]
    );
}
