//! The investigations of issue 8 on the bundled data (`tradescope init`): the Hikvision row of
//! the intersection, the demo transshipment trail to a US importer, as-of screening around the
//! Entity List date, products detected in the seed descriptions, covered equipment.

use std::path::PathBuf;
use std::sync::OnceLock;

use rusqlite::Connection;
use tradescope::bundle;
use tradescope::db::asof::{self, AsOfStatus};
use tradescope::db::covered::Covered;
use tradescope::db::intersect::{self, SortKey};
use tradescope::db::shipments::{self, ShipmentFilter, Sort};
use tradescope::db::trail::{self, TrailOptions};
use tradescope::db::{self, entities, patents, products};
use tradescope::matching::NameIndex;
use tradescope::progress::NoProgress;

/// The default database, built once per test binary.
pub(super) fn default_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("investigate-default.db");
        bundle::init(&path, true, &NoProgress).expect("init the default database");
        path
    })
}

fn conn() -> Connection {
    db::open_ro(default_db()).expect("open the default database")
}

/// The Entity List entry of Hikvision.
pub(super) fn hikvision_el(conn: &Connection) -> i64 {
    conn.query_row(
        "SELECT id FROM list_entry WHERE current = 1 AND list_code = 'EL'
           AND name LIKE 'Hangzhou Hikvision Digital Technology%'",
        [],
        |r| r.get(0),
    )
    .expect("Hikvision is on the Entity List in the bundled CSL")
}

fn all_shipments(conn: &Connection, f: &ShipmentFilter) -> Vec<shipments::ShipmentRow> {
    shipments::page(conn, f, Sort::default(), None, 100_000)
        .expect("shipments")
        .rows
}

#[test]
fn hikvision_is_one_intersection_row_with_its_lists_patents_and_shipments() {
    let conn = conn();
    let rows = intersect::intersect(&conn, SortKey::Shipments).expect("intersection");
    let hik: Vec<_> = rows
        .iter()
        .filter(|r| r.name.to_uppercase().contains("HIKVISION"))
        .collect();
    assert_eq!(hik.len(), 1, "EL and CMIC collapse into one row: {hik:#?}");
    let row = hik[0];
    assert!(row.lists.contains(&"EL".to_string()), "{:?}", row.lists);
    assert!(row.lists.contains(&"CMIC".to_string()), "{:?}", row.lists);
    let datasets: Vec<&str> = row.listings.iter().map(|l| l.dataset.as_str()).collect();
    assert!(
        datasets.contains(&"csl") && datasets.contains(&"ofac_cons"),
        "{datasets:?}"
    );
    assert_eq!(row.first_listed.as_deref(), Some("2019-10-09"));
    assert_eq!(
        row.entity_id,
        hikvision_el(&conn),
        "the EL entry stands for the company"
    );

    // The face-liveness patent's CET areas are among the row's.
    let f = patents::PatentFilter {
        text: Some("US11321963".into()),
        ..Default::default()
    };
    let face = patents::page(&conn, &f, Default::default(), None, 5)
        .expect("patents")
        .rows;
    assert_eq!(face.len(), 1);
    let face = patents::get(&conn, face[0].id).expect("patent");
    assert!(!face.cet_areas.is_empty());
    let codes: Vec<&str> = row.cet_areas.iter().map(|a| a.code.as_str()).collect();
    for area in &face.cet_areas {
        assert!(codes.contains(&area.as_str()), "{area} in {codes:?}");
    }
    assert!(codes.contains(&"BIOMETRICS"), "{codes:?}");

    // Shipments: the entity's shipment filter agrees with the row's count.
    assert!(row.shipments > 0);
    let f = ShipmentFilter {
        entity_id: Some(row.entity_id),
        ..Default::default()
    };
    assert_eq!(all_shipments(&conn, &f).len() as i64, row.shipments);
    assert!(row.shipments_while_listed > 0 && row.shipments_while_listed < row.shipments);
    let consignees: Vec<&str> = row.top_consignees.iter().map(|c| c.name.as_str()).collect();
    assert!(
        consignees.iter().any(|c| [
            "PHUONG VIET DISTRIBUTION",
            "MACROQUIL",
            "LINACO VIET NAM TECHNOLOGY DEVELOPMENT COMPANY",
            "RECURSOS TECNOLOGICOS ABIERTOS TECHRESOURCES CIA LTDA",
            "JABIL CIRCUIT INDIA PRIVATE"
        ]
        .contains(c)),
        "{consignees:?}"
    );
    assert!(row.top_destinations.iter().any(|d| d.country == "VN"));
    assert!(row.first_ship_date < row.last_ship_date);
    assert_eq!(
        row.covered.as_ref().map(|c| c.group.as_str()),
        Some("Hikvision")
    );
}

