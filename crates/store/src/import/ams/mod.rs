//! CBP AMS manifest extracts: a set of tables (header, billgen, shipper, consignee, notifyparty,
//! cargodesc, tariff, container, …) joined on `identifier`. See data/manifests/PROVENANCE.md.
//!
//! Each file's table is recognised by its header row, not its name, and large tables may come
//! as several `…_part_N.csv` files. Real extracts are tens of gigabytes and their tables are not
//! sorted alike, so rows are first staged in a temporary table, then read back in identifier
//! order: one pass over the staged rows assembles each bill, whatever the order of the files.

mod layout;

use std::collections::HashSet;

use rusqlite::Connection;

use crate::error::{Error, Result};
use tradescope_core::country;
use tradescope_core::progress::Progress;

use super::input::Input;
use super::trade::{
    hs_digits, placeholder_warning, weight_kg, worth_deferring, NewParty, NewShipment, TradeWriter,
};
use layout::{
    stage_file, Table, H_ACTUAL, H_CARRIER, H_ESTIMATED, H_FOREIGN_DEST, H_LADING, H_MODE,
    H_QUANTITY, H_RECEIPT, H_STATUS, H_UNIT, H_UNLADING, H_VESSEL, H_VESSEL_COUNTRY, H_WEIGHT,
    H_WEIGHT_UNIT, MAX_VALUES,
};

/// AMS party addresses are cut into fields of this many characters, even mid-word.
const ADDRESS_CUT: usize = 35;

/// Import an AMS table set; returns the number of bills written.
pub fn import(
    conn: &Connection,
    inputs: &[Input],
    source_id: i64,
    synthetic: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.ams_stage;
         CREATE TEMP TABLE ams_stage (
           kind INTEGER NOT NULL, identifier TEXT NOT NULL, seq INTEGER NOT NULL,
           file INTEGER NOT NULL, line INTEGER NOT NULL,
           v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15);",
    )?;
    let mut tables = HashSet::new();
    {
        let mut insert = conn.prepare(
            "INSERT INTO temp.ams_stage VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
               ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        )?;
        for (file, input) in inputs.iter().enumerate() {
            if let Some(t) = stage_file(input, file, &mut insert, progress, warnings)? {
                tables.insert(t);
            }
        }
    }
    if !tables.contains(&Table::Header) {
        let given: Vec<&str> = Table::ALL
            .iter()
            .filter(|t| tables.contains(t))
            .map(|t| t.name())
            .collect();
        return Err(Error::User(format!(
            "an AMS import needs the header table (dates, ports, vessel) of the extract; \
             given: {}. Add the ams__header_… file of the same extract",
            if given.is_empty() {
                "no AMS table".to_string()
            } else {
                given.join(", ")
            }
        )));
    }
    conn.execute_batch(
        "CREATE INDEX temp.ams_stage_order ON ams_stage (identifier, kind, seq, file, line);",
    )?;
    let rows = assemble(conn, inputs, source_id, synthetic, progress, warnings)?;
    conn.execute_batch("DROP TABLE temp.ams_stage;")?;
    Ok(rows)
}

/// Stage the rows of one file; returns its table (None for tables that are not used).
/// One staged row, read back.
struct Staged {
    table: Table,
    file: usize,
    line: u64,
    v: Vec<Option<String>>,
}

impl Staged {
    fn get(&self, i: usize) -> Option<&str> {
        self.v.get(i).and_then(|v| v.as_deref())
    }
}

/// Rows of other tables whose identifier has no header row: reported, not imported.
#[derive(Default)]
struct Orphans {
    count: [u64; 8],
    example: [Option<(String, usize, u64)>; 8],
}

