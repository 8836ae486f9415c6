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

/// Names of a file's column (CSV, `header` rows skipped), `-0-` (OFAC's empty) left out.
fn column(rel: &str, sep: u8, header: bool, col: usize, n: usize) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(header)
        .flexible(true)
        .quoting(sep == b',')
        .from_path(&path)
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
    r.records()
        .filter_map(|rec| rec.ok()?.get(col).map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty() && s != "-0-")
        .take(n)
        .collect()
}

#[test]
fn the_fast_token_similarities_give_the_plain_algorithms_hits() {
    // The real OFAC SDN names and aliases (data/lists/ofac_sdn), searched by 1,200 real
    // company names (PatentsView assignees) and 300 SDN names with one letter changed: every
    // hit, score (to the bit), matched name and explanation is the same with Jaro by bit sets
    // and the length bound as with the window scan and no bound.
    let mut names = column("data/lists/ofac_sdn/sdn.csv", b',', false, 1, usize::MAX);
    names.extend(column(
        "data/lists/ofac_sdn/alt.csv",
        b',',
        false,
        3,
        usize::MAX,
    ));
    let idx = NameIndex::build(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| rec(i as i64, n))
            .collect(),
    );
    let mut queries = column(
        "data/patents/patentsview_assignee.tsv",
        b'\t',
        true,
        2,
        1200,
    );
    queries.extend(names.iter().step_by(names.len() / 300).map(|n| {
        let mut b = n.clone().into_bytes();
        let k = b.len() / 2;
        if b.get(k).is_some_and(u8::is_ascii_alphabetic) {
            b[k] = if b[k] == b'E' { b'A' } else { b'E' };
        }
        String::from_utf8(b).unwrap_or_default()
    }));
    let o = SearchOptions {
        threshold: 0.7,
        ..SearchOptions::default()
    };
    let key = |hs: Vec<Hit>| -> Vec<(i64, u64, String, String)> {
        hs.into_iter()
            .map(|h| (h.id, h.score.to_bits(), h.matched_name, h.explanation))
            .collect()
    };
    let mut hits = 0;
    for q in &queries {
        crate::textsim::REFERENCE.with(|r| r.set(true));
        let plain = key(idx.search(q, &o));
        crate::textsim::REFERENCE.with(|r| r.set(false));
        let fast = key(idx.search(q, &o));
        assert_eq!(fast, plain, "{q}");
        hits += fast.len();
    }
    assert!(hits > 300, "the queries find something: {hits}");
}
