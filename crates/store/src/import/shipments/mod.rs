//! The shipments CSV for users' own data, documented in docs/formats.md: one row per bill or
//! shipment record, a header row, columns found by name through the alias table
//! ([`super::columns`]: built in, editable, `--map` for a one-off layout), so vendor exports
//! (Panjiva, ImportGenius, ImportYeti, brokers) import as they come.

mod row;

use std::collections::BTreeMap;

use rusqlite::params;

use crate::error::{Error, Result};
use tradescope_core::progress::Progress;

use super::cells;
use super::columns::{self, Resolved};
use super::fields::{self, Header};
use super::input::{decode, Input};
use super::records::Records;
use super::trade::{hs_digits, weight_kg, worth_deferring, NewParty, NewShipment, TradeWriter};
use row::{PartyCols, Row};

/// Relative difference above which a listed kilogram weight and the converted published
/// weight are reported as disagreeing.
const WEIGHT_TOLERANCE: f64 = 0.02;

/// What the rows held that the user is told about: placeholders, unconvertible weights.
#[derive(Default)]
struct Tally {
    /// Placeholder party names as written → how many cells.
    placeholders: BTreeMap<String, u64>,
    /// Unit as written → (rows, first line).
    unknown_units: BTreeMap<String, (u64, u64)>,
    /// Rows with a weight but an empty unit cell (first line).
    no_unit: (u64, u64),
    /// Rows whose kilogram column disagrees with weight × unit (first line).
    disagree: (u64, u64),
    /// Rows with only placeholder parties (first line).
    no_party: (u64, u64),
}

/// A port cell: (code, name).
type Port = (Option<String>, String);

fn bump(slot: &mut (u64, u64), line: u64) {
    if slot.0 == 0 {
        slot.1 = line;
    }
    slot.0 += 1;
}

