//! One contract, two engines (issue 19, item 3 — the part the PostgreSQL store implements so
//! far): the default database, copied to a real PostgreSQL server, answers every query of the
//! Store trait that PgStore serves exactly as SQLite does — the typeahead's names, the
//! matcher's names, the list versions, and shipments pages and counts under every filter,
//! in every sort order, page by page.

use tradescope::db::patents::{PatentCursor, PatentFilter, PatentRow, PatentSort, PatentSortKey};
use tradescope::db::shipments::{Cursor, ShipmentFilter, Sort, SortKey};
use tradescope::db::{SqliteStore, Store};
use tradescope::progress::NoProgress;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_pg::PgStore;

use super::investigate::{default_db, hikvision_el};
use super::pg::{new_database, server};

/// Every page of `f` in `sort` order, `limit` rows at a time, with the cursors between them.
fn all_pages(
    store: &dyn Store,
    f: &ShipmentFilter,
    sort: Sort,
    limit: usize,
) -> Vec<(Vec<i64>, Option<Cursor>)> {
    let mut out = Vec::new();
    let mut after: Option<Cursor> = None;
    loop {
        let page = store
            .shipments_page(f, sort, after.as_ref(), limit)
            .unwrap_or_else(|e| panic!("{} {f:?} {sort:?}: {e}", store.label()));
        let ids = page.rows.iter().map(|r| r.id).collect();
        out.push((ids, page.next.clone()));
        match page.next {
            Some(next) if out.len() < 500 => after = Some(next),
            _ => return out,
        }
    }
}

/// The filters a user can set in the Shipments pane and `tradescope shipments`, alone and
/// combined.
fn filters(entity: i64) -> Vec<ShipmentFilter> {
    let f = ShipmentFilter::default;
    let mut out = vec![
        f(),
        ShipmentFilter {
            entity_id: Some(entity),
            ..f()
        },
        ShipmentFilter {
            party_name: Some("hikvision".into()),
            ..f()
        },
        ShipmentFilter {
            party_name: Some("phuong viet".into()),
            ..f()
        },
        ShipmentFilter {
            country: Some("vn".into()),
            ..f()
        },
        ShipmentFilter {
            origin_country: Some("CN".into()),
            ..f()
        },
        ShipmentFilter {
            dest_country: Some("US".into()),
            ..f()
        },
        ShipmentFilter {
            port: Some("hai phong".into()),
            ..f()
        },
        ShipmentFilter {
            port: Some("LONG BEACH".into()),
            ..f()
        },
        ShipmentFilter {
            hs_prefix: Some("8525".into()),
            ..f()
        },
        ShipmentFilter {
            hs_prefix: Some("85".into()),
            ..f()
        },
        ShipmentFilter {
            date_from: Some("2020-01-01".into()),
            date_to: Some("2021-06-30".into()),
            ..f()
        },
        ShipmentFilter {
            text: Some("nvr".into()),
            ..f()
        },
        ShipmentFilter {
            text: Some("2CD7A46".into()),
            ..f()
        },
        ShipmentFilter {
            text: Some("ca".into()),
            ..f()
        },
        ShipmentFilter {
            text: Some("100%_".into()),
            ..f()
        },
        ShipmentFilter {
            synthetic: Some(true),
            ..f()
        },
        ShipmentFilter {
            synthetic: Some(false),
            ..f()
        },
        ShipmentFilter {
            carries_listed_products: true,
            ..f()
        },
        ShipmentFilter {
            party_name: Some("hikvision".into()),
            country: Some("VN".into()),
            date_from: Some("2020-01-01".into()),
            ..f()
        },
        ShipmentFilter {
            entity_id: Some(entity),
            hs_prefix: Some("8525".into()),
            text: Some("camera".into()),
            ..f()
        },
    ];
    // A party in any role, and in each role alone: the busiest parties of the data.
    for id in 1..=4 {
        out.push(ShipmentFilter {
            party_id: Some(id),
            ..f()
        });
        out.push(ShipmentFilter {
            shipper_id: Some(id),
            ..f()
        });
        out.push(ShipmentFilter {
            consignee_id: Some(id),
            ..f()
        });
        out.push(ShipmentFilter {
            notify_id: Some(id),
            ..f()
        });
    }
    out
}

