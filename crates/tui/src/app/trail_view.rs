//! The trail tree as screen lines: nodes (trade parties reached by the trail) and, under an
//! expanded node, its evidence shipments and then its onward nodes. Pure: shared by `update`
//! (cursor bounds, what Enter opens) and the UI (what is drawn).

use std::collections::BTreeSet;

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_store::trail::{HopShipment, Trail, TrailNode};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item<'a> {
    Node(&'a TrailNode),
    /// An evidence shipment of the hop into `node`.
    Shipment {
        node: &'a TrailNode,
        ship: &'a HopShipment,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// Indent level: 0 for the listed company's consignees.
    pub depth: usize,
    /// Child indices from the roots to the node (of the node the evidence belongs to).
    pub path: Vec<usize>,
    pub item: Item<'a>,
    /// Nodes: expanded now.
    pub open: bool,
}

impl Line<'_> {
    /// What Enter opens: the party of a node, the shipment of an evidence line.
    pub fn record(&self) -> RecordRef {
        match self.item {
            Item::Node(n) => RecordRef::new(RecordKind::Party, n.party_id),
            Item::Shipment { ship, .. } => RecordRef::new(RecordKind::Shipment, ship.shipment_id),
        }
    }

    /// A short label (breadcrumb, copy).
    pub fn label(&self) -> String {
        match self.item {
            Item::Node(n) => n.name.clone(),
            Item::Shipment { node, ship } => format!(
                "{} → {}",
                ship.ship_date.as_deref().unwrap_or("?"),
                node.name
            ),
        }
    }

    /// Whether the node has anything to expand.
    pub fn expandable(&self) -> bool {
        match self.item {
            Item::Node(n) => !n.evidence.is_empty() || !n.children.is_empty(),
            Item::Shipment { .. } => false,
        }
    }
}

/// The visible lines with the nodes at `open` expanded.
pub fn lines<'a>(t: &'a Trail, open: &BTreeSet<Vec<usize>>) -> Vec<Line<'a>> {
    fn go<'a>(
        n: &'a TrailNode,
        path: &mut Vec<usize>,
        depth: usize,
        open: &BTreeSet<Vec<usize>>,
        out: &mut Vec<Line<'a>>,
    ) {
        let is_open = open.contains(path.as_slice());
        out.push(Line {
            depth,
            path: path.clone(),
            item: Item::Node(n),
            open: is_open,
        });
        if !is_open {
            return;
        }
        for ship in &n.evidence {
            out.push(Line {
                depth: depth + 1,
                path: path.clone(),
                item: Item::Shipment { node: n, ship },
                open: false,
            });
        }
        for (i, c) in n.children.iter().enumerate() {
            path.push(i);
            go(c, path, depth + 1, open, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    let mut path = Vec::new();
    for (i, c) in t.children.iter().enumerate() {
        path.push(i);
        go(c, &mut path, 0, open, &mut out);
        path.pop();
    }
    out
}