#[test]
fn a_trade_party_counts_for_one_company_only() {
    let conn = conn();
    let rows = intersect::intersect(&conn, SortKey::Name).expect("intersection");
    let mut seen = std::collections::HashMap::new();
    for r in &rows {
        for p in &r.party_ids {
            if let Some(other) = seen.insert(*p, &r.name) {
                panic!("party {p} is counted for both {other} and {}", r.name);
            }
        }
    }
    let names: Vec<String> = rows.iter().map(|r| r.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "--sort name");
}

#[test]
fn demo_trail_runs_from_hikvision_through_phuong_viet_to_a_us_importer() {
    let conn = conn();
    let hik = hikvision_el(&conn);
    let t = trail::trail(&conn, hik, TrailOptions::default()).expect("trail");
    let phuong = t
        .children
        .iter()
        .find(|n| n.name == "PHUONG VIET DISTRIBUTION")
        .expect("PHUONG VIET DISTRIBUTION received Hikvision goods");
    assert_eq!(phuong.country.as_deref(), Some("VN"));
    assert_eq!(phuong.depth, 1);
    let us: Vec<_> = phuong
        .children
        .iter()
        .filter(|n| n.country.as_deref() == Some("US"))
        .collect();
    assert!(!us.is_empty(), "PHUONG VIET ships on to US importers");
    // The hop carrying the DeepinView camera: 97 days, same model number, same HS heading.
    let hop = us
        .iter()
        .flat_map(|n| n.evidence.iter().map(move |e| (n, e)))
        .find(|(_, e)| {
            e.after.as_ref().is_some_and(|a| {
                a.shared_models.contains(&"IDS2CD7A46G0IZHS".to_string()) && a.days == Some(97)
            })
        });
    let (importer, e) = hop.expect("the 97-day hop with iDS-2CD7A46G0-IZHS");
    assert_eq!(importer.depth, 2);
    let after = e.after.as_ref().unwrap();
    assert_eq!(after.shared_hs_prefix.as_deref(), Some("852589"));
    assert!(after.ship_date < e.ship_date);
    let hop_ids = (after.shipment_id, e.shipment_id);
    // Every onward hop is within the window and carries goods evidence.
    for n in t.walk().iter().map(|(_, n)| n).filter(|n| n.depth >= 2) {
        for e in &n.evidence {
            let a = e
                .after
                .as_ref()
                .expect("onward evidence names what it continues");
            assert!(a.days.is_some_and(|d| (0..=180).contains(&d)), "{a:?}");
            assert!(
                !a.shared_models.is_empty()
                    || a.shared_hs_prefix.is_some()
                    || a.shared_terms.len() >= 2
            );
        }
    }
    // A shorter window drops the 97-day hop.
    let short = trail::trail(
        &conn,
        hik,
        TrailOptions {
            days: 60,
            ..Default::default()
        },
    )
    .expect("trail");
    for (_, n) in short.walk() {
        for e in &n.evidence {
            if let Some(a) = &e.after {
                assert!(a.days.is_some_and(|d| d <= 60), "{a:?}");
                assert_ne!((a.shipment_id, e.shipment_id), hop_ids);
            }
        }
    }
}

