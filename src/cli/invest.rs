//! `tradescope intersect`, `trail` and `shipments`: the investigations. Each run is recorded in
//! the audit log with what it showed.

use clap::Args;
use serde::Serialize;

use super::audit::record;
use super::commands::Db;
use super::output::{json, thousands};
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::asof::{AsOfStatus, Screener};
use tradescope_store::audit::NewRecord;
use tradescope_store::error::Error;
use tradescope_store::intersect::{self, SortKey};
use tradescope_store::shipments::{self, ShipmentFilter, ShipmentRow, Sort};
use tradescope_store::trail::{self, TrailNode, TrailOptions};
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

#[derive(Debug, Args)]
pub struct ShipmentsArgs {
    /// Shipments of the trade parties linked to this list entry
    #[arg(long, value_name = "ID")]
    pub entity: Option<i64>,
    /// Shipments of this trade party (any role)
    #[arg(long, value_name = "ID")]
    pub party: Option<i64>,
    /// Only shipments whose shipper or consignee was listed at the ship date (yes), or was not (no)
    #[arg(long, value_name = "yes|no", value_parser = ["yes", "no"])]
    pub listed_at_date: Option<String>,
    /// Only shipments whose description carries brands or model numbers of listed makers
    #[arg(long)]
    pub carries_listed_products: bool,
    /// HS code prefix
    #[arg(long, value_name = "DIGITS")]
    pub hs: Option<String>,
    /// Description substring (e.g. a model number)
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run_intersect(db: Db, args: IntersectArgs) -> anyhow::Result<()> {
    let key = intersect_key(&args)?;
    let conn = db.open_ro()?;
    let mut rows = intersect::intersect(&conn, key)?;
    let total = rows.len();
    rows.truncate(args.limit);
    drop(conn);
    record(db, &intersect_record(key, total, &rows))?;
    print_intersect(rows, total, key, &args)
}

/// `intersect` on any store (a PostgreSQL database), audited through the store.
pub fn run_intersect_on(store: &dyn Store, args: IntersectArgs) -> anyhow::Result<()> {
    let key = intersect_key(&args)?;
    let mut rows = store.intersect(key)?;
    let total = rows.len();
    rows.truncate(args.limit);
    super::audit::record_on(store, &intersect_record(key, total, &rows))?;
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

pub fn run_trail(db: Db, args: TrailArgs) -> anyhow::Result<()> {
    let opts = TrailOptions {
        days: args.days,
        max_depth: args.depth.max(1),
        ..Default::default()
    };
    let conn = db.open_ro()?;
    let t = trail::trail(&conn, args.entity_id, opts)?;
    drop(conn);
    let rec = trail_record(&t, &args);
    record(db, &rec)?;
    print_trail(&t, &args)
}

/// `trail` on any store (a PostgreSQL database), audited through the store.
pub fn run_trail_on(store: &dyn Store, args: TrailArgs) -> anyhow::Result<()> {
    let opts = TrailOptions {
        days: args.days,
        max_depth: args.depth.max(1),
        ..Default::default()
    };
    let t = store.trail_with(args.entity_id, opts)?;
    super::audit::record_on(store, &trail_record(&t, &args))?;
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

#[derive(Serialize)]
struct ShipmentOut {
    #[serde(flatten)]
    row: ShipmentRow,
    /// As-of screening of the shipper and consignee at the ship date.
    as_of: Option<String>,
    #[serde(skip)]
    status: Option<AsOfStatus>,
}

#[derive(Serialize)]
struct ShipmentsPage {
    rows: Vec<ShipmentOut>,
    more: bool,
}

pub fn run_shipments(db: Db, args: ShipmentsArgs) -> anyhow::Result<()> {
    let f = shipment_filter(&args)?;
    let conn = db.open_ro()?;
    let page = shipments::page(&conn, &f, Sort::default(), None, args.limit)?;
    let mut screener = Screener::new();
    let statuses = page
        .rows
        .iter()
        .map(|row| {
            screener.row_status(
                &conn,
                row.ship_date.as_deref(),
                &[row.shipper_id, row.consignee_id],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    print_shipments(page, statuses, &args)
}

/// `shipments` on any store (a PostgreSQL database): the same page and as-of screening.
pub fn run_shipments_on(store: &dyn Store, args: ShipmentsArgs) -> anyhow::Result<()> {
    let f = shipment_filter(&args)?;
    let page = store.shipments_page(&f, Sort::default(), None, args.limit)?;
    let statuses = store.as_of_statuses(&page)?;
    print_shipments(page, statuses, &args)
}

fn shipment_filter(args: &ShipmentsArgs) -> anyhow::Result<ShipmentFilter> {
    for d in [&args.from, &args.to].into_iter().flatten() {
        tradescope_store::import::fields::date(d)
            .map_err(|m| Error::User(format!("date {d}: {m}")))?;
    }
    Ok(ShipmentFilter {
        entity_id: args.entity,
        party_id: args.party,
        listed_at_date: args.listed_at_date.as_deref().map(|v| v == "yes"),
        carries_listed_products: args.carries_listed_products,
        hs_prefix: args.hs.clone(),
        text: args.text.clone(),
        date_from: args.from.clone(),
        date_to: args.to.clone(),
        ..Default::default()
    })
}

fn print_shipments(
    page: shipments::Page,
    statuses: Vec<Option<AsOfStatus>>,
    args: &ShipmentsArgs,
) -> anyhow::Result<()> {
    let out: Vec<ShipmentOut> = page
        .rows
        .into_iter()
        .zip(statuses)
        .map(|(row, status)| ShipmentOut {
            row,
            as_of: status.map(|s| s.label().to_string()),
            status,
        })
        .collect();
    if args.json {
        return json(&ShipmentsPage {
            rows: out,
            more: page.next.is_some(),
        });
    }
    for s in &out {
        let r = &s.row;
        outln!(
            "#{:<6} {} {:<9} {} → {}  HS {}  {}",
            r.id,
            r.ship_date.as_deref().unwrap_or("undated  "),
            s.status.map(AsOfStatus::short).unwrap_or(""),
            sanitize(&truncate_to_width(r.shipper.as_deref().unwrap_or("?"), 40)),
            sanitize(&truncate_to_width(
                r.consignee.as_deref().unwrap_or("?"),
                40
            )),
            r.hs_code.as_deref().unwrap_or("-"),
            sanitize(&truncate_to_width(
                &r.description.as_deref().unwrap_or("").replace('\n', " / "),
                60
            ))
        );
    }
    if page.next.is_some() {
        outln!("(more: raise --limit)");
    }
    Ok(())
}
