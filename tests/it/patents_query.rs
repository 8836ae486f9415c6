//! The Patents query (issue 16): full-text words and prefixes, CET areas from the derived
//! table, newest first, capped counts; `tradescope patents --json`; one assignee across
//! PatentsView id generations (issue 15 item 6); the same count on every path.

use crate::common;

use common::*;
use tradescope::db::cet;
use tradescope::db::import::Format;
use tradescope::db::patents::{self, PatentFilter, PatentSort};

fn fixture(rel: &str) -> std::path::PathBuf {
    repo(&format!("tests/fixtures/patentsview/{rel}"))
}

fn g_set(dir: &str) -> Vec<std::path::PathBuf> {
    ["g_patent.tsv", "g_assignee_disambiguated.tsv"]
        .iter()
        .map(|f| fixture(&format!("{dir}/{f}")))
        .collect()
}

fn numbers(conn: &rusqlite::Connection, f: &PatentFilter) -> Vec<String> {
    patents::page(conn, f, PatentSort::default(), None, 50)
        .expect("page")
        .rows
        .into_iter()
        .map(|r| r.number)
        .collect()
}

fn text(q: &str) -> PatentFilter {
    PatentFilter {
        text: Some(q.into()),
        ..Default::default()
    }
}

fn cli(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tradescope")
}

#[test]
fn words_prefixes_and_folded_diacritics_come_newest_first() {
    let mut t = new_db();
    for dir in ["huawei_ids/legacy", "huawei_ids/current"] {
        import(&mut t.conn, Format::Patentsview, &g_set(dir)).expect("import");
    }
    // A word of six titles, newest first.
    assert_eq!(
        numbers(&t.conn, &text("method")),
        vec![
            "US11800004B2",
            "US11700003B2",
            "US11500001B2",
            "US10901779B2",
            "US10652864B2",
            "US10420131B2"
        ]
    );
    // Words anywhere (title and assignee name), every one required; case folded.
    assert_eq!(
        numbers(&t.conn, &text("HUAWEI neural")),
        vec!["US11600002B2"]
    );
    // A prefix.
    assert_eq!(numbers(&t.conn, &text("compress*")), vec!["US11600002B2"]);
    assert!(
        numbers(&t.conn, &text("compress")).is_empty(),
        "words are whole"
    );
    // Diacritics folded both ways.
    assert_eq!(numbers(&t.conn, &text("Téchnologiés")).len(), 7);
    assert_eq!(numbers(&t.conn, &text("Béam")), vec!["US11700003B2"]);
    // Only punctuation: nothing, not everything.
    assert!(numbers(&t.conn, &text("\" * -")).is_empty());
    // Number lookup is unchanged.
    assert_eq!(
        numbers(&t.conn, &text("US 10,652,864")),
        vec!["US10652864B2"]
    );
    // Paging continues where the first page ended, in the same order.
    let first = patents::page(&t.conn, &text("method"), PatentSort::default(), None, 2).unwrap();
    let next = patents::page(
        &t.conn,
        &text("method"),
        PatentSort::default(),
        first.next.as_ref(),
        2,
    )
    .unwrap();
    let got: Vec<_> = next.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(got, vec!["US11500001B2", "US10901779B2"]);
    // Counts, exact and capped.
    assert_eq!(
        patents::count(&t.conn, &text("method"), 100).unwrap(),
        Ok(6)
    );
    assert_eq!(patents::count(&t.conn, &text("method"), 3).unwrap(), Err(3));
}

#[test]
fn cet_areas_come_from_the_derived_table_and_follow_cet_import() {
    let mut t = new_db();
    let mut set = g_set("");
    set.push(fixture("g_cpc_current.tsv"));
    {
        let tx = t.conn.transaction().unwrap();
        cet::load_tsv(&tx, "cet_cpc.tsv", cet::DEFAULT_TSV).unwrap();
        tx.commit().unwrap();
    }
    import(&mut t.conn, Format::Patentsview, &set).expect("import");
    let ai = PatentFilter {
        cet: Some("biometrics".into()),
        ..Default::default()
    };
    let derived = count(&t.conn, "SELECT count(*) FROM patent_cet");
    assert!(derived > 0);
    let before = numbers(&t.conn, &ai);
    assert_eq!(
        before,
        vec!["US11321963B2"],
        "G06V40/16 is a face: biometrics"
    );
    let row = &patents::page(&t.conn, &ai, PatentSort::default(), None, 5)
        .unwrap()
        .rows[0];
    assert!(
        row.cet.as_deref().unwrap_or("").contains("BIOMETRICS"),
        "{row:?}"
    );
    // A new CET table: the areas are recomputed.
    let tx = t.conn.transaction().unwrap();
    cet::load_tsv(
        &tx,
        "mine.tsv",
        "area_code\tarea_name\tcpc_prefix\tnote\nVIDEO\tVideo\tH04N21\t\nBIOMETRICS\tBio\tA61B5\t\n",
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(numbers(&t.conn, &ai).is_empty());
    let video = PatentFilter {
        cet: Some("VIDEO".into()),
        ..Default::default()
    };
    assert_eq!(numbers(&t.conn, &video), vec!["US11232686B2"]);
    assert_eq!(count(&t.conn, "SELECT count(*) FROM patent_cet"), 1);
}
