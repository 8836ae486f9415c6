//! The AMS tables tradescope reads: how each is recognised by its header, which of its columns
//! are kept, and how a file's rows are checked and staged for the join.

use rusqlite::Statement;

use crate::error::{Error, Result};
use tradescope_core::progress::Progress;

use crate::import::fields::{self, opt, Header};
use crate::import::input::{decode, Input};
use crate::import::records::Records;

/// The tables of the extract that tradescope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Table {
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
pub(super) enum Check {
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
pub(super) const H_CARRIER: usize = 0;
pub(super) const H_VESSEL_COUNTRY: usize = 1;
pub(super) const H_VESSEL: usize = 2;
pub(super) const H_UNLADING: usize = 3;
pub(super) const H_ESTIMATED: usize = 4;
pub(super) const H_LADING: usize = 5;
pub(super) const H_QUANTITY: usize = 6;
pub(super) const H_UNIT: usize = 7;
pub(super) const H_WEIGHT: usize = 8;
pub(super) const H_WEIGHT_UNIT: usize = 9;
pub(super) const H_STATUS: usize = 10;
pub(super) const H_RECEIPT: usize = 11;
pub(super) const H_FOREIGN_DEST: usize = 13;
pub(super) const H_MODE: usize = 14;
pub(super) const H_ACTUAL: usize = 15;

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
pub(super) const MAX_VALUES: usize = 16;

impl Table {
    pub(super) const ALL: [Table; 8] = [
        Table::Header,
        Table::Billgen,
        Table::Shipper,
        Table::Consignee,
        Table::Notify,
        Table::Cargodesc,
        Table::Tariff,
        Table::Container,
    ];

    pub(super) fn name(self) -> &'static str {
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

    pub(super) fn code(self) -> i64 {
        Table::ALL.iter().position(|t| *t == self).unwrap_or(0) as i64
    }

    pub(super) fn from_code(code: i64) -> Option<Table> {
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

pub(super) fn stage_file(
    input: &Input,
    file: usize,
    insert: &mut Statement,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<Option<Table>> {
    let name = &input.name;
    let mut records = Records::new(name, input.open(progress)?, b',');
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected an AMS header row)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let h = Header::new(
        name,
        records.rec.iter().map(|f| decode(f).into_owned()).collect(),
    )?;
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
    records.set_columns(&h.names);
    while records.read_next()? {
        if records.is_blank() {
            continue;
        }
        records.check_row(&h)?;
        let line = records.line();
        let rec = &records.rec;
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
