//! The shipments CSV importer on arbitrary bytes: never panics and rolls back cleanly.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::{Format, Input};

fuzz_target!(|data: &[u8]| {
    let input = Input::bytes("fuzz_shipments.csv", data.to_vec());
    let _ = common::dry_run(Format::Shipments, &[input]);
});
