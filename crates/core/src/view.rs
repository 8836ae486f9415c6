//! The record view: what `tradescope show` and the workbench's detail view both present for
//! one record — its fields as labelled lines, its links, and the record as stored. Built by the
//! store (`tradescope_store::record_view::load`) from one place, so the two cannot diverge;
//! the formatters here are pure.

use crate::country;
use crate::link::LinkItem;
use crate::model::{Assignee, Entity, Party, Patent, RecordKind, RecordRef, Shipment, SourceRef};

#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    pub record: RecordRef,
    /// "List entry (EL)", "Trade party", …
    pub kind_label: String,
    pub title: String,
    /// Short label for the breadcrumb.
    pub crumb: String,
    pub synthetic: bool,
    /// Every field as (label, value), the investigation fields (covered equipment, as-of
    /// screening, detected products) after the first.
    pub fields: Vec<(String, String)>,
    pub links: Vec<LinkItem>,
    /// The record as stored (`show --json`'s "record").
    pub stored: serde_json::Value,
    /// What investigations add, as `show --json` writes it beside "record" and "links"
    /// (an object: "covered", "as_of", "products", …).
    pub investigation: serde_json::Value,
}

struct Fields(Vec<(String, String)>);

impl Fields {
    fn add(&mut self, label: &str, v: Option<impl AsRef<str>>) -> &mut Self {
        if let Some(v) = v {
            let v = v.as_ref().trim();
            if !v.is_empty() {
                self.0.push((label.to_string(), v.to_string()));
            }
        }
        self
    }

    fn list(&mut self, label: &str, v: &[String]) -> &mut Self {
        if !v.is_empty() {
            self.0.push((label.to_string(), v.join("; ")));
        }
        self
    }

    fn source(&mut self, s: &SourceRef) -> &mut Self {
        let sha = &s.sha256[..s.sha256.len().min(12)];
        self.add(
            "Source",
            Some(format!(
                "{} · {} line {} · sha256 {sha}",
                s.dataset, s.path, s.line
            )),
        )
        .add("As of", s.as_of.as_deref())
    }
}

fn country_label(c: Option<&str>) -> Option<String> {
    c.map(|c| match country::name(c) {
        Some(n) => format!("{c} ({n})"),
        None => c.to_string(),
    })
}

fn data(r: RecordRef, kind: String, title: &str, synthetic: bool, f: Fields) -> RecordView {
    RecordView {
        record: r,
        kind_label: kind,
        title: title.to_string(),
        crumb: title.to_string(),
        synthetic,
        fields: f.0,
        links: Vec::new(),
        stored: serde_json::Value::Null,
        investigation: serde_json::Value::Object(Default::default()),
    }
}

pub fn entity(e: &Entity) -> RecordView {
    let mut f = Fields(Vec::new());
    let ids: Vec<String> = e
        .ids
        .iter()
        .map(|i| match &i.country {
            Some(c) => format!("{}: {} ({c})", i.id_type, i.value),
            None => format!("{}: {}", i.id_type, i.value),
        })
        .collect();
    f.add("List", Some(format!("{} ({})", e.list_name, e.list)))
        .add("Type", Some(&e.entity_type))
        .list("Aliases", &e.aliases)
        .add("Programs", e.programs.as_deref())
        .add("Title", e.title.as_deref())
        .add("Addresses", e.addresses.as_deref())
        .add("Country", country_label(e.country.as_deref()))
        .add("Start date", e.start_date.as_deref())
        .add("End date", e.end_date.as_deref())
        .add("Federal Register", e.federal_register_notice.as_deref())
        .add("License requirement", e.license_requirement.as_deref())
        .add("License policy", e.license_policy.as_deref())
        .list("Identifiers", &ids)
        .add("Dates of birth", e.dates_of_birth.as_deref())
        .add("Nationalities", e.nationalities.as_deref())
        .add("Remarks", e.remarks.as_deref())
        .add("List URL", e.source_list_url.as_deref())
        .add("Listing key", Some(&e.listing_key))
        .add(
            "Current",
            Some(if e.current { "yes" } else { "no (replaced)" }),
        )
        .source(&e.source);
    data(
        RecordRef::new(RecordKind::Entity, e.id),
        format!("List entry ({})", e.list),
        &e.name,
        e.source.synthetic,
        f,
    )
}

pub fn party(p: &Party) -> RecordView {
    let mut f = Fields(Vec::new());
    f.add("Address", p.address.as_deref())
        .add("City", p.city.as_deref())
        .add("Country", country_label(p.country.as_deref()))
        .add("As shipper", Some(p.n_shipped.to_string()))
        .add("As consignee", Some(p.n_received.to_string()))
        .add("As notify party", Some(p.n_notified.to_string()))
        .source(&p.source);
    data(
        RecordRef::new(RecordKind::Party, p.id),
        "Trade party".into(),
        &p.name,
        p.synthetic,
        f,
    )
}

