//! The PatentsView importer on arbitrary file sets (bytes split at 0x1E into up to 4 TSVs,
//! each recognised by its header): never panics and rolls back cleanly.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::Format;

fuzz_target!(|data: &[u8]| {
    let inputs = common::files(data, 4, |i| format!("g_table_{i}.tsv"));
    if let Ok(r) = common::dry_run(Format::Patentsview, &inputs) {
        assert_eq!(r.files.len(), inputs.len(), "every file of the set is reported");
    }
});
