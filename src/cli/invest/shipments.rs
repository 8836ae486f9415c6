//! `tradescope shipments`: the bills of lading behind a filter, newest first.

use clap::Args;
use serde::Serialize;

use crate::cli::output::json;
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::asof::AsOfStatus;
use tradescope_store::error::Error;
use tradescope_store::shipments::{self, ShipmentFilter, ShipmentRow, Sort};
use tradescope_store::Store;

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

/// `shipments` on either engine: a page and the as-of screening of its rows.
pub fn run_shipments(store: &dyn Store, args: ShipmentsArgs) -> anyhow::Result<()> {
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
