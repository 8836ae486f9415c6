//! The plain shipments CSV for users' own data, documented in docs/formats.md: one row per bill
//! or shipment record, a header row, columns found by name (case-insensitive, aliases allowed).

use crate::error::{Error, Result};
use tradescope_core::country;
use tradescope_core::progress::Progress;

use super::fields::{self, opt, Header};
use super::input::{decode, Input};
use super::records::Records;
use super::trade::{hs_digits, worth_deferring, NewParty, NewShipment, TradeWriter};

/// Every column of the format with its accepted aliases; the first name is the documented one.
pub const COLUMNS: &[&[&str]] = &[
    RECORD_ID,
    DATE,
    MASTER_BOL,
    HOUSE_BOL,
    BILL_TYPE,
    SHIPPER,
    SHIPPER_ADDRESS,
    SHIPPER_CITY,
    SHIPPER_COUNTRY,
    CONSIGNEE,
    CONSIGNEE_ADDRESS,
    CONSIGNEE_CITY,
    CONSIGNEE_COUNTRY,
    NOTIFY,
    NOTIFY_ADDRESS,
    NOTIFY_CITY,
    NOTIFY_COUNTRY,
    ORIGIN,
    DEST,
    LADING,
    UNLADING,
    RECEIPT,
    CARRIER,
    VESSEL,
    MODE,
    WEIGHT_KG,
    QUANTITY,
    QUANTITY_UNIT,
    CONTAINERS,
    HS_CODES,
    DESCRIPTION,
];

const RECORD_ID: &[&str] = &["record_id", "id", "identifier", "bill_id"];
const DATE: &[&str] = &[
    "date",
    "ship_date",
    "shipment_date",
    "arrival_date",
    "departure_date",
];
const MASTER_BOL: &[&str] = &["master_bol", "master_bill", "master_bol_number", "mbl"];
const HOUSE_BOL: &[&str] = &["house_bol", "house_bill", "house_bol_number", "hbl"];
const BILL_TYPE: &[&str] = &["bill_type", "bill_type_code"];
const SHIPPER: &[&str] = &["shipper", "shipper_name", "shipper_party_name", "exporter"];
const SHIPPER_ADDRESS: &[&str] = &["shipper_address"];
const SHIPPER_CITY: &[&str] = &["shipper_city"];
const SHIPPER_COUNTRY: &[&str] = &["shipper_country"];
const CONSIGNEE: &[&str] = &["consignee", "consignee_name", "importer", "buyer"];
const CONSIGNEE_ADDRESS: &[&str] = &["consignee_address"];
const CONSIGNEE_CITY: &[&str] = &["consignee_city"];
const CONSIGNEE_COUNTRY: &[&str] = &["consignee_country"];
const NOTIFY: &[&str] = &["notify_party", "notify", "notify_party_name"];
const NOTIFY_ADDRESS: &[&str] = &["notify_address", "notify_party_address"];
const NOTIFY_CITY: &[&str] = &["notify_city", "notify_party_city"];
const NOTIFY_COUNTRY: &[&str] = &["notify_country", "notify_party_country"];
const ORIGIN: &[&str] = &["origin_country", "country_of_origin", "origin"];
const DEST: &[&str] = &["dest_country", "destination_country", "destination"];
const LADING: &[&str] = &[
    "port_of_lading",
    "foreign_port_of_lading",
    "loading_port",
    "pol",
];
const UNLADING: &[&str] = &[
    "port_of_unlading",
    "discharge_port",
    "unloading_port",
    "pod",
];
const RECEIPT: &[&str] = &["place_of_receipt"];
const CARRIER: &[&str] = &["carrier", "carrier_code", "scac"];
const VESSEL: &[&str] = &["vessel", "vessel_name"];
const MODE: &[&str] = &["mode", "mode_of_transportation", "transport_mode"];
const WEIGHT_KG: &[&str] = &["weight_kg", "weight"];
const QUANTITY: &[&str] = &["quantity", "qty", "pieces"];
const QUANTITY_UNIT: &[&str] = &["quantity_unit", "unit"];
const CONTAINERS: &[&str] = &["containers", "container_numbers", "container_number"];
const HS_CODES: &[&str] = &["hs_codes", "hs_code", "hs", "harmonized_number"];
const DESCRIPTION: &[&str] = &[
    "description",
    "goods",
    "product_description",
    "description_text",
];

