//! The CSL importer on arbitrary bytes (plain or gzip): never panics, and what it accepts is
//! well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::{parse_list, Format, Input, NewEntry};
use tradescope::progress::NoProgress;

fuzz_target!(|data: &[u8]| {
    let input = Input::bytes("fuzz.csv", data.to_vec());
    let mut entries: Vec<NewEntry> = Vec::new();
    if parse_list(Format::Csl, &[input], &NoProgress, &mut entries).is_ok() {
        for e in &entries {
            assert!(!e.name.trim().is_empty(), "an entry without a name was accepted");
            assert!(e.line >= 2, "an entry on the header line");
        }
    }
});
