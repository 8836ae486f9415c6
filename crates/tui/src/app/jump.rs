//! Where a link or a shortcut key leads. `from_link` is pure (a link already names its target);
//! `resolve` asks the database what `s`, `p` or `e` means for a given record.

use rusqlite::Connection;
use serde_json::Value;

use tradescope_core::model::{LinkItem, RecordKind, RecordRef};
use tradescope_store::error::Result;
use tradescope_store::patents::PatentFilter;
use tradescope_store::shipments::ShipmentFilter;
use tradescope_store::{links, parties, shipments};

use super::action::Follow;
use super::nav::Route;

/// The destination of a jump.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Record {
        record: RecordRef,
        label: String,
    },
    Shipments {
        filter: Box<ShipmentFilter>,
        label: String,
    },
    Patents {
        filter: Box<PatentFilter>,
        label: String,
    },
}

impl Target {
    pub fn into_route(self) -> Route {
        match self {
            Target::Record { record, label } => Route::detail(record, label),
            Target::Shipments { filter, label } => Route::shipments(*filter, Some(label)),
            Target::Patents { filter, label } => Route::patents(*filter, Some(label)),
        }
    }
}

/// The name part of a link label ("Trade party: PHUONG VIET (VN)" → "PHUONG VIET (VN)").
fn crumb_of(label: &str) -> String {
    if let Some((_, name)) = label.split_once(" — ") {
        return name.to_string();
    }
    match label.split_once(": ") {
        Some((_, name)) => name.to_string(),
        None => label.to_string(),
    }
}

fn int(v: &Value, key: &str) -> Result<i64, String> {
    v.as_i64()
        .ok_or_else(|| format!("link filter {key} is not a number"))
}

fn text(v: &Value, key: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("link filter {key} is not text"))
}

/// The target of a link from the detail view.
pub fn from_link(l: &LinkItem) -> Result<Target, String> {
    if let (Some(kind), Some(id)) = (RecordKind::parse(&l.kind), l.id) {
        return Ok(Target::Record {
            record: RecordRef::new(kind, id),
            label: crumb_of(&l.label),
        });
    }
    let obj = l
        .filter
        .as_ref()
        .and_then(Value::as_object)
        .ok_or_else(|| format!("cannot follow “{}”: no target", l.label))?;
    match l.kind.as_str() {
        "shipments" => {
            let mut f = ShipmentFilter::default();
            for (k, v) in obj {
                match k.as_str() {
                    "entity_id" => f.entity_id = Some(int(v, k)?),
                    "party_id" => f.party_id = Some(int(v, k)?),
                    "shipper_id" => f.shipper_id = Some(int(v, k)?),
                    "consignee_id" => f.consignee_id = Some(int(v, k)?),
                    "notify_id" => f.notify_id = Some(int(v, k)?),
                    "country" => f.country = Some(text(v, k)?),
                    "origin_country" => f.origin_country = Some(text(v, k)?),
                    "dest_country" => f.dest_country = Some(text(v, k)?),
                    "port" => f.port = Some(text(v, k)?),
                    "hs_prefix" => f.hs_prefix = Some(text(v, k)?),
                    other => return Err(format!("cannot follow a shipments link by {other}")),
                }
            }
            Ok(Target::Shipments {
                filter: Box::new(f),
                label: l.label.clone(),
            })
        }
        "patents" => {
            let mut f = PatentFilter::default();
            for (k, v) in obj {
                match k.as_str() {
                    "entity_id" => f.entity_id = Some(int(v, k)?),
                    "assignee_id" => f.assignee_id = Some(int(v, k)?),
                    "cet" => f.cet = Some(text(v, k)?),
                    other => return Err(format!("cannot follow a patents link by {other}")),
                }
            }
            Ok(Target::Patents {
                filter: Box::new(f),
                label: l.label.clone(),
            })
        }
        other => Err(format!("cannot follow a link to {other}")),
    }
}

