//! `tradescope search`: ranked name search over the current list entries, audited.

use super::open::{Db, On};
use super::output::json;
use tradescope_core::text::sanitize;
use tradescope_matching::NameIndex;
use tradescope_store::covered::Covered;
use tradescope_store::{audit, entities, search};

pub(super) fn cmd_search(db: Db, query: &str, limit: usize, as_json: bool) -> anyhow::Result<()> {
    cmd_search_on(On::Lite(db), query, limit, as_json)
}

/// `tradescope search` on either engine.
pub(super) fn cmd_search_on(
    on: On,
    query: &str,
    limit: usize,
    as_json: bool,
) -> anyhow::Result<()> {
    let (hits, checks) = on.read(|conn| {
        let index = NameIndex::build(entities::current_names(conn)?);
        let hits = search::search(conn, &index, query, limit)?;
        let checks = Covered::load(conn)?.check(&index, query);
        Ok((hits, checks))
    })?;
    on.record(
        &audit::NewRecord {
            action: "search".into(),
            query: Some(query.to_string()),
            normalized_query: Some(tradescope_matching::normalize_key(query)),
            matcher_version: Some(tradescope_matching::MATCHER_VERSION.into()),
            threshold: Some(search::SEARCH_THRESHOLD),
            results: serde_json::json!(hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score}))
                .collect::<Vec<_>>()),
            at: None,
        },
    )?;
    super::reference::say_unlisted_covered(&checks, as_json);
    if as_json {
        return json(&hits);
    }
    if hits.is_empty() {
        outln!("no list entry matches {:?}", sanitize(query));
        return Ok(());
    }
    for h in &hits {
        outln!(
            "{:>6}  {:<6} {:.2}  {}{}  [{}]",
            h.id,
            sanitize(&h.list),
            h.score,
            sanitize(&h.name),
            h.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            h.programs.as_deref().map(sanitize).unwrap_or_default(),
        );
        if let Some(c) = &h.covered {
            outln!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
    }
    Ok(())
}
