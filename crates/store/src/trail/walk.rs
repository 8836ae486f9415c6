//! Walking the trail: each node's onward shipments within the window, matched to what the
//! node received by the goods they share (evidence), grouped by consignee, within the bounds.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::{After, HopShipment, PartyRef, TrailNode, TrailOptions};
use crate::args;
use crate::asof::Screener;
use crate::error::Result;
use crate::sql::{Sql, Value};
use tradescope_core::evidence::{terms, Goods, Shared};

/// The shipments of one hop into a party, each with the received shipment it continues.
pub(super) type Hop = Vec<(Ship, Option<After>)>;

/// A shipment read for the trail.
#[derive(Debug, Clone)]
pub(super) struct Ship {
    pub(super) id: i64,
    pub(super) date: Option<String>,
    pub(super) shipper: Option<i64>,
    pub(super) consignee: Option<i64>,
    pub(super) dest_country: Option<String>,
    pub(super) description: Option<String>,
    pub(super) goods: Goods,
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

fn party_ref(conn: &dyn Sql, id: i64) -> Result<PartyRef> {
    conn.opt(
        "SELECT id, name, country FROM party WHERE id = ?1",
        args![id],
        |r| {
            Ok(PartyRef {
                party_id: r.get(0)?,
                name: r.get(1)?,
                country: r.get(2)?,
            })
        },
    )?
    .ok_or_else(|| crate::error::Error::NotFound(format!("no trade party with id {id}")))
}

/// Read shipments by a WHERE clause, with their HS codes and model numbers (batched).
pub(super) fn ships(conn: &dyn Sql, where_sql: &str, p: &[Value]) -> Result<Vec<Ship>> {
    let d = conn.dialect();
    // HS codes and model numbers come with each row (correlated lookups on their primary
    // keys inside SQLite), not one statement per shipment from here. Codes and keys are
    // digits and letters only, so a space separates them safely.
    let sql = format!(
        "SELECT s.id, s.ship_date, s.shipper_id, s.consignee_id, s.dest_country, s.description,
           (SELECT {} FROM shipment_hs h WHERE h.shipment_id = s.id),
           (SELECT {} FROM shipment_product sp
             JOIN product_pattern pp ON pp.id = sp.pattern_id
             WHERE sp.shipment_id = s.id AND pp.kind = 'model')
         FROM shipment s WHERE {where_sql} ORDER BY s.ship_date{}, s.id",
        d.group_concat("h.hs_code", " ", Some("h.seq")),
        d.group_concat("sp.model_key", " ", None),
        d.nulls_first(),
    );
    conn.map(&sql, p, |r| {
        let description: Option<String> = r.get(5)?;
        let hs: Option<String> = r.get(6)?;
        let models: Option<String> = r.get(7)?;
        Ok(Ship {
            id: r.get(0)?,
            date: r.get(1)?,
            shipper: r.get(2)?,
            consignee: r.get(3)?,
            dest_country: r.get(4)?,
            goods: Goods {
                hs: hs
                    .as_deref()
                    .map(|h| h.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                models: models
                    .as_deref()
                    .map(|m| m.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                terms: description.as_deref().map(terms).unwrap_or_default(),
            },
            description,
        })
    })
}

pub(super) struct Walker<'c> {
    pub(super) conn: &'c dyn Sql,
    pub(super) opts: TrailOptions,
    pub(super) screener: Screener,
    pub(super) parties: HashMap<i64, PartyRef>,
    pub(super) nodes: usize,
    pub(super) truncated: bool,
}

impl Walker<'_> {
    pub(super) fn party(&mut self, id: i64) -> Result<PartyRef> {
        if let Some(p) = self.parties.get(&id) {
            return Ok(p.clone());
        }
        let p = party_ref(self.conn, id)?;
        self.parties.insert(id, p.clone());
        Ok(p)
    }

    fn hop_shipment(&mut self, s: &Ship, after: Option<After>) -> Result<HopShipment> {
        let status =
            self.screener
                .row_status(self.conn, s.date.as_deref(), &[s.shipper, s.consignee])?;
        let mut models: Vec<String> = s.goods.models.iter().cloned().collect();
        models.sort();
        Ok(HopShipment {
            shipment_id: s.id,
            ship_date: s.date.clone(),
            hs_codes: s.goods.hs.clone(),
            models,
            description: s
                .description
                .as_ref()
                .map(|d| d.chars().take(240).collect()),
            as_of: status.map(|st| st.label().to_string()),
            after,
        })
    }

    /// Build a node for `party` reached by `hop` shipments (with their matches), then walk on.
    fn node(
        &mut self,
        party: i64,
        depth: usize,
        hop: Hop,
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
        // Evidence: the strongest matches first, then by date, to choose which are kept.
        let mut ranked: Vec<&(Ship, Option<After>)> = hop.iter().collect();
        ranked.sort_by(|a, b| {
            let key = |x: &(Ship, Option<After>)| {
                x.1.as_ref()
                    .map(|a| {
                        (
                            a.shared_models.len(),
                            a.shared_hs_prefix.as_ref().map_or(0, String::len),
                        )
                    })
                    .unwrap_or((x.0.goods.models.len(), 0))
            };
            key(b).cmp(&key(a)).then(a.0.date.cmp(&b.0.date))
        });
        // The strongest `max_evidence` are kept, then listed in date order (undated last).
        ranked.truncate(self.opts.max_evidence);
        ranked.sort_by(|a, b| {
            (a.0.date.is_none(), &a.0.date, a.0.id).cmp(&(b.0.date.is_none(), &b.0.date, b.0.id))
        });
        let mut evidence = Vec::new();
        for (s, a) in ranked {
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
        let n: i64 = self.conn.one(
            "SELECT count(*) FROM (SELECT 1 FROM shipment WHERE shipper_id = ?1 AND ship_date >= ?2 LIMIT 1) AS one",
            args![party, &from],
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
            "s.shipper_id = ?1 AND s.ship_date >= ?2 AND s.ship_date <= ?3",
            &[party.into(), from.into(), to.into()],
        )?;
        // Each onward shipment, matched to the received shipment it best continues.
        let mut by_consignee: BTreeMap<i64, Hop> = BTreeMap::new();
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
                let Some(rd) = r.date.as_deref() else {
                    continue;
                };
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
                    Some((b, _, bd)) => (shared.strength(), -days) > (b.strength(), -bd),
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
                by_consignee
                    .entry(consignee)
                    .or_default()
                    .push((o, Some(after)));
            }
        }
        self.children(by_consignee, depth, path)
    }

    /// Nodes for the consignees, most shipments first (ties: more shared model numbers, then
    /// the lower party id), within the bounds.
    pub(super) fn children(
        &mut self,
        by_consignee: BTreeMap<i64, Hop>,
        depth: usize,
        path: &mut Vec<i64>,
    ) -> Result<Vec<TrailNode>> {
        let mut groups: Vec<(i64, Hop)> = by_consignee.into_iter().collect();
        let weight = |hop: &[(Ship, Option<After>)]| {
            let models: HashSet<&String> = hop
                .iter()
                .flat_map(|(s, a)| match a {
                    Some(a) => a.shared_models.iter().collect::<Vec<_>>(),
                    None => s.goods.models.iter().collect(),
                })
                .collect();
            (hop.len(), models.len())
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