fn first(links: &[LinkItem], kinds: &[&str]) -> Option<Result<Target, String>> {
    kinds
        .iter()
        .find_map(|k| links.iter().find(|l| l.kind == *k))
        .map(from_link)
}

fn party_shipments(conn: &Connection, party_id: i64) -> Result<Target> {
    let p = parties::get(conn, party_id)?;
    Ok(Target::Shipments {
        filter: Box::new(ShipmentFilter {
            party_id: Some(party_id),
            ..Default::default()
        }),
        label: format!("Shipments of {}", p.name),
    })
}

/// What `s` (shipments), `p` (patents) or `e` (list entries / parties) leads to from `r`;
/// Err(message) when there is nothing linked.
pub fn resolve(conn: &Connection, r: RecordRef, follow: Follow) -> Result<Result<Target, String>> {
    let what = match r.kind {
        RecordKind::Entity => "list entry",
        RecordKind::Party => "trade party",
        RecordKind::Shipment => "shipment",
        RecordKind::Patent => "patent",
        RecordKind::Assignee => "patent assignee",
    };
    match follow {
        Follow::Shipments => {
            if r.kind == RecordKind::Party {
                return Ok(Ok(party_shipments(conn, r.id)?));
            }
            if r.kind == RecordKind::Shipment {
                // Onward: what the consignee shipped and received (the transshipment trail).
                let s = shipments::get(conn, r.id)?;
                if let Some(pid) = s.consignee_id.or(s.shipper_id) {
                    return Ok(Ok(party_shipments(conn, pid)?));
                }
            }
            let l = links::links(conn, r.kind, r.id)?;
            Ok(first(&l, &["shipments"])
                .unwrap_or_else(|| Err(format!("No shipments are linked to this {what}"))))
        }
        Follow::Patents => {
            let l = links::links(conn, r.kind, r.id)?;
            if let Some(t) = first(&l, &["patents"]) {
                return Ok(t);
            }
            // Through the list entries this record is linked to (party → entry → assignees).
            for e in l.iter().filter(|l| l.kind == "entity") {
                if let Some(id) = e.id {
                    let el = links::links(conn, RecordKind::Entity, id)?;
                    if let Some(t) = first(&el, &["patents"]) {
                        return Ok(t);
                    }
                }
            }
            Ok(Err(format!("No patents are linked to this {what}")))
        }
        Follow::Entries => {
            let l = links::links(conn, r.kind, r.id)?;
            let kinds: &[&str] = match r.kind {
                RecordKind::Entity => &["entity", "party", "assignee"],
                RecordKind::Shipment => &["entity", "party"],
                RecordKind::Patent => &["entity", "assignee"],
                RecordKind::Party | RecordKind::Assignee => &["entity"],
            };
            Ok(first(&l, kinds).unwrap_or_else(|| {
                Err(format!(
                    "No list entries or parties are linked to this {what}"
                ))
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn link(kind: &str, id: Option<i64>, label: &str, filter: Option<Value>) -> LinkItem {
        LinkItem {
            kind: kind.into(),
            id,
            label: label.into(),
            count: None,
            filter,
            score: None,
            explanation: None,
        }
    }

    #[test]
    fn links_become_targets() {
        let t = from_link(&link(
            "party",
            Some(4),
            "Trade party: PHUONG VIET (VN)",
            None,
        ))
        .unwrap();
        assert_eq!(
            t,
            Target::Record {
                record: RecordRef::new(RecordKind::Party, 4),
                label: "PHUONG VIET (VN)".into()
            }
        );
        let t = from_link(&link(
            "shipments",
            None,
            "Shipments to Viet Nam",
            Some(json!({"dest_country": "VN"})),
        ))
        .unwrap();
        match t {
            Target::Shipments { filter, .. } => {
                assert_eq!(filter.dest_country.as_deref(), Some("VN"))
            }
            other => panic!("{other:?}"),
        }
        let bad = link("patents", None, "x", Some(json!({"colour": 1})));
        assert!(from_link(&bad).is_err());
    }
}
