//! Shipment queries: filters, sort, keyset paging, counts.
//!
//! The drill paths (a party's or an entity's shipments, newest first) never sort the whole
//! matching set: each (party, role) is read newest-first through its composite index
//! (party, ship_date, id) with a LIMIT, and the runs are merged here.

use rusqlite::Row;
use serde::Serialize;

use crate::error::{Error, Result};
use tradescope_core::model::{Shipment, SourceRef};

/// What to show. All set fields must hold (AND).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ShipmentFilter {
    pub shipper_id: Option<i64>,
    pub consignee_id: Option<i64>,
    pub notify_id: Option<i64>,
    /// Any role (shipper, consignee or notify party).
    pub party_id: Option<i64>,
    /// Shipments of the trade parties linked to this list entry (as shipper or consignee).
    pub entity_id: Option<i64>,
    /// Any role, by name: parties whose normalized name contains one of these texts
    /// (normalized; several: any of them, `party:hikvision party:phuong`).
    pub party_names: Vec<String>,
    /// Origin or destination country (ISO alpha-2).
    pub country: Option<String>,
    pub origin_country: Option<String>,
    pub dest_country: Option<String>,
    /// Port of lading or unlading, case-insensitive substring.
    pub port: Option<String>,
    /// HS code prefix (digits).
    pub hs_prefix: Option<String>,
    /// Inclusive ISO dates.
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    /// Substring of the description (model numbers such as "2CD7A46").
    pub text: Option<String>,
    /// Only synthetic (Some(true)) or only real (Some(false)) records.
    pub synthetic: Option<bool>,
    /// As-of screening (db::asof): only shipments whose shipper or consignee was listed at the
    /// ship date (Some(true)), or only shipments where neither was (Some(false): e.g. an
    /// entity's shipments that predate its listing).
    pub listed_at_date: Option<bool>,
    /// Only shipments whose description carries brands or model numbers of a listed maker.
    pub carries_listed_products: bool,
}

impl ShipmentFilter {
    pub fn is_empty(&self) -> bool {
        *self == ShipmentFilter::default()
    }
}

/// The shipments a link lists.
impl From<&tradescope_core::link::ShipmentScope> for ShipmentFilter {
    fn from(s: &tradescope_core::link::ShipmentScope) -> Self {
        use tradescope_core::link::ShipmentScope as S;
        let mut f = ShipmentFilter::default();
        match s {
            S::OfEntity(id) => f.entity_id = Some(*id),
            S::Party(id) => f.party_id = Some(*id),
            S::Shipper(id) => f.shipper_id = Some(*id),
            S::Consignee(id) => f.consignee_id = Some(*id),
            S::Notify(id) => f.notify_id = Some(*id),
            S::DestCountry(c) => f.dest_country = Some(c.clone()),
        }
        f
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum SortKey {
    #[default]
    Date,
    Shipper,
    Consignee,
    Origin,
    Destination,
    Hs,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Date,
        SortKey::Shipper,
        SortKey::Consignee,
        SortKey::Origin,
        SortKey::Destination,
        SortKey::Hs,
    ];

    fn sql(self) -> &'static str {
        match self {
            SortKey::Date => "s.ship_date",
            SortKey::Shipper => "sp.name",
            SortKey::Consignee => "cp.name",
            SortKey::Origin => "s.port_of_lading",
            SortKey::Destination => "s.port_of_unlading",
            SortKey::Hs => "s.hs_code",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Shipper => "shipper",
            SortKey::Consignee => "consignee",
            SortKey::Origin => "origin",
            SortKey::Destination => "destination",
            SortKey::Hs => "HS code",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Date,
            desc: true,
        }
    }
}

/// Position after the last row of a page: (sort value, id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cursor {
    pub value: Option<String>,
    pub id: i64,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShipmentRow {
    pub id: i64,
    pub ship_date: Option<String>,
    pub shipper_id: Option<i64>,
    pub shipper: Option<String>,
    pub consignee_id: Option<i64>,
    pub consignee: Option<String>,
    pub origin: Option<String>,
    pub origin_country: Option<String>,
    pub destination: Option<String>,
    pub dest_country: Option<String>,
    pub hs_code: Option<String>,
    pub description: Option<String>,
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub rows: Vec<ShipmentRow>,
    /// Cursor for the next page, if there may be one.
    pub next: Option<Cursor>,
}