/// Import one shipments CSV; returns the number of shipments written.
pub fn import(
    conn: &rusqlite::Connection,
    input: &Input,
    source_id: i64,
    synthetic: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    let name = &input.name;
    let mut records = Records::new(name, input.open(progress)?, b',');
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected a header row: record_id,date,shipper,…; see docs/formats.md)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    // "Shipper Country" and "shipper-country" mean shipper_country.
    let names: Vec<String> = records
        .rec
        .iter()
        .map(|f| decode(f).trim().replace([' ', '-'], "_"))
        .collect();
    let h = Header::new(name, names)?;
    let unknown: Vec<&str> = h
        .names
        .iter()
        .filter(|n| !n.is_empty() && !COLUMNS.iter().any(|c| h.find(c) == h.find(&[n])))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        warnings.push(format!(
            "{name}: column(s) not part of the shipments format were ignored: {} (see docs/formats.md)",
            unknown.join(", ")
        ));
    }
    let date_col = h.require(DATE)?;
    if h.find(SHIPPER).is_none() && h.find(CONSIGNEE).is_none() {
        return Err(Error::input(
            name,
            1,
            "shipper",
            "the header needs a shipper or a consignee column",
        ));
    }
    let col = |aliases: &[&str]| h.find(aliases);
    let c = Cols {
        record_id: col(RECORD_ID),
        master_bol: col(MASTER_BOL),
        house_bol: col(HOUSE_BOL),
        bill_type: col(BILL_TYPE),
        shipper: [
            col(SHIPPER),
            col(SHIPPER_ADDRESS),
            col(SHIPPER_CITY),
            col(SHIPPER_COUNTRY),
        ],
        consignee: [
            col(CONSIGNEE),
            col(CONSIGNEE_ADDRESS),
            col(CONSIGNEE_CITY),
            col(CONSIGNEE_COUNTRY),
        ],
        notify: [
            col(NOTIFY),
            col(NOTIFY_ADDRESS),
            col(NOTIFY_CITY),
            col(NOTIFY_COUNTRY),
        ],
        origin: col(ORIGIN),
        dest: col(DEST),
        lading: col(LADING),
        unlading: col(UNLADING),
        receipt: col(RECEIPT),
        carrier: col(CARRIER),
        vessel: col(VESSEL),
        mode: col(MODE),
        weight_kg: col(WEIGHT_KG),
        quantity: col(QUANTITY),
        quantity_unit: col(QUANTITY_UNIT),
        containers: col(CONTAINERS),
        hs_codes: col(HS_CODES),
        description: col(DESCRIPTION),
    };
    let mut writer = TradeWriter::new(conn, source_id, synthetic)?;
    // About 200 bytes a row: enough to tell a big load from a small one.
    if worth_deferring(conn, input.len()? / 200)? {
        writer.defer_indexes()?;
    }
    records.set_columns(&h.names);
    while records.read_next()? {
        if records.rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        records.check_row(&h)?;
        let line = records.line();
        let row = Row {
            file: name,
            line,
            rec: &records.rec,
            header: &h,
        };
        let date = fields::date_at(name, line, &h.names[date_col], &row.text(Some(date_col)))?
            .ok_or_else(|| Error::input(name, line, &h.names[date_col], "the date is required"))?;
        let shipper = row.party(c.shipper)?;
        let consignee = row.party(c.consignee)?;
        let notify = row.party(c.notify)?;
        if shipper.is_none() && consignee.is_none() {
            return Err(Error::input(
                name,
                line,
                "shipper",
                "a row needs a shipper or a consignee name",
            ));
        }
        let shipper_country = shipper.as_ref().and_then(|p| p.country.clone());
        let consignee_country = consignee.as_ref().and_then(|p| p.country.clone());
        let mut id = |p: Option<NewParty>| -> Result<Option<i64>> {
            match p {
                Some(p) => writer.party(&p),
                None => Ok(None),
            }
        };
        let (shipper_id, consignee_id, notify_id) = (id(shipper)?, id(consignee)?, id(notify)?);
        let mut hs_codes: Vec<String> = Vec::new();
        for part in row.list(c.hs_codes) {
            let code = hs_digits(&part)
                .filter(|d| (2..=12).contains(&d.len()))
                .ok_or_else(|| {
                    row.err(
                        c.hs_codes,
                        format!("`{part}` is not an HS code (2–12 digits)"),
                    )
                })?;
            if !hs_codes.contains(&code) {
                hs_codes.push(code);
            }
        }
        writer.shipment(&NewShipment {
            line,
            identifier: row.opt(c.record_id),
            master_bol: row.opt(c.master_bol),
            house_bol: row.opt(c.house_bol),
            bill_type: row.opt(c.bill_type),
            ship_date: Some(date),
            shipper_id,
            consignee_id,
            notify_id,
            origin_country: row.country(c.origin)?.or(shipper_country),
            dest_country: row.country(c.dest)?.or(consignee_country),
            port_of_lading: row.opt(c.lading),
            port_of_unlading: row.opt(c.unlading),
            place_of_receipt: row.opt(c.receipt),
            carrier_code: row.opt(c.carrier),
            vessel_name: row.opt(c.vessel),
            mode: row.opt(c.mode),
            weight_kg: row.number(c.weight_kg)?,
            weight: row.number(c.weight_kg)?,
            weight_unit: row.opt(c.weight_kg).map(|_| "kg".to_string()),
            quantity: row.integer(c.quantity)?,
            quantity_unit: row.opt(c.quantity_unit),
            containers: row.list(c.containers),
            hs_codes,
            description: row.opt(c.description),
            ..Default::default()
        })?;
    }
    Ok(writer.finish()?.shipments)
}