#[test]
fn as_of_flags_around_the_entity_list_date() {
    let conn = conn();
    let hik = hikvision_el(&conn);
    let f = ShipmentFilter {
        entity_id: Some(hik),
        ..Default::default()
    };
    let rows = all_shipments(&conn, &f);
    let (mut before, mut after) = (0, 0);
    for r in &rows {
        let date = r.ship_date.as_deref().expect("demo shipments are dated");
        let a = asof::shipment(&conn, r.id).expect("as-of");
        let el = a
            .shipper
            .iter()
            .find(|f| f.lists.contains(&"EL".to_string()))
            .expect("the shipper is linked to the Entity List entry");
        if date < "2019-10-09" {
            before += 1;
            assert_eq!(el.status, AsOfStatus::ListedLater, "#{} {date}", r.id);
            assert_eq!(a.summary.as_deref(), Some("shipper listed later"));
        } else {
            after += 1;
            assert_eq!(el.status, AsOfStatus::ListedAtDate, "#{} {date}", r.id);
            assert_eq!(a.summary.as_deref(), Some("shipper listed at ship date"));
        }
        // The CMIC listing (start 2021-06-03 in the OFAC file, none in the CSL) is one flag.
        let cmic: Vec<_> = a
            .shipper
            .iter()
            .filter(|f| f.lists.contains(&"CMIC".to_string()))
            .collect();
        assert_eq!(cmic.len(), 1);
        let want = if date < "2021-06-03" {
            AsOfStatus::ListedLater
        } else {
            AsOfStatus::ListedAtDate
        };
        assert_eq!(cmic[0].status, want, "#{} {date}", r.id);
    }
    assert!(
        before > 0 && after > 0,
        "Hikvision ships before and after its listing"
    );

    // The shipment filter splits the entity's shipments the same way.
    let listed = all_shipments(
        &conn,
        &ShipmentFilter {
            listed_at_date: Some(true),
            ..f.clone()
        },
    );
    let not_listed = all_shipments(
        &conn,
        &ShipmentFilter {
            listed_at_date: Some(false),
            ..f.clone()
        },
    );
    assert_eq!((listed.len(), not_listed.len()), (after, before));
    assert!(not_listed
        .iter()
        .all(|r| r.ship_date.as_deref() < Some("2019-10-09")));
    // Unfiltered "listed at date" reaches other makers' shipments through their parties.
    let any = shipments::count(
        &conn,
        &ShipmentFilter {
            listed_at_date: Some(true),
            ..Default::default()
        },
        1_000_000,
    )
    .expect("count");
    assert!(any.unwrap_or(0) > listed.len() as i64);
}

#[test]
fn model_numbers_and_brands_of_the_seed_descriptions_are_stored() {
    let conn = conn();
    let seed: Vec<(i64, String)> = conn
        .prepare(
            "SELECT s.id, s.description FROM shipment s JOIN source src ON src.id = s.source_id
             WHERE src.path = 'data/demo/seed_shipments.csv' ORDER BY s.id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(seed.len(), 9);
    let products_of = |needle: &str| {
        let (id, _) = seed
            .iter()
            .find(|(_, d)| d.contains(needle))
            .unwrap_or_else(|| panic!("a seed description with {needle}"));
        products::of_shipment(&conn, *id).expect("products")
    };
    let phuong = products_of("IDS 2CD7A46G0 IZHS");
    let models: Vec<&str> = phuong
        .iter()
        .filter(|p| p.kind == "model")
        .map(|p| p.model_key.as_str())
        .collect();
    assert!(models.contains(&"IDS2CD7A46G0IZHS"), "{models:?}");
    assert!(
        models.iter().any(|m| m.starts_with("IDS7208HUHI")),
        "{models:?}"
    );
    assert!(phuong
        .iter()
        .any(|p| p.kind == "brand" && p.group == "Hikvision"));
    let listed = products::listed_makers_summary(&phuong);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].starts_with("Hikvision (EL"), "{listed:?}");
    assert!(listed[0].contains("CMIC"), "{listed:?}");

    let linaco = products_of("Webcam Hikvision DS UC8");
    assert!(linaco.iter().any(|p| p.model_key == "DSUC8"));
    assert!(products_of("NVR 16 CH").is_empty());
    assert!(products_of("Digital Cameras and Camcorders").is_empty());

    // The filter: PHUONG VIET's own shipments that carry listed makers' goods.
    let party: i64 = conn
        .query_row(
            "SELECT id FROM party WHERE name = 'PHUONG VIET DISTRIBUTION'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let f = ShipmentFilter {
        shipper_id: Some(party),
        carries_listed_products: true,
        ..Default::default()
    };
    let carrying = all_shipments(&conn, &f);
    assert!(!carrying.is_empty());
    for r in &carrying {
        let p = products::of_shipment(&conn, r.id).unwrap();
        assert!(!products::listed_makers_summary(&p).is_empty(), "#{}", r.id);
    }
}

