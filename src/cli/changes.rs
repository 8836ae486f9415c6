//! List version changes on the terminal: the import summary's added / removed / changed lines
//! (a few of each) and `tradescope stats --changes` (all of them).

use super::output::json;
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::import::VersionReport;
use tradescope_store::Store;

/// Names as published can be 10,000 characters long: one line each, cut.
const NAME_WIDTH: usize = 120;

fn thousands(n: u64) -> String {
    super::output::thousands(n as i64)
}

/// "replaces source #1: 379 added, 40 removed, 12 changed", then up to five of each, saying
/// how many it lists ("first 5 of 47 removed — `stats --changes` lists all").
pub(super) fn say_version(old: i64, v: &VersionReport) {
    outln!(
        "replaces source #{old}: {} added, {} removed, {} changed",
        thousands(v.added),
        thousands(v.removed),
        thousands(v.changed)
    );
    if v.rekeyed > 0 {
        outln!(
            "  {} entries followed across a change of the publisher's ids (matched by list, \
             name and addresses)",
            thousands(v.rekeyed)
        );
    }
    let kinds: [(&str, &str, u64, &Vec<String>); 3] = [
        ("+", "added", v.added, &v.added_examples),
        ("-", "removed", v.removed, &v.removed_examples),
        ("~", "changed", v.changed, &v.changed_examples),
    ];
    for (mark, word, total, examples) in kinds {
        if examples.is_empty() {
            continue;
        }
        if total > examples.len() as u64 {
            outln!(
                "  first {} of {} {word} — `stats --changes` lists all",
                examples.len(),
                thousands(total)
            );
        }
        for n in examples {
            outln!("  {mark} {}", truncate_to_width(&sanitize(n), NAME_WIDTH));
        }
    }
}

pub(super) fn cmd_changes(store: &dyn Store, as_json: bool) -> anyhow::Result<()> {
    let all = store.list_changes()?;
    if as_json {
        return json(&all);
    }
    if all.is_empty() {
        outln!("no current list version replaced an older one");
    }
    for v in &all {
        outln!(
            "{} source #{} replaced #{}: {} added, {} removed, {} changed",
            sanitize(&v.dataset),
            v.source_id,
            v.replaced_id,
            thousands(v.added.len() as u64),
            thousands(v.removed.len() as u64),
            thousands(v.changed.len() as u64)
        );
        for (mark, list) in [("+", &v.added), ("-", &v.removed), ("~", &v.changed)] {
            for e in list {
                let fields = if e.fields.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.fields.join(", "))
                };
                outln!(
                    "  {mark} {:<7} {}{fields}",
                    sanitize(&e.list),
                    truncate_to_width(&sanitize(&e.name), NAME_WIDTH)
                );
            }
        }
    }
    Ok(())
}