/// Import one shipments CSV; returns the number of shipments written and how its columns were
/// read. `map` holds `--map FIELD=COLUMN` overrides.
pub fn import(
    conn: &rusqlite::Connection,
    input: &Input,
    source_id: i64,
    synthetic: bool,
    map: &[(String, String)],
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<(u64, Resolved)> {
    let name = &input.name;
    let mut records = Records::new(name, input.open(progress)?, b',');
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected a header row: record_id,date,shipper,…; see docs/formats.md)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let written: Vec<String> = records
        .rec
        .iter()
        .map(|f| decode(f).trim().to_string())
        .collect();
    // Errors name a column as written, with spaces and hyphens as `_` ("Shipper Country" →
    // Shipper_Country), as they always have.
    let names: Vec<String> = written.iter().map(|n| n.replace([' ', '-'], "_")).collect();
    let h = Header::new(name, names)?;
    let aliases = columns::table(conn)?;
    let res = columns::resolve(name, &written, &aliases, map)?;
    if !res.ignored.is_empty() {
        let list: Vec<String> = res
            .ignored
            .iter()
            .map(|(c, why)| {
                if why.is_empty() {
                    c.clone()
                } else {
                    format!("{c} ({why})")
                }
            })
            .collect();
        warnings.push(format!(
            "{name}: ignored columns: {} (not read into any field; add them to the column table \
             with `tradescope columns import` or map one with --map FIELD=COLUMN; see docs/formats.md)",
            list.join(", ")
        ));
    }
    let col = |f: &str| res.col(f);
    if col("date").is_none() && col("estimated_arrival_date").is_none() {
        let looked: Vec<&str> = std::iter::once("date")
            .chain(
                aliases
                    .iter()
                    .filter(|a| a.field == "date")
                    .map(|a| a.heading.as_str()),
            )
            .collect();
        // Names the date aliases of the table in use.
        return Err(Error::input(
            name,
            1,
            "date",
            format!(
                "required column is missing from the header (looked for: {}; found: {}; \
                 or name yours with --map date=COLUMN)",
                dedup(looked).join(", "),
                shown_header(&written)
            ),
        ));
    }
    if col("shipper").is_none() && col("consignee").is_none() {
        return Err(Error::input(
            name,
            1,
            "shipper",
            "the header needs a shipper or a consignee column",
        ));
    }
    let party_cols = |p: &str| -> PartyCols {
        [
            col(p),
            col(&format!("{p}_address")),
            col(&format!("{p}_city")),
            col(&format!("{p}_country")),
        ]
    };
    let (shipper_cols, consignee_cols) = (party_cols("shipper"), party_cols("consignee"));
    let notify_cols = [
        col("notify_party"),
        col("notify_address"),
        col("notify_city"),
        col("notify_country"),
    ];
    let mut writer = TradeWriter::new(conn, source_id, synthetic)?;
    // About 200 bytes a row: enough to tell a big load from a small one.
    if worth_deferring(conn, input.len()? / 200)? {
        writer.defer_indexes()?;
    }
    let mut port_code = conn
        .prepare("INSERT INTO shipment_port_code (shipment_id, role, code) VALUES (?1, ?2, ?3)")?;
    let mut t = Tally::default();
    records.set_columns(&h.names);
    // Column positions, looked up once.
    let c_bill_type = col("bill_type");
    let c_carrier = col("carrier");
    let c_containers = col("containers");
    let c_date = col("date");
    let c_description = col("description");
    let c_dest_country = col("dest_country");
    let c_estimated_arrival_date = col("estimated_arrival_date");
    let c_foreign_port_of_destination = col("foreign_port_of_destination");
    let c_house_bol = col("house_bol");
    let c_hs_codes = col("hs_codes");
    let c_master_bol = col("master_bol");
    let c_mode = col("mode");
    let c_origin_country = col("origin_country");
    let c_quantity = col("quantity");
    let c_quantity_unit = col("quantity_unit");
    let c_record_id = col("record_id");
    let c_record_status = col("record_status");
    let c_vessel = col("vessel");
    let c_vessel_country = col("vessel_country");
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
        let date_at = |c: Option<usize>| -> Result<Option<String>> {
            let text = row.opt(c).unwrap_or_default();
            match c {
                Some(i) => fields::date_at(name, line, &h.names[i], &text),
                None => Ok(None),
            }
        };
        let estimated = date_at(c_estimated_arrival_date)?;
        let date = date_at(c_date)?
            .or_else(|| estimated.clone())
            .ok_or_else(|| row.err(c_date.or(c_estimated_arrival_date), "the date is required"))?;
        let mut party = |cols: PartyCols| -> Result<Option<NewParty>> {
            Ok(match row.party(cols)? {
                Ok(p) => Some(p),
                Err(Some(placeholder)) => {
                    *t.placeholders
                        .entry(placeholder.to_uppercase())
                        .or_default() += 1;
                    None
                }
                Err(None) => None,
            })
        };
        let shipper = party(shipper_cols)?;
        let consignee = party(consignee_cols)?;
        let notify = party(notify_cols)?;
        if shipper.is_none() && consignee.is_none() {
            let blank = |c: Option<usize>| row.opt(c).is_none() && row.text(c).trim().is_empty();
            if blank(shipper_cols[0]) && blank(consignee_cols[0]) {
                return Err(Error::input(
                    name,
                    line,
                    "shipper",
                    "a row needs a shipper or a consignee name",
                ));
            }
            // Only placeholders (`N/A`, `TO ORDER`): the bill is real, its parties unknown.
            bump(&mut t.no_party, line);
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
        for part in row.list(c_hs_codes) {
            let code = hs_digits(&part)
                .filter(|d| (2..=12).contains(&d.len()))
                .ok_or_else(|| {
                    row.err(
                        c_hs_codes,
                        format!("`{part}` is not an HS code (2–12 digits)"),
                    )
                })?;
            if !hs_codes.contains(&code) {
                hs_codes.push(code);
            }
        }
        let (weight, weight_unit, kg) = weights(&row, &res, &mut t)?;
        let ports: Vec<(&str, Option<Port>)> = [
            ("lading", "port_of_lading"),
            ("unlading", "port_of_unlading"),
            ("receipt", "place_of_receipt"),
        ]
        .into_iter()
        .map(|(role, f)| (role, cells::port(&row.text(col(f)))))
        .collect();
        let port_name = |i: usize| ports[i].1.as_ref().map(|(_, n)| n.clone());
        let id = writer.shipment(&NewShipment {
            line,
            identifier: row.opt(c_record_id),
            master_bol: row.opt(c_master_bol),
            house_bol: row.opt(c_house_bol),
            bill_type: row.opt(c_bill_type),
            ship_date: Some(date),
            estimated_arrival_date: estimated,
            shipper_id,
            consignee_id,
            notify_id,
            origin_country: row.country(c_origin_country)?.or(shipper_country),
            dest_country: row.country(c_dest_country)?.or(consignee_country),
            port_of_lading: port_name(0),
            port_of_unlading: port_name(1),
            place_of_receipt: port_name(2),
            carrier_code: row.opt(c_carrier),
            vessel_name: row.opt(c_vessel),
            vessel_country: row.country(c_vessel_country)?,
            foreign_port_of_destination: cells::port(&row.text(c_foreign_port_of_destination))
                .map(|(_, n)| n),
            record_status: row.opt(c_record_status),
            mode: row.opt(c_mode),
            weight_kg: kg,
            weight,
            weight_unit,
            quantity: row.integer(c_quantity)?,
            quantity_unit: row.opt(c_quantity_unit),
            containers: row.list(c_containers),
            hs_codes,
            description: row.opt(c_description),
        })?;
        for (role, p) in &ports {
            if let Some((Some(code), _)) = p {
                port_code.execute(params![id, role, code])?;
            }
        }
    }
    report(name, &t, warnings);
    Ok((writer.finish()?.shipments, res))
}

