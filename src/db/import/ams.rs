//! CBP AMS manifest extracts: a set of tables (header, billgen, shipper, consignee, notifyparty,
//! cargodesc, tariff, container, …) joined on `identifier`. See data/manifests/PROVENANCE.md.
//!
//! Each file's table is recognised by its header row, not its name, and large tables may come
//! as several `…_part_N.csv` files. Real extracts are tens of gigabytes and their tables are not
//! sorted alike, so rows are first staged in a temporary table, then read back in identifier
//! order: one pass over the staged rows assembles each bill, whatever the order of the files.

use std::collections::HashSet;

use rusqlite::{Connection, Statement};

use crate::country;
use crate::error::{Error, Result};
use crate::progress::Progress;

use super::csl::csv_error;
use super::fields::{self, opt, Header};
use super::input::{decode, Input};
use super::trade::{hs_digits, weight_kg, worth_deferring, NewParty, NewShipment, TradeWriter};

/// AMS party addresses are cut into fields of this many characters, even mid-word.
const ADDRESS_CUT: usize = 35;

/// The tables of the extract that tradescope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Table {
    Header,
    Billgen,
    Shipper,
    Consignee,
    Notify,
    Cargodesc,
    Tariff,
    Container,
}

/// How a staged value is checked and stored.
#[derive(Clone, Copy)]
enum Check {
    Text,
    Date,
    Int,
    Num,
}

type Column = (&'static [&'static str], Check);

const HEADER_COLUMNS: &[Column] = &[
    (&["carrier_code"], Check::Text),
    (&["vessel_country_code"], Check::Text),
    (&["vessel_name"], Check::Text),
    (&["port_of_unlading"], Check::Text),
    (&["estimated_arrival_date"], Check::Date),
    (&["foreign_port_of_lading"], Check::Text),
    (&["manifest_quantity"], Check::Int),
    (&["manifest_unit"], Check::Text),
    (&["weight"], Check::Num),
    (&["weight_unit"], Check::Text),
    (&["record_status_indicator"], Check::Text),
    (&["place_of_receipt"], Check::Text),
    (&["port_of_destination"], Check::Text),
    (&["foreign_port_of_destination"], Check::Text),
    (&["mode_of_transportation"], Check::Text),
    (&["actual_arrival_date"], Check::Date),
];
// Positions in HEADER_COLUMNS.
const H_CARRIER: usize = 0;
const H_VESSEL_COUNTRY: usize = 1;
const H_VESSEL: usize = 2;
const H_UNLADING: usize = 3;
const H_ESTIMATED: usize = 4;
const H_LADING: usize = 5;
const H_QUANTITY: usize = 6;
const H_UNIT: usize = 7;
const H_WEIGHT: usize = 8;
const H_WEIGHT_UNIT: usize = 9;
const H_STATUS: usize = 10;
const H_RECEIPT: usize = 11;
const H_FOREIGN_DEST: usize = 13;
const H_MODE: usize = 14;
const H_ACTUAL: usize = 15;

const BILLGEN_COLUMNS: &[Column] = &[
    (&["master_bol_number"], Check::Text),
    (&["house_bol_number"], Check::Text),
    (&["sub_house_bol_number"], Check::Text),
    (&["voyage_number"], Check::Text),
    (&["bill_type_code"], Check::Text),
];

const SHIPPER_COLUMNS: &[Column] = &party_columns(
    &["shipper_party_name", "shipper_name"],
    [
        &["shipper_party_address_1", "shipper_address_1"],
        &["shipper_party_address_2", "shipper_address_2"],
        &["shipper_party_address_3", "shipper_address_3"],
        &["shipper_party_address_4", "shipper_address_4"],
    ],
);
const CONSIGNEE_COLUMNS: &[Column] = &party_columns(
    &["consignee_name"],
    [
        &["consignee_address_1"],
        &["consignee_address_2"],
        &["consignee_address_3"],
        &["consignee_address_4"],
    ],
);
const NOTIFY_COLUMNS: &[Column] = &party_columns(
    &["notify_party_name"],
    [
        &["notify_party_address_1"],
        &["notify_party_address_2"],
        &["notify_party_address_3"],
        &["notify_party_address_4"],
    ],
);

const fn party_columns(
    name: &'static [&'static str],
    address: [&'static [&'static str]; 4],
) -> [Column; 9] {
    [
        (name, Check::Text),
        (address[0], Check::Text),
        (address[1], Check::Text),
        (address[2], Check::Text),
        (address[3], Check::Text),
        (&["city"], Check::Text),
        (&["state_province"], Check::Text),
        (&["zip_code"], Check::Text),
        (&["country_code"], Check::Text),
    ]
}

const CARGODESC_COLUMNS: &[Column] = &[
    (&["container_number"], Check::Text),
    (&["piece_count"], Check::Text),
    (&["description_text"], Check::Text),
];
const TARIFF_COLUMNS: &[Column] = &[
    (&["container_number"], Check::Text),
    (&["harmonized_number"], Check::Text),
];
const CONTAINER_COLUMNS: &[Column] = &[(&["container_number"], Check::Text)];

/// Most values any table stages (the header's).
const MAX_VALUES: usize = 16;

