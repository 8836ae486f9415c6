//! Issue 20 item 11: the linking step of an import counts the names it goes through (the
//! first start's ~47,000 assignees took a 23 s spinner): a stage counted in items whose total
//! is the number of names linked, reached in steps.

use std::sync::Mutex;

use tradescope::db::import::{self, Format, ImportOptions, Input};
use tradescope::progress::Progress;

use crate::workbench::fixture;

#[derive(Default)]
struct Recorder {
    /// (stage, total) of the stages counted in items.
    items: Mutex<Vec<(String, u64)>>,
    /// The increments of the current stage.
    incs: Mutex<Vec<u64>>,
}

impl Progress for Recorder {
    fn stage(&self, _name: &str, _total: Option<u64>) {
        self.incs.lock().unwrap().clear();
    }
    fn inc(&self, n: u64) {
        self.incs.lock().unwrap().push(n);
    }
    fn stage_items(&self, name: &str, total: u64) {
        self.stage(name, Some(total));
        self.items.lock().unwrap().push((name.to_string(), total));
    }
}

#[test]
fn linking_new_parties_counts_them_in_steps() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.db");
    let conn = tradescope::db::open_ro(&fixture().path).unwrap();
    tradescope::db::backup::copy_to(&conn, &path).unwrap();
    drop(conn);
    let mut conn = tradescope::db::open_rw(&path).unwrap();
    // 4,500 new parties (synthetic names, two per row), more than two progress steps.
    let mut csv = String::from(
        "record_id,date,shipper,shipper_country,consignee,consignee_country,description\n",
    );
    for i in 0..2_250 {
        csv.push_str(&format!(
            "T{i},2021-01-02,SYNTHETIC SHIPPER {i} LTD,VN,SYNTHETIC BUYER {i} INC,US,cameras\n"
        ));
    }
    let p = Recorder::default();
    let report = import::import(
        &mut conn,
        Format::Shipments,
        &[Input::bytes("synthetic.csv", csv.into_bytes())],
        &ImportOptions {
            synthetic: true,
            ..Default::default()
        },
        &p,
    )
    .unwrap();
    assert_eq!(report.rows, 2_250);
    let items = p.items.lock().unwrap().clone();
    assert_eq!(items, vec![("linking names".to_string(), 4_500)]);
    let incs = p.incs.lock().unwrap().clone();
    assert_eq!(incs.iter().sum::<u64>(), 4_500, "{incs:?}");
    assert!(
        incs.len() >= 3,
        "reported in steps, not at the end: {incs:?}"
    );
}