/// (weight as published, its unit, kilograms). A kilogram column is preferred; else the
/// published weight is converted by its unit; a unit that is not a known mass unit leaves
/// kilograms empty (counted, not guessed). Without a unit column `weight` is kilograms, as the
/// format has always read it.
fn weights(
    row: &Row,
    res: &Resolved,
    t: &mut Tally,
) -> Result<(Option<f64>, Option<String>, Option<f64>)> {
    let listed = row.number(res.col("weight_kg"))?;
    let published = row.number(res.col("weight"))?;
    let Some(w) = published else {
        return Ok((listed, listed.map(|_| "kg".to_string()), listed));
    };
    let Some(unit_col) = res.col("weight_unit") else {
        return Ok((Some(w), Some("kg".into()), listed.or(Some(w))));
    };
    let Some(unit) = row.opt(Some(unit_col)) else {
        if listed.is_none() {
            bump(&mut t.no_unit, row.line);
        }
        return Ok((Some(w), None, listed));
    };
    let converted = weight_kg(w, Some(&unit));
    match (listed, converted) {
        (_, None) if listed.is_none() => {
            let e = t
                .unknown_units
                .entry(unit.to_uppercase())
                .or_insert((0, row.line));
            e.0 += 1;
        }
        (Some(l), Some(c)) if (l - c).abs() > WEIGHT_TOLERANCE * l.max(c) => {
            bump(&mut t.disagree, row.line);
        }
        _ => {}
    }
    Ok((Some(w), Some(unit), listed.or(converted)))
}

fn report(name: &str, t: &Tally, warnings: &mut Vec<String>) {
    warnings.extend(super::trade::placeholder_warning(name, &t.placeholders));
    if t.no_party.0 > 0 {
        warnings.push(format!(
            "{name}: {} rows have no real shipper or consignee, only placeholders (first on line {})",
            t.no_party.0, t.no_party.1
        ));
    }
    for (unit, (n, first)) in &t.unknown_units {
        warnings.push(format!(
            "{name}: {n} weights in unit `{unit}` not converted to kg (not a known mass unit; \
             first on line {first}); kept as published"
        ));
    }
    if t.no_unit.0 > 0 {
        warnings.push(format!(
            "{name}: {} weights without a unit not converted to kg (first on line {})",
            t.no_unit.0, t.no_unit.1
        ));
    }
    if t.disagree.0 > 0 {
        warnings.push(format!(
            "{name}: {} rows whose kilogram weight differs from weight × unit by more than 2% \
             (first on line {}); the kilogram column was used",
            t.disagree.0, t.disagree.1
        ));
    }
}

fn dedup(v: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for s in v {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s);
        }
    }
    out
}

/// The header for a message: a hostile one can have 100,000 columns, so name a few.
fn shown_header(names: &[String]) -> String {
    const SHOWN: usize = 40;
    let mut s = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        s.push_str(&format!(", … ({} columns in all)", names.len()));
    }
    s
}
