//! Plain data shared by the database layer, the CLI and the TUI. No behaviour beyond formatting.

use serde::Serialize;

/// The kinds of record a user can open and drill between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Entity,
    Party,
    Shipment,
    Patent,
    Assignee,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Entity => "entity",
            RecordKind::Party => "party",
            RecordKind::Shipment => "shipment",
            RecordKind::Patent => "patent",
            RecordKind::Assignee => "assignee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "entity" => RecordKind::Entity,
            "party" => RecordKind::Party,
            "shipment" => RecordKind::Shipment,
            "patent" => RecordKind::Patent,
            "assignee" => RecordKind::Assignee,
            _ => return None,
        })
    }
}

/// A pointer to one record: what every row on screen carries so that any key can follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: i64,
}

impl RecordRef {
    pub fn new(kind: RecordKind, id: i64) -> Self {
        RecordRef { kind, id }
    }
}

/// A watch-list entry with its names and identifiers.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Entity {
    pub id: i64,
    pub list: String,
    pub list_name: String,
    pub dataset: String,
    pub source_uid: String,
    pub entity_number: Option<String>,
    pub listing_key: String,
    pub current: bool,
    pub entity_type: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub programs: Option<String>,
    pub title: Option<String>,
    pub addresses: Option<String>,
    pub country: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub federal_register_notice: Option<String>,
    pub license_requirement: Option<String>,
    pub license_policy: Option<String>,
    pub remarks: Option<String>,
    pub source_list_url: Option<String>,
    pub ids: Vec<Ident>,
    pub dates_of_birth: Option<String>,
    pub nationalities: Option<String>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Ident {
    pub id_type: String,
    pub value: String,
    pub country: Option<String>,
}

/// Where a record came from: the file, its line, the file's SHA-256.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SourceRef {
    pub source_id: i64,
    pub dataset: String,
    pub path: String,
    pub line: i64,
    pub sha256: String,
    pub as_of: Option<String>,
    pub synthetic: bool,
}

/// A trade party (shipper, consignee or notify party) as named in shipment data.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Party {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub synthetic: bool,
    pub n_shipped: i64,
    pub n_received: i64,
    pub n_notified: i64,
    pub source: SourceRef,
}

/// One bill of lading or shipment record, with party names resolved for display.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Shipment {
    pub id: i64,
    pub identifier: Option<String>,
    pub master_bol: Option<String>,
    pub house_bol: Option<String>,
    pub bill_type: Option<String>,
    pub ship_date: Option<String>,
    pub shipper_id: Option<i64>,
    pub shipper: Option<String>,
    pub consignee_id: Option<i64>,
    pub consignee: Option<String>,
    pub notify_id: Option<i64>,
    pub notify: Option<String>,
    pub origin_country: Option<String>,
    pub dest_country: Option<String>,
    pub port_of_lading: Option<String>,
    pub port_of_unlading: Option<String>,
    pub place_of_receipt: Option<String>,
    pub carrier_code: Option<String>,
    pub vessel_name: Option<String>,
    pub mode: Option<String>,
    pub weight_kg: Option<f64>,
    /// The weight and unit as published (`22046` `LB`), kept beside the kilograms.
    pub weight: Option<f64>,
    pub weight_unit: Option<String>,
    pub quantity: Option<i64>,
    pub quantity_unit: Option<String>,
    pub containers: Option<String>,
    pub hs_code: Option<String>,
    pub hs_codes: Vec<String>,
    /// Port codes the source gave with the port names: (lading | unlading | receipt, code).
    pub port_codes: Vec<(String, String)>,
    pub description: Option<String>,
    pub record_status: Option<String>,
    pub synthetic: bool,
    pub source: SourceRef,
}

/// A patent document (grant or published application).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Patent {
    pub id: i64,
    pub number: String,
    pub kind: Option<String>,
    pub doc_type: Option<String>,
    pub title: Option<String>,
    pub abstract_text: Option<String>,
    pub application_number: Option<String>,
    pub filing_date: Option<String>,
    pub publication_date: Option<String>,
    pub assignees: Vec<String>,
    pub cpc: Vec<String>,
    pub cet_areas: Vec<String>,
    pub source_url: Option<String>,
    pub synthetic: bool,
    pub source: SourceRef,
}

/// A patent assignee organization.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Assignee {
    pub id: i64,
    pub pv_id: Option<String>,
    pub name: String,
    pub assignee_type: Option<String>,
    pub n_patents: i64,
    pub source: SourceRef,
}
