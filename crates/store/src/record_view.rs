//! The one builder of a record's view ([`RecordView`]): every field, every link, and what the
//! investigations add — the covered-equipment flag next to a list entry's or trade party's
//! list status (with the "covered but not on a screening list" note), a shipment's as-of
//! screening, the products detected in its description and links to the listed makers whose
//! products it carries. `tradescope show` (JSON and text) and the workbench's detail view both
//! come from here.

use serde_json::json;

use crate::covered::{Covered, CoveredFlag};
use crate::error::Result;
use crate::sql::Sql;
use crate::{asof, entities, links, parties, patents, products, shipments};
use tradescope_core::link::LinkItem;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_core::view::{self, RecordView};

/// Read record `r` with its links and investigations.
pub fn load(conn: &dyn Sql, r: RecordRef) -> Result<RecordView> {
    let mut v = match r.kind {
        RecordKind::Entity => {
            let e = entities::get(conn, r.id)?;
            RecordView {
                stored: serde_json::to_value(&e)?,
                ..view::entity(&e)
            }
        }
        RecordKind::Party => {
            let p = parties::get(conn, r.id)?;
            RecordView {
                stored: serde_json::to_value(&p)?,
                ..view::party(&p)
            }
        }
        RecordKind::Shipment => {
            let s = shipments::get(conn, r.id)?;
            RecordView {
                stored: serde_json::to_value(&s)?,
                ..view::shipment(&s)
            }
        }
        RecordKind::Patent => {
            let p = patents::get(conn, r.id)?;
            RecordView {
                stored: serde_json::to_value(&p)?,
                ..view::patent(&p)
            }
        }
        RecordKind::Assignee => {
            let a = patents::get_assignee(conn, r.id)?;
            RecordView {
                stored: serde_json::to_value(&a)?,
                ..view::assignee(&a)
            }
        }
    };
    v.links = links::links(conn, r.kind, r.id)?;
    let extra = investigate(conn, r, &mut v)?;
    let at = v.fields.len().min(1);
    v.fields.splice(at..at, extra);
    Ok(v)
}

fn covered_text(c: &CoveredFlag) -> String {
    format!("{} ({}) — {}", c.group, c.relation, c.basis)
}

/// Fills `v.investigation` and adds the listed makers' links; returns the fields to insert
/// after the record's first field (its list, or its date).
fn investigate(conn: &dyn Sql, r: RecordRef, v: &mut RecordView) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let covered = Covered::load(conn)?;
    match r.kind {
        RecordKind::Entity => {
            let c = covered.entity(conn, r.id)?;
            if let Some(c) = &c {
                out.push(("Covered equipment".into(), covered_text(c)));
            }
            v.investigation = json!({ "covered": c });
        }
        RecordKind::Party => {
            let c = covered.party(conn, r.id)?;
            if let Some(c) = &c {
                out.push(("Covered equipment".into(), covered_text(c)));
                if !v
                    .links
                    .iter()
                    .any(|l| l.target.is_record(RecordKind::Entity))
                {
                    out.push((
                        "Note".into(),
                        format!(
                            "{} is covered equipment but this party is not linked to any \
                             screening list entry",
                            c.maker
                        ),
                    ));
                }
            }
            v.investigation = json!({ "covered": c });
        }
        RecordKind::Shipment => {
            let s = shipments::get(conn, r.id)?;
            let a = asof::shipment(conn, r.id)?;
            out.push((
                "As of ship date".into(),
                a.summary
                    .clone()
                    .unwrap_or_else(|| "no party is linked to a list entry".into()),
            ));
            for f in a.shipper.iter().chain(&a.consignee).chain(&a.notify) {
                out.push((
                    format!("As of: {}", f.role),
                    format!(
                        "{} [{}]: {} — {}",
                        f.name,
                        f.lists.join(", "),
                        f.label,
                        f.reason
                    ),
                ));
            }
            let prods = products::of_shipment(conn, r.id)?;
            let makers = products::listed_makers_summary(&prods);
            if !makers.is_empty() {
                out.push(("Listed makers".into(), makers.join("; ")));
            }
            let models: Vec<&str> = prods.iter().map(|d| d.matched.as_str()).collect();
            if !models.is_empty() {
                out.push(("Products detected".into(), models.join(", ")));
            }
            let mut seen = Vec::new();
            for p in &prods {
                for l in &p.listed {
                    if !seen.contains(&&l.listing_key) {
                        seen.push(&l.listing_key);
                        v.links.push(LinkItem::to_record(
                            RecordKind::Entity,
                            l.entity_id,
                            format!(
                                "Carries products of listed maker: {} — {} {}",
                                p.group, l.list, l.name
                            ),
                            None,
                        ));
                    }
                }
            }
            v.investigation = json!({
                "as_of": a,
                "products": prods,
                "carries_products_of_listed_makers": makers,
                "covered": {
                    "shipper": s.shipper_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                    "consignee": s.consignee_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                },
            });
        }
        RecordKind::Patent | RecordKind::Assignee => {}
    }
    Ok(out)
}
