//! `tradescope trail`: where a listed shipper's goods went, hop by hop.

use clap::Args;

use crate::cli::audit::record;
use crate::cli::output::json;
use tradescope_core::text::sanitize;
use tradescope_store::audit::NewRecord;
use tradescope_store::trail::{self, TrailNode, TrailOptions};
use tradescope_store::Store;

#[derive(Debug, Args)]
pub struct TrailArgs {
    /// List entry id (from `search` or `intersect`)
    pub entity_id: i64,
    /// Window: onward shipments within this many days after a received shipment
    #[arg(long, default_value_t = 180)]
    pub days: i64,
    /// Most hops from the listed shipper
    #[arg(long, default_value_t = 4)]
    pub depth: usize,
    #[arg(long)]
    pub json: bool,
}

fn print_node(n: &TrailNode, prefix: &str, last: bool) {
    let branch = if last { "└─ " } else { "├─ " };
    let models: Vec<&str> = n.models.iter().map(String::as_str).take(4).collect();
    outln!(
        "{prefix}{branch}{} ({}) — {} shipment{} {} … {}{}{}",
        sanitize(&n.name),
        n.country.as_deref().unwrap_or("?"),
        n.shipments,
        if n.shipments == 1 { "" } else { "s" },
        n.first_date.as_deref().unwrap_or("?"),
        n.last_date.as_deref().unwrap_or("?"),
        n.min_days
            .map(|d| format!(", from {d} days after receipt"))
            .unwrap_or_default(),
        if models.is_empty() {
            String::new()
        } else {
            format!(", models {}", sanitize(&models.join(" ")))
        }
    );
    let inner = format!("{prefix}{}", if last { "   " } else { "│  " });
    for e in &n.evidence {
        let after = e
            .after
            .as_ref()
            .map(|a| {
                let mut why = Vec::new();
                if !a.shared_models.is_empty() {
                    why.push(format!("models {}", a.shared_models.join(" ")));
                }
                if let Some(h) = &a.shared_hs_prefix {
                    why.push(format!("HS {h}"));
                }
                if !a.shared_terms.is_empty() {
                    let t: Vec<&str> = a.shared_terms.iter().map(String::as_str).take(5).collect();
                    why.push(format!("terms {}", t.join(" ")));
                }
                format!(
                    " after #{} ({}, {} days): {}",
                    a.shipment_id,
                    a.ship_date.as_deref().unwrap_or("?"),
                    a.days.map(|d| d.to_string()).unwrap_or_else(|| "?".into()),
                    why.join("; ")
                )
            })
            .unwrap_or_default();
        outln!(
            "{inner}  · #{} {} HS {}{}{}",
            e.shipment_id,
            e.ship_date.as_deref().unwrap_or("undated"),
            e.hs_codes.join(","),
            sanitize(&after),
            e.as_of
                .as_deref()
                .map(|s| format!(" [{s}]"))
                .unwrap_or_default()
        );
    }
    if n.more() > 0 {
        outln!(
            "{inner}  {} more (tradescope shipments lists them)",
            n.more()
        );
    }
    for (i, c) in n.children.iter().enumerate() {
        print_node(c, &inner, i + 1 == n.children.len());
    }
}

/// `trail` on either engine, audited through the store.
pub fn run_trail(store: &dyn Store, args: TrailArgs) -> anyhow::Result<()> {
    let opts = TrailOptions {
        days: args.days,
        max_depth: args.depth.max(1),
        ..Default::default()
    };
    let t = store.trail_with(args.entity_id, opts)?;
    record(store, &trail_record(&t, &args))?;
    print_trail(&t, &args)
}

fn trail_record(t: &trail::Trail, args: &TrailArgs) -> NewRecord {
    let paths: Vec<String> = t
        .walk()
        .iter()
        .filter(|(_, n)| n.depth >= 2)
        .map(|(p, n)| format!("{} -> {}", p.unwrap_or_default(), n.party_id))
        .collect();
    NewRecord {
        action: "trail".into(),
        query: Some(format!("trail {} --days {}", args.entity_id, args.days)),
        results: serde_json::json!({
            "nodes": t.nodes,
            "consignees": t.children.len(),
            "onward_hops": paths,
            "truncated": t.truncated,
        }),
        ..Default::default()
    }
}

fn print_trail(t: &trail::Trail, args: &TrailArgs) -> anyhow::Result<()> {
    if args.json {
        return json(t);
    }
    outln!(
        "transshipment trail of #{} {} ({}), onward shipments within {} days",
        t.entity_id,
        sanitize(&t.entity_name),
        sanitize(&t.list),
        t.options.days
    );
    let names: Vec<String> = t
        .shippers
        .iter()
        .map(|p| format!("{} #{}", sanitize(&p.name), p.party_id))
        .collect();
    outln!("shipped as: {}", names.join("; "));
    if t.children.is_empty() {
        outln!("no consignees in other countries");
    }
    for (i, c) in t.children.iter().enumerate() {
        print_node(c, "", i + 1 == t.children.len());
    }
    if t.truncated {
        outln!("(cut at the bounds: use --json for all kept nodes, --depth for more hops)");
    }
    Ok(())
}
