//! One contract, two engines (issue 19, item 3 — the part the PostgreSQL store implements so
//! far): the default database, copied to a real PostgreSQL server, answers every query of the
//! Store trait that PgStore serves exactly as SQLite does — the typeahead's names, the
//! matcher's names, the list versions, and shipments pages and counts under every filter,
//! in every sort order, page by page.

use tradescope::db::shipments::{Cursor, ShipmentFilter, Sort, SortKey};
use tradescope::db::{SqliteStore, Store};
use tradescope::progress::NoProgress;
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
pub(super) fn filters(entity: i64) -> Vec<ShipmentFilter> {
    let f = ShipmentFilter::default;
    let mut out = vec![
        f(),
        ShipmentFilter {
            entity_id: Some(entity),
            ..f()
        },
        ShipmentFilter {
            party_names: vec!["hikvision".into()],
            ..f()
        },
        ShipmentFilter {
            party_names: vec!["phuong viet".into()],
            ..f()
        },
        // Repeated party: keys, any of them (issue 20 item 9).
        ShipmentFilter {
            party_names: vec!["hikvision".into(), "phuong viet".into()],
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
            party_names: vec!["hikvision".into()],
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
        // A party listed at the ship date, or not.
        ShipmentFilter {
            listed_at_date: Some(true),
            ..f()
        },
        ShipmentFilter {
            listed_at_date: Some(false),
            ..f()
        },
        ShipmentFilter {
            listed_at_date: Some(true),
            entity_id: Some(entity),
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
}

#[test]
fn postgresql_store_watches_commits_by_others() {
    let (_server, admin) = server();
    let url = new_database(&admin, "watch");
    let src = default_db();
    tradescope_pg::copy::sqlite_to_pg(src, &url, &NoProgress).expect("copy to PostgreSQL");
    let pg = PgStore::open(&url).expect("open");
    let mut watch = pg.watch().expect("watch");
    // The watch reads the server's WAL position: on a server other tests write to at the same
    // time, their commits count too (a spare reload, never a missed one), so only "a commit by
    // another session is seen" is asserted here.
    let _ = watch.changed().expect("poll");
    let mut other = tradescope_pg::connect(&url).expect("connect");
    other
        .execute("UPDATE party SET city = 'HANOI' WHERE id = 1", &[])
        .expect("write");
    assert!(
        watch.changed().expect("poll"),
        "a commit by another session"
    );
    assert_eq!(pg.party(1).expect("party").city.as_deref(), Some("HANOI"));
}
