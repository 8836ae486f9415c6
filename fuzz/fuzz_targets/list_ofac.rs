//! The OFAC legacy-set importer on arbitrary bytes. The input is split at ASCII RS (0x1E) into
//! the members of a set: primary, addresses, aliases, comments (missing members are left out);
//! an odd first byte makes it the non-SDN (cons_*) set.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradescope::db::import::{parse_list, Format, Input, NewEntry};
use tradescope::progress::NoProgress;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let names = if first % 2 == 1 {
        ["cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"]
    } else {
        ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    };
    let inputs: Vec<Input> = rest
        .split(|&b| b == 0x1e)
        .zip(names)
        .map(|(part, name)| Input::bytes(name, part.to_vec()))
        .collect();
    let mut entries: Vec<NewEntry> = Vec::new();
    if parse_list(Format::Ofac, &inputs, &NoProgress, &mut entries).is_ok() {
        for e in &entries {
            assert!(!e.name.is_empty(), "an entry without a name was accepted");
            assert!(e.entity_number.is_some());
        }
    }
});
