//! Critical and emerging technology (CET) areas ↔ CPC prefixes: editable reference data
//! (data/reference/cet_cpc.tsv). There is no official concordance, so the user replaces the
//! table with their own mapping and exports it back for editing.

use std::collections::HashMap;

use rusqlite::{params, Connection, Transaction};

use crate::error::{Error, Result};
use crate::import::patent_writer::normalize_cpc;
use crate::reference_tsv;
use tradescope_core::text::spreadsheet::tsv_cell;

/// The bundled mapping.
pub const DEFAULT_TSV: &str = include_str!("../../../data/reference/cet_cpc.tsv");

const EXPORT_PREAMBLE: &str = "\
# Critical and emerging technology (CET) areas and the CPC prefixes that stand for them.
# There is no official CET -> CPC concordance: this mapping is the analyst's, edit it freely.
# A patent belongs to an area when one of its CPC codes starts with a prefix of the area.
# Columns (tab-separated): area_code, area_name, cpc_prefix, note. Lines starting with # are comments.
";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CetReport {
    pub areas: u64,
    pub prefixes: u64,
}

/// Replace the CET tables with the mapping in `text` (named `file` in error messages).
pub fn load_tsv(tx: &Transaction, file: &str, text: &str) -> Result<CetReport> {
    let (h, rows) = reference_tsv::read(file, text, "area_code, area_name, cpc_prefix, note")?;
    let c_code = h.require(&["area_code", "area"])?;
    let c_name = h.find(&["area_name", "name"]);
    let c_prefix = h.require(&["cpc_prefix", "cpc", "prefix"])?;
    let c_note = h.find(&["note", "notes"]);
    tx.execute_batch("DELETE FROM cet_cpc; DELETE FROM cet_area;")?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut report = CetReport {
        areas: 0,
        prefixes: 0,
    };
    for row in &rows {
        let (line, get) = (row.line, |c| row.get(c));
        let code = get(Some(c_code))
            .ok_or_else(|| Error::input(file, line, "area_code", "empty area code"))?
            .to_ascii_uppercase();
        let raw = get(Some(c_prefix)).unwrap_or_default();
        let prefix = normalize_cpc(raw)
            .filter(|p| is_cpc_prefix(p))
            .ok_or_else(|| {
                Error::input(
                    file,
                    line,
                    "cpc_prefix",
                    format!("`{raw}` is not a CPC symbol or prefix (such as G06V40 or H04N7/18)"),
                )
            })?;
        let name = get(c_name).unwrap_or(&code).to_string();
        match names.get(&code) {
            Some(known) if *known != name => {
                return Err(Error::input(
                    file,
                    line,
                    "area_name",
                    format!("area {code} is named `{known}` on an earlier line"),
                ))
            }
            Some(_) => {}
            None => {
                tx.execute(
                    "INSERT INTO cet_area (code, name) VALUES (?1, ?2)",
                    params![code, name],
                )?;
                names.insert(code.clone(), name);
                report.areas += 1;
            }
        }
        report.prefixes += tx.execute(
            "INSERT OR IGNORE INTO cet_cpc (area_code, cpc_prefix, note) VALUES (?1, ?2, ?3)",
            params![code, prefix, get(c_note)],
        )? as u64;
    }
    // Every patent's areas follow the new table.
    crate::patents::index::rebuild_cet(tx)?;
    Ok(report)
}

/// A CPC section letter, then class digits, then optionally subclass, group and subgroup.
fn is_cpc_prefix(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 3
        && matches!(b[0], b'A'..=b'H' | b'Y')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'/')
}

/// The CET tables as TSV, in the format `load_tsv` reads.
pub fn export_tsv(conn: &Connection) -> Result<String> {
    let mut out = String::from(EXPORT_PREAMBLE);
    out.push_str("area_code\tarea_name\tcpc_prefix\tnote\n");
    let mut stmt = conn.prepare(
        "SELECT a.code, a.name, c.cpc_prefix, COALESCE(c.note, '')
         FROM cet_area a JOIN cet_cpc c ON c.area_code = a.code
         ORDER BY a.rowid, c.cpc_prefix",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok([r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
    })?;
    for row in rows {
        let row = row?;
        let cells: Vec<String> = row.iter().map(|c| tsv_cell(c).into_owned()).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_look_like_cpc() {
        assert!(is_cpc_prefix("G06V40"));
        assert!(is_cpc_prefix("H04N7/18"));
        assert!(is_cpc_prefix("H01L"));
        assert!(!is_cpc_prefix("AI"));
        assert!(!is_cpc_prefix("Z99"));
    }
}
