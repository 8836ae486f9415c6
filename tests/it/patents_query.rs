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

/// Issue 15 item 6: Huawei Technologies under its legacy `org_…` id and under a UUID (in
/// capitals) is one assignee with all seven patents, both ids kept; two people named Wei
/// Zhang under two ids stay two.
#[test]
fn one_organisation_under_legacy_and_current_ids_is_one_assignee() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Patentsview,
        &g_set("huawei_ids/legacy"),
    )
    .expect("legacy");
    let r = import(
        &mut t.conn,
        Format::Patentsview,
        &g_set("huawei_ids/current"),
    )
    .expect("current");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("1 PatentsView assignee id(s) name an organisation")),
        "{:?}",
        r.warnings
    );
    let huawei: i64 = t
        .conn
        .query_row(
            "SELECT id FROM assignee WHERE pv_id = 'org_OphuBrUyASm8ZMSfynyF'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        count(
            &t.conn,
            "SELECT assignee_id FROM assignee_pv_id WHERE pv_id = '5e3c1a0b-8f2d-4c6e-9a7b-2d1f0e9c8b7a'"
        ),
        huawei,
        "the UUID is kept and finds the same assignee"
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM assignee WHERE norm LIKE '%huawei%'"
        ),
        1
    );
    assert_eq!(
        count(
            &t.conn,
            &format!("SELECT n_patents FROM assignee WHERE id = {huawei}")
        ),
        7
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM assignee WHERE name = 'Wei Zhang'"
        ),
        2,
        "individuals are not merged by name"
    );
    let f = PatentFilter {
        assignee_id: Some(huawei),
        ..Default::default()
    };
    assert_eq!(numbers(&t.conn, &f).len(), 7);
    // Importing the current set again changes nothing.
    let again = import(
        &mut t.conn,
        Format::Patentsview,
        &g_set("huawei_ids/current"),
    )
    .unwrap();
    assert!(again.already_imported);
}

/// Issue 16 item 5: an assignee's patents count the same in the pane's query, `show`, the
/// intersection's assignee list and `patents --assignee`; withdrawn patents are skipped and
/// counted.
#[test]
fn an_assignees_patent_count_is_the_same_everywhere() {
    let mut t = new_db();
    import(
        &mut t.conn,
        Format::Patentsview,
        &g_set("huawei_ids/legacy"),
    )
    .unwrap();
    import(
        &mut t.conn,
        Format::Patentsview,
        &g_set("huawei_ids/current"),
    )
    .unwrap();
    let mut set = g_set("");
    set.push(fixture("g_cpc_current.tsv"));
    let r = import(&mut t.conn, Format::Patentsview, &set).unwrap();
    assert!(
        r.warnings.iter().any(|w| w.contains("1 withdrawn")),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        count(
            &t.conn,
            "SELECT count(*) FROM patent WHERE number_key = 'US99999999'"
        ),
        0
    );
    let huawei: i64 = t
        .conn
        .query_row(
            "SELECT id FROM assignee WHERE pv_id = 'org_OphuBrUyASm8ZMSfynyF'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let f = PatentFilter {
        assignee_id: Some(huawei),
        ..Default::default()
    };
    let pane = patents::count(&t.conn, &f, 100_000).unwrap();
    let view = patents::count_all(&t.conn, &f).unwrap();
    let stored = count(
        &t.conn,
        &format!("SELECT n_patents FROM assignee WHERE id = {huawei}"),
    );
    assert_eq!(pane, Ok(7));
    assert_eq!(view, 7);
    assert_eq!(stored, 7);
    // The pane's pages (read from assignee_patent, v5), two rows a page, newest first: every
    // patent once, the same seven patent_assignee holds.
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = patents::page(&t.conn, &f, PatentSort::default(), after.as_ref(), 2).unwrap();
        paged.extend(page.rows.iter().map(|r| (r.publication_date.clone(), r.id)));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut newest_first = paged.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(paged, newest_first);
    let mut ids: Vec<i64> = paged.iter().map(|(_, id)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut held: Vec<i64> = t
        .conn
        .prepare("SELECT patent_id FROM patent_assignee WHERE assignee_id = ?1")
        .unwrap()
        .query_map([huawei], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    held.sort_unstable();
    assert_eq!(ids, held);
    assert_eq!(paged.len(), 7);
    let common::TestDb { dir, conn } = t;
    drop(conn);
    let db = dir.path().join("t.db");
    let show = cli(&db, &["show", "assignee", &huawei.to_string(), "--json"]);
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    let shown = String::from_utf8_lossy(&show.stdout);
    assert!(shown.contains("\"n_patents\": 7"), "{shown}");
    let out = cli(
        &db,
        &["patents", "--assignee", "huawei technologies", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0]["number"], "US11800004B2", "newest first");
    for key in ["id", "number", "date", "title", "assignees", "cpc", "cet"] {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    // The words query through the command line, the same rows as the store query.
    let out = cli(&db, &["patents", "liveness", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["cpc"][0], "G06V40/16");
}
