//! The investigation fields of the detail view: the covered-equipment flag next to a list
//! entry's or trade party's list status (with the "covered but not on a screening list"
//! note), and a shipment's as-of screening and the listed makers whose products it carries.

use rusqlite::Connection;

use tradescope_core::model::{LinkItem, RecordKind, RecordRef};
use tradescope_store::covered::{Covered, CoveredFlag};
use tradescope_store::error::Result;
use tradescope_store::{asof, products};

fn covered_text(c: &CoveredFlag) -> String {
    format!("{} ({}) — {}", c.group, c.relation, c.basis)
}

/// Fields to insert after the record's first field (its list, or its date).
pub fn fields(
    conn: &Connection,
    r: RecordRef,
    links: &[LinkItem],
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    match r.kind {
        RecordKind::Entity => {
            if let Some(c) = Covered::load(conn)?.entity(conn, r.id)? {
                out.push(("Covered equipment".into(), covered_text(&c)));
            }
        }
        RecordKind::Party => {
            if let Some(c) = Covered::load(conn)?.party(conn, r.id)? {
                out.push(("Covered equipment".into(), covered_text(&c)));
                if !links.iter().any(|l| l.kind == "entity") {
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
        }
        RecordKind::Shipment => {
            let a = asof::shipment(conn, r.id)?;
            out.push((
                "As of ship date".into(),
                a.summary
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
            let p = products::of_shipment(conn, r.id)?;
            let makers = products::listed_makers_summary(&p);
            if !makers.is_empty() {
                out.push(("Listed makers".into(), makers.join("; ")));
            }
            let models: Vec<&str> = p.iter().map(|d| d.matched.as_str()).collect();
            if !models.is_empty() {
                out.push(("Products detected".into(), models.join(", ")));
            }
        }
        RecordKind::Patent | RecordKind::Assignee => {}
    }
    Ok(out)
}