/// Kilograms, with the published weight when it was in another unit ("10000 kg (22046 LB as
/// published)"); a weight in a unit that is not a mass is shown as published, unconverted.
fn weight_label(s: &Shipment) -> Option<String> {
    let published = match (s.weight, s.weight_unit.as_deref()) {
        (Some(w), Some(u)) if !u.eq_ignore_ascii_case("kg") => Some(format!("{w} {u}")),
        _ => None,
    };
    match (s.weight_kg, published) {
        (Some(kg), Some(p)) => Some(format!("{kg:.0} kg ({p} as published)")),
        (Some(kg), None) => Some(format!("{kg:.0} kg")),
        (None, Some(p)) => Some(format!("{p} (not converted: not a known mass unit)")),
        (None, None) => None,
    }
}

pub fn shipment(s: &Shipment) -> RecordView {
    let mut f = Fields(Vec::new());
    let weight = weight_label(s);
    let port = |name: &Option<String>, role: &str| {
        let code = s.port_codes.iter().find(|(r, _)| r == role).map(|(_, c)| c);
        match (name, code) {
            (Some(n), Some(c)) => Some(format!("{n} ({c})")),
            (n, _) => n.clone(),
        }
    };
    let qty = s.quantity.map(|q| match &s.quantity_unit {
        Some(u) => format!("{q} {u}"),
        None => q.to_string(),
    });
    f.add("Date", s.ship_date.as_deref())
        .add("Shipper", s.shipper.as_deref())
        .add("Consignee", s.consignee.as_deref())
        .add("Notify party", s.notify.as_deref())
        .add("Origin", country_label(s.origin_country.as_deref()))
        .add("Destination", country_label(s.dest_country.as_deref()))
        .add("Port of lading", port(&s.port_of_lading, "lading"))
        .add("Port of unlading", port(&s.port_of_unlading, "unlading"))
        .add("Place of receipt", port(&s.place_of_receipt, "receipt"))
        .add(
            "HS codes",
            Some(if s.hs_codes.is_empty() {
                s.hs_code.clone().unwrap_or_default()
            } else {
                s.hs_codes.join(", ")
            }),
        )
        .add("Description", s.description.as_deref())
        .add("Carrier", s.carrier_code.as_deref())
        .add("Vessel", s.vessel_name.as_deref())
        .add("Mode", s.mode.as_deref())
        .add("Weight", weight)
        .add("Quantity", qty)
        .add("Containers", s.containers.as_deref())
        .add("Bill type", s.bill_type.as_deref())
        .add("Master bill", s.master_bol.as_deref())
        .add("House bill", s.house_bol.as_deref())
        .add("Identifier", s.identifier.as_deref())
        .add("Record status", s.record_status.as_deref())
        .source(&s.source);
    let title = format!(
        "{} → {}",
        s.shipper.as_deref().unwrap_or("?"),
        s.consignee.as_deref().unwrap_or("?")
    );
    let mut d = data(
        RecordRef::new(RecordKind::Shipment, s.id),
        format!("Shipment {}", s.ship_date.as_deref().unwrap_or(""))
            .trim()
            .to_string(),
        &title,
        s.synthetic,
        f,
    );
    // "2020-03-14 → PHUONG VIET DISTRIBUTION": where the goods went, which is what one follows.
    d.crumb = format!(
        "{} → {}",
        s.ship_date.as_deref().unwrap_or("?"),
        s.consignee.as_deref().unwrap_or("?")
    );
    d
}

/// What a patent's title reads as: the source's, or "(title not published)" when the source
/// row has none (26 of the 72 bundled patents: the extract leaves the column empty).
pub fn patent_title(title: Option<&str>) -> &str {
    match title.map(str::trim) {
        Some(t) if !t.is_empty() => t,
        _ => NO_TITLE,
    }
}

/// The title shown for a patent whose source gives none.
pub const NO_TITLE: &str = "(title not published)";

pub fn patent(p: &Patent) -> RecordView {
    let mut f = Fields(Vec::new());
    let kind = match (&p.doc_type, &p.kind) {
        (Some(t), Some(k)) => Some(format!("{t} ({k})")),
        (Some(t), None) => Some(t.clone()),
        (None, k) => k.clone(),
    };
    f.add("Number", Some(&p.number))
        .add("Document", kind)
        .add("Title", Some(patent_title(p.title.as_deref())))
        .list("Assignees", &p.assignees)
        .add("Published", p.publication_date.as_deref())
        .add("Filed", p.filing_date.as_deref())
        .add("Application", p.application_number.as_deref())
        .list("CPC", &p.cpc)
        .list("CET areas", &p.cet_areas)
        .add("Abstract", p.abstract_text.as_deref())
        .add("URL", p.source_url.as_deref())
        .source(&p.source);
    data(
        RecordRef::new(RecordKind::Patent, p.id),
        format!("Patent {}", p.number),
        p.title.as_deref().unwrap_or(&p.number),
        p.synthetic,
        f,
    )
}

pub fn assignee(a: &Assignee) -> RecordView {
    let mut f = Fields(Vec::new());
    f.add("PatentsView id", a.pv_id.as_deref())
        .add("Type", a.assignee_type.as_deref())
        .add("Patents", Some(a.n_patents.to_string()))
        .source(&a.source);
    data(
        RecordRef::new(RecordKind::Assignee, a.id),
        "Patent assignee".into(),
        &a.name,
        a.source.synthetic,
        f,
    )
}
