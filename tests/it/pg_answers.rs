//! One contract, two engines, continued (issue 19): entity search, patent word search, the
//! frequency tables (F), the profiles (P) and held-back audit records — the default database
//! copied to PostgreSQL answers as SQLite does.

use serde_json::json;
use tradescope::db::patents::{PatentFilter, PatentSort, PatentSortKey};
use tradescope::db::shipments::freq::FreqColumn;
use tradescope::db::{search, SqliteStore, Store};
use tradescope::matching::NameIndex;
use tradescope::progress::NoProgress;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_pg::PgStore;

use super::investigate::{default_db, hikvision_el};
use super::pg::{new_database, server};
use super::pg_contract::filters;

/// The default database on both engines.
fn both(
    tag: &str,
) -> (
    Option<tradescope_pg::cluster::TempCluster>,
    SqliteStore,
    PgStore,
) {
    let (server, admin) = server();
    let url = new_database(&admin, tag);
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let lite = SqliteStore::open(src).expect("open SQLite");
    let pg = PgStore::open(&url).expect("open PostgreSQL");
    (server, lite, pg)
}

#[test]
fn postgresql_searches_entities_and_patent_words_as_sqlite_does() {
    let (_server, lite, pg) = both("answers_search");
    let conn = tradescope::db::open_ro(default_db()).expect("open");

    // `tradescope search`: matcher hits plus substring hits, one row per listing.
    let index = NameIndex::build(lite.current_names().expect("names"));
    let mut found = 0;
    for q in [
        "hikvision",
        "hikv",
        "HIKVISION DIGITAL",
        "zte",
        "huawei tech",
        "dahua",
        "sensetime",
        "ooo",
        "ltd",
        "no such company at all",
        "",
    ] {
        let a = search::search(&conn, &index, q, 10).expect("search on SQLite");
        let b = pg
            .run_sql(|db| search::search(db, &index, q, 10))
            .expect("search on PostgreSQL");
        assert_eq!(a, b, "search {q:?}");
        found += usize::from(!a.is_empty());
    }
    assert!(found >= 7, "only {found} searches found something");

    // Patent words: folded case and diacritics, prefixes, phrases of hyphenated words, words
    // of assignee names, and queries that find nothing; alone and with other filters, every
    // sort order, every page, counts exact and capped.
    let cpc: String = conn
        .query_row(
            "SELECT substr(cpc, 1, 4) FROM patent_cpc GROUP BY 1 ORDER BY count(*) DESC, 1",
            [],
            |r| r.get(0),
        )
        .expect("a CPC subclass");
    let area: String = conn
        .query_row(
            "SELECT area_code FROM patent_cet GROUP BY 1 ORDER BY count(*) DESC, 1",
            [],
            |r| r.get(0),
        )
        .expect("a CET area");
    let entity = hikvision_el(&conn);
    let text = |t: &str| PatentFilter {
        text: Some(t.into()),
        ..Default::default()
    };
    let mut fs: Vec<PatentFilter> = [
        "camera",
        "CAMERA",
        "çámera",
        "Hikvísion",
        "cam*",
        "ca*",
        "c*",
        "neural network",
        "network neural",
        "neural-network",
        "\"face liveness\"",
        "liveness-detection",
        "face-live*",
        "video* monitoring",
        "method",
        "hikvision camera",
        "co ltd",
        "ezviz*",
        "zzzqqq",
        "-- ** \"\"",
    ]
    .iter()
    .map(|t| text(t))
    .collect();
    fs.extend([
        PatentFilter {
            cpc: Some(cpc.to_lowercase()),
            ..Default::default()
        },
        PatentFilter {
            year: Some("2020".into()),
            ..Default::default()
        },
        PatentFilter {
            cet: Some(area.clone()),
            ..text("method")
        },
        PatentFilter {
            entity_id: Some(entity),
            ..text("image*")
        },
        PatentFilter {
            cpc: Some(cpc.clone()),
            year: Some("2021".into()),
            ..text("method")
        },
    ]);
    let mut nonempty = 0;
    for f in &fs {
        for key in PatentSortKey::ALL {
            for desc in [true, false] {
                let sort = PatentSort { key, desc };
                let a = super::pg_views::patent_pages(&lite, f, sort);
                assert_eq!(
                    a,
                    super::pg_views::patent_pages(&pg, f, sort),
                    "{f:?} {sort:?}"
                );
            }
        }
        let first = lite
            .patents_page(f, PatentSort::default(), None, 1)
            .expect("page");
        nonempty += usize::from(!first.rows.is_empty());
        for cap in [3, 1_000_000] {
            assert_eq!(
                lite.count_patents(f, cap).expect("count"),
                pg.count_patents(f, cap).expect("count"),
                "{f:?} capped at {cap}"
            );
        }
    }
    let found = |t: &str| lite.count_patents(&text(t), 1000).expect("count");
    assert_eq!(found("çámera"), found("camera"), "diacritics fold");
    assert!(found("camera") > Ok(0) && found("cam*") >= found("camera"));
    assert!(found("neural-network") <= found("neural network"));
    assert_eq!(found("zzzqqq"), Ok(0));
    assert!(
        nonempty >= 18,
        "{nonempty} of {} patent filters found patents",
        fs.len()
    );
}

