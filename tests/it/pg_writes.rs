//! One contract, two engines: the workbench's writes (issue 19). The same database on both
//! engines (the default database copied to PostgreSQL and from there to a new SQLite file),
//! the same writes on each — audit records, case items, a link review, a decision — give the
//! same rows, the same audit chain (same MACs: same database id, same key) and the same reads
//! after them.

use tradescope::db::audit::{NewRecord, Record};
use tradescope::db::decisions::{NewDecision, Verdict as Decided};
use tradescope::db::link_review::{LinkReview, Verdict};
use tradescope::db::{SqliteStore, Store};
use tradescope::progress::NoProgress;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_pg::PgStore;

use super::investigate::{default_db, hikvision_el};
use super::pg::{new_database, server};

/// A record with its time (set by the engine's clock at write time) blanked, and the MACs
/// that cover the time.
fn timeless(mut r: Record) -> Record {
    r.at.clear();
    r.hash.clear();
    r.prev_hash.clear();
    r
}

fn review_timeless(mut r: LinkReview) -> LinkReview {
    r.at.clear();
    r
}

#[test]
fn postgresql_writes_what_sqlite_writes() {
    let (_server, admin) = server();
    // A file of our own (the shared default database stays as it is), its audit log keyed
    // by a first record, then copied to PostgreSQL: one database id and key on both.
    let via = new_database(&admin, "writes_via");
    tradescope_pg::copy::sqlite_to_pg(default_db(), &via, &NoProgress).expect("to PostgreSQL");
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("copy.db");
    tradescope_pg::copy::pg_to_sqlite(&via, &file, &NoProgress).expect("to SQLite");
    let first = NewRecord {
        action: "search".into(),
        results: serde_json::json!([]),
        ..Default::default()
    };
    SqliteStore::open(&file)
        .expect("open")
        .audit_append(&first)
        .expect("key the log");
    let url = new_database(&admin, "writes");
    tradescope_pg::copy::sqlite_to_pg(&file, &url, &NoProgress).expect("to PostgreSQL");
    let entity = hikvision_el(&tradescope::db::open_ro(&file).expect("open"));
    let lite = SqliteStore::open(&file).expect("open SQLite");
    let pg = PgStore::open(&url).expect("open PostgreSQL");
    let stores: [&dyn Store; 2] = [&lite, &pg];
    let before = lite.audit_verify().expect("verify").rows;
    assert_eq!(before, pg.audit_verify().expect("verify").rows);

    // An audit record at a given time: the very same row, MAC included.
    let rec = NewRecord {
        at: Some("2026-01-02T03:04:05Z".into()),
        action: "search".into(),
        query: Some("hikvision".into()),
        normalized_query: Some("hikvision".into()),
        matcher_version: Some("m1".into()),
        threshold: Some(0.8),
        results: serde_json::json!([{"id": entity}]),
    };
    let written: Vec<Record> = stores
        .iter()
        .map(|s| s.audit_append(&rec).expect("append"))
        .collect();
    assert_eq!(written[0], written[1]);
    assert_eq!(written[0].id as u64, before + 1);

    // Case items, and the case's export.
    let shipment = lite
        .shipments_page(
            &tradescope::db::shipments::ShipmentFilter {
                entity_id: Some(entity),
                ..Default::default()
            },
            Default::default(),
            None,
            1,
        )
        .expect("page")
        .rows[0]
        .id;
    for s in stores {
        assert_eq!(
            s.case_add("walk", RecordRef::new(RecordKind::Entity, entity))
                .expect("add"),
            1
        );
        assert_eq!(
            s.case_add("walk", RecordRef::new(RecordKind::Shipment, shipment))
                .expect("add"),
            2
        );
        assert!(s.case_export("no such case").expect("export").is_none());
    }
    let exports: Vec<_> = stores
        .iter()
        .map(|s| {
            let mut e = s.case_export("walk").expect("export").expect("the case");
            e.exported_at.clear();
            e.created_at.clear();
            for i in &mut e.items {
                i.added_at.clear();
            }
            e
        })
        .collect();
    assert_eq!(exports[0], exports[1]);
    assert_eq!(exports[0].items.len(), 2);
    // The entry's profile facts (issue 20) are in both, the same.
    assert!(
        exports[1].items.iter().any(|i| i
            .facts
            .iter()
            .any(|(k, v)| k == "profile_shipments" && !v.contains("not available"))),
        "{:?}",
        exports[1].items
    );

    // A link review: the same review, and the same links and rejected links after it.
    let pair = lite
        .links(RecordKind::Entity, entity)
        .expect("links")
        .into_iter()
        .find_map(|l| l.pair)
        .expect("a reviewable link of the Hikvision entry");
    let reviews: Vec<_> = stores
        .iter()
        .map(|s| {
            review_timeless(
                s.review_link(&pair, Verdict::Rejected, "not the same company")
                    .expect("review"),
            )
        })
        .collect();
    assert_eq!(reviews[0], reviews[1]);
    assert_eq!(reviews[0].status, "rejected");
    let r = RecordRef::new(RecordKind::Entity, entity);
    assert_eq!(
        lite.links(r.kind, r.id).expect("links"),
        pg.links(r.kind, r.id).expect("links")
    );
    let rejected = lite.rejected_links(r).expect("rejected");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected, pg.rejected_links(r).expect("rejected"));
    // A second identical review is refused alike.
    for s in stores {
        let e = s
            .review_link(&pair, Verdict::Rejected, "again")
            .expect_err("already");
        assert!(e.to_string().contains("already"), "{e}");
    }

    // A decision on a screening hit.
    let d = NewDecision {
        name: "Hikvision",
        entry_id: entity,
        verdict: Decided::Match,
        reason: "same company",
        score: Some(0.97),
    };
    let decided: Vec<_> = stores
        .iter()
        .map(|s| {
            let mut x = s.decide(&d).expect("decide");
            x.at.clear();
            x
        })
        .collect();
    assert_eq!(decided[0], decided[1]);
    let e = pg
        .decide(&NewDecision { reason: " ", ..d })
        .expect_err("no reason");
    assert!(e.to_string().contains("needs a reason"), "{e}");

    // The logs: the same records in the same order, and both chains verify.
    let logs: Vec<Vec<Record>> = stores
        .iter()
        .map(|s| {
            s.audit_recent(10)
                .expect("recent")
                .into_iter()
                .map(timeless)
                .collect()
        })
        .collect();
    assert_eq!(logs[0], logs[1]);
    let actions: Vec<&str> = logs[0].iter().map(|r| r.action.as_str()).collect();
    assert_eq!(&actions[..3], ["decide", "link_review", "search"]);
    for s in stores {
        let v = s.audit_verify().expect("verify");
        assert!(v.ok, "{}: {:?}", s.label(), v.problem);
        assert_eq!(v.rows, before + 3);
    }
}
