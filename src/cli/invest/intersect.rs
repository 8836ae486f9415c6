//! `tradescope intersect`: listed companies × CET patents × shipments.

use clap::Args;

use crate::cli::audit::record;
use crate::cli::output::{json, thousands};
use tradescope_core::text::sanitize;
use tradescope_store::audit::NewRecord;
use tradescope_store::error::Error;
use tradescope_store::intersect::{self, SortKey};
use tradescope_store::Store;

#[derive(Debug, Args)]
pub struct IntersectArgs {
    /// Sort by: shipments, patents, areas, while-listed, last-ship, first-ship, name
    #[arg(long, default_value = "shipments", value_name = "KEY")]
    pub sort: String,
    /// Most rows to show
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// `intersect` on either engine, audited through the store.
pub fn run_intersect(store: &dyn Store, args: IntersectArgs) -> anyhow::Result<()> {
    let key = intersect_key(&args)?;
    let mut rows = store.intersect(key)?;
    let total = rows.len();
    rows.truncate(args.limit);
    record(store, &intersect_record(key, total, &rows))?;
    print_intersect(rows, total, key, &args)
}

fn intersect_key(args: &IntersectArgs) -> anyhow::Result<SortKey> {
    Ok(SortKey::parse(&args.sort).ok_or_else(|| {
        Error::User(format!(
            "--sort {:?}: choose one of {}",
            args.sort,
            SortKey::ALL.map(SortKey::label).join(", ")
        ))
    })?)
}

fn intersect_record(key: SortKey, total: usize, rows: &[intersect::IntersectRow]) -> NewRecord {
    NewRecord {
        action: "intersect".into(),
        query: Some(format!("intersect --sort {}", key.label())),
        matcher_version: Some(tradescope_matching::MATCHER_VERSION.into()),
        results: serde_json::json!({
            "rows": total,
            "shown": rows.iter().map(|r| serde_json::json!({
                "entity_id": r.entity_id, "lists": r.lists, "cet_patents": r.cet_patents,
                "shipments": r.shipments})).collect::<Vec<_>>(),
        }),
        ..Default::default()
    }
}

fn print_intersect(
    rows: Vec<intersect::IntersectRow>,
    total: usize,
    key: SortKey,
    args: &IntersectArgs,
) -> anyhow::Result<()> {
    if args.json {
        return json(&rows);
    }
    if rows.is_empty() {
        outln!("no listed company has both CET patents and shipments in this database");
        return Ok(());
    }
    outln!(
        "{total} listed companies with CET patents and shipments (sorted by {})",
        key.label()
    );
    for r in &rows {
        outln!();
        outln!(
            "#{:<6} {}  [{}]{}",
            r.entity_id,
            sanitize(&r.name),
            sanitize(&r.lists.join(", ")),
            r.first_listed
                .as_deref()
                .map(|d| format!(" listed since {d}"))
                .unwrap_or_default()
        );
        if let Some(c) = &r.covered {
            outln!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
        let areas: Vec<String> = r
            .cet_areas
            .iter()
            .map(|a| format!("{} {}", a.code, a.patents))
            .collect();
        outln!(
            "        CET patents {}: {}",
            r.cet_patents,
            sanitize(&areas.join(", "))
        );
        outln!(
            "        shipments {} ({} while listed), {} … {}",
            thousands(r.shipments),
            thousands(r.shipments_while_listed),
            r.first_ship_date.as_deref().unwrap_or("?"),
            r.last_ship_date.as_deref().unwrap_or("?")
        );
        let top: Vec<String> = r
            .top_consignees
            .iter()
            .map(|c| {
                format!(
                    "{} ({}) {}",
                    sanitize(&c.name),
                    c.country.as_deref().unwrap_or("?"),
                    c.shipments
                )
            })
            .collect();
        if !top.is_empty() {
            outln!("        top consignees: {}", top.join("; "));
        }
        let dest: Vec<String> = r
            .top_destinations
            .iter()
            .map(|d| format!("{} {}", d.country, d.shipments))
            .collect();
        if !dest.is_empty() {
            outln!("        destinations: {}", dest.join(", "));
        }
    }
    Ok(())
}
