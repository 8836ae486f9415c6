//! Links a user can follow from a record, typed: a link names one record or one scope of a
//! list (shipments of a party, patents in a CET area), so the workbench follows it without
//! parsing anything back. `tradescope show --json` writes the same link as
//! `{"kind", "id", "label", "count", "filter"}` (see [`LinkItem`]'s `Serialize`).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};

use crate::model::{RecordKind, RecordRef};

/// Which shipments a link lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentScope {
    /// Shipments of the trade parties linked to a list entry.
    OfEntity(i64),
    /// Shipments of a party in any role.
    Party(i64),
    Shipper(i64),
    Consignee(i64),
    Notify(i64),
    /// Shipments to a country (ISO code).
    DestCountry(String),
}

/// Which patents a link lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatentScope {
    /// Patents of the assignees linked to a list entry.
    OfEntity(i64),
    Assignee(i64),
    /// Patents in a critical-and-emerging-technology area.
    Cet(String),
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    Record(RecordRef),
    Shipments(ShipmentScope),
    Patents(PatentScope),
    /// The "rejected links: N" line of a record: following it shows the links a reviewer
    /// rejected (they are left out of drills, counts, the intersection and trails).
    Rejected(RecordRef),
}

/// The other side of a matcher-made link from a list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairTarget {
    Party,
    Assignee,
}

impl PairTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            PairTarget::Party => "party",
            PairTarget::Assignee => "assignee",
        }
    }

    pub fn parse(s: &str) -> Option<PairTarget> {
        match s.trim().to_ascii_lowercase().as_str() {
            "party" | "trade-party" => Some(PairTarget::Party),
            "assignee" => Some(PairTarget::Assignee),
            _ => None,
        }
    }
}

/// A matcher-made link a reviewer can confirm or reject: list entry ↔ trade party or patent
/// assignee, with its review status (auto, confirmed, rejected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPair {
    pub entry_id: i64,
    pub target: PairTarget,
    pub target_id: i64,
    pub status: String,
}

impl LinkTarget {
    /// The kind word of `show`'s output: a record kind, `shipments` or `patents`.
    pub fn kind(&self) -> &'static str {
        match self {
            LinkTarget::Record(r) => r.kind.as_str(),
            LinkTarget::Shipments(_) => "shipments",
            LinkTarget::Patents(_) => "patents",
            LinkTarget::Rejected(_) => "rejected",
        }
    }

    /// The record this link names, if it names one.
    pub fn record(&self) -> Option<RecordRef> {
        match self {
            LinkTarget::Record(r) => Some(*r),
            _ => None,
        }
    }

    /// Whether the link names a record of `kind`.
    pub fn is_record(&self, kind: RecordKind) -> bool {
        self.record().is_some_and(|r| r.kind == kind)
    }

    /// The scope as `show` writes it, e.g. `{"shipper_id": 12}`; None for a record.
    pub fn filter_json(&self) -> Option<Value> {
        Some(match self {
            LinkTarget::Record(_) | LinkTarget::Rejected(_) => return None,
            LinkTarget::Shipments(s) => match s {
                ShipmentScope::OfEntity(id) => json!({ "entity_id": id }),
                ShipmentScope::Party(id) => json!({ "party_id": id }),
                ShipmentScope::Shipper(id) => json!({ "shipper_id": id }),
                ShipmentScope::Consignee(id) => json!({ "consignee_id": id }),
                ShipmentScope::Notify(id) => json!({ "notify_id": id }),
                ShipmentScope::DestCountry(c) => json!({ "dest_country": c }),
            },
            LinkTarget::Patents(p) => match p {
                PatentScope::OfEntity(id) => json!({ "entity_id": id }),
                PatentScope::Assignee(id) => json!({ "assignee_id": id }),
                PatentScope::Cet(area) => json!({ "cet": area }),
            },
        })
    }
}

/// A link the user can follow from a record, with a count shown before the jump
/// ("Shipments as shipper (1,204)").
#[derive(Debug, Clone, PartialEq)]
pub struct LinkItem {
    pub target: LinkTarget,
    pub label: String,
    pub count: Option<i64>,
    /// Match score (0–1) for links made by the name matcher.
    pub score: Option<f64>,
    /// Why the matcher linked these, for matcher-made links.
    pub explanation: Option<String>,
    /// The reviewable link this item shows (list entry ↔ party or assignee), if it is one.
    pub pair: Option<LinkPair>,
}

impl LinkItem {
    /// A link to one record.
    pub fn to_record(kind: RecordKind, id: i64, label: String, count: Option<i64>) -> LinkItem {
        LinkItem {
            target: LinkTarget::Record(RecordRef::new(kind, id)),
            label,
            count,
            score: None,
            explanation: None,
            pair: None,
        }
    }

    /// A link to a list, with its count.
    pub fn to_list(target: LinkTarget, label: String, count: i64) -> LinkItem {
        LinkItem {
            target,
            label,
            count: Some(count),
            score: None,
            explanation: None,
            pair: None,
        }
    }

    /// The same link, reviewable as `pair`.
    pub fn reviewable(self, pair: LinkPair) -> LinkItem {
        LinkItem {
            pair: Some(pair),
            ..self
        }
    }

    /// The same link, made by the name matcher with this score and explanation.
    pub fn matched(self, score: f64, explanation: String) -> LinkItem {
        LinkItem {
            score: Some(score),
            explanation: Some(explanation),
            ..self
        }
    }
}

/// `{"kind", "id", "label", "count", "filter"?, "score"?, "explanation"?}` — the shape
/// `tradescope show --json` has always written.
impl Serialize for LinkItem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.target.kind())?;
        m.serialize_entry("id", &self.target.record().map(|r| r.id))?;
        m.serialize_entry("label", &self.label)?;
        m.serialize_entry("count", &self.count)?;
        if let Some(f) = self.target.filter_json() {
            m.serialize_entry("filter", &f)?;
        }
        if let Some(score) = self.score {
            m.serialize_entry("score", &score)?;
        }
        if let Some(e) = &self.explanation {
            m.serialize_entry("explanation", e)?;
        }
        // A reviewed link says so; a link the matcher made and nobody reviewed stays as it was.
        if let Some(p) = self.pair.as_ref().filter(|p| p.status != "auto") {
            m.serialize_entry("review", &p.status)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_serialize_as_show_always_wrote_them() {
        let l = LinkItem::to_list(
            LinkTarget::Shipments(ShipmentScope::Shipper(12)),
            "Shipments as shipper".into(),
            3,
        );
        assert_eq!(
            serde_json::to_value(&l).unwrap(),
            json!({"kind": "shipments", "id": null, "label": "Shipments as shipper",
                   "count": 3, "filter": {"shipper_id": 12}})
        );
        let r = LinkItem::to_record(RecordKind::Party, 4, "Trade party: X".into(), Some(9))
            .matched(0.91, "token match".into());
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"kind": "party", "id": 4, "label": "Trade party: X", "count": 9,
                   "score": 0.91, "explanation": "token match"})
        );
        assert!(r.target.is_record(RecordKind::Party));
        assert!(!r.target.is_record(RecordKind::Entity));
    }
}