#[test]
fn postgresql_answers_shipment_and_name_queries_as_sqlite_does() {
    let (_server, admin) = server();
    let url = new_database(&admin, "contract");
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let lite = SqliteStore::open(src).expect("open SQLite");
    let pg = PgStore::open(&url).expect("open PostgreSQL");
    let stores: [&dyn Store; 2] = [&lite, &pg];

    // Names: the typeahead's corpus record by record, the matcher's names, list versions.
    let corpora: Vec<_> = stores
        .iter()
        .map(|s| s.name_corpus().expect("corpus"))
        .collect();
    assert_eq!(corpora[0].len(), corpora[1].len());
    assert_eq!(corpora[0].records(), corpora[1].records());
    assert!(
        corpora[0].records() > 1000,
        "{} records",
        corpora[0].records()
    );
    for i in 0..corpora[0].records() as u32 {
        assert_eq!(corpora[0].record(i), corpora[1].record(i), "record {i}");
    }
    let names: Vec<Vec<_>> = stores
        .iter()
        .map(|s| {
            s.current_names()
                .expect("names")
                .into_iter()
                .map(|n| (n.id, n.name, n.schema, n.country, n.dob))
                .collect()
        })
        .collect();
    assert_eq!(names[0], names[1]);
    assert_eq!(lite.lists().expect("lists"), pg.lists().expect("lists"));

    // Shipments: every filter, every sort key both ways, every page; counts exact and capped.
    let entity = hikvision_el(&tradescope::db::open_ro(src).expect("open"));
    let mut compared = 0;
    let mut nonempty = 0;
    for f in filters(entity) {
        for key in SortKey::ALL {
            for desc in [true, false] {
                let sort = Sort { key, desc };
                let a = all_pages(&lite, &f, sort, 37);
                let b = all_pages(&pg, &f, sort, 37);
                assert_eq!(a, b, "pages of {f:?} sorted {sort:?}");
                compared += 1;
            }
        }
        for cap in [5, 1_000_000] {
            let a = lite.count_shipments(&f, cap).expect("count");
            let b = pg.count_shipments(&f, cap).expect("count");
            assert_eq!(a, b, "count of {f:?} capped at {cap}");
        }
        let first = lite
            .shipments_page(&f, Sort::default(), None, 5)
            .expect("page");
        nonempty += usize::from(!first.rows.is_empty());
        // Whole records behind the rows: every field, HS codes and port codes included.
        for r in &first.rows {
            assert_eq!(
                lite.shipment(r.id).expect("get"),
                pg.shipment(r.id).expect("get")
            );
            for p in [r.shipper_id, r.consignee_id].into_iter().flatten() {
                assert_eq!(lite.party(p).expect("party"), pg.party(p).expect("party"));
            }
        }
    }
    assert!(compared >= 300, "{compared} orders compared");
    assert!(
        nonempty >= 20,
        "only {nonempty} filters found shipments: the data changed?"
    );
    // The same not-found error on both.
    for s in stores {
        let e = s.shipment(i64::MAX).expect_err("no such shipment");
        assert!(e.to_string().contains("no shipment"), "{e}");
    }
    // What PgStore cannot serve yet it refuses in words, never with an empty answer.
    let e = pg.trail(entity).expect_err("not yet on PostgreSQL");
    assert!(
        e.to_string()
            .contains("not available on a PostgreSQL database yet"),
        "{e}"
    );
    assert_eq!(e.exit_code(), 1);
}

/// Every record reachable from `start` in at most `depth` link steps (records only).
fn reachable(store: &dyn Store, start: RecordRef, depth: usize, max: usize) -> Vec<RecordRef> {
    let mut seen = vec![start];
    let mut frontier = vec![start];
    for _ in 0..depth {
        let mut next = Vec::new();
        for r in frontier {
            for l in store.links(r.kind, r.id).expect("links") {
                if let Some(t) = l.target.record() {
                    if !seen.contains(&t) && seen.len() < max {
                        seen.push(t);
                        next.push(t);
                    }
                }
            }
        }
        frontier = next;
    }
    seen
}