impl Table {
    const ALL: [Table; 8] = [
        Table::Header,
        Table::Billgen,
        Table::Shipper,
        Table::Consignee,
        Table::Notify,
        Table::Cargodesc,
        Table::Tariff,
        Table::Container,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Header => "header",
            Table::Billgen => "billgen",
            Table::Shipper => "shipper",
            Table::Consignee => "consignee",
            Table::Notify => "notifyparty",
            Table::Cargodesc => "cargodesc",
            Table::Tariff => "tariff",
            Table::Container => "container",
        }
    }

    fn columns(self) -> &'static [Column] {
        match self {
            Table::Header => HEADER_COLUMNS,
            Table::Billgen => BILLGEN_COLUMNS,
            Table::Shipper => SHIPPER_COLUMNS,
            Table::Consignee => CONSIGNEE_COLUMNS,
            Table::Notify => NOTIFY_COLUMNS,
            Table::Cargodesc => CARGODESC_COLUMNS,
            Table::Tariff => TARIFF_COLUMNS,
            Table::Container => CONTAINER_COLUMNS,
        }
    }

    fn code(self) -> i64 {
        Table::ALL.iter().position(|t| *t == self).unwrap_or(0) as i64
    }

    fn from_code(code: i64) -> Option<Table> {
        Table::ALL.get(usize::try_from(code).ok()?).copied()
    }
}

/// What a file's header says it is.
enum Detected {
    Table(Table),
    /// A real AMS table tradescope does not use (hazmat, marks and numbers).
    Ignored(&'static str),
}

fn detect(h: &Header) -> Option<Detected> {
    h.find(&["identifier"])?;
    let has = |c: &str| h.find(&[c]).is_some();
    let table = if has("port_of_unlading")
        && (has("estimated_arrival_date") || has("actual_arrival_date"))
    {
        Table::Header
    } else if has("master_bol_number") || has("bill_type_code") {
        Table::Billgen
    } else if has("shipper_party_name") || has("shipper_name") {
        Table::Shipper
    } else if has("consignee_name") {
        Table::Consignee
    } else if has("notify_party_name") {
        Table::Notify
    } else if has("description_text") {
        Table::Cargodesc
    } else if has("harmonized_number") {
        Table::Tariff
    } else if has("hazmat_sequence_number") || has("hazmat_classification") {
        return Some(Detected::Ignored("hazmat"));
    } else if has("marks_and_numbers_1") {
        return Some(Detected::Ignored("marksnumbers"));
    } else if has("container_number") {
        Table::Container
    } else {
        return None;
    };
    Some(Detected::Table(table))
}

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
fn stage_file(
    input: &Input,
    file: usize,
    insert: &mut Statement,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<Option<Table>> {
    let name = &input.name;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input.open(progress)?);
    let mut rec = csv::ByteRecord::new();
    if !rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(name, e))?
    {
        return Err(Error::file(
            name,
            "the file is empty (expected an AMS header row)",
        ));
    }
    let h = Header::new(name, rec.iter().map(|f| decode(f).into_owned()).collect())?;
    let table = match detect(&h) {
        Some(Detected::Table(t)) => t,
        Some(Detected::Ignored(t)) => {
            warnings.push(format!("{name}: the AMS {t} table is not used; skipped"));
            return Ok(None);
        }
        None => {
            return Err(Error::file(
                name,
                format!(
                    "not an AMS table: its header ({}) matches none of header, billgen, shipper, \
                     consignee, notifyparty, cargodesc, tariff, container",
                    h.names.join(",")
                ),
            ))
        }
    };
    let c_id = h.require(&["identifier"])?;
    let c_seq = h.find(&["description_sequence_number"]);
    let cols: Vec<(Option<usize>, &'static str, Check)> = table
        .columns()
        .iter()
        .map(|(aliases, check)| (h.find(aliases), aliases[0], *check))
        .collect();
    let width = h.names.len();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(name, e))?
    {
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if rec.len() != width {
            return Err(Error::input(
                name,
                line,
                "(row)",
                format!("{} fields where the header has {width}", rec.len()),
            ));
        }
        let get = |i: usize| decode(rec.get(i).unwrap_or_default()).into_owned();
        let identifier = get(c_id).trim().to_string();
        if identifier.is_empty() {
            return Err(Error::input(name, line, "identifier", "empty identifier"));
        }
        let seq = match c_seq.and_then(|i| opt(&get(i))) {
            None => 0,
            Some(s) => s.parse::<i64>().map_err(|_| {
                Error::input(
                    name,
                    line,
                    "description_sequence_number",
                    format!("`{s}` is not a whole number"),
                )
            })?,
        };
        insert.raw_bind_parameter(1, table.code())?;
        insert.raw_bind_parameter(2, &identifier)?;
        insert.raw_bind_parameter(3, seq)?;
        insert.raw_bind_parameter(4, file as i64)?;
        insert.raw_bind_parameter(5, line as i64)?;
        for slot in 0..MAX_VALUES {
            let value = match cols.get(slot) {
                Some((Some(i), field, check)) => checked(name, line, field, *check, &get(*i))?,
                _ => None,
            };
            insert.raw_bind_parameter(6 + slot, value)?;
        }
        insert.raw_execute()?;
    }
    Ok(Some(table))
}

/// A field's value as staged: None when empty, dates as ISO, numbers checked.
fn checked(file: &str, line: u64, field: &str, check: Check, raw: &str) -> Result<Option<String>> {
    let Some(v) = opt(raw) else {
        return Ok(None);
    };
    let bad = |what: &str| Error::input(file, line, field, format!("`{v}` is not {what}"));
    match check {
        Check::Text => Ok(Some(v)),
        Check::Date => fields::date_at(file, line, field, &v),
        Check::Int => v
            .parse::<i64>()
            .map(|_| Some(v.clone()))
            .map_err(|_| bad("a whole number")),
        Check::Num => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|_| Some(v.clone()))
            .ok_or_else(|| bad("a number")),
    }
}

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
    Ok(writer.finish()?.shipments)
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
