//! The transshipment trail: from a listed shipper's trade parties, the consignees in other
//! countries, then their onward shipments within a time window that carry the same goods
//! (shared model numbers, HS prefix or description terms), and so on — a tree of hops, each
//! with its evidence: maker → distributor → US importer (→ …).
//!
//! Bounded: at most `max_depth` hops, `max_children` consignees per node, `max_nodes` nodes.
//! Each node costs one indexed range query (its shipments as shipper within the window) and
//! one batched read of those shipments' goods.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection};
use serde::Serialize;

use crate::db::asof::Screener;
use crate::db::{entities, links};
use crate::error::{Error, Result};
use crate::evidence::{terms, Goods, Shared};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TrailOptions {
    /// Onward shipments count when dated within this many days after a received shipment.
    pub days: i64,
    pub max_depth: usize,
    pub max_children: usize,
    pub max_nodes: usize,
    /// Evidence rows kept per node (the strongest, then the earliest).
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
    pub evidence: Vec<HopShipment>,
    pub children: Vec<TrailNode>,
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

/// A shipment read for the trail.
#[derive(Debug, Clone)]
struct Ship {
    id: i64,
    date: Option<String>,
    shipper: Option<i64>,
    consignee: Option<i64>,
    dest_country: Option<String>,
    description: Option<String>,
    goods: Goods,
}

fn days_between(a: &str, b: &str) -> Option<i64> {
    let a = NaiveDate::parse_from_str(a, "%Y-%m-%d").ok()?;
    let b = NaiveDate::parse_from_str(b, "%Y-%m-%d").ok()?;
    Some((b - a).num_days())
}

fn add_days(date: &str, days: i64) -> Option<String> {
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(
        (d + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string(),
    )
}

fn party_ref(conn: &Connection, id: i64) -> Result<PartyRef> {
    Ok(conn.query_row(
        "SELECT id, name, country FROM party WHERE id = ?1",
        [id],
        |r| {
            Ok(PartyRef {
                party_id: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
            })
        },
    )?)
}

/// Read shipments by a WHERE clause, with their HS codes and model numbers (batched).
fn ships(conn: &Connection, where_sql: &str, p: &[Value]) -> Result<Vec<Ship>> {
    let sql = format!(
        "SELECT id, ship_date, shipper_id, consignee_id, dest_country, description
         FROM shipment WHERE {where_sql} ORDER BY ship_date, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out: Vec<Ship> = stmt
        .query_map(params_from_iter(p.iter()), |r| {
            Ok(Ship {
                id: r.get(0)?,
                date: r.get(1)?,
                shipper: r.get(2)?,
                consignee: r.get(3)?,
                dest_country: r.get(4)?,
                description: r.get(5)?,
                goods: Goods::default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut hs_stmt = conn
        .prepare_cached("SELECT hs_code FROM shipment_hs WHERE shipment_id = ?1 ORDER BY seq")?;
    let mut model_stmt = conn.prepare_cached(
        "SELECT sp.model_key FROM shipment_product sp JOIN product_pattern p ON p.id = sp.pattern_id
         WHERE sp.shipment_id = ?1 AND p.kind = 'model'",
    )?;
    for s in &mut out {
        s.goods.hs = hs_stmt
            .query_map([s.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        s.goods.models = model_stmt
            .query_map([s.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        s.goods.terms = s.description.as_deref().map(terms).unwrap_or_default();
    }
    Ok(out)
}

struct Walker<'c> {
    conn: &'c Connection,
    opts: TrailOptions,
    screener: Screener,
    parties: HashMap<i64, PartyRef>,
    nodes: usize,
    truncated: bool,
}

impl Walker<'_> {
    fn party(&mut self, id: i64) -> Result<PartyRef> {
        if let Some(p) = self.parties.get(&id) {
            return Ok(p.clone());
        }
        let p = party_ref(self.conn, id)?;
        self.parties.insert(id, p.clone());
        Ok(p)
    }

    fn hop_shipment(&mut self, s: &Ship, after: Option<After>) -> Result<HopShipment> {
        let status = self.screener.row_status(
            self.conn,
            s.date.as_deref(),
            &[s.shipper, s.consignee],
        )?;
        let mut models: Vec<String> = s.goods.models.iter().cloned().collect();
        models.sort();
        Ok(HopShipment {
            shipment_id: s.id,
            ship_date: s.date.clone(),
            hs_codes: s.goods.hs.clone(),
            models,
            description: s.description.as_ref().map(|d| d.chars().take(240).collect()),
            as_of: status.map(|st| st.label().to_string()),
            after,
        })
    }

    /// Build a node for `party` reached by `hop` shipments (with their matches), then walk on.
    fn node(
        &mut self,
        party: i64,
        depth: usize,
        hop: Vec<(Ship, Option<After>)>,
        path: &mut Vec<i64>,
    ) -> Result<TrailNode> {
        self.nodes += 1;
        let p = self.party(party)?;
        let first_date = hop.iter().filter_map(|(s, _)| s.date.clone()).min();
        let last_date = hop.iter().filter_map(|(s, _)| s.date.clone()).max();
        let mut models: Vec<String> = hop
            .iter()
            .flat_map(|(s, _)| s.goods.models.iter().cloned())
            .collect();
        models.sort();
        models.dedup();
        let min_days = hop
            .iter()
            .filter_map(|(_, a)| a.as_ref().and_then(|a| a.days))
            .min();
        // Evidence: the strongest matches first, then by date.
        let mut ranked: Vec<&(Ship, Option<After>)> = hop.iter().collect();
        ranked.sort_by(|a, b| {
            let key = |x: &(Ship, Option<After>)| {
                x.1.as_ref()
                    .map(|a| (a.shared_models.len(), a.shared_hs_prefix.as_ref().map_or(0, String::len)))
                    .unwrap_or((x.0.goods.models.len(), 0))
            };
            key(b).cmp(&key(a)).then(a.0.date.cmp(&b.0.date))
        });
        let mut evidence = Vec::new();
        for (s, a) in ranked.into_iter().take(self.opts.max_evidence) {
            evidence.push(self.hop_shipment(s, a.clone())?);
        }
        let received: Vec<Ship> = hop.into_iter().map(|(s, _)| s).collect();
        let mut node = TrailNode {
            party_id: party,
            name: p.name,
            country: p.country.clone(),
            depth,
            shipments: received.len(),
            first_date,
            last_date,
            models,
            min_days,
            evidence,
            children: Vec::new(),
        };
        if depth < self.opts.max_depth {
            path.push(party);
            node.children = self.onward(party, p.country.as_deref(), &received, depth + 1, path)?;
            path.pop();
        } else {
            self.truncated |= self.has_onward(party, &received)?;
        }
        Ok(node)
    }

    /// Whether a party at the depth bound ships on at all within the window (to say the tree
    /// was cut).
    fn has_onward(&self, party: i64, received: &[Ship]) -> Result<bool> {
        let Some(from) = received.iter().filter_map(|s| s.date.clone()).min() else {
            return Ok(false);
        };
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT 1 FROM shipment WHERE shipper_id = ?1 AND ship_date >= ?2 LIMIT 1)",
            params![party, from],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// The onward hops of `party` (in `country`) after it received `received`.
    fn onward(
        &mut self,
        party: i64,
        country: Option<&str>,
        received: &[Ship],
        depth: usize,
        path: &mut Vec<i64>,
    ) -> Result<Vec<TrailNode>> {
        let dated: Vec<&Ship> = received.iter().filter(|s| s.date.is_some()).collect();
        let (Some(from), Some(to)) = (
            dated.iter().filter_map(|s| s.date.clone()).min(),
            dated
                .iter()
                .filter_map(|s| s.date.as_deref().and_then(|d| add_days(d, self.opts.days)))
                .max(),
        ) else {
            return Ok(Vec::new());
        };
        let out = ships(
            self.conn,
            "shipper_id = ?1 AND ship_date >= ?2 AND ship_date <= ?3",
            &[party.into(), from.into(), to.into()],
        )?;
        // Each onward shipment, matched to the received shipment it best continues.
        let mut by_consignee: BTreeMap<i64, Vec<(Ship, Option<After>)>> = BTreeMap::new();
        for o in out {
            let (Some(consignee), Some(od)) = (o.consignee, o.date.clone()) else {
                continue;
            };
            if path.contains(&consignee) || consignee == party {
                continue;
            }
            let ccountry = self.party(consignee)?.country.or(o.dest_country.clone());
            if ccountry.is_some() && ccountry.as_deref() == country {
                continue;
            }
            let mut best: Option<(Shared, &Ship, i64)> = None;
            for r in &dated {
                let Some(rd) = r.date.as_deref() else { continue };
                let Some(days) = days_between(rd, &od) else {
                    continue;
                };
                if days < 0 || days > self.opts.days {
                    continue;
                }
                let shared = Shared::between(&r.goods, &o.goods);
                if !shared.is_match() {
                    continue;
                }
                let better = match &best {
                    None => true,
                    Some((b, _, bd)) => {
                        (shared.strength(), -days) > (b.strength(), -bd)
                    }
                };
                if better {
                    best = Some((shared, r, days));
                }
            }
            if let Some((shared, r, days)) = best {
                let after = After {
                    shipment_id: r.id,
                    ship_date: r.date.clone(),
                    days: Some(days),
                    shared_hs_prefix: shared.hs_prefix,
                    shared_models: shared.models,
                    shared_terms: shared.terms,
                };
                by_consignee.entry(consignee).or_default().push((o, Some(after)));
            }
        }
        self.children(by_consignee, depth, path)
    }

    /// Nodes for the consignees, strongest evidence first, within the bounds.
    fn children(
        &mut self,
        by_consignee: BTreeMap<i64, Vec<(Ship, Option<After>)>>,
        depth: usize,
        path: &mut Vec<i64>,
    ) -> Result<Vec<TrailNode>> {
        let mut groups: Vec<(i64, Vec<(Ship, Option<After>)>)> = by_consignee.into_iter().collect();
        let weight = |hop: &[(Ship, Option<After>)]| {
            let models: HashSet<&String> = hop
                .iter()
                .flat_map(|(s, a)| match a {
                    Some(a) => a.shared_models.iter().collect::<Vec<_>>(),
                    None => s.goods.models.iter().collect(),
                })
                .collect();
            (models.len(), hop.len())
        };
        groups.sort_by(|a, b| weight(&b.1).cmp(&weight(&a.1)).then(a.0.cmp(&b.0)));
        if groups.len() > self.opts.max_children {
            self.truncated = true;
            groups.truncate(self.opts.max_children);
        }
        let mut nodes = Vec::new();
        for (consignee, hop) in groups {
            if self.nodes >= self.opts.max_nodes {
                self.truncated = true;
                break;
            }
            nodes.push(self.node(consignee, depth, hop, path)?);
        }
        Ok(nodes)
    }
}

/// The transshipment trail of a list entry's linked trade parties.
pub fn trail(conn: &Connection, entity_id: i64, opts: TrailOptions) -> Result<Trail> {
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
    let mut by_consignee: BTreeMap<i64, Vec<(Ship, Option<After>)>> = BTreeMap::new();
    for &root in &roots {
        let rp = w.party(root)?;
        let sent = ships(conn, "shipper_id = ?1", &[root.into()])?;
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
        fn go<'a>(parent: Option<i64>, n: &'a TrailNode, out: &mut Vec<(Option<i64>, &'a TrailNode)>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days_between("2021-03-09", "2021-06-14"), Some(97));
        assert_eq!(add_days("2021-03-09", 97).as_deref(), Some("2021-06-14"));
        assert_eq!(days_between("2021-03-09", "soon"), None);
    }
}