#[test]
fn covered_but_not_listed_zte_corporation_and_the_look_alikes() {
    let conn = conn();
    let covered = Covered::load(&conn).expect("covered table");
    let index = NameIndex::build(entities::current_names(&conn).unwrap());
    let zte = covered.check(&index, "ZTE Corporation");
    assert_eq!(zte.len(), 1);
    assert_eq!(zte[0].flag.group, "ZTE");
    assert!(zte[0].listed_entity_ids.is_empty());
    let note = zte[0].note.as_deref().expect("a note");
    assert!(
        note.contains("not on a screening list") && note.contains("889"),
        "{note}"
    );

    let hik = covered.check(&index, "Hangzhou Hikvision Digital Technology Co., Ltd.");
    assert_eq!(hik[0].flag.group, "Hikvision");
    assert!(hik[0].listed_entity_ids.contains(&hikvision_el(&conn)));
    assert!(hik[0].note.is_none());

    // DAHUA ELECTRONICS CORPORATION (Denied Persons, Flushing NY) is not Dahua Technology.
    assert!(covered.flag("DAHUA ELECTRONICS CORPORATION").is_none());
    // ZTE Parsian (Entity List, Iran; a ZTE joint venture) is not ZTE Corporation itself:
    // flagged as an affiliate, never as the named maker (issue 20 item 7).
    let parsian = covered.flag("ZTE Parsian").expect("a ZTE affiliate");
    assert_eq!(parsian.group, "ZTE");
    assert_eq!(parsian.relation, "affiliate");
    assert!(covered
        .flag("Zhejiang Dahua Technology Co., Ltd.")
        .is_some());
}

/// Every order of the Patents list, paged 7 at a time, lists each patent once, in the order a
/// plain sort of all of them gives (missing dates as the oldest).
#[test]
fn patent_orders_page_through_every_patent_once_in_order() {
    use patents::{PatentSort, PatentSortKey};
    let conn = conn();
    let all = patents::PatentFilter::default();
    let total = patents::count_all(&conn, &all).expect("count") as usize;
    assert!(total > 14, "{total} patents: too few to page");
    for key in PatentSortKey::ALL {
        for desc in [true, false] {
            let sort = PatentSort { key, desc };
            let mut got = Vec::new();
            let mut after = None;
            loop {
                let page = patents::page(&conn, &all, sort, after.as_ref(), 7).expect("page");
                got.extend(page.rows);
                match page.next {
                    Some(c) => after = Some(c),
                    None => break,
                }
            }
            // Numbers: numeric within a country (shorter digits first), kind codes ignored.
            let value = |r: &patents::PatentRow| match key {
                PatentSortKey::Date => r.publication_date.clone(),
                PatentSortKey::Number => {
                    let key: String = conn
                        .query_row("SELECT number_key FROM patent WHERE id = ?1", [r.id], |x| {
                            x.get(0)
                        })
                        .expect("number key");
                    let digits = key.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                    let country = &key[..key.len() - digits.len()];
                    Some(format!("{country}{:0>20}", digits))
                }
            };
            let mut want = got.clone();
            want.sort_by_key(|r| (value(r), r.id));
            if desc {
                want.reverse();
            }
            let ids = |v: &[patents::PatentRow]| v.iter().map(|r| r.id).collect::<Vec<_>>();
            assert_eq!(got.len(), total, "{sort:?}");
            assert_eq!(ids(&got), ids(&want), "{sort:?}");
        }
    }
}
