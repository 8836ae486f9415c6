//! Trade party queries.

use rusqlite::Connection;
use serde::Serialize;

use crate::args;
use crate::error::{Error, Result};
use crate::sql::{Row, Sql};
use tradescope_core::model::{Party, SourceRef};

pub fn get(db: &dyn Sql, id: i64) -> Result<Party> {
    db.opt(
        "SELECT p.id, p.name, p.address, p.city, p.country, p.synthetic, p.n_shipped,
            p.n_received, p.n_notified, s.id, s.dataset, s.path, p.source_line, s.sha256,
            s.as_of, s.synthetic
         FROM party p JOIN source s ON s.id = p.source_id WHERE p.id = ?1",
        args![id],
        |r| {
            Ok(Party {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
                city: r.get(3)?,
                country: r.get(4)?,
                synthetic: r.get(5)?,
                n_shipped: r.get(6)?,
                n_received: r.get(7)?,
                n_notified: r.get(8)?,
                source: SourceRef {
                    source_id: r.get(9)?,
                    dataset: r.get(10)?,
                    path: r.get(11)?,
                    line: r.get(12)?,
                    sha256: r.get(13)?,
                    as_of: r.get(14)?,
                    synthetic: r.get(15)?,
                },
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(format!("no trade party with id {id}")))
}

/// A party in a list (search results, counter-parties).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyRow {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
    pub n_shipped: i64,
    pub n_received: i64,
    pub synthetic: bool,
}

/// Parties whose normalized name contains `norm_query`, busiest first.
pub fn search(db: &dyn Sql, norm_query: &str, limit: usize) -> Result<Vec<PartyRow>> {
    if norm_query.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, name, country, n_shipped, n_received, synthetic FROM party
         WHERE {} > 0 ORDER BY n_shipped + n_received DESC, id LIMIT ?2",
        db.dialect().instr("norm", "?1")
    );
    db.map(&sql, args![norm_query, limit], party_row)
}

fn party_row(r: &Row) -> Result<PartyRow> {
    Ok(PartyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        country: r.get(2)?,
        n_shipped: r.get(3)?,
        n_received: r.get(4)?,
        synthetic: r.get(5)?,
    })
}

/// The parties on the other side of a party's shipments, with shipment counts, busiest first:
/// consignees it shipped to (`as_shipper`) or shippers it received from.
pub fn counterparties(
    db: &dyn Sql,
    party_id: i64,
    as_shipper: bool,
    limit: usize,
) -> Result<Vec<(PartyRow, i64)>> {
    let (own, other) = if as_shipper {
        ("shipper_id", "consignee_id")
    } else {
        ("consignee_id", "shipper_id")
    };
    let sql = format!(
        "SELECT p.id, p.name, p.country, p.n_shipped, p.n_received, p.synthetic, c.n
         FROM (SELECT {other} AS pid, count(*) AS n FROM shipment
               WHERE {own} = ?1 AND {other} IS NOT NULL GROUP BY {other}) c
         JOIN party p ON p.id = c.pid ORDER BY c.n DESC, p.id LIMIT ?2"
    );
    db.map(&sql, args![party_id, limit], |r| {
        Ok((party_row(r)?, r.get(6)?))
    })
}

/// Every party's (id, name), in id order, for the in-memory name search.
pub fn all_names(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM party ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
