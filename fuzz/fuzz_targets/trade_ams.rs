//! The AMS manifest importer on arbitrary file sets (bytes split at 0x1E into up to 8 tables,
//! each recognised by its header): never panics, rolls back cleanly, and what it accepts is
//! consistent.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::Format;

fuzz_target!(|data: &[u8]| {
    let inputs = common::files(data, 8, |i| format!("ams__table_{i}.csv"));
    if let Ok(r) = common::dry_run(Format::Ams, &inputs) {
        assert_eq!(r.files.len(), inputs.len(), "every file of the set is reported");
    }
});