#[doc(hidden)] // for the benchmark's baseline queries
pub const ROW_COLUMNS: &str = "s.id, s.ship_date, s.shipper_id, sp.name, s.consignee_id, cp.name,
    s.port_of_lading, s.origin_country, s.port_of_unlading, s.dest_country, s.hs_code,
    substr(s.description, 1, 300), s.synthetic";

#[doc(hidden)]
pub const FROM: &str = "shipment s LEFT JOIN party sp ON sp.id = s.shipper_id
    LEFT JOIN party cp ON cp.id = s.consignee_id";

#[doc(hidden)]
pub fn row(r: &Row) -> rusqlite::Result<ShipmentRow> {
    Ok(ShipmentRow {
        id: r.get(0)?,
        ship_date: r.get(1)?,
        shipper_id: r.get(2)?,
        shipper: r.get(3)?,
        consignee_id: r.get(4)?,
        consignee: r.get(5)?,
        origin: r.get(6)?,
        origin_country: r.get(7)?,
        destination: r.get(8)?,
        dest_country: r.get(9)?,
        hs_code: r.get(10)?,
        description: r.get(11)?,
        synthetic: r.get(12)?,
    })
}

mod count;
mod filter;
pub mod freq;
pub mod freq_scan;
mod page;
mod runs;

pub use count::count;
pub use page::{page, page_plan};

/// One shipment with every field.
pub fn get(db: &dyn crate::sql::Sql, id: i64) -> Result<Shipment> {
    let mut s = db
        .opt(
            "SELECT s.id, s.identifier, s.master_bol, s.house_bol, s.bill_type, s.ship_date,
                s.shipper_id, sp.name, s.consignee_id, cp.name, s.notify_id, np.name,
                s.origin_country, s.dest_country, s.port_of_lading, s.port_of_unlading,
                s.place_of_receipt, s.carrier_code, s.vessel_name, s.mode, s.weight_kg,
                s.quantity, s.quantity_unit, s.containers, s.hs_code, s.description,
                s.record_status, s.synthetic, src.id, src.dataset, src.path, s.source_line,
                src.sha256, src.as_of, src.synthetic, s.weight, s.weight_unit
             FROM shipment s JOIN source src ON src.id = s.source_id
             LEFT JOIN party sp ON sp.id = s.shipper_id
             LEFT JOIN party cp ON cp.id = s.consignee_id
             LEFT JOIN party np ON np.id = s.notify_id
             WHERE s.id = ?1",
            crate::args![id],
            |r| {
                Ok(Shipment {
                    id: r.get(0)?,
                    identifier: r.get(1)?,
                    master_bol: r.get(2)?,
                    house_bol: r.get(3)?,
                    bill_type: r.get(4)?,
                    ship_date: r.get(5)?,
                    shipper_id: r.get(6)?,
                    shipper: r.get(7)?,
                    consignee_id: r.get(8)?,
                    consignee: r.get(9)?,
                    notify_id: r.get(10)?,
                    notify: r.get(11)?,
                    origin_country: r.get(12)?,
                    dest_country: r.get(13)?,
                    port_of_lading: r.get(14)?,
                    port_of_unlading: r.get(15)?,
                    place_of_receipt: r.get(16)?,
                    carrier_code: r.get(17)?,
                    vessel_name: r.get(18)?,
                    mode: r.get(19)?,
                    weight_kg: r.get(20)?,
                    weight: r.get(35)?,
                    weight_unit: r.get(36)?,
                    quantity: r.get(21)?,
                    quantity_unit: r.get(22)?,
                    containers: r.get(23)?,
                    hs_code: r.get(24)?,
                    hs_codes: Vec::new(),
                    port_codes: Vec::new(),
                    description: r.get(25)?,
                    record_status: r.get(26)?,
                    synthetic: r.get(27)?,
                    source: SourceRef {
                        source_id: r.get(28)?,
                        dataset: r.get(29)?,
                        path: r.get(30)?,
                        line: r.get(31)?,
                        sha256: r.get(32)?,
                        as_of: r.get(33)?,
                        synthetic: r.get(34)?,
                    },
                })
            },
        )?
        .ok_or_else(|| Error::NotFound(format!("no shipment with id {id}")))?;
    s.hs_codes = db.map(
        "SELECT hs_code FROM shipment_hs WHERE shipment_id = ?1 ORDER BY seq",
        crate::args![id],
        |r| r.get(0),
    )?;
    s.port_codes = db.map(
        "SELECT role, code FROM shipment_port_code WHERE shipment_id = ?1 ORDER BY role",
        crate::args![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(s)
}
