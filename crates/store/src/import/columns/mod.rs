//! Which column of a shipments CSV fills which field (issue 15 item 5): the alias table
//! (editable data, `tradescope columns export|import`; bundled as
//! data/reference/shipment_columns.tsv), layouts (`COUNTRY` is the origin in a US import and the
//! destination in an Indian export), and one-off `--map FIELD=COLUMN` overrides. Every header
//! column ends up either used for one field or reported as ignored, with the reason.

mod resolve;

use std::collections::HashMap;

use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::reference_tsv;
use tradescope_core::text::spreadsheet::tsv_cell;

pub use resolve::{resolve, Resolved};

/// The bundled alias table.
pub const DEFAULT_TSV: &str = include_str!("../../../../../data/reference/shipment_columns.tsv");

/// The fields of the shipments format, with what each holds (for `--map` errors and the docs).
pub const FIELDS: &[(&str, &str)] = &[
    ("record_id", "your identifier of the record"),
    ("date", "arrival date for imports, departure for exports"),
    (
        "estimated_arrival_date",
        "estimated arrival; the date when `date` is empty",
    ),
    ("master_bol", "master bill of lading number"),
    ("house_bol", "house bill of lading number"),
    ("bill_type", "e.g. Master Bill, House Bill"),
    ("shipper", "shipper name"),
    ("shipper_address", "shipper address"),
    ("shipper_city", "shipper city"),
    ("shipper_country", "shipper country"),
    ("consignee", "consignee name"),
    ("consignee_address", "consignee address"),
    ("consignee_city", "consignee city"),
    ("consignee_country", "consignee country"),
    ("notify_party", "notify party name"),
    ("notify_address", "notify party address"),
    ("notify_city", "notify party city"),
    ("notify_country", "notify party country"),
    ("origin_country", "country of origin / lading"),
    ("dest_country", "country of destination"),
    (
        "port_of_lading",
        "port of lading (`53306, MUNDRA` keeps the code)",
    ),
    ("port_of_unlading", "port of unlading"),
    ("place_of_receipt", "place of receipt"),
    ("carrier", "carrier code (SCAC)"),
    ("vessel", "vessel name"),
    ("vessel_country", "vessel flag country"),
    (
        "foreign_port_of_destination",
        "foreign port of destination (in-transit cargo)",
    ),
    ("record_status", "e.g. Deleted, Amended"),
    ("mode", "mode of transport"),
    ("weight_kg", "weight in kilograms"),
    (
        "weight",
        "weight as published, in `weight_unit` (kilograms when there is no unit column)",
    ),
    ("weight_unit", "unit of `weight`: KG, K, LB, L, T, MT, …"),
    ("quantity", "whole number"),
    ("quantity_unit", "unit of the quantity"),
    ("containers", "`;`-separated container numbers"),
    ("hs_codes", "`;`-separated HS codes"),
    ("description", "goods description"),
];

/// `--map ignore=COLUMN` leaves a column unused on purpose.
pub const IGNORE: &str = "ignore";

/// One row of the alias table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub field: String,
    /// As written (for export).
    pub heading: String,
    /// '' = any file.
    pub layout: String,
}