struct Cols {
    record_id: Option<usize>,
    master_bol: Option<usize>,
    house_bol: Option<usize>,
    bill_type: Option<usize>,
    /// name, address, city, country
    shipper: [Option<usize>; 4],
    consignee: [Option<usize>; 4],
    notify: [Option<usize>; 4],
    origin: Option<usize>,
    dest: Option<usize>,
    lading: Option<usize>,
    unlading: Option<usize>,
    receipt: Option<usize>,
    carrier: Option<usize>,
    vessel: Option<usize>,
    mode: Option<usize>,
    weight_kg: Option<usize>,
    quantity: Option<usize>,
    quantity_unit: Option<usize>,
    containers: Option<usize>,
    hs_codes: Option<usize>,
    description: Option<usize>,
}

/// One data row, with its place in the file for error messages.
struct Row<'a> {
    file: &'a str,
    line: u64,
    rec: &'a csv::ByteRecord,
    header: &'a Header,
}

impl Row<'_> {
    fn text(&self, col: Option<usize>) -> String {
        col.and_then(|i| self.rec.get(i))
            .map(|f| decode(f).into_owned())
            .unwrap_or_default()
    }

    fn opt(&self, col: Option<usize>) -> Option<String> {
        opt(&self.text(col))
    }

    fn err(&self, col: Option<usize>, message: impl Into<String>) -> Error {
        let field = col
            .and_then(|i| self.header.names.get(i))
            .map(String::as_str)
            .unwrap_or("(row)");
        Error::input(self.file, self.line, field, message)
    }

    /// `;`-separated values.
    fn list(&self, col: Option<usize>) -> Vec<String> {
        fields::split_multi(&self.text(col))
    }

    fn number(&self, col: Option<usize>) -> Result<Option<f64>> {
        let Some(v) = self.opt(col) else {
            return Ok(None);
        };
        v.replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(Some)
            .ok_or_else(|| self.err(col, format!("`{v}` is not a number")))
    }

    fn integer(&self, col: Option<usize>) -> Result<Option<i64>> {
        let Some(v) = self.opt(col) else {
            return Ok(None);
        };
        v.replace(',', "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| self.err(col, format!("`{v}` is not a whole number")))
    }

    /// ISO alpha-2 of a country name or code; an unknown country is an error, not a guess.
    fn country(&self, col: Option<usize>) -> Result<Option<String>> {
        let Some(v) = self.opt(col) else {
            return Ok(None);
        };
        country::code(&v)
            .map(|c| Some(c.to_string()))
            .ok_or_else(|| {
                self.err(
                    col,
                    format!("unknown country `{v}` (use an ISO code such as VN or a country name)"),
                )
            })
    }

    /// The party in columns [name, address, city, country], if it has a name.
    fn party(&self, cols: [Option<usize>; 4]) -> Result<Option<NewParty>> {
        let Some(name) = self.opt(cols[0]) else {
            return Ok(None);
        };
        Ok(Some(NewParty {
            name,
            address: self.opt(cols[1]),
            city: self.opt(cols[2]),
            country: self.country(cols[3])?,
            line: self.line,
        }))
    }
}
