//! The transshipment trail: from a listed shipper's trade parties, the consignees in other
//! countries, then their onward shipments within a time window that carry the same goods
//! (shared model numbers, HS prefix or description terms), and so on — a tree of hops, each
//! with its evidence: maker → distributor → US importer (→ …).
//!
//! Bounded: at most `max_depth` hops, `max_children` consignees per node, `max_nodes` nodes.
//! Each node costs one indexed range query (its shipments as shipper within the window) and
//! one batched read of those shipments' goods.

mod walk;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::asof::Screener;
use crate::error::{Error, Result};
use crate::{entities, links};
use walk::{ships, Hop, Walker};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TrailOptions {
    /// Onward shipments count when dated within this many days after a received shipment.
    pub days: i64,
    pub max_depth: usize,
    pub max_children: usize,
    pub max_nodes: usize,
    /// Evidence rows kept per node (the strongest, then the earliest; listed in date order).
    pub max_evidence: usize,
}

impl Default for TrailOptions {
    fn default() -> Self {
        TrailOptions {
            days: 180,
            max_depth: 4,
            max_children: 25,
            max_nodes: 200,
            max_evidence: 10,
        }
    }
}

/// The received shipment an onward shipment is matched to, and what they share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct After {
    pub shipment_id: i64,
    pub ship_date: Option<String>,
    /// Days from the received shipment to the onward one.
    pub days: Option<i64>,
    pub shared_hs_prefix: Option<String>,
    pub shared_models: Vec<String>,
    pub shared_terms: Vec<String>,
}

/// One shipment of a hop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopShipment {
    pub shipment_id: i64,
    pub ship_date: Option<String>,
    pub hs_codes: Vec<String>,
    pub models: Vec<String>,
    pub description: Option<String>,
    /// As-of screening of the shipment's parties at its date, e.g. "shipper listed at ship
    /// date" (None: neither party is linked to a listing).
    pub as_of: Option<String>,
    /// For onward hops: the received shipment it continues.
    pub after: Option<After>,
}

/// A party reached by the trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailNode {
    pub party_id: i64,
    pub name: String,
    pub country: Option<String>,
    /// 1 = a consignee of the listed shipper; 2 = a consignee of that consignee; …
    pub depth: usize,
    /// Shipments of the hop into this party (all, not only those kept as evidence).
    pub shipments: usize,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Model numbers over the hop's shipments.
    pub models: Vec<String>,
    /// Shortest days between a received and an onward shipment on this hop (onward hops).
    pub min_days: Option<i64>,
    /// The strongest `max_evidence` shipments of the hop, in date order.
    pub evidence: Vec<HopShipment>,
    pub children: Vec<TrailNode>,
}

impl TrailNode {
    /// Shipments of the hop not kept as evidence (the "N more" the TUI and the CLI show).
    pub fn more(&self) -> usize {
        self.shipments.saturating_sub(self.evidence.len())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trail {
    pub entity_id: i64,
    pub entity_name: String,
    pub list: String,
    pub options: TrailOptions,
    /// The listed entity's trade parties (the trail's roots).
    pub shippers: Vec<PartyRef>,
    pub children: Vec<TrailNode>,
    pub nodes: usize,
    /// True when a bound cut the tree.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyRef {
    pub party_id: i64,
    pub name: String,
    pub country: Option<String>,
}

/// The transshipment trail of a list entry's linked trade parties.
pub fn trail(conn: &dyn crate::sql::Sql, entity_id: i64, opts: TrailOptions) -> Result<Trail> {
    if opts.days < 0 {
        return Err(Error::User("the window (--days) cannot be negative".into()));
    }
    let e = entities::get(conn, entity_id)?;
    let mut w = Walker {
        conn,
        opts,
        screener: Screener::new(),
        parties: HashMap::new(),
        nodes: 0,
        truncated: false,
    };
    let roots = links::linked_party_ids(conn, entity_id)?;
    let mut shippers = Vec::new();
    let mut by_consignee: BTreeMap<i64, Hop> = BTreeMap::new();
    for &root in &roots {
        let rp = w.party(root)?;
        let sent = ships(conn, "s.shipper_id = ?1", &[root.into()])?;
        if sent.is_empty() {
            continue;
        }
        shippers.push(rp.clone());
        for s in sent {
            let Some(c) = s.consignee else { continue };
            if roots.contains(&c) {
                continue;
            }
            let ccountry = w.party(c)?.country.or(s.dest_country.clone());
            // Consignees in other countries: where goods can be transshipped from.
            if ccountry.is_some() && ccountry == rp.country {
                continue;
            }
            by_consignee.entry(c).or_default().push((s, None));
        }
    }
    let mut path: Vec<i64> = roots.clone();
    let children = w.children(by_consignee, 1, &mut path)?;
    Ok(Trail {
        entity_id,
        entity_name: e.name,
        list: e.list,
        options: opts,
        shippers,
        children,
        nodes: w.nodes,
        truncated: w.truncated,
    })
}

impl Trail {
    /// Every node, depth first, with its parent's party id.
    pub fn walk(&self) -> Vec<(Option<i64>, &TrailNode)> {
        fn go<'a>(
            parent: Option<i64>,
            n: &'a TrailNode,
            out: &mut Vec<(Option<i64>, &'a TrailNode)>,
        ) {
            out.push((parent, n));
            for c in &n.children {
                go(Some(n.party_id), c, out);
            }
        }
        let mut out = Vec::new();
        for c in &self.children {
            go(None, c, &mut out);
        }
        out
    }
}
