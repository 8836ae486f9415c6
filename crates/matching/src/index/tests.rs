//! The index's own tests: candidates, evidence, explanations.

use super::*;

fn rec(id: i64, name: &str) -> NameRecord {
    NameRecord {
        id,
        name: name.to_string(),
        schema: Schema::Unknown,
        country: None,
        dob: None,
    }
}

#[test]
fn finds_typos_joined_words_and_transliterations() {
    let idx = NameIndex::build(vec![
        rec(1, "Hangzhou Hikvision Digital Technology Co., Ltd."),
        rec(2, "MUHAMMAD, Ali"),
        rec(3, "Global Trading Co Ltd"),
    ]);
    let o = SearchOptions::default();
    let h = idx.search("HANGZHOU HIKVISON DIGITAL TECHNOLOGY CO LTD", &o);
    assert_eq!(h.first().map(|h| h.id), Some(1));
    let h = idx.search("Hik Vision Digital Technology", &o);
    assert_eq!(h.first().map(|h| h.id), Some(1), "{h:?}");
    let h = idx.search("Ali Mohammed", &o);
    assert_eq!(h.first().map(|h| h.id), Some(2), "{h:?}");
    assert!(idx.search("Totally Unrelated Name", &o).is_empty());
}

#[test]
fn best_hit_per_id_and_limit() {
    let idx = NameIndex::build(vec![
        rec(7, "Hangzhou Hikvision Digital Technology Co., Ltd."),
        rec(7, "Hikvision"),
        rec(8, "HIKVISION"),
    ]);
    let hits = idx.search("Hikvision", &SearchOptions::default());
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.score >= 0.99));
    let one = idx.search(
        "Hikvision",
        &SearchOptions {
            limit: 1,
            ..SearchOptions::default()
        },
    );
    assert_eq!(one.len(), 1);
}

#[test]
fn date_of_birth_moves_the_score_and_says_why() {
    let mut putin = rec(1, "PUTIN, Vladimir Vladimirovich");
    putin.dob = Some("1952-10-07".into());
    let idx = NameIndex::build(vec![putin, rec(2, "PUTIN, Vladimir")]);
    let with = |dob: Option<&str>| SearchOptions {
        dob: dob.map(str::to_string),
        threshold: 0.5,
        ..SearchOptions::default()
    };
    let hit = |dob, id| {
        idx.search("Vladimir Putin", &with(dob))
            .into_iter()
            .find(|h| h.id == id)
    };
    let plain = hit(None, 1).map_or(0.0, |h| h.score);
    let same = hit(Some("1952-10-07"), 1).expect("same");
    assert!(same.score > plain && same.explanation.ends_with("; same date of birth"));
    let far = hit(Some("1980"), 1).expect("far");
    assert!(far.score < plain, "{far:?}");
    assert!(far
        .explanation
        .contains("different date of birth (list: 1952-10-07)"));
    // No date on the record: no evidence either way.
    let none = hit(Some("1980"), 2).expect("no dob");
    assert!(!none.explanation.contains("date of birth"));
    assert_eq!(Some(none.score), hit(None, 2).map(|h| h.score));
}

#[test]
fn index_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<NameIndex>();
}
