//! Frequency tables (VisiData's Shift-F) over the shipments a filter matches: value → count,
//! computed with one GROUP BY in SQLite, and the filter that lists one value's rows.
//!
//! The matching set is the filter's own SQL ([`matching_where`]): the party and entity drill
//! paths through the same index runs the pages use (one `s.id IN (…)` over their merged arms),
//! the other keys through their WHERE conditions.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::filter::*;
use super::runs::*;
use super::*;
use crate::args;
use crate::error::Result;
use crate::sql::{Sql, Value as SqlValue};

/// A column a frequency table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum FreqColumn {
    #[default]
    Shipper,
    Consignee,
    /// Origin country (ISO alpha-2).
    Origin,
    /// Destination country.
    Destination,
    /// Any HS code of the bill (shipment_hs): a bill with three codes counts under each.
    Hs,
    /// The ship date's month (YYYY-MM).
    Month,
    PortOfLading,
    PortOfUnlading,
    /// Origin → destination country, keyed "CN>VN".
    Lane,
    /// Patents: any assignee of the patent (a patent with two counts under each).
    Assignee,
    /// Patents: any CET area of the patent.
    CetArea,
    /// Patents: any CPC subclass (the code's first 4 characters, "H04N").
    Cpc,
    /// Patents: the publication year (a grant's grant year).
    Year,
    /// Screening hits: the list (EL, SDN…).
    List,
    /// Screening hits: the dataset the entry comes from (CSL, OFAC SDN file…).
    Source,
    /// Screening hits: the entry's type (entity, individual, vessel…).
    EntityType,
    /// Screening hits: the entry's country.
    EntryCountry,
    /// Screening hits: any program of the entry (an entry under two counts under each).
    Program,
    /// Screening hits: the score, in bands of 0.05.
    ScoreBand,
}

impl FreqColumn {
    pub const ALL: [FreqColumn; 9] = [
        FreqColumn::Shipper,
        FreqColumn::Consignee,
        FreqColumn::Origin,
        FreqColumn::Destination,
        FreqColumn::Hs,
        FreqColumn::Month,
        FreqColumn::PortOfLading,
        FreqColumn::PortOfUnlading,
        FreqColumn::Lane,
    ];

    /// The columns a frequency table over patents counts.
    pub const PATENTS: [FreqColumn; 4] = [
        FreqColumn::Assignee,
        FreqColumn::CetArea,
        FreqColumn::Cpc,
        FreqColumn::Year,
    ];

    /// The columns a frequency table over screening hits counts.
    pub const SCREENING: [FreqColumn; 6] = [
        FreqColumn::List,
        FreqColumn::Source,
        FreqColumn::EntityType,
        FreqColumn::EntryCountry,
        FreqColumn::Program,
        FreqColumn::ScoreBand,
    ];

    /// Whether the column counts patents (not shipments).
    pub fn is_patent(self) -> bool {
        FreqColumn::PATENTS.contains(&self)
    }

    /// Whether the column counts screening hits.
    pub fn is_screening(self) -> bool {
        FreqColumn::SCREENING.contains(&self)
    }

    /// Whether the column counts shipments.
    pub fn is_shipment(self) -> bool {
        FreqColumn::ALL.contains(&self)
    }

