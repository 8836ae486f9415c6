//! The profile of a trade party or a list entry (its linked parties together), as trade-data
//! platforms show on a company page: totals and dates, the top counterparties in both
//! directions, HS codes and lanes, and the shipments per month split by the as-of status
//! (shipped while listed / not). Every figure is a frequency table over one filter, so every
//! figure has the filter that lists the shipments behind it ([`crate::shipments::freq::drill`]).

use serde::Serialize;

use crate::args;
use crate::error::{Error, Result};
use crate::shipments::freq::{self, FreqColumn, FreqKey, FreqValue};
use crate::shipments::ShipmentFilter;
use crate::sql::Sql;
use tradescope_core::model::{RecordKind, RecordRef};

/// Values kept per top list.
pub const TOP: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub subject: RecordRef,
    pub name: String,
    /// The shipments of the profile: the party's (any role) or the entry's linked parties'.
    pub filter: ShipmentFilter,
    pub total: i64,
    pub first: Option<String>,
    pub last: Option<String>,
    /// The subject's own trade parties (left out of its counterparties).
    pub parties: Vec<i64>,
    /// Who the subject's parties shipped to, and who shipped to them.
    pub consignees: Vec<FreqValue>,
    pub shippers: Vec<FreqValue>,
    pub hs: Vec<FreqValue>,
    /// Origin → destination countries ("CN>VN").
    pub lanes: Vec<FreqValue>,
    /// Per month (YYYY-MM, oldest first): all shipments and those shipped while a party was
    /// listed (as-of screening at the ship date).
    pub months: Vec<(String, i64, i64)>,
    pub listed_total: i64,
    /// The earliest listing start of the entry (or of the party's linked entries).
    pub listed_from: Option<String>,
}

/// The profile of `subject` (a list entry or a trade party), on either engine.
pub fn profile(db: &dyn Sql, subject: RecordRef) -> Result<Profile> {
    let (name, filter, parties, listed_from) = match subject.kind {
        RecordKind::Entity => {
            let (name, start): (String, Option<String>) = db
                .opt(
                    "SELECT name, start_date FROM list_entry WHERE id = ?1",
                    args![subject.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .ok_or_else(|| Error::NotFound(format!("no list entry with id {}", subject.id)))?;
            let f = ShipmentFilter {
                entity_id: Some(subject.id),
                ..Default::default()
            };
            let parties = crate::links::linked_party_ids(db, subject.id)?;
            (name, f, parties, start)
        }
        RecordKind::Party => {
            let name: String = db
                .opt(
                    "SELECT name FROM party WHERE id = ?1",
                    args![subject.id],
                    |r| r.get(0),
                )?
                .ok_or_else(|| Error::NotFound(format!("no trade party with id {}", subject.id)))?;
            let start: Option<String> = db.one(
                "SELECT min(e.start_date) FROM link_party l JOIN list_entry e ON e.id = l.entry_id
                 WHERE l.party_id = ?1 AND l.status <> 'rejected'",
                args![subject.id],
            )?;
            let f = ShipmentFilter {
                party_id: Some(subject.id),
                ..Default::default()
            };
            (name, f, vec![subject.id], start)
        }
        _ => {
            return Err(Error::User(
                "a profile is of a trade party or a list entry".into(),
            ))
        }
    };
    let top = |col: FreqColumn, own: &[i64]| -> Result<Vec<FreqValue>> {
        // Enough values that the subject's own parties can be left out of the top.
        let t = freq::frequency(db, &filter, col, TOP + own.len())?;
        Ok(t.rows
            .into_iter()
            .filter(|v| !matches!(v.key, FreqKey::Party(id) if own.contains(&id)))
            .filter(|v| v.key != FreqKey::Missing)
            .take(TOP)
            .collect())
    };
    let months_all = freq::frequency(db, &filter, FreqColumn::Month, usize::MAX)?;
    let listed = ShipmentFilter {
        listed_at_date: Some(true),
        ..filter.clone()
    };
    let months_listed = freq::frequency(db, &listed, FreqColumn::Month, usize::MAX)?;
    let mut months: Vec<(String, i64, i64)> = months_all
        .rows
        .iter()
        .filter_map(|v| match &v.key {
            FreqKey::Text(m) => {
                let l = months_listed
                    .rows
                    .iter()
                    .find(|x| x.key == v.key)
                    .map_or(0, |x| x.count);
                Some((m.clone(), v.count, l))
            }
            _ => None,
        })
        .collect();
    months.sort();
    let (first, last) = freq::date_span(db, &filter)?;
    Ok(Profile {
        subject,
        name,
        total: months_all.total,
        first,
        last,
        consignees: top(FreqColumn::Consignee, &parties)?,
        shippers: top(FreqColumn::Shipper, &parties)?,
        hs: top(FreqColumn::Hs, &[])?,
        lanes: top(FreqColumn::Lane, &[])?,
        listed_total: months_listed.total,
        months,
        listed_from,
        parties,
        filter,
    })
}

/// The profile as facts of a case export (a list entry's or a trade party's item): totals,
/// dates, the while-listed split and the top lists, each "label count" joined by "; ".
pub fn facts(p: &Profile) -> Vec<(String, String)> {
    let top = |v: &[FreqValue]| {
        v.iter()
            .map(|x| format!("{} {}", x.label, x.count))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = vec![(
        "profile_shipments".to_string(),
        format!(
            "{} ({} … {}), {} shipped while listed",
            p.total,
            p.first.as_deref().unwrap_or("?"),
            p.last.as_deref().unwrap_or("?"),
            p.listed_total
        ),
    )];
    for (k, v) in [
        ("profile_top_consignees", &p.consignees),
        ("profile_top_shippers", &p.shippers),
        ("profile_top_hs_codes", &p.hs),
        ("profile_top_lanes", &p.lanes),
    ] {
        if !v.is_empty() {
            out.push((k.to_string(), top(v)));
        }
    }
    out
}