#[test]
fn postgresql_counts_frequencies_and_profiles_as_sqlite_does() {
    let (_server, lite, pg) = both("answers_freq");
    let conn = tradescope::db::open_ro(default_db()).expect("open");
    let entity = hikvision_el(&conn);

    // Every column of the Shipments pane's F over every filter, capped and whole.
    let mut rows = 0;
    for f in filters(entity) {
        for col in FreqColumn::ALL {
            for limit in [3, usize::MAX] {
                let a = lite.shipment_frequency(&f, col, limit).expect("freq");
                let b = pg.shipment_frequency(&f, col, limit).expect("freq");
                assert_eq!(a, b, "{col:?} of {f:?}, {limit}");
                rows += a.rows.len();
            }
        }
    }
    assert!(rows > 500, "{rows} frequency rows");
    // The Patents pane's F.
    let pf = PatentFilter::default;
    for f in [
        pf(),
        PatentFilter {
            entity_id: Some(entity),
            ..pf()
        },
        PatentFilter {
            text: Some("method".into()),
            ..pf()
        },
        PatentFilter {
            year: Some("2020".into()),
            ..pf()
        },
    ] {
        for col in FreqColumn::PATENTS {
            for limit in [2, usize::MAX] {
                let a = lite.patent_frequency(&f, col, limit).expect("freq");
                assert!(f != pf() || !a.rows.is_empty(), "{col:?}");
                assert_eq!(
                    a,
                    pg.patent_frequency(&f, col, limit).expect("freq"),
                    "{col:?} {f:?}"
                );
            }
        }
    }

    // Profiles (P): the entry's, its linked parties', and the parties of the first shipments.
    let mut subjects = vec![RecordRef::new(RecordKind::Entity, entity)];
    subjects.extend(
        tradescope::db::links::linked_party_ids(&conn, entity)
            .expect("linked")
            .into_iter()
            .map(|id| RecordRef::new(RecordKind::Party, id)),
    );
    let page = lite
        .shipments_page(&Default::default(), Default::default(), None, 20)
        .expect("page");
    for r in &page.rows {
        for id in [r.shipper_id, r.consignee_id].into_iter().flatten() {
            subjects.push(RecordRef::new(RecordKind::Party, id));
        }
    }
    let mut with_shipments = 0;
    for s in &subjects {
        let a = lite.profile(*s).expect("profile");
        assert_eq!(a, pg.profile(*s).expect("profile"), "{s:?}");
        with_shipments += usize::from(a.total > 0);
    }
    assert!(
        with_shipments >= 10,
        "{with_shipments} profiles with shipments"
    );
    for s in [
        lite.profile(RecordRef::new(RecordKind::Party, i64::MAX)),
        pg.profile(RecordRef::new(RecordKind::Party, i64::MAX)),
    ] {
        assert!(s
            .expect_err("no such party")
            .to_string()
            .contains("no trade party"));
    }
}

/// The workbench holds an audit record back while the PostgreSQL log is locked by another
/// session (an import, a long write), and writes it first, in order, once it is free.
#[test]
fn postgresql_workbench_holds_back_audit_records_while_the_log_is_locked() {
    use tradescope::app::write::{self, AuditEntry, Write};
    let (_server, admin) = server();
    let url = new_database(&admin, "answers_spool");
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("empty.db");
    drop(tradescope::db::open_rw(&src).expect("create"));
    tradescope_pg::copy::sqlite_to_pg(&src, &url, &NoProgress).expect("copy");
    let pg = PgStore::open(&url).expect("open");
    let entry = |q: &str| {
        Write::Audit(AuditEntry {
            action: "search".into(),
            query: Some(q.into()),
            results: json!([]),
            ..Default::default()
        })
    };
    let mut other = tradescope_pg::connect(&url).expect("connect");
    let mut hold = other.transaction().expect("begin");
    hold.batch_execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")
        .expect("lock");
    let msg = write::run(&pg, entry("during the lock")).unwrap_err();
    assert!(msg.contains("1 record held back"), "{msg}");
    assert_eq!(write::held_back(&pg), 1);
    let msg = write::retry(&pg).unwrap_err();
    assert!(msg.contains("still held back"), "{msg}");
    assert_eq!(write::held_back(&pg), 1);
    hold.commit().expect("unlock");
    let msg = write::run(&pg, entry("after the lock")).expect("written");
    assert!(msg.contains("1 held-back record written"), "{msg}");
    assert_eq!(write::held_back(&pg), 0);
    let qs: Vec<String> = pg
        .audit_recent(10)
        .expect("recent")
        .into_iter()
        .filter_map(|r| r.query)
        .collect();
    // Newest first.
    assert_eq!(qs, ["after the lock", "during the lock"]);
    let v = pg.audit_verify().expect("verify");
    assert!(v.ok, "{v:?}");
}