    /// The columns ← / → step through from this one (those of the same rows).
    pub fn siblings(self) -> &'static [FreqColumn] {
        if self.is_patent() {
            &FreqColumn::PATENTS
        } else if self.is_screening() {
            &FreqColumn::SCREENING
        } else {
            &FreqColumn::ALL
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FreqColumn::Shipper => "shipper",
            FreqColumn::Consignee => "consignee",
            FreqColumn::Origin => "origin country",
            FreqColumn::Destination => "destination country",
            FreqColumn::Hs => "HS code",
            FreqColumn::Month => "month",
            FreqColumn::PortOfLading => "port of lading",
            FreqColumn::PortOfUnlading => "port of unlading",
            FreqColumn::Lane => "lane (origin → destination)",
            FreqColumn::Assignee => "assignee",
            FreqColumn::CetArea => "CET area",
            FreqColumn::Cpc => "CPC subclass",
            FreqColumn::Year => "grant year",
            FreqColumn::List => "list",
            FreqColumn::Source => "source",
            FreqColumn::EntityType => "entity type",
            FreqColumn::EntryCountry => "country",
            FreqColumn::Program => "program",
            FreqColumn::ScoreBand => "score band",
        }
    }

    /// The grouped expression over `shipment s` (None: HS, which groups shipment_hs).
    pub(super) fn expr(self) -> Option<&'static str> {
        Some(match self {
            FreqColumn::Shipper => "s.shipper_id",
            FreqColumn::Consignee => "s.consignee_id",
            FreqColumn::Origin => "s.origin_country",
            FreqColumn::Destination => "s.dest_country",
            FreqColumn::Month => "substr(s.ship_date, 1, 7)",
            FreqColumn::PortOfLading => "s.port_of_lading",
            FreqColumn::PortOfUnlading => "s.port_of_unlading",
            FreqColumn::Lane => "s.origin_country || '>' || s.dest_country",
            FreqColumn::Hs
            | FreqColumn::Assignee
            | FreqColumn::CetArea
            | FreqColumn::Cpc
            | FreqColumn::Year
            | FreqColumn::List
            | FreqColumn::Source
            | FreqColumn::EntityType
            | FreqColumn::EntryCountry
            | FreqColumn::Program
            | FreqColumn::ScoreBand => return None,
        })
    }

    fn is_party(self) -> bool {
        matches!(self, FreqColumn::Shipper | FreqColumn::Consignee)
    }
}

/// What one row of a frequency table stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum FreqKey {
    /// A trade party (shipper or consignee columns).
    Party(i64),
    /// A patent assignee (the patents' assignee column).
    Assignee(i64),
    Text(String),
    /// Rows without a value (no consignee, no date…).
    Missing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FreqValue {
    pub key: FreqKey,
    /// What the table shows: the party's name, the code, the month; "(none)" when missing.
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frequency {
    pub column: FreqColumn,
    /// The most frequent values, most frequent first (ties by value).
    pub rows: Vec<FreqValue>,
    /// Shipments the filter matches (the shares' denominator).
    pub total: i64,
    /// Values past the cap, and their rows ("other").
    pub other_values: i64,
    pub other_count: i64,
    /// Set while the table is a partial one of a scan that goes on (see [`super::freq_scan`]):
    /// how far the scan is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanned: Option<Scanned>,
}

/// How far a streamed frequency table's scan is: shipment ids read of the id range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scanned {
    pub done: i64,
    pub total: i64,
}

impl Frequency {
    /// An empty table of `column`.
    pub fn empty(column: FreqColumn) -> Self {
        Frequency {
            column,
            rows: Vec::new(),
            total: 0,
            other_values: 0,
            other_count: 0,
            scanned: None,
        }
    }
}

/// The WHERE clause (over `shipment s`) of the shipments `f` matches, with its parameters;
/// None when nothing can match (an entity with no linked parties). An empty clause: all.
pub fn matching_where(
    conn: &Connection,
    f: &ShipmentFilter,
) -> Result<Option<(String, Vec<SqlValue>)>> {
    Ok(
        matching_where_lite(conn, f)?
            .map(|(w, p)| (w, p.into_iter().map(SqlValue::from).collect())),
    )
}

