//! `tradescope show KIND ID`: one record with every field, every link the workbench can follow
//! from it, and what investigations add: the covered-equipment flag, the as-of screening and
//! the products detected in a shipment's description.

use super::commands::Db;
use super::output::{json, thousands};
use tradescope_core::model::RecordKind;
use tradescope_core::text::sanitize;
use tradescope_store::covered::Covered;
use tradescope_store::error::Error;
use tradescope_store::{asof, entities, links, parties, patents, products, shipments};

pub fn cmd_show(db: Db, kind: &str, id: i64, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let kind = RecordKind::parse(kind)
        .ok_or_else(|| Error::User(format!("unknown record kind {kind}")))?;
    let record = match kind {
        RecordKind::Entity => serde_json::to_value(entities::get(&conn, id)?)?,
        RecordKind::Party => serde_json::to_value(parties::get(&conn, id)?)?,
        RecordKind::Shipment => serde_json::to_value(shipments::get(&conn, id)?)?,
        RecordKind::Patent => serde_json::to_value(patents::get(&conn, id)?)?,
        RecordKind::Assignee => serde_json::to_value(patents::get_assignee(&conn, id)?)?,
    };
    let mut links = links::links(&conn, kind, id)?;
    let extra = investigation(&conn, kind, id, &mut links)?;
    if as_json {
        let mut out = serde_json::json!({ "record": record, "links": links });
        if let (Some(o), serde_json::Value::Object(x)) = (out.as_object_mut(), extra.clone()) {
            o.extend(x);
        }
        return json(&out);
    }
    outln!("{} #{id}", kind.as_str());
    if let Some(obj) = record.as_object() {
        for (k, v) in obj {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) if a.is_empty() => continue,
                other => other.to_string(),
            };
            outln!("  {k:<24} {}", sanitize(&text));
        }
    }
    print_investigation(&extra);
    if !links.is_empty() {
        outln!("links:");
        for l in &links {
            let count = l
                .count
                .map(|n| format!(" ({})", thousands(n)))
                .unwrap_or_default();
            let target = match (l.id, &l.filter) {
                (Some(id), _) => format!("{} #{id}", l.kind),
                (None, Some(f)) => format!("{} {f}", l.kind),
                (None, None) => l.kind.clone(),
            };
            outln!("  {}{count}  → {target}", sanitize(&l.label));
        }
    }
    Ok(())
}

/// What `show` adds for investigations: the covered-equipment flag (entity, party, shipment's
/// parties), the as-of screening and detected products (shipment), with links to the listed
/// makers whose products a shipment carries.
fn investigation(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    id: i64,
    links: &mut Vec<tradescope_core::model::LinkItem>,
) -> anyhow::Result<serde_json::Value> {
    let covered = Covered::load(conn)?;
    Ok(match kind {
        RecordKind::Entity => serde_json::json!({ "covered": covered.entity(conn, id)? }),
        RecordKind::Party => serde_json::json!({ "covered": covered.party(conn, id)? }),
        RecordKind::Shipment => {
            let s = shipments::get(conn, id)?;
            let prods = products::of_shipment(conn, id)?;
            let listed = products::listed_makers_summary(&prods);
            let mut seen = Vec::new();
            for p in &prods {
                for l in &p.listed {
                    if !seen.contains(&&l.listing_key) {
                        seen.push(&l.listing_key);
                        links.push(tradescope_core::model::LinkItem {
                            kind: "entity".into(),
                            id: Some(l.entity_id),
                            label: format!(
                                "Carries products of listed maker: {} — {} {}",
                                p.group, l.list, l.name
                            ),
                            count: None,
                            filter: None,
                            score: None,
                            explanation: None,
                        });
                    }
                }
            }
            serde_json::json!({
                "as_of": asof::shipment(conn, id)?,
                "products": prods,
                "carries_products_of_listed_makers": listed,
                "covered": {
                    "shipper": s.shipper_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                    "consignee": s.consignee_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                },
            })
        }
        RecordKind::Patent | RecordKind::Assignee => serde_json::json!({}),
    })
}

fn print_investigation(extra: &serde_json::Value) {
    let flag = |v: &serde_json::Value| {
        v.as_object().map(|c| {
            format!(
                "{} ({}) — {}",
                c.get("group").and_then(|x| x.as_str()).unwrap_or("?"),
                c.get("relation").and_then(|x| x.as_str()).unwrap_or("?"),
                c.get("basis").and_then(|x| x.as_str()).unwrap_or("?")
            )
        })
    };
    match extra.get("covered") {
        Some(c) if c.get("group").is_some() => {
            if let Some(f) = flag(c) {
                outln!("  covered equipment        {}", sanitize(&f));
            }
        }
        Some(c) => {
            for role in ["shipper", "consignee"] {
                if let Some(f) = c.get(role).and_then(flag) {
                    outln!("  {role} covered equipment {}", sanitize(&f));
                }
            }
        }
        None => {}
    }
    if let Some(a) = extra.get("as_of") {
        if let Some(s) = a.get("summary").and_then(|s| s.as_str()) {
            outln!("  as of ship date          {}", sanitize(s));
        }
        for role in ["shipper", "consignee", "notify"] {
            for f in a.get(role).and_then(|v| v.as_array()).into_iter().flatten() {
                outln!(
                    "    {role}: {} #{} {} — {} ({})",
                    f["lists"]
                        .as_array()
                        .map(|l| l
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", "))
                        .unwrap_or_default(),
                    f["entity_id"],
                    sanitize(f["name"].as_str().unwrap_or("")),
                    f["label"].as_str().unwrap_or(""),
                    sanitize(f["reason"].as_str().unwrap_or(""))
                );
            }
        }
    }
    if let Some(l) = extra
        .get("carries_products_of_listed_makers")
        .and_then(|v| v.as_array())
    {
        for g in l.iter().filter_map(|x| x.as_str()) {
            outln!("  carries products of listed maker: {}", sanitize(g));
        }
    }
    if let Some(p) = extra.get("products").and_then(|v| v.as_array()) {
        let found: Vec<String> = p
            .iter()
            .map(|x| {
                format!(
                    "{} {} ({})",
                    x["kind"].as_str().unwrap_or(""),
                    x["matched"].as_str().unwrap_or(""),
                    x["group"].as_str().unwrap_or("")
                )
            })
            .collect();
        if !found.is_empty() {
            outln!("  products found           {}", sanitize(&found.join("; ")));
        }
    }
}
