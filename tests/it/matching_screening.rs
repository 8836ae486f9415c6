//! Screening quality against the bundled lists (CSL, OFAC SDN and non-SDN, BIS DPL), as a
//! user's batch would meet it (issue 18):
//!
//! - real company names that are almost all *not* listed (a 10,000-name sample of the bundled
//!   PatentsView assignees) must rarely be flagged at the default threshold;
//! - bill-of-lading-style spellings of listed names (made by the generator's own variant code,
//!   `gen::names::variant_of_text`) must be flagged, on the entry they were made from;
//! - one listed person's name written in 28 scripts (tests/data/putin_scripts.csv) must find
//!   the entry.
//!
//! Each test prints its figures and the cases it gets wrong, so a change shows in the log.

use std::sync::OnceLock;

use rayon::prelude::*;
use tradescope::db::import::{self, Format, Input};
use tradescope::db::{self, entities};
use tradescope::matching::{Hit, NameIndex, NameRecord, Schema, SearchOptions, DEFAULT_THRESHOLD};
use tradescope::progress::NoProgress;

struct Fixture {
    _dir: tempfile::TempDir,
    names: Vec<NameRecord>,
    index: NameIndex,
}

/// The bundled lists, imported once per test binary.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = db::open_rw(&dir.path().join("t.db")).expect("open db");
        let set = |dir: &str, files: &[&str]| -> Vec<Input> {
            files
                .iter()
                .map(|f| Input::path(format!("data/lists/{dir}/{f}.csv")))
                .collect()
        };
        let lists: Vec<(Format, Vec<Input>)> = vec![
            (
                Format::Ofac,
                set("ofac_sdn", &["sdn", "add", "alt", "sdn_comments"]),
            ),
            (
                Format::Ofac,
                set(
                    "ofac_consolidated",
                    &["cons_prim", "cons_add", "cons_alt", "cons_comments"],
                ),
            ),
            (Format::Dpl, vec![Input::path("data/lists/bis_dpl.txt")]),
            (
                Format::Csl,
                vec![Input::path("data/lists/csl_consolidated_2022-05.csv.gz")],
            ),
        ];
        for (format, inputs) in lists {
            import::import(&mut conn, format, &inputs, &Default::default(), &NoProgress)
                .expect("import bundled list");
        }
        let names = entities::current_names(&conn).expect("names");
        let index = NameIndex::build(names.clone());
        Fixture {
            _dir: dir,
            names,
            index,
        }
    })
}

fn screen(name: &str) -> Vec<Hit> {
    fixture().index.search(
        name,
        &SearchOptions {
            limit: 10,
            ..SearchOptions::default()
        },
    )
}

/// Every `step`-th assignee name of the bundled PatentsView slice, `n` of them.
fn assignee_sample(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string("data/patents/patentsview_assignee.tsv")
        .expect("data/patents/patentsview_assignee.tsv");
    let all: Vec<String> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(2))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    let step = (all.len() / n).max(1);
    all.into_iter().step_by(step).take(n).collect()
}

#[test]
fn real_unlisted_company_names_are_rarely_flagged() {
    let sample = assignee_sample(10_000);
    assert_eq!(sample.len(), 10_000);
    let flagged: Vec<(&String, Hit)> = sample
        .par_iter()
        .filter_map(|n| screen(n).into_iter().next().map(|h| (n, h)))
        .collect();
    let rate = flagged.len() as f64 / sample.len() as f64;
    println!(
        "PatentsView assignees flagged at {DEFAULT_THRESHOLD}: {} of {} ({:.2}%)",
        flagged.len(),
        sample.len(),
        100.0 * rate
    );
    for (n, h) in flagged.iter().take(200) {
        println!(
            "  {:.3} {n:?} -> {:?}: {}",
            h.score, h.matched_name, h.explanation
        );
    }
    // Issue 18's target is 1%; measured 1.00% (4.18% before issue 18, 1.28% before its third
    // round). The floor guards the gain.
    assert!(rate <= 0.0115, "{:.2}% flagged", 100.0 * rate);
}

