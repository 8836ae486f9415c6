//! One record view (issue 13): `tradescope show --json` and the workbench's detail view come
//! from one builder, so they list the same links — for Hikvision's Entity List entry, and for
//! a shipment carrying a listed maker's products (the "Carries products of listed maker" links
//! `show` had and the detail view lacked).

use std::process::Command as Process;

use rusqlite::Connection;
use tradescope::app::action::Loaded;
use tradescope::app::{Action, Command, Worker};
use tradescope::model::{RecordKind, RecordRef};

use crate::workbench::fixture;

/// The links of `r` as the workbench's detail view has them, as JSON.
fn detail_links(r: RecordRef) -> serde_json::Value {
    let mut w = Worker::new(&fixture().path);
    let answer = w.run(
        Command::Detail {
            record: r,
            rejected: false,
            generation: 1,
        },
        &|| false,
    );
    let Some(Action::Loaded { data: loaded, .. }) = answer else {
        panic!("no detail loaded: {answer:?}")
    };
    let Loaded::Detail(d) = loaded else {
        panic!("not a detail: {loaded:?}")
    };
    assert_eq!(d.record, r);
    // Through text, as `show` prints it: both sides parse floats the same way.
    serde_json::from_str(&serde_json::to_string(&d.links).unwrap()).unwrap()
}

/// The links `tradescope show KIND ID --json` prints.
fn show_links(r: RecordRef) -> serde_json::Value {
    let out = Process::new(env!("CARGO_BIN_EXE_tradescope"))
        .arg("--db")
        .arg(&fixture().path)
        .args(["show", r.kind.as_str(), &r.id.to_string(), "--json"])
        .output()
        .expect("run tradescope");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["links"].clone()
}

fn labels(links: &serde_json::Value) -> Vec<String> {
    links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn show_and_the_detail_view_list_the_same_links_for_hikvision() {
    let hik = RecordRef::new(RecordKind::Entity, fixture().hik_el);
    let detail = detail_links(hik);
    assert_eq!(detail, show_links(hik));
    let l = labels(&detail);
    assert!(l.iter().any(|x| x.starts_with("Trade party:")), "{l:?}");
    assert!(
        l.iter().any(|x| x == "Shipments of linked trade parties"),
        "{l:?}"
    );
}

#[test]
fn a_shipment_carrying_listed_products_links_the_maker_in_both() {
    let conn = Connection::open(&fixture().path).unwrap();
    // Shipments whose description names a listed maker's products (Hikvision cameras).
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT DISTINCT sp.shipment_id FROM shipment_product sp
             JOIN product_pattern p ON p.id = sp.pattern_id
             JOIN maker_entry m ON m.maker = p.maker
             ORDER BY sp.shipment_id LIMIT 20",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !ids.is_empty(),
        "the fixture has shipments of listed makers"
    );
    let mut with_maker_link = 0;
    for id in ids {
        let r = RecordRef::new(RecordKind::Shipment, id);
        let detail = detail_links(r);
        assert_eq!(detail, show_links(r), "shipment #{id}");
        if labels(&detail)
            .iter()
            .any(|l| l.starts_with("Carries products of listed maker:"))
        {
            with_maker_link += 1;
        }
    }
    assert!(
        with_maker_link > 0,
        "the listed-maker link is in the detail view"
    );
}