fn matching_where_lite(
    conn: &Connection,
    f: &ShipmentFilter,
) -> Result<Option<(String, Vec<Value>)>> {
    let listed = listed_ranges(conn, f)?;
    let (mut w, p) = conditions(f, listed.as_ref().map(|l| l.0.as_str()));
    let party_set = f.party_id.is_some() || f.entity_id.is_some() || f.listed_at_date == Some(true);
    if party_set {
        match runs(conn, f, Sort::default(), listed.as_ref())? {
            Some(runs) if runs.is_empty() => return Ok(None),
            Some(runs) if runs.len() <= RUNS_PER_QUERY => {
                // The runs carry every condition: the set is their union, read by index.
                let (arms, p2) = union_arms(&w, &p, &runs);
                return Ok(Some((format!("s.id IN (SELECT id FROM ({arms}))"), p2)));
            }
            Some(runs) => {
                // Too many runs for one compound SELECT: the party columns' OR (ids are
                // integers from the database, written inline).
                let mut by_col: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
                for (col, v) in &runs {
                    if let Value::Integer(id) = v {
                        by_col.entry(col).or_default().push(id.to_string());
                    }
                }
                let ors: Vec<String> = by_col
                    .iter()
                    .map(|(col, ids)| format!("s.{col} IN ({})", ids.join(",")))
                    .collect();
                w.push(format!("({})", ors.join(" OR ")));
            }
            None => {}
        }
    }
    Ok(Some((w.join(" AND "), p)))
}

