//! The check after a list import (issue 17 item 2) screens a monitored set only against what the
//! import changed, and finds exactly the new hits a full re-screen finds: on the real update
//! from the CSL fixture of 2023-11-01 to that of 2023-11-16 (3 listings removed, 5 added), with
//! a set of every name and alias of both versions and 1,500 real company names (PatentsView
//! assignees, nearly all unlisted), and again after a second update on top of it (the set not
//! rescreened in between: the changes of both count).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::watch::{self, check, rescreen, NewParty, WatchSet};
use tradescope::db::{entities, open_rw};
use tradescope::matching::{NameIndex, DEFAULT_THRESHOLD};
use tradescope::progress::NoProgress;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const V1: &str = "tests/fixtures/releases/input/csl_2023-11-01.csv";
const V2: &str = "tests/fixtures/releases/input/csl_2023-11-16.csv";

fn import(conn: &mut Connection, format: Format, path: &Path, as_of: &str) {
    let opts = ImportOptions {
        as_of: Some(as_of.into()),
        ..ImportOptions::default()
    };
    import::import(conn, format, &[Input::path(path)], &opts, &NoProgress).expect("import");
}

fn index(conn: &Connection) -> NameIndex {
    NameIndex::build(entities::current_names(conn).expect("names"))
}

/// Every name and alias of a CSL file (columns `name` and `alt_names`).
fn csl_names(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).expect("csl");
    let h = r.headers().expect("header").clone();
    let col = |n: &str| h.iter().position(|c| c == n).expect("column");
    let (name, alt) = (col("name"), col("alt_names"));
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.expect("row");
        out.push(rec[name].to_string());
        out.extend(
            rec[alt]
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        );
    }
    out
}

/// The first `n` organization names of the bundled PatentsView assignee table.
fn assignees(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(repo("data/patents/patentsview_assignee.tsv")).expect("tsv");
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(n)
        .map(str::to_string)
        .collect()
}

/// The new hits of a report: (party line, listing, counts as a match, score).
fn new_hits(r: &rescreen::Report) -> BTreeSet<(u64, String, bool, String)> {
    r.parties
        .iter()
        .flat_map(|p| {
            p.new_hits.iter().map(move |h| {
                (
                    p.line,
                    h.hit.listing_key.clone(),
                    h.hit.is_match,
                    format!("{:.3}", h.hit.score),
                )
            })
        })
        .collect()
}

/// The full comparison and the check against the changes agree; the new hits.
fn agree(conn: &Connection, set: &WatchSet) -> (BTreeSet<(u64, String, bool, String)>, usize) {
    let index = index(conn);
    let (full, _) = rescreen::compare(conn, &index, set).expect("full");
    let changed = check::compare_changed(conn, &index, set).expect("changed");
    assert_eq!(new_hits(&changed), new_hits(&full));
    assert_eq!(
        changed.summary.new_potential_matches,
        full.summary.new_potential_matches
    );
    (new_hits(&full), changed.summary.parties)
}

#[test]
fn the_check_against_the_changes_finds_the_new_hits_a_full_rescreen_finds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut conn = open_rw(&tmp.path().join("t.db")).expect("db");
    import(
        &mut conn,
        Format::Dpl,
        &repo("data/lists/bis_dpl.txt"),
        "2022-05-01",
    );
    import(&mut conn, Format::Csl, &repo(V1), "2023-11-01");

    let mut names = csl_names(&repo(V1));
    names.extend(csl_names(&repo(V2)));
    names.sort();
    names.dedup();
    let listed = names.len();
    names.extend(assignees(1500));
    let parties: Vec<NewParty> = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| NewParty {
            line: i as u64 + 2,
            name,
            country: None,
            dob: None,
        })
        .collect();
    let total = parties.len();
    let set = watch::add(
        &mut conn,
        "vendors",
        "vendors.csv",
        "-",
        DEFAULT_THRESHOLD,
        &parties,
    )
    .expect("add");
    let before = index(&conn);
    rescreen::rescreen(&mut conn, &before, &set).expect("baseline");
    let set = watch::get(&conn, "vendors").expect("set");

    // The real update: its added listings are new hits of the parties named like them.
    import(&mut conn, Format::Csl, &repo(V2), "2023-11-16");
    let (first, screened) = agree(&conn, &set);
    assert!(
        first.len() >= 5,
        "the 5 added listings are new hits of their own names: {first:?}"
    );
    assert!(
        screened * 10 < total,
        "the check screened {screened} of {total} parties in full ({listed} named as listed)"
    );

    // A second update on top (v2 with one more Entity List row, derived from a real one), the
    // set not rescreened since the first: the changes of both versions count.
    let text = std::fs::read_to_string(repo(V2)).expect("v2");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("header").clone();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).expect("header");
    let mut el = None;
    for rec in r.records() {
        let rec = rec.expect("row");
        if el.is_none() && rec.get(5) == Some("Dahua Technology") {
            el = Some(rec.clone());
        }
        w.write_record(&rec).expect("row");
    }
    let mut cells: Vec<String> = el.expect("an EL row").iter().map(str::to_string).collect();
    cells[0] = "0123456789abcdef0123456789abcdef01234567".into();
    // A name of the set (a PatentsView assignee) now listed.
    cells[5] = assignees(1500)[700].clone();
    w.write_record(&cells).expect("new row");
    let v3 = tmp.path().join("csl_2023-12-01.csv");
    std::fs::write(&v3, w.into_inner().expect("csv")).expect("write");
    import(&mut conn, Format::Csl, &v3, "2023-12-01");
    let (second, _) = agree(&conn, &set);
    let keys = |s: &BTreeSet<(u64, String, bool, String)>| -> BTreeSet<(u64, String)> {
        s.iter().map(|(l, k, ..)| (*l, k.clone())).collect()
    };
    assert!(
        keys(&first).is_subset(&keys(&second)),
        "{first:?} {second:?}"
    );
    assert!(
        second.len() > first.len(),
        "the newly listed assignee is a new hit: {second:?}"
    );
}
