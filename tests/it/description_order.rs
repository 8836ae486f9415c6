//! A description search shown newest first (or oldest first) comes out of the trigram index in
//! its own key order (db::fts: date key, not import order). Imports arrive in any order: these
//! shipments are imported shuffled, across two imports, and every page must be exactly what a
//! plain LIKE scan sorted by (ship_date, id) gives. (Undated rows: db::fts's unit test.)

use rusqlite::Connection;
use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::db::shipments::{self, ShipmentFilter, Sort, SortKey};
use tradescope::progress::NoProgress;

/// A shipments CSV of `n` rows whose dates jump around (a permutation of days, some repeated);
/// every third description carries the model number.
fn csv(n: usize, salt: usize) -> String {
    let mut out = String::from("record_id,date,shipper,shipper_country,consignee,description\n");
    for i in 0..n {
        let k = (i * 7919 + salt * 31) % 997;
        let date = format!("20{:02}-{:02}-{:02}", 19 + k % 6, 1 + k % 12, 1 + k % 28);
        let shipper = ["ACME CO", "BETA LTD", "GAMMA SA"][i % 3];
        let model = if i % 3 == 0 {
            "DS-2CD7A46G0"
        } else {
            "DS-75P06"
        };
        out.push_str(&format!(
            "R{salt}-{i},{date},{shipper},CN,IMPORTER {},{model} CAMERA LOT {i}\n",
            i % 5
        ));
    }
    out
}

fn import_csv(conn: &mut Connection, name: &str, text: String) {
    let input = Input::bytes(name, text.into_bytes());
    import::import(
        conn,
        Format::Shipments,
        &[input],
        &ImportOptions::default(),
        &NoProgress,
    )
    .expect("import");
}

/// Ids of every shipment matching `where_sql`, in (ship_date, id) order.
fn reference(conn: &Connection, where_sql: &str, desc: bool) -> Vec<i64> {
    let dir = if desc { "DESC" } else { "ASC" };
    let sql =
        format!("SELECT id FROM shipment s WHERE {where_sql} ORDER BY ship_date {dir}, id {dir}");
    let mut stmt = conn.prepare(&sql).expect(&sql);
    let rows = stmt.query_map([], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn all_pages(conn: &Connection, f: &ShipmentFilter, desc: bool) -> Vec<i64> {
    let sort = Sort {
        key: SortKey::Date,
        desc,
    };
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = shipments::page(conn, f, sort, after.as_ref(), 13).expect("page");
        out.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(c) => after = Some(c),
            None => return out,
        }
    }
}

#[test]
fn description_search_pages_in_date_order_whatever_the_import_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = tradescope::db::open_rw(&dir.path().join("t.db")).expect("open");
    import_csv(&mut conn, "first.csv", csv(300, 1));
    import_csv(&mut conn, "second.csv", csv(200, 2));
    let acme: i64 = conn
        .query_row("SELECT id FROM party WHERE name = 'ACME CO'", [], |r| {
            r.get(0)
        })
        .expect("party");
    let cases = [
        (
            ShipmentFilter {
                text: Some("2cd7a46".into()),
                ..Default::default()
            },
            "description LIKE '%2CD7A46%'".to_string(),
        ),
        (
            ShipmentFilter {
                text: Some("2CD7A46".into()),
                date_from: Some("2021-01-01".into()),
                date_to: Some("2023-06-30".into()),
                ..Default::default()
            },
            "description LIKE '%2CD7A46%' AND ship_date BETWEEN '2021-01-01' AND '2023-06-30'"
                .to_string(),
        ),
        (
            ShipmentFilter {
                text: Some("camera".into()),
                shipper_id: Some(acme),
                ..Default::default()
            },
            format!("description LIKE '%camera%' AND shipper_id = {acme}"),
        ),
    ];
    for (f, where_sql) in &cases {
        for desc in [true, false] {
            let want = reference(&conn, where_sql, desc);
            assert!(want.len() > 13, "{where_sql}: more than one page");
            assert_eq!(all_pages(&conn, f, desc), want, "{where_sql} desc={desc}");
        }
    }
    // The query walks the index in key order: no sort of the matches.
    let plan = shipments::page_plan(&conn, &cases[0].0, Sort::default(), 50).expect("plan");
    assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:#?}");
}
