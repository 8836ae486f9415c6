//! Lists of a chosen size for the screening benchmarks: the bundled lists with their smallest
//! part, the OFAC non-SDN list, replaced by a SYNTHETIC one in its published layout.

use tradescope_store::entities;
use tradescope_store::import::{self, Format, ImportOptions, Input};

/// Make the current lists hold about `target` names: the bundled OFAC non-SDN list (the
/// smallest, a few hundred entries) is replaced by a SYNTHETIC one in its published layout
/// (cons_prim.csv, cons_add.csv, cons_alt.csv; `gen::lists` entries, names in the styles of
/// the listed countries), imported as a newer version marked synthetic. The real SDN, CSL and
/// DPL stay. Returns the synthetic names added.
pub fn pad_lists(conn: &mut rusqlite::Connection, target: usize) -> anyhow::Result<usize> {
    let all = entities::current_names(conn)?.len();
    let consolidated: i64 = conn.query_row(
        "SELECT count(*) FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
         JOIN source s ON s.id = e.source_id WHERE e.current = 1 AND s.dataset = 'ofac_consolidated'",
        [],
        |r| r.get(0),
    )?;
    let keep = all.saturating_sub(consolidated.max(0) as usize);
    let want = target.saturating_sub(keep);
    // The matcher's names are fewer than the names written (repeated aliases fold): a second
    // version, scaled by what the first gave, lands within a few hundred of the target.
    let mut generate = want;
    let mut got = 0;
    for (round, as_of) in ["2026-01-01", "2026-01-02"].into_iter().enumerate() {
        import_synthetic_consolidated(conn, generate, as_of)?;
        got = entities::current_names(conn)?.len().saturating_sub(keep);
        if round == 0 && got > 0 && got.abs_diff(want) * 100 > want {
            generate = (generate as f64 * want as f64 / got as f64).ceil() as usize;
        } else {
            break;
        }
    }
    Ok(got)
}

/// Import `names` generated names (entries with their aliases) as the OFAC non-SDN list of
/// `as_of`, marked synthetic.
fn import_synthetic_consolidated(
    conn: &mut rusqlite::Connection,
    names: usize,
    as_of: &str,
) -> anyhow::Result<()> {
    let (mut prim, mut add, mut alt) = (Vec::new(), Vec::new(), Vec::new());
    let mut written = 0usize;
    let entries = (1u64..)
        .map(|k| crate::gen::lists::entry(17, k))
        .take_while(|e| {
            let more = written < names;
            written += 1 + e.aliases.len();
            more
        });
    crate::gen::lists::write_ofac_sdn(entries, &mut prim, &mut add, &mut alt)?;
    let opts = ImportOptions {
        as_of: Some(as_of.into()),
        synthetic: true,
        ..Default::default()
    };
    import::import(
        conn,
        Format::Ofac,
        &[
            Input::bytes("synthetic/cons_prim.csv", prim),
            Input::bytes("synthetic/cons_add.csv", add),
            Input::bytes("synthetic/cons_alt.csv", alt),
        ],
        &opts,
        &tradescope_core::progress::NoProgress,
    )?;
    Ok(())
}