#[test]
fn bill_of_lading_variants_of_listed_names_are_flagged() {
    let f = fixture();
    let mut rng = fastrand::Rng::with_seed(18);
    // Organisations (not people or vessels): the parties of a bill of lading.
    let orgs: Vec<&NameRecord> = f
        .names
        .iter()
        .filter(|r| r.schema == Schema::Company && r.name.chars().count() >= 6)
        .collect();
    let mut cases: Vec<(i64, String, String)> = Vec::new();
    while cases.len() < 2000 {
        let r = orgs[rng.usize(..orgs.len())];
        let v = tradescope_bench::gen::names::variant_of_text(&mut rng, &r.name);
        cases.push((r.id, r.name.clone(), v));
    }
    // The cases as a CSV (name, entity_id), for running another build's `screen --file` on them.
    let mut csv_out = String::from("name,entity_id\n");
    for (id, _, v) in &cases {
        csv_out.push_str(&format!("\"{}\",{id}\n", v.replace('"', "\"\"")));
    }
    let _ = std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bol_variants.csv"),
        csv_out,
    );
    let results: Vec<(bool, bool, Option<Hit>)> = cases
        .par_iter()
        .map(|(id, _, v)| {
            let hits = screen(v);
            let own = hits.iter().any(|h| h.id == *id);
            (own, !hits.is_empty(), hits.into_iter().next())
        })
        .collect();
    let own = results.iter().filter(|r| r.0).count();
    let any = results.iter().filter(|r| r.1).count();
    let n = cases.len() as f64;
    println!(
        "bill-of-lading variants flagged on their own entry: {own} of {} ({:.3}); with any hit: {any} ({:.3})",
        cases.len(),
        own as f64 / n,
        any as f64 / n
    );
    for ((_, name, v), (ok, _, best)) in cases.iter().zip(&results) {
        if !ok {
            println!(
                "  missed {v:?} (of {name:?}); best: {:?}",
                best.as_ref()
                    .map(|h| (h.matched_name.as_str(), h.score, h.explanation.as_str()))
            );
        }
    }
    // Flagged = a hit at the threshold (the same name is often listed twice, under two ids).
    // Issue 18's target is 0.98; measured 0.975 (0.938 before issue 18, 0.952 before its
    // third round).
    assert!(any as f64 / n >= 0.97, "{any} of {} flagged", cases.len());
}

#[test]
fn one_listed_person_in_many_scripts_is_found() {
    let f = fixture();
    let putin: Vec<i64> = f
        .names
        .iter()
        .filter(|r| r.name.to_uppercase().starts_with("PUTIN, VLADIMIR"))
        .map(|r| r.id)
        .collect();
    assert!(!putin.is_empty(), "the bundled lists name PUTIN, Vladimir");
    let text = include_str!("../data/putin_scripts.csv");
    let body = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rdr = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let rows: Vec<(String, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.expect("putin_scripts.csv row");
            (r[0].to_string(), r[1].to_string(), r[2].to_string())
        })
        .collect();
    let mut found = 0;
    let mut by_script: Vec<(String, usize, usize)> = Vec::new();
    for (script, language, name) in &rows {
        let hits = screen(name);
        let ok = hits.iter().any(|h| putin.contains(&h.id));
        found += usize::from(ok);
        match by_script.iter_mut().find(|(s, ..)| s == script) {
            Some(e) => {
                e.1 += usize::from(ok);
                e.2 += 1;
            }
            None => by_script.push((script.clone(), usize::from(ok), 1)),
        }
        if !ok {
            println!(
                "  not found: {script} ({language}) {name:?} -> {:?}",
                hits.first()
                    .map(|h| (&h.matched_name, h.score, &h.explanation))
            );
        }
    }
    println!("found {found} of {}", rows.len());
    for (s, ok, n) in &by_script {
        println!("  {s}: {ok}/{n}");
    }
    // Measured 77 (both Myanmar spellings found since the third round).
    assert!(
        found >= 77,
        "{found} of {} found (target ≥ 75 of 81)",
        rows.len()
    );
}