fn assemble(
    conn: &Connection,
    inputs: &[Input],
    source_id: i64,
    synthetic: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    let total: i64 = conn.query_row("SELECT count(*) FROM temp.ams_stage", [], |r| r.get(0))?;
    progress.stage("joining AMS tables", Some(total as u64));
    let mut writer = TradeWriter::new(conn, source_id, synthetic)?;
    let bills: i64 = conn.query_row(
        "SELECT count(*) FROM temp.ams_stage WHERE kind = ?1",
        [Table::Header.code()],
        |r| r.get(0),
    )?;
    if worth_deferring(conn, bills as u64)? {
        writer.defer_indexes()?;
    }
    let mut stmt = conn.prepare(
        "SELECT kind, identifier, file, line, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11,
           v12, v13, v14, v15
         FROM temp.ams_stage ORDER BY identifier, kind, seq, file, line",
    )?;
    let mut rows = stmt.query([])?;
    let mut group: Vec<Staged> = Vec::new();
    let mut current: Option<String> = None;
    let mut orphans = Orphans::default();
    let mut duplicates = 0u64;
    loop {
        let next = rows.next()?;
        let id: Option<String> = next.map(|r| r.get(1)).transpose()?;
        if id != current {
            if let Some(ident) = current.take() {
                progress.inc(group.len() as u64);
                let bill = std::mem::take(&mut group);
                write_bill(&mut writer, &ident, bill, &mut orphans, &mut duplicates)?;
            }
            current = id;
        }
        let Some(r) = next else { break };
        let code: i64 = r.get(0)?;
        let table = Table::from_code(code).unwrap_or(Table::Header);
        let mut v = Vec::with_capacity(MAX_VALUES);
        for i in 0..MAX_VALUES {
            v.push(r.get::<_, Option<String>>(4 + i)?);
        }
        group.push(Staged {
            table,
            file: r.get::<_, i64>(2)? as usize,
            line: r.get::<_, i64>(3)? as u64,
            v,
        });
    }
    drop(rows);
    drop(stmt);
    for t in Table::ALL {
        let n = orphans.count[t.code() as usize];
        if let Some((ident, file, line)) = &orphans.example[t.code() as usize] {
            let file = inputs.get(*file).map(|i| i.name.as_str()).unwrap_or("?");
            warnings.push(format!(
                "{n} {} row(s) name bills that are not in the header table, so they were not \
                 imported (first: identifier {ident} at {file}:{line}); import the header file \
                 of the same extract with them",
                t.name()
            ));
        }
    }
    if duplicates > 0 {
        warnings.push(format!(
            "{duplicates} bill(s) have more than one header row; the first of each was used"
        ));
    }
    let stats = writer.finish()?;
    let file = inputs.first().map(|i| i.name.as_str()).unwrap_or("AMS");
    warnings.extend(placeholder_warning(file, &stats.placeholders));
    Ok(stats.shipments)
}

fn write_bill(
    writer: &mut TradeWriter,
    identifier: &str,
    rows: Vec<Staged>,
    orphans: &mut Orphans,
    duplicates: &mut u64,
) -> Result<()> {
    let first = |t: Table| rows.iter().find(|r| r.table == t);
    let Some(h) = first(Table::Header) else {
        for r in &rows {
            let i = r.table.code() as usize;
            orphans.count[i] += 1;
            orphans.example[i].get_or_insert((identifier.to_string(), r.file, r.line));
        }
        return Ok(());
    };
    if rows.iter().filter(|r| r.table == Table::Header).count() > 1 {
        *duplicates += 1;
    }
    let text = |r: &Staged, i: usize| r.get(i).map(str::to_string);
    let mut party = |t: Table| -> Result<Option<i64>> {
        match first(t) {
            Some(r) => writer.party(&party_of(r)),
            None => Ok(None),
        }
    };
    let shipper_id = party(Table::Shipper)?;
    let consignee_id = party(Table::Consignee)?;
    let notify_id = party(Table::Notify)?;
    let shipper_country = first(Table::Shipper).and_then(|r| r.get(8).and_then(country::code));

    let mut containers: Vec<String> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut hs_codes: Vec<String> = Vec::new();
    for r in &rows {
        let container = match r.table {
            Table::Container | Table::Cargodesc | Table::Tariff => r.get(0),
            _ => None,
        };
        if let Some(c) = container {
            if !containers.iter().any(|x| x == c) {
                containers.push(c.to_string());
            }
        }
        match r.table {
            // Rows come sorted by description_sequence_number; the same line repeated for
            // each container of the bill is kept once.
            Table::Cargodesc => {
                if let Some(d) = r.get(2) {
                    if !lines.contains(&d) {
                        lines.push(d);
                    }
                }
            }
            Table::Tariff => {
                if let Some(code) = r.get(1).and_then(hs_digits) {
                    if !hs_codes.contains(&code) {
                        hs_codes.push(code);
                    }
                }
            }
            _ => {}
        }
    }
    let bill = first(Table::Billgen);
    let weight: Option<f64> = h.get(H_WEIGHT).and_then(|w| w.parse().ok());
    let lading = text(h, H_LADING);
    let shipment = NewShipment {
        line: h.line,
        identifier: Some(identifier.to_string()),
        master_bol: bill.and_then(|b| text(b, 0)),
        house_bol: bill.and_then(|b| text(b, 1)),
        bill_type: bill.and_then(|b| text(b, 4)),
        ship_date: text(h, H_ACTUAL).or_else(|| text(h, H_ESTIMATED)),
        estimated_arrival_date: text(h, H_ESTIMATED),
        shipper_id,
        consignee_id,
        notify_id,
        origin_country: lading
            .as_deref()
            .and_then(port_country)
            .or(shipper_country)
            .map(str::to_string),
        // AMS holds bills of lading of shipments arriving in the United States.
        dest_country: Some("US".into()),
        port_of_lading: lading,
        port_of_unlading: text(h, H_UNLADING),
        place_of_receipt: text(h, H_RECEIPT),
        foreign_port_of_destination: text(h, H_FOREIGN_DEST),
        carrier_code: text(h, H_CARRIER),
        vessel_name: text(h, H_VESSEL),
        vessel_country: h
            .get(H_VESSEL_COUNTRY)
            .map(|c| country::code(c).unwrap_or(c).to_string()),
        mode: text(h, H_MODE),
        weight_kg: weight.and_then(|w| weight_kg(w, h.get(H_WEIGHT_UNIT))),
        weight,
        weight_unit: text(h, H_WEIGHT_UNIT),
        quantity: h.get(H_QUANTITY).and_then(|q| q.parse().ok()),
        quantity_unit: text(h, H_UNIT),
        containers,
        hs_codes,
        description: (!lines.is_empty()).then(|| lines.join("\n")),
        record_status: text(h, H_STATUS),
    };
    writer.shipment(&shipment)?;
    Ok(())
}

