//! Everything a user can follow from a record, with counts shown before the jump — the same
//! list drives `tradescope show --json` and the workbench's detail view.

use crate::args;
use crate::error::Result;
use crate::sql::Sql;
use crate::{entities, parties, patents, shipments};
use tradescope_core::country;
use tradescope_core::link::{
    LinkItem, LinkPair, LinkTarget, PairTarget, PatentScope, ShipmentScope,
};
use tradescope_core::model::RecordKind;

fn item(kind: RecordKind, id: i64, label: String, count: Option<i64>) -> LinkItem {
    LinkItem::to_record(kind, id, label, count)
}

fn shipments_of(scope: ShipmentScope, label: String, count: i64) -> LinkItem {
    LinkItem::to_list(LinkTarget::Shipments(scope), label, count)
}

fn patents_of(scope: PatentScope, label: String, count: i64) -> LinkItem {
    LinkItem::to_list(LinkTarget::Patents(scope), label, count)
}

fn with_country(name: &str, c: Option<&str>) -> String {
    match c {
        Some(c) => format!("{name} ({c})"),
        None => name.to_string(),
    }
}

/// Current list entries linked (not rejected) to a party or an assignee, best score first.
fn listed_via(
    conn: &dyn Sql,
    target: Target,
    target_id: i64,
    prefix: &str,
) -> Result<Vec<LinkItem>> {
    let (table, col) = match target {
        Target::Party => ("link_party", "party_id"),
        Target::Assignee => ("link_assignee", "assignee_id"),
    };
    let sql = format!(
        "SELECT e.id, e.list_code, e.name, l.score, l.explanation, e.listing_key, s.dataset,
            l.status
         FROM {table} l JOIN list_entry e ON e.id = l.entry_id JOIN source s ON s.id = e.source_id
         WHERE l.{col} = ?1 AND l.status <> 'rejected' AND e.current = 1
         ORDER BY l.score DESC, e.id"
    );
    let rows: Vec<(LinkItem, String, String)> = conn.map(&sql, args![target_id], |r| {
        let code: String = r.get(1)?;
        let name: String = r.get(2)?;
        let status: String = r.get(7)?;
        Ok((
            item(
                RecordKind::Entity,
                r.get(0)?,
                format!("{prefix}: {code} — {name}{}", confirmed_mark(&status)),
                None,
            )
            .matched(r.get(3)?, r.get(4)?)
            .reviewable(LinkPair {
                entry_id: r.get(0)?,
                target: target.pair(),
                target_id,
                status,
            }),
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    Ok(one_per_listing(rows))
}

/// One link per listing: the same OFAC entry imported from two datasets (the CSL and the
/// OFAC file) is one listing; its first row stands for it, naming every dataset.
fn one_per_listing(rows: Vec<(LinkItem, String, String)>) -> Vec<LinkItem> {
    let mut out: Vec<(LinkItem, String, Vec<String>)> = Vec::new();
    for (link, key, dataset) in rows {
        match out.iter_mut().find(|(_, k, _)| *k == key) {
            Some((_, _, datasets)) => datasets.push(dataset),
            None => out.push((link, key, vec![dataset])),
        }
    }
    out.into_iter()
        .map(|(mut link, _, datasets)| {
            if datasets.len() > 1 {
                link.label = format!("{} [{}]", link.label, datasets.join(", "));
            }
            link
        })
        .collect()
}

#[derive(Clone, Copy)]
enum Target {
    Party,
    Assignee,
}

impl Target {
    fn pair(self) -> PairTarget {
        match self {
            Target::Party => PairTarget::Party,
            Target::Assignee => PairTarget::Assignee,
        }
    }
}

/// The mark of a link a reviewer confirmed.
fn confirmed_mark(status: &str) -> &'static str {
    if status == "confirmed" {
        " ✓"
    } else {
        ""
    }
}

/// Trade parties linked to a list entry (not rejected).
pub fn linked_party_ids(conn: &dyn Sql, entry_id: i64) -> Result<Vec<i64>> {
    ids(conn, "SELECT party_id FROM link_party WHERE entry_id = ?1 AND status <> 'rejected' ORDER BY party_id", entry_id)
}

/// Patent assignees linked to a list entry (not rejected).
pub fn linked_assignee_ids(conn: &dyn Sql, entry_id: i64) -> Result<Vec<i64>> {
    ids(conn, "SELECT assignee_id FROM link_assignee WHERE entry_id = ?1 AND status <> 'rejected' ORDER BY assignee_id", entry_id)
}

fn ids(conn: &dyn Sql, sql: &str, arg: i64) -> Result<Vec<i64>> {
    conn.map(sql, args![arg], |r| r.get(0))
}

/// Links of any record.
pub fn links(conn: &dyn Sql, kind: RecordKind, id: i64) -> Result<Vec<LinkItem>> {
    match kind {
        RecordKind::Entity => entity_links(conn, id),
        RecordKind::Party => party_links(conn, id),
        RecordKind::Shipment => shipment_links(conn, id),
        RecordKind::Patent => patent_links(conn, id),
        RecordKind::Assignee => assignee_links(conn, id),
    }
}

fn entity_links(conn: &dyn Sql, id: i64) -> Result<Vec<LinkItem>> {
    let mut out = Vec::new();
    // The same company on other lists: current entries sharing a normalized name, one link per
    // listing; then this listing's copies in other datasets.
    let own_key = entities::get(conn, id)?.listing_key;
    let also: Vec<(LinkItem, String, String)> = conn.map(
        "SELECT DISTINCT o.id, o.list_code, s.dataset, o.name, o.listing_key FROM entry_name n
         JOIN entry_name m ON m.norm = n.norm AND m.entry_id <> n.entry_id
         JOIN list_entry o ON o.id = m.entry_id AND o.current = 1
         JOIN source s ON s.id = o.source_id
         WHERE n.entry_id = ?1 AND length(n.norm) > 3 ORDER BY o.list_code, o.id LIMIT 50",
        args![id],
        |r| {
            let (code, name, key): (String, String, String) = (r.get(1)?, r.get(3)?, r.get(4)?);
            let dataset: String = r.get(2)?;
            Ok((
                item(
                    RecordKind::Entity,
                    r.get(0)?,
                    format!("Also listed on: {code} — {name}"),
                    None,
                ),
                key,
                dataset,
            ))
        },
    )?;
    out.extend(one_per_listing(
        also.into_iter().filter(|(_, k, _)| *k != own_key).collect(),
    ));
    for (oid, code, dataset) in entities::same_listing(conn, id)? {
        out.push(item(
            RecordKind::Entity,
            oid,
            format!("Same listing in {dataset}: {code}"),
            None,
        ));
    }
    // Trade parties the matcher linked.
    let linked: Vec<LinkItem> = conn.map(
        "SELECT p.id, p.name, p.country, p.n_shipped + p.n_received + p.n_notified, l.score,
            l.explanation, l.status
         FROM link_party l JOIN party p ON p.id = l.party_id
         WHERE l.entry_id = ?1 AND l.status <> 'rejected' ORDER BY l.score DESC, p.id",
        args![id],
        |r| {
            let name: String = r.get(1)?;
            let c: Option<String> = r.get(2)?;
            let status: String = r.get(6)?;
            Ok(item(
                RecordKind::Party,
                r.get(0)?,
                format!(
                    "Trade party: {}{}",
                    with_country(&name, c.as_deref()),
                    confirmed_mark(&status)
                ),
                Some(r.get(3)?),
            )
            .matched(r.get(4)?, r.get(5)?)
            .reviewable(LinkPair {
                entry_id: id,
                target: PairTarget::Party,
                target_id: r.get(0)?,
                status,
            }))
        },
    )?;
    if !linked.is_empty() {
        let f = shipments::ShipmentFilter {
            entity_id: Some(id),
            ..Default::default()
        };
        let n = conn
            .count_shipments(&f, 1_000_000)?
            .unwrap_or_else(|cap| cap);
        out.push(shipments_of(
            ShipmentScope::OfEntity(id),
            "Shipments of linked trade parties".into(),
            n,
        ));
    }
    out.extend(linked);
    // Patent assignees the matcher linked.
    let assignees: Vec<LinkItem> = conn.map(
        "SELECT a.id, a.name, a.n_patents, l.score, l.explanation, l.status
         FROM link_assignee l JOIN assignee a ON a.id = l.assignee_id
         WHERE l.entry_id = ?1 AND l.status <> 'rejected' ORDER BY l.score DESC, a.id",
        args![id],
        |r| {
            let status: String = r.get(5)?;
            Ok(item(
                RecordKind::Assignee,
                r.get(0)?,
                format!(
                    "Patent assignee: {}{}",
                    r.get::<String>(1)?,
                    confirmed_mark(&status)
                ),
                Some(r.get(2)?),
            )
            .matched(r.get(3)?, r.get(4)?)
            .reviewable(LinkPair {
                entry_id: id,
                target: PairTarget::Assignee,
                target_id: r.get(0)?,
                status,
            }))
        },
    )?;
    if !assignees.is_empty() {
        let f = patents::PatentFilter {
            entity_id: Some(id),
            ..Default::default()
        };
        out.push(patents_of(
            PatentScope::OfEntity(id),
            "Patents of linked assignees".into(),
            conn.count_patents(&f)?,
        ));
    }
    out.extend(assignees);
    out.extend(crate::link_review::rejected_line(
        conn,
        RecordKind::Entity,
        id,
    )?);
    Ok(out)
}

fn party_links(conn: &dyn Sql, id: i64) -> Result<Vec<LinkItem>> {
    let p = parties::get(conn, id)?;
    let mut out = Vec::new();
    for (label, n, scope) in [
        (
            "Shipments as shipper",
            p.n_shipped,
            ShipmentScope::Shipper(id),
        ),
        (
            "Shipments as consignee",
            p.n_received,
            ShipmentScope::Consignee(id),
        ),
        (
            "Shipments as notify party",
            p.n_notified,
            ShipmentScope::Notify(id),
        ),
    ] {
        if n > 0 {
            out.push(shipments_of(scope, label.into(), n));
        }
    }
    out.extend(listed_via(conn, Target::Party, id, "Listed")?);
    out.extend(crate::link_review::rejected_line(
        conn,
        RecordKind::Party,
        id,
    )?);
    for (as_shipper, what) in [(true, "Consignee"), (false, "Shipper")] {
        for (cp, n) in parties::counterparties(conn, id, as_shipper, 20)? {
            out.push(item(
                RecordKind::Party,
                cp.id,
                format!("{what}: {}", with_country(&cp.name, cp.country.as_deref())),
                Some(n),
            ));
        }
    }
    Ok(out)
}

fn shipment_links(conn: &dyn Sql, id: i64) -> Result<Vec<LinkItem>> {
    let s = shipments::get(conn, id)?;
    let mut out = Vec::new();
    for (role, pid) in [
        ("Shipper", s.shipper_id),
        ("Consignee", s.consignee_id),
        ("Notify party", s.notify_id),
    ] {
        if let Some(pid) = pid {
            let p = parties::get(conn, pid)?;
            out.push(item(
                RecordKind::Party,
                pid,
                format!("{role}: {}", with_country(&p.name, p.country.as_deref())),
                Some(p.n_shipped + p.n_received + p.n_notified),
            ));
            out.extend(listed_via(
                conn,
                Target::Party,
                pid,
                &format!("{role} listed"),
            )?);
        }
    }
    if let Some(c) = &s.dest_country {
        let f = shipments::ShipmentFilter {
            dest_country: Some(c.clone()),
            ..Default::default()
        };
        let n = conn.count_shipments(&f, 100_000)?.unwrap_or_else(|cap| cap);
        let name = country::name(c).unwrap_or(c);
        out.push(shipments_of(
            ShipmentScope::DestCountry(c.clone()),
            format!("Shipments to {name}"),
            n,
        ));
    }
    Ok(out)
}

fn patent_links(conn: &dyn Sql, id: i64) -> Result<Vec<LinkItem>> {
    let p = patents::get(conn, id)?;
    let mut out = Vec::new();
    for (aid, name) in patents::assignee_ids(conn, id)? {
        let a = patents::get_assignee(conn, aid)?;
        out.push(item(
            RecordKind::Assignee,
            aid,
            format!("Assignee: {name}"),
            Some(a.n_patents),
        ));
        out.extend(listed_via(conn, Target::Assignee, aid, "Assignee listed")?);
    }
    for area in &p.cet_areas {
        let f = patents::PatentFilter {
            cet: Some(area.clone()),
            ..Default::default()
        };
        out.push(patents_of(
            PatentScope::Cet(area.clone()),
            format!("CET area {area}: all patents"),
            conn.count_patents(&f)?,
        ));
    }
    if let Some(app) = &p.application_number {
        let same: Vec<(i64, String)> = conn.map(
            "SELECT id, number FROM patent WHERE application_number = ?1 AND id <> ?2 ORDER BY id",
            args![app, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (oid, number) in same {
            out.push(item(
                RecordKind::Patent,
                oid,
                format!("Same application {app}: {number}"),
                None,
            ));
        }
    }
    Ok(out)
}

fn assignee_links(conn: &dyn Sql, id: i64) -> Result<Vec<LinkItem>> {
    let a = patents::get_assignee(conn, id)?;
    let mut out = vec![patents_of(
        PatentScope::Assignee(id),
        "Patents".into(),
        a.n_patents,
    )];
    out.extend(listed_via(conn, Target::Assignee, id, "Listed")?);
    out.extend(crate::link_review::rejected_line(
        conn,
        RecordKind::Assignee,
        id,
    )?);
    Ok(out)
}
