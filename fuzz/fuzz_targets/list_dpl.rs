//! The DPL importer on arbitrary bytes: never panics, and what it accepts is well-formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::{parse_list, Format, Input, NewEntry};
use tradescope::progress::NoProgress;

fuzz_target!(|data: &[u8]| {
    let input = Input::bytes("fuzz.txt", data.to_vec());
    let mut entries: Vec<NewEntry> = Vec::new();
    if parse_list(Format::Dpl, &[input], &NoProgress, &mut entries).is_ok() {
        for e in &entries {
            assert!(!e.name.is_empty(), "an entry without a name was accepted");
            for d in [&e.start_date, &e.end_date].into_iter().flatten() {
                assert_eq!(d.len(), 10, "dates are stored as YYYY-MM-DD: {d}");
            }
        }
    }
});
