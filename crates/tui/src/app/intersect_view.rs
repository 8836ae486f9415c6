//! The intersection table's columns: what each cell says (drawn, copied with `y`) and where
//! Enter on it leads (drill into the cell). Pure.

use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_store::intersect::IntersectRow;
use tradescope_store::patents::PatentFilter;
use tradescope_store::shipments::ShipmentFilter;

use super::jump::Target;

/// Column titles, in order; the column cursor moves over them.
pub const COLUMNS: [&str; 9] = [
    "Company",
    "Lists",
    "CET areas",
    "Ships",
    "Listed",
    "First…last",
    "Top consignee",
    "Dest",
    "Covered",
];

/// Column index of the company name.
pub const COMPANY: usize = 0;

/// The cell's text (untrusted parts are sanitized by the caller before drawing).
pub fn cell(r: &IntersectRow, col: usize) -> String {
    match col {
        0 => r.name.clone(),
        1 => match &r.first_listed {
            Some(d) => format!("{} {d}", r.lists.join(",")),
            None => r.lists.join(","),
        },
        2 => r
            .cet_areas
            .iter()
            .map(|a| format!("{} {}", a.code, a.patents))
            .collect::<Vec<_>>()
            .join(", "),
        3 => r.shipments.to_string(),
        4 => r.shipments_while_listed.to_string(),
        5 => format!(
            "{}…{}",
            month(r.first_ship_date.as_deref()),
            month(r.last_ship_date.as_deref())
        ),
        6 => r
            .top_consignees
            .first()
            .map(|c| match &c.country {
                Some(cc) => format!("{} ({cc}) {}", c.name, c.shipments),
                None => format!("{} {}", c.name, c.shipments),
            })
            .unwrap_or_default(),
        7 => r
            .top_destinations
            .iter()
            .take(3)
            .map(|d| format!("{} {}", d.country, d.shipments))
            .collect::<Vec<_>>()
            .join(", "),
        8 => r
            .covered
            .as_ref()
            .map(|c| format!("{} ({})", c.group, c.basis))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn month(d: Option<&str>) -> &str {
    d.map(|d| d.get(..7).unwrap_or(d)).unwrap_or("?")
}

fn shipments(filter: ShipmentFilter, label: String) -> Target {
    Target::Shipments {
        filter: Box::new(filter),
        label,
    }
}

/// Where Enter on a cell leads: the company's detail, its patents in the top CET area, its
/// shipments (all, while listed, to the top destination) or the top consignee's shipments.
pub fn drill(r: &IntersectRow, col: usize) -> Target {
    let of_company = ShipmentFilter {
        entity_id: Some(r.entity_id),
        ..Default::default()
    };
    let detail = Target::Record {
        record: RecordRef::new(RecordKind::Entity, r.entity_id),
        label: r.name.clone(),
    };
    match col {
        2 => match r.cet_areas.first() {
            Some(a) => Target::Patents {
                filter: Box::new(PatentFilter {
                    entity_id: Some(r.entity_id),
                    cet: Some(a.code.clone()),
                    ..Default::default()
                }),
                label: format!("{} patents of {}", a.code, r.name),
            },
            None => detail,
        },
        3 | 5 => shipments(of_company, format!("Shipments of {}", r.name)),
        4 => shipments(
            ShipmentFilter {
                listed_at_date: Some(true),
                ..of_company
            },
            format!("Shipments of {} while listed", r.name),
        ),
        6 => match r.top_consignees.first() {
            Some(c) => shipments(
                ShipmentFilter {
                    party_id: Some(c.party_id),
                    ..Default::default()
                },
                format!("Shipments of {}", c.name),
            ),
            None => detail,
        },
        7 => match r.top_destinations.first() {
            Some(d) => shipments(
                ShipmentFilter {
                    dest_country: Some(d.country.clone()),
                    ..of_company
                },
                format!("Shipments of {} to {}", r.name, d.country),
            ),
            None => detail,
        },
        _ => detail,
    }
}