fn party_of(r: &Staged) -> NewParty {
    let parts: Vec<&str> = (1..=4).filter_map(|i| r.get(i)).collect();
    let mut address = join_address(&parts);
    let region: Vec<&str> = [r.get(6), r.get(7)].into_iter().flatten().collect();
    if !region.is_empty() {
        if !address.is_empty() {
            address.push_str(", ");
        }
        address.push_str(&region.join(" "));
    }
    let country = r.get(8).map(|c| country::code(c).unwrap_or(c).to_string());
    NewParty {
        name: r.get(0).unwrap_or_default().to_string(),
        address: (!address.is_empty()).then_some(address),
        city: r.get(5).map(str::to_string),
        country,
        line: r.line,
    }
}

/// Join AMS address fields. A field of exactly the cut length was most likely cut mid-text, so
/// the next one continues it without a space ("… SUITE D WALNU" + "T WALNUT, CA" → "WALNUT").
pub fn join_address(parts: &[&str]) -> String {
    let mut out = String::new();
    let mut prev_cut = false;
    for p in parts {
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() && !prev_cut {
            out.push(' ');
        }
        out.push_str(p);
        prev_cut = p.chars().count() == ADDRESS_CUT;
    }
    out.trim().to_string()
}

/// Country of an AMS port written "Place,Country" ("Puerto Bolivar,Ecuador" → EC,
/// "Kaohsiung,China (Taiwan)" → TW).
pub fn port_country(port: &str) -> Option<&'static str> {
    let last = port.rsplit(',').next()?.trim();
    country::code(last).or_else(|| {
        let inner = last.split_once('(')?.1.split(')').next()?;
        country::code(inner)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_cut_at_35_characters_join_without_space() {
        assert_eq!(
            join_address(&[
                ".",
                "565 BREA CANYON ROAD, SUITE D WALNU",
                "T WALNUT, CA CA 91789 US"
            ]),
            ". 565 BREA CANYON ROAD, SUITE D WALNUT WALNUT, CA CA 91789 US"
        );
        assert_eq!(
            join_address(&["6045 BOAT ROCK BLVD", "ATLANTA, GA 30336 U.S.A"]),
            "6045 BOAT ROCK BLVD ATLANTA, GA 30336 U.S.A"
        );
    }

    #[test]
    fn ports_name_their_country() {
        assert_eq!(port_country("Puerto Bolivar,Ecuador"), Some("EC"));
        assert_eq!(port_country("Shanghai ,China (Mainland)"), Some("CN"));
        assert_eq!(port_country("Kaohsiung,China (Taiwan)"), Some("TW"));
        assert_eq!(port_country("Vung Tau,Vietnam"), Some("VN"));
        assert_eq!(port_country("PUERTO BOLIVAR -"), None);
    }
}
