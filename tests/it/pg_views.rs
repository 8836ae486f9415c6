//! One contract, two engines, continued: record views with their links and investigations,
//! rejected links, screening, as-of statuses and patents pages — the default database copied
//! to PostgreSQL answers as SQLite does.

use tradescope::db::patents::{PatentCursor, PatentFilter, PatentRow, PatentSort, PatentSortKey};
use tradescope::db::shipments::{ShipmentFilter, Sort};
use tradescope::db::{SqliteStore, Store};
use tradescope::progress::NoProgress;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_pg::PgStore;

use super::investigate::{default_db, hikvision_el};
use super::pg::{new_database, server};

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
    let page = lite
        .shipments_page(&of_entity, Sort::default(), None, 30)
        .expect("page");
    records.extend(
        page.rows
            .iter()
            .map(|r| RecordRef::new(RecordKind::Shipment, r.id)),
    );
    let patents = PatentFilter {
        entity_id: Some(entity),
        ..Default::default()
    };
    let page = lite
        .patents_page(&patents, PatentSort::default(), None, 30)
        .expect("page");
    records.extend(
        page.rows
            .iter()
            .map(|r| RecordRef::new(RecordKind::Patent, r.id)),
    );
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
    // The investigations: the intersection in every order, the Hikvision trail.
    for key in [
        tradescope::db::intersect::SortKey::Patents,
        tradescope::db::intersect::SortKey::Name,
    ] {
        let a = lite.intersect(key).expect("intersect");
        assert!(!a.is_empty(), "the intersection is empty");
        assert_eq!(a, pg.intersect(key).expect("intersect"), "{key:?}");
    }
    let t = lite.trail(entity).expect("trail");
    assert!(!t.children.is_empty() || !t.shippers.is_empty(), "{t:?}");
    assert_eq!(t, pg.trail(entity).expect("trail"));
}

/// Every page of patents of `f`, 7 rows at a time: rows and cursors.
pub(super) fn patent_pages(
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
