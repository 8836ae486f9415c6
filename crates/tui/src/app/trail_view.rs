//! The trail tree as screen lines: nodes (trade parties reached by the trail) and, under an
//! expanded node, its evidence shipments, a "N more" line when the hop has more shipments,
//! and then its onward nodes. Pure: shared by `update`
//! (cursor bounds, what Enter opens) and the UI (what is drawn).

use std::collections::BTreeSet;

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_store::shipments::ShipmentFilter;
use tradescope_store::trail::{HopShipment, Trail, TrailNode};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item<'a> {
    Node(&'a TrailNode),
    /// An evidence shipment of the hop into `node`.
    Shipment {
        node: &'a TrailNode,
        ship: &'a HopShipment,
    },
    /// After the evidence: the hop's shipments not kept as evidence ("N more — Enter lists
    /// them"); `parent` is the party that shipped them (None: the listed company).
    More {
        node: &'a TrailNode,
        parent: Option<i64>,
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
            Item::Node(n) | Item::More { node: n, .. } => {
                RecordRef::new(RecordKind::Party, n.party_id)
            }
            Item::Shipment { ship, .. } => RecordRef::new(RecordKind::Shipment, ship.shipment_id),
        }
    }

    /// A short label (breadcrumb, copy).
    pub fn label(&self) -> String {
        match self.item {
            Item::Node(n) => n.name.clone(),
            Item::More { node, .. } => format!("{} more → {}", node.more(), node.name),
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
            Item::Shipment { .. } | Item::More { .. } => false,
        }
    }
}

/// The Shipments list behind a More line: the hop's shipments from `parent` (None: the
/// trade parties of the listed entry `entity_id`) to the node, over the node's dates.
pub fn more_filter(entity_id: i64, parent: Option<i64>, node: &TrailNode) -> ShipmentFilter {
    ShipmentFilter {
        shipper_id: parent,
        entity_id: if parent.is_none() {
            Some(entity_id)
        } else {
            None
        },
        consignee_id: Some(node.party_id),
        date_from: node.first_date.clone(),
        date_to: node.last_date.clone(),
        ..Default::default()
    }
}

/// The visible lines with the nodes at `open` expanded.
pub fn lines<'a>(t: &'a Trail, open: &BTreeSet<Vec<usize>>) -> Vec<Line<'a>> {
    fn go<'a>(
        n: &'a TrailNode,
        parent: Option<i64>,
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
        if n.more() > 0 {
            out.push(Line {
                depth: depth + 1,
                path: path.clone(),
                item: Item::More { node: n, parent },
                open: false,
            });
        }
        for (i, c) in n.children.iter().enumerate() {
            path.push(i);
            go(c, Some(n.party_id), path, depth + 1, open, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    let mut path = Vec::new();
    for (i, c) in t.children.iter().enumerate() {
        path.push(i);
        go(c, None, &mut path, 0, open, &mut out);
        path.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;
    use crate::app::command::Command;
    use crate::app::model::{Data, Mode, Model, Screen};
    use crate::app::nav::{Route, View};
    use crate::app::update;
    use tradescope_store::trail::{After, TrailOptions};

    fn ship(id: i64, date: &str) -> HopShipment {
        HopShipment {
            shipment_id: id,
            ship_date: Some(date.into()),
            hs_codes: vec!["852580".into()],
            models: Vec::new(),
            description: None,
            as_of: None,
            after: None,
        }
    }

    fn node(id: i64, shipments: usize, evidence: Vec<HopShipment>) -> TrailNode {
        TrailNode {
            party_id: id,
            name: format!("PARTY {id}"),
            country: Some("VN".into()),
            depth: 1,
            shipments,
            first_date: Some("2021-01-05".into()),
            last_date: Some("2021-06-30".into()),
            models: Vec::new(),
            min_days: None,
            evidence,
            children: Vec::new(),
        }
    }

    /// Synthetic: entity 7's trail, a first hop to party 20 (3 shipments, 1 kept as evidence)
    /// and on from 20 to party 30 (2 shipments, both kept).
    fn model() -> Model {
        let mut onward = node(
            30,
            2,
            vec![ship(301, "2021-02-01"), ship(302, "2021-03-01")],
        );
        onward.depth = 2;
        onward.evidence[0].after = Some(After {
            shipment_id: 201,
            ship_date: Some("2021-01-05".into()),
            days: Some(27),
            shared_hs_prefix: Some("8525".into()),
            shared_models: Vec::new(),
            shared_terms: Vec::new(),
        });
        let mut first = node(20, 3, vec![ship(201, "2021-01-05")]);
        first.children.push(onward);
        let t = Trail {
            entity_id: 7,
            entity_name: "LISTED CO".into(),
            list: "EL".into(),
            options: TrailOptions::default(),
            shippers: Vec::new(),
            children: vec![first],
            nodes: 2,
            truncated: false,
        };
        let mut m = Model::new("t.db", 80, 24, false);
        m.mode = Mode::Normal;
        let mut r = Route::trail(7, "Trail of LISTED CO");
        if let View::Trail { open, .. } = &mut r.view {
            open.insert(vec![0]);
            open.insert(vec![0, 0]);
        }
        m.history.push(Screen::new(r));
        m.screen_mut().data = Data::Trail(Box::new(t));
        m
    }

    #[test]
    fn a_more_line_follows_the_evidence_only_when_shipments_are_left_out() {
        let m = model();
        let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
            unreachable!()
        };
        let kinds: Vec<String> = lines(t, open)
            .iter()
            .map(|l| match l.item {
                Item::Node(n) => format!("node {}", n.party_id),
                Item::Shipment { ship, .. } => format!("ship {}", ship.shipment_id),
                Item::More { node, parent } => format!("{} more {parent:?}", node.more()),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "node 20",
                "ship 201",
                "2 more None",
                "node 30",
                "ship 301",
                "ship 302"
            ]
        );
    }

    #[test]
    fn enter_on_the_more_line_lists_the_hops_shipments_on_the_history() {
        let mut m = model();
        m.screen_mut().route.cursor = 2;
        let cmds = update(&mut m, Action::Open);
        let want = ShipmentFilter {
            entity_id: Some(7),
            consignee_id: Some(20),
            date_from: Some("2021-01-05".into()),
            date_to: Some("2021-06-30".into()),
            ..Default::default()
        };
        assert!(
            cmds.iter()
                .any(|c| matches!(c, Command::Shipments { filter, .. } if *filter == want)),
            "{cmds:?}"
        );
        assert!(matches!(m.route().view, View::Shipments { .. }));
        // Back: the tree as it was, the cursor on the More line.
        update(&mut m, Action::Back);
        assert!(matches!(m.route().view, View::Trail { .. }));
        assert_eq!(m.route().cursor, 2);
    }

    #[test]
    fn an_onward_hops_shipments_come_from_the_parent_party() {
        let m = model();
        let Data::Trail(t) = &m.screen().data else {
            unreachable!()
        };
        let onward = &t.children[0].children[0];
        let f = more_filter(7, Some(20), onward);
        assert_eq!(
            (f.shipper_id, f.entity_id, f.consignee_id),
            (Some(20), None, Some(30))
        );
    }
}
