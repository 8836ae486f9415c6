//! Item 3: an entry whose end date (a DPL order's expiry) has passed is lapsed — shown, marked
//! with the date, and no match unless `--include-lapsed`; batch screening says so in a column.

use super::{json, ok};

/// The bundled DPL: its Adrian Manuel Hernandez order ended 2020-10-13.
fn db() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    ok(dir.path(), &["import", "dpl", "data/lists/bis_dpl.txt"]);
    dir
}

fn hit<'a>(hits: &'a serde_json::Value, list: &str) -> &'a serde_json::Value {
    hits.as_array()
        .expect("array")
        .iter()
        .find(|h| h["list"] == list)
        .unwrap_or_else(|| panic!("no {list} hit in {hits}"))
}

#[test]
fn an_ended_denial_order_is_lapsed_and_no_match() {
    let dir = db();
    let d = dir.path();
    let hits = json(d, &["screen", "Adrian Manuel Hernandez", "--json"]);
    let dpl = hit(&hits, "DPL");
    assert_eq!(dpl["end_date"], "2020-10-13");
    assert_eq!(dpl["lapsed"], "2020-10-13");
    assert_eq!(dpl["match"], false, "{dpl}");
    assert_eq!(dpl["score"], 1.0);

    let hits = json(
        d,
        &[
            "screen",
            "Adrian Manuel Hernandez",
            "--json",
            "--include-lapsed",
        ],
    );
    let dpl = hit(&hits, "DPL");
    assert_eq!(
        (&dpl["lapsed"], &dpl["match"]),
        (&"2020-10-13".into(), &true.into())
    );

    let text = ok(d, &["screen", "Adrian Manuel Hernandez"]);
    assert!(
        text.contains("lapsed 2020-10-13: ended before today, not counted as a match"),
        "{text}"
    );

    // An order still in force: no lapsed mark (I. ASH's order runs to 2056).
    let hits = json(d, &["screen", "I. ASH", "--json"]);
    let ash = hit(&hits, "DPL");
    assert!(ash.get("lapsed").is_none(), "{ash}");
    assert_eq!(ash["match"], true);
}

#[test]
fn batch_screening_has_a_lapsed_column() {
    let dir = db();
    let d = dir.path();
    let csv = d.join("names.csv");
    std::fs::write(&csv, "name\nAdrian Manuel Hernandez\nI. ASH\n").expect("write");
    let csv = csv.to_str().expect("utf-8 path");
    let read = |out: String| -> Vec<Vec<String>> {
        csv::Reader::from_reader(out.as_bytes())
            .records()
            .map(|r| r.expect("row").iter().map(str::to_string).collect())
            .collect()
    };
    let header = ok(d, &["screen", "--file", csv]);
    let head: Vec<&str> = header.lines().next().expect("header").split(',').collect();
    let lapsed_col = head
        .iter()
        .position(|h| *h == "lapsed")
        .expect("lapsed column");
    let rows = read(ok(d, &["screen", "--file", csv]));
    assert_eq!(rows[0][1], "no match", "{rows:?}");
    assert_eq!(rows[0][lapsed_col], "2020-10-13");
    assert_eq!(
        (rows[1][1].as_str(), rows[1][lapsed_col].as_str()),
        ("match", "")
    );
    let rows = read(ok(d, &["screen", "--file", csv, "--include-lapsed"]));
    assert_eq!(
        (rows[0][1].as_str(), rows[0][lapsed_col].as_str()),
        ("match", "2020-10-13")
    );
}