/// How a column name is matched: lower-case, every run of other characters than letters and
/// digits one `_`, none at the ends (`Goods Description`, `GOODS-DESCRIPTION` →
/// `goods_description`; `WEIGHT (KG)` → `weight_kg`).
pub fn key(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

fn is_field(f: &str) -> bool {
    FIELDS.iter().any(|(n, _)| *n == f)
}

fn field_list() -> String {
    FIELDS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parse the alias table TSV (`field, column, layout`), checking every row.
pub fn parse_tsv(file: &str, text: &str) -> Result<Vec<Alias>> {
    let (h, rows) = reference_tsv::read(file, text, "field, column, layout")?;
    let c_field = h.require(&["field"])?;
    let c_col = h.require(&["column", "heading", "alias"])?;
    let c_layout = h.find(&["layout"]);
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    let mut out = Vec::new();
    for row in &rows {
        let field = row.need(file, c_field, "field")?.to_ascii_lowercase();
        if !is_field(&field) {
            return Err(Error::input(
                file,
                row.line,
                "field",
                format!(
                    "`{field}` is not a shipments field (fields: {})",
                    field_list()
                ),
            ));
        }
        let heading = row.need(file, c_col, "column")?.to_string();
        let layout = row.get(c_layout).unwrap_or("").to_ascii_lowercase();
        let k = key(&heading);
        if k.is_empty() {
            return Err(Error::input(
                file,
                row.line,
                "column",
                "no letters or digits",
            ));
        }
        if let Some(first) = seen.insert((layout.clone(), k), row.line) {
            return Err(Error::input(
                file,
                row.line,
                "column",
                format!("`{heading}` is already given on line {first} (one column fills one field per layout)"),
            ));
        }
        out.push(Alias {
            field,
            heading,
            layout,
        });
    }
    Ok(out)
}

/// Replace the stored table with the one in `text`; returns (aliases, layouts).
pub fn load_tsv(tx: &Transaction, file: &str, text: &str) -> Result<ColumnsReport> {
    let aliases = parse_tsv(file, text)?;
    tx.execute("DELETE FROM shipment_column", [])?;
    let mut stmt = tx.prepare(
        "INSERT INTO shipment_column (field, heading, heading_key, layout) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for a in &aliases {
        stmt.execute(params![a.field, a.heading, key(&a.heading), a.layout])?;
    }
    Ok(ColumnsReport::of(&aliases))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnsReport {
    pub aliases: u64,
    pub layouts: Vec<String>,
}

impl ColumnsReport {
    fn of(aliases: &[Alias]) -> ColumnsReport {
        let mut layouts: Vec<String> = aliases
            .iter()
            .filter(|a| !a.layout.is_empty())
            .map(|a| a.layout.clone())
            .collect();
        layouts.sort();
        layouts.dedup();
        ColumnsReport {
            aliases: aliases.len() as u64,
            layouts,
        }
    }
}

/// The table in use: the stored one, or the bundled one while none is stored.
pub fn table(conn: &Connection) -> Result<Vec<Alias>> {
    let mut stmt =
        conn.prepare("SELECT field, heading, layout FROM shipment_column ORDER BY id")?;
    let stored = stmt
        .query_map([], |r| {
            Ok(Alias {
                field: r.get(0)?,
                heading: r.get(1)?,
                layout: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if stored.is_empty() {
        return parse_tsv("data/reference/shipment_columns.tsv", DEFAULT_TSV);
    }
    Ok(stored)
}

/// The table in use as TSV, in the format `load_tsv` reads (the bundled comments included).
pub fn export_tsv(conn: &Connection) -> Result<String> {
    let mut out: String = DEFAULT_TSV
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    out.push_str("field\tcolumn\tlayout\n");
    for a in table(conn)? {
        let clean = |s: &str| tsv_cell(s).into_owned();
        out.push_str(&format!(
            "{}\t{}\t{}\n",
            clean(&a.field),
            clean(&a.heading),
            clean(&a.layout)
        ));
    }
    Ok(out)
}

/// `FIELD=COLUMN` pairs from `--map` arguments: each is a pair, or a CSV/TSV file of
/// `field,column` rows (header optional, `#` comments). Errors name the argument or file line.
pub fn parse_map_arg(
    arg: &str,
    read: impl Fn(&str) -> Result<String>,
) -> Result<Vec<(String, String)>> {
    if let Some((f, c)) = arg.split_once('=') {
        return Ok(vec![check_pair("--map", 0, f, c)?]);
    }
    let text = read(arg)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let sep = if l.contains('\t') { '\t' } else { ',' };
        let Some((f, c)) = l.split_once(sep) else {
            return Err(Error::input(
                arg,
                i as u64 + 1,
                "field",
                "expected `field,column`",
            ));
        };
        let (f, c) = (f.trim().trim_matches('"'), c.trim().trim_matches('"'));
        if out.is_empty() && f.eq_ignore_ascii_case("field") {
            continue;
        }
        out.push(check_pair(arg, i as u64 + 1, f, c)?);
    }
    Ok(out)
}

fn check_pair(file: &str, line: u64, f: &str, c: &str) -> Result<(String, String)> {
    let f = f.trim().to_ascii_lowercase();
    let c = c.trim();
    let at = |m: String| {
        if line == 0 {
            Error::User(format!("{file} {f}={c}: {m}"))
        } else {
            Error::input(file, line, "field", m)
        }
    };
    if !is_field(&f) && f != IGNORE {
        return Err(at(format!(
            "`{f}` is not a shipments field (fields: {}, or `{IGNORE}`)",
            field_list()
        )));
    }
    if key(c).is_empty() {
        return Err(at("no column name after `=`".into()));
    }
    Ok((f, c.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_punctuation() {
        assert_eq!(key("Goods Description"), "goods_description");
        assert_eq!(key(" WEIGHT (KG) "), "weight_kg");
        assert_eq!(key("shipper-country"), "shipper_country");
    }

    #[test]
    fn bundled_table_parses() {
        let t = parse_tsv("t", DEFAULT_TSV).unwrap();
        assert!(t
            .iter()
            .any(|a| a.heading == "COUNTRY" && a.layout == "us-import"));
        let r = ColumnsReport::of(&t);
        assert_eq!(r.layouts, ["india-export", "us-import"]);
    }

    #[test]
    fn map_arguments_and_files() {
        let none = |_: &str| -> Result<String> { unreachable!() };
        assert_eq!(
            parse_map_arg("date=ETA DATE", none).unwrap(),
            [("date".to_string(), "ETA DATE".to_string())]
        );
        assert!(parse_map_arg("when=X", none)
            .unwrap_err()
            .to_string()
            .contains("not a shipments field"));
        let file = |_: &str| Ok("field,column\n# c\ndate,ETA\nshipper,\"SELLER\"\n".to_string());
        assert_eq!(
            parse_map_arg("map.csv", file).unwrap(),
            [
                ("date".to_string(), "ETA".to_string()),
                ("shipper".to_string(), "SELLER".to_string())
            ]
        );
        let bad = |_: &str| Ok("date,ETA\nwhen,X\n".to_string());
        let e = parse_map_arg("map.csv", bad).unwrap_err().to_string();
        assert!(e.contains("map.csv:2"), "{e}");
    }
}
