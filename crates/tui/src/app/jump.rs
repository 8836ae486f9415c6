//! Where a link or a shortcut key leads. `from_link` is pure (a link already names its target);
//! `resolve` asks the database what `s`, `p` or `e` means for a given record.

use tradescope_core::link::{LinkItem, LinkTarget};
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_store::error::Result;
use tradescope_store::patents::PatentFilter;
use tradescope_store::shipments::ShipmentFilter;
use tradescope_store::Store;

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

/// The target of a link from the detail view.
pub fn from_link(l: &LinkItem) -> Target {
    match &l.target {
        LinkTarget::Record(record) => Target::Record {
            record: *record,
            label: crumb_of(&l.label),
        },
        // The detail view shows the rejected links in place (`review::open_rejected`); as a
        // target, the record they belong to.
        LinkTarget::Rejected(record) => Target::Record {
            record: *record,
            label: l.label.clone(),
        },
        LinkTarget::Shipments(scope) => Target::Shipments {
            filter: Box::new(ShipmentFilter::from(scope)),
            label: l.label.clone(),
        },
        LinkTarget::Patents(scope) => Target::Patents {
            filter: Box::new(PatentFilter::from(scope)),
            label: l.label.clone(),
        },
    }
}

/// The first link whose target is of one of `kinds` (in the order of `kinds`).
fn first(links: &[LinkItem], kinds: &[&str]) -> Option<Result<Target, String>> {
    kinds
        .iter()
        .find_map(|k| links.iter().find(|l| l.target.kind() == *k))
        .map(|l| Ok(from_link(l)))
}

fn party_shipments(store: &dyn Store, party_id: i64) -> Result<Target> {
    let p = store.party(party_id)?;
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
pub fn resolve(store: &dyn Store, r: RecordRef, follow: Follow) -> Result<Result<Target, String>> {
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
                return Ok(Ok(party_shipments(store, r.id)?));
            }
            if r.kind == RecordKind::Shipment {
                // Onward: what the consignee shipped and received (the transshipment trail).
                let s = store.shipment(r.id)?;
                if let Some(pid) = s.consignee_id.or(s.shipper_id) {
                    return Ok(Ok(party_shipments(store, pid)?));
                }
            }
            let l = store.links(r.kind, r.id)?;
            Ok(first(&l, &["shipments"])
                .unwrap_or_else(|| Err(format!("No shipments are linked to this {what}"))))
        }
        Follow::Patents => {
            let l = store.links(r.kind, r.id)?;
            if let Some(t) = first(&l, &["patents"]) {
                return Ok(t);
            }
            // Through the list entries this record is linked to (party → entry → assignees).
            for e in l.iter().filter_map(|l| l.target.record()) {
                if e.kind == RecordKind::Entity {
                    let el = store.links(RecordKind::Entity, e.id)?;
                    if let Some(t) = first(&el, &["patents"]) {
                        return Ok(t);
                    }
                }
            }
            Ok(Err(format!("No patents are linked to this {what}")))
        }
        Follow::Entries => {
            let l = store.links(r.kind, r.id)?;
            let kinds: &[&str] = match r.kind {
                RecordKind::Entity => &["entity", "party", "assignee"],
                RecordKind::Shipment => &["entity", "party"],
                RecordKind::Patent => &["entity", "assignee"],
                // A party's linked parties are its counterparties (the Consignee: and
                // Shipper: links): after its list entries, the first of them.
                RecordKind::Party => &["entity", "party"],
                RecordKind::Assignee => &["entity"],
            };
            Ok(first(&l, kinds).unwrap_or_else(|| {
                // Say only what was looked for (an assignee has no parties to link).
                let none = if kinds.contains(&"party") {
                    "No list entries or parties are"
                } else {
                    "No list entries are"
                };
                Err(format!("{none} linked to this {what}"))
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tradescope_core::link::ShipmentScope;

    #[test]
    fn links_become_targets() {
        let t = from_link(&LinkItem::to_record(
            RecordKind::Party,
            4,
            "Trade party: PHUONG VIET (VN)".into(),
            None,
        ));
        assert_eq!(
            t,
            Target::Record {
                record: RecordRef::new(RecordKind::Party, 4),
                label: "PHUONG VIET (VN)".into()
            }
        );
        let t = from_link(&LinkItem::to_list(
            LinkTarget::Shipments(ShipmentScope::DestCountry("VN".into())),
            "Shipments to Viet Nam".into(),
            3,
        ));
        match t {
            Target::Shipments { filter, .. } => {
                assert_eq!(filter.dest_country.as_deref(), Some("VN"))
            }
            other => panic!("{other:?}"),
        }
    }
}