#[test]
fn postgresql_answers_record_views_screens_and_patents_as_sqlite_does() {
    let (_server, admin) = server();
    let url = new_database(&admin, "contract_views");
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let lite = SqliteStore::open(src).expect("open SQLite");
    let pg = PgStore::open(&url).expect("open PostgreSQL");
    let entity = hikvision_el(&tradescope::db::open_ro(src).expect("open"));

    // Record views, links and rejected links of every record near the Hikvision EL entry
    // (its parties, shipments, assignees, patents and their neighbours).
    let start = RecordRef::new(RecordKind::Entity, entity);
    let mut records = reachable(&lite, start, 3, 300);
    assert_eq!(records, reachable(&pg, start, 3, 300));
    // And the records behind its list links: its shipments, its assignees' patents.
    let of_entity = ShipmentFilter {
        entity_id: Some(entity),
        ..Default::default()
    };
    let page = lite.shipments_page(&of_entity, Sort::default(), None, 30).expect("page");
    records.extend(page.rows.iter().map(|r| RecordRef::new(RecordKind::Shipment, r.id)));
    let patents = PatentFilter {
        entity_id: Some(entity),
        ..Default::default()
    };
    let page = lite.patents_page(&patents, PatentSort::default(), None, 30).expect("page");
    records.extend(page.rows.iter().map(|r| RecordRef::new(RecordKind::Patent, r.id)));
    let kinds: std::collections::BTreeSet<_> = records.iter().map(|r| r.kind.as_str()).collect();
    assert!(kinds.len() >= 4, "kinds reached: {kinds:?}");
    for r in &records {
        assert_eq!(
            lite.record_view(*r).expect("view"),
            pg.record_view(*r).expect("view"),
            "record view of {r:?}"
        );
        assert_eq!(
            lite.rejected_links(*r).expect("rejected"),
            pg.rejected_links(*r).expect("rejected"),
            "rejected links of {r:?}"
        );
    }

    // Screening: the covered makers, and screens of listed, covered and unknown names.
    assert_eq!(
        lite.covered().expect("covered").makers(),
        pg.covered().expect("covered").makers()
    );
    let index = tradescope_matching::NameIndex::build(lite.current_names().expect("names"));
    let opts = tradescope_matching::SearchOptions::default();
    let mut hits = 0;
    for name in [
        "Hikvision",
        "Huawei Technologies",
        "Rosoboronexport",
        "zz nobody",
    ] {
        let a = lite.screen(&index, name, &opts).expect("screen");
        hits += a.len();
        assert_eq!(a, pg.screen(&index, name, &opts).expect("screen"), "{name}");
    }
    assert!(hits >= 3, "{hits} hits");

    // As-of statuses of shipment pages.
    for f in [
        ShipmentFilter::default(),
        ShipmentFilter {
            entity_id: Some(entity),
            ..Default::default()
        },
    ] {
        let page = lite
            .shipments_page(&f, Sort::default(), None, 100)
            .expect("page");
        assert_eq!(
            lite.as_of_statuses(&page).expect("as of"),
            pg.as_of_statuses(&page).expect("as of"),
            "{f:?}"
        );
    }

    // Patents: every filter the links and the pane set, both orders both ways, every page.
    let conn = tradescope::db::open_ro(src).expect("open");
    let assignee: i64 = conn
        .query_row(
            "SELECT id FROM assignee ORDER BY n_patents DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an assignee");
    let area: String = conn
        .query_row(
            "SELECT area_code FROM patent_cet GROUP BY 1 ORDER BY count(*) DESC",
            [],
            |r| r.get(0),
        )
        .expect("a CET area");
    let number: String = conn
        .query_row("SELECT number FROM patent ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("a patent");
    let pf = PatentFilter::default;
    let patent_filters = [
        pf(),
        PatentFilter {
            entity_id: Some(entity),
            ..pf()
        },
        PatentFilter {
            assignee_id: Some(assignee),
            ..pf()
        },
        PatentFilter {
            cet: Some(area.to_lowercase()),
            ..pf()
        },
        PatentFilter {
            cet: Some(area),
            entity_id: Some(entity),
            ..pf()
        },
        PatentFilter {
            text: Some(number),
            ..pf()
        },
        PatentFilter {
            entity_id: Some(i64::MAX),
            ..pf()
        },
    ];
    let mut nonempty = 0;
    for f in &patent_filters {
        for key in PatentSortKey::ALL {
            for desc in [true, false] {
                let sort = PatentSort { key, desc };
                let a = patent_pages(&lite, f, sort);
                assert_eq!(a, patent_pages(&pg, f, sort), "{f:?} {sort:?}");
                nonempty += usize::from(!a[0].0.is_empty());
            }
        }
        for cap in [3, 1_000_000] {
            assert_eq!(
                lite.count_patents(f, cap).expect("count"),
                pg.count_patents(f, cap).expect("count"),
                "{f:?} capped at {cap}"
            );
        }
    }
    assert!(nonempty >= 20, "{nonempty} non-empty patent lists");
    let words = PatentFilter {
        text: Some("camera".into()),
        ..pf()
    };
    let e = pg
        .patents_page(&words, PatentSort::default(), None, 10)
        .expect_err("words");
    assert!(
        e.to_string()
            .contains("not available on a PostgreSQL database yet"),
        "{e}"
    );
}

/// Every page of patents of `f`, 7 rows at a time: rows and cursors.
fn patent_pages(
    store: &dyn Store,
    f: &PatentFilter,
    sort: PatentSort,
) -> Vec<(Vec<PatentRow>, Option<PatentCursor>)> {
    let mut out = Vec::new();
    let mut after: Option<PatentCursor> = None;
    loop {
        let page = store
            .patents_page(f, sort, after.as_ref(), 7)
            .unwrap_or_else(|e| panic!("{} {f:?} {sort:?}: {e}", store.label()));
        out.push((page.rows, page.next.clone()));
        match page.next {
            Some(next) if out.len() < 300 => after = Some(next),
            _ => return out,
        }
    }
}

#[test]
fn postgresql_store_watches_commits_by_others() {
    let (_server, admin) = server();
    let url = new_database(&admin, "watch");
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let pg = PgStore::open(&url).expect("open");
    let mut watch = pg.watch().expect("watch");
    assert!(!watch.changed().expect("poll"), "nothing committed yet");
    let mut other = tradescope_pg::connect(&url).expect("connect");
    other
        .execute("UPDATE party SET city = 'HANOI' WHERE id = 1", &[])
        .expect("write");
    assert!(
        watch.changed().expect("poll"),
        "a commit by another session"
    );
    assert!(!watch.changed().expect("poll"), "and nothing since");
    assert_eq!(pg.party(1).expect("party").city.as_deref(), Some("HANOI"));
}