/// The frequency table of `column` over the shipments `f` matches: the `limit` most frequent
/// values and the rest summed as "other". Engine-neutral: the matching set is the engine's
/// own WHERE for `f` ([`Sql::shipments_where`]), the GROUP BY the same on both.
pub fn frequency(
    db: &dyn Sql,
    f: &ShipmentFilter,
    column: FreqColumn,
    limit: usize,
) -> Result<Frequency> {
    let mut out = Frequency::empty(column);
    if !column.is_shipment() {
        return Err(crate::error::Error::User(format!(
            "{} is not a column of shipments",
            column.label()
        )));
    }
    let Some((w, p)) = db.shipments_where(f)? else {
        return Ok(out);
    };
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {w}")
    };
    // Ties by value, a missing value first (SQLite's NULL order, said on PostgreSQL).
    let nulls = db.dialect().nulls_first();
    let sql = match column.expr() {
        Some(e) => format!(
            "SELECT {e}, count(*) FROM shipment s {where_sql} GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
        None if w.is_empty() => format!(
            "SELECT h.hs_code, count(DISTINCT h.shipment_id) FROM shipment_hs h
             GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
        None => format!(
            "SELECT h.hs_code, count(DISTINCT h.shipment_id) FROM shipment_hs h
             WHERE h.shipment_id IN (SELECT s.id FROM shipment s {where_sql})
             GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
    };
    let mut sum = 0;
    for r in db.rows(&sql, &p)? {
        let n: i64 = r.get(1)?;
        sum += n;
        if out.rows.len() >= limit {
            out.other_values += 1;
            out.other_count += n;
            continue;
        }
        let key = key_of(column, r.get::<SqlValue>(0)?);
        out.rows.push(FreqValue {
            label: String::new(),
            key,
            count: n,
        });
    }
    out.total = if column == FreqColumn::Hs {
        db.one(&format!("SELECT count(*) FROM shipment s {where_sql}"), &p)?
    } else {
        sum
    };
    label_rows(db, column, &mut out.rows)?;
    Ok(out)
}

/// The key of a grouped value of `column`.
pub(super) fn key_of(column: FreqColumn, v: SqlValue) -> FreqKey {
    match v {
        SqlValue::Null => FreqKey::Missing,
        SqlValue::Int(id) if column.is_party() => FreqKey::Party(id),
        SqlValue::Text(s) if !s.is_empty() => FreqKey::Text(s),
        _ => FreqKey::Missing,
    }
}

/// What each row shows: the party's name, the lane with an arrow, "(none)".
pub(super) fn label_rows(db: &dyn Sql, column: FreqColumn, rows: &mut [FreqValue]) -> Result<()> {
    for v in rows.iter_mut() {
        v.label = match &v.key {
            FreqKey::Party(id) => db
                .opt("SELECT name FROM party WHERE id = ?1", args![*id], |r| {
                    r.get::<String>(0)
                })
                .ok()
                .flatten()
                .unwrap_or_else(|| format!("party #{id}")),
            FreqKey::Assignee(id) => format!("assignee #{id}"),
            FreqKey::Text(s) if column == FreqColumn::Lane => s.replace('>', " → "),
            FreqKey::Text(s) => s.clone(),
            FreqKey::Missing => "(none)".to_string(),
        };
    }
    Ok(())
}

/// The first and last ship date of the shipments `f` matches (None, None: none, or a filter
/// that matches every shipment — a profile always has one).
pub fn date_span(db: &dyn Sql, f: &ShipmentFilter) -> Result<(Option<String>, Option<String>)> {
    match db.shipments_where(f)? {
        Some((w, p)) if !w.is_empty() => {
            let r = db.rows(
                &format!("SELECT min(s.ship_date), max(s.ship_date) FROM shipment s WHERE {w}"),
                &p,
            )?;
            match r.first() {
                Some(r) => Ok((r.get(0)?, r.get(1)?)),
                None => Ok((None, None)),
            }
        }
        _ => Ok((None, None)),
    }
}

/// The filter that lists the rows of one value of a frequency table over `f`; None when no
/// filter can say it (rows without a value).
pub fn drill(f: &ShipmentFilter, column: FreqColumn, key: &FreqKey) -> Option<ShipmentFilter> {
    let mut g = f.clone();
    match (column, key) {
        (_, FreqKey::Missing) => return None,
        (FreqColumn::Shipper, FreqKey::Party(id)) => g.shipper_id = Some(*id),
        (FreqColumn::Consignee, FreqKey::Party(id)) => g.consignee_id = Some(*id),
        (FreqColumn::Origin, FreqKey::Text(c)) => g.origin_country = Some(c.clone()),
        (FreqColumn::Destination, FreqKey::Text(c)) => g.dest_country = Some(c.clone()),
        // Codes are whole (6 digits and more): a prefix drill of the code lists its bills
        // (and those with a longer code under it, none in the bundled data).
        (FreqColumn::Hs, FreqKey::Text(c)) => g.hs_prefix = Some(c.clone()),
        (FreqColumn::Month, FreqKey::Text(m)) => {
            let (from, to) = month_bounds(m)?;
            g.date_from = Some(match g.date_from.take() {
                Some(d) if d > from => d,
                _ => from,
            });
            g.date_to = Some(match g.date_to.take() {
                Some(d) if d < to => d,
                _ => to,
            });
        }
        // Ports are matched as substrings by the filter: exact enough for a drill, and the
        // count is what the filter shows.
        (FreqColumn::PortOfLading | FreqColumn::PortOfUnlading, FreqKey::Text(p)) => {
            g.port = Some(p.clone())
        }
        (FreqColumn::Lane, FreqKey::Text(l)) => {
            let (o, d) = l.split_once('>')?;
            g.origin_country = Some(o.to_string());
            g.dest_country = Some(d.to_string());
        }
        _ => return None,
    }
    Some(g)
}

/// First and last day of a YYYY-MM month.
pub fn month_bounds(m: &str) -> Option<(String, String)> {
    let (y, mo) = m.split_once('-')?;
    let (y, mo): (i32, u32) = (y.parse().ok()?, mo.parse().ok()?);
    let first = chrono::NaiveDate::from_ymd_opt(y, mo, 1)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    Some((
        first.format("%Y-%m-%d").to_string(),
        last.format("%Y-%m-%d").to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_bounds_cover_the_month() {
        assert_eq!(
            month_bounds("2020-02"),
            Some(("2020-02-01".into(), "2020-02-29".into()))
        );
        assert_eq!(month_bounds("2020-13"), None);
        assert_eq!(month_bounds("x"), None);
    }

    #[test]
    fn a_month_drill_narrows_the_dates() {
        let f = ShipmentFilter {
            date_from: Some("2020-02-10".into()),
            ..Default::default()
        };
        let g = drill(&f, FreqColumn::Month, &FreqKey::Text("2020-02".into())).unwrap();
        assert_eq!(g.date_from.as_deref(), Some("2020-02-10"));
        assert_eq!(g.date_to.as_deref(), Some("2020-02-29"));
        assert_eq!(drill(&f, FreqColumn::Consignee, &FreqKey::Missing), None);
    }
}
