//! A filter as SQL: WHERE clauses and their parameters.

use rusqlite::types::Value;
use rusqlite::Connection;

use super::*;
use crate::error::Result;

/// WHERE clauses and parameters for a filter, without the party-set part. `listed` holds the
/// listed-at-date ranges when the filter asks for them.
pub(super) fn conditions(f: &ShipmentFilter, listed: Option<&str>) -> (Vec<String>, Vec<Value>) {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    let eq = |col: &str, v: Value, w: &mut Vec<String>, p: &mut Vec<Value>| {
        p.push(v);
        w.push(format!("{col} = ?{}", p.len()));
    };
    if let Some(id) = f.shipper_id {
        eq("s.shipper_id", id.into(), &mut w, &mut p);
    }
    if let Some(id) = f.consignee_id {
        eq("s.consignee_id", id.into(), &mut w, &mut p);
    }
    if let Some(id) = f.notify_id {
        eq("s.notify_id", id.into(), &mut w, &mut p);
    }
    let names: Vec<String> = f
        .party_names
        .iter()
        .map(|n| tradescope_matching::normalize_key(n))
        .filter(|n| !n.is_empty())
        .collect();
    if !names.is_empty() {
        // Any of the names (OR), in any role.
        let mut any = Vec::new();
        for n in names {
            p.push(n.into());
            any.push(format!("instr(norm, ?{}) > 0", p.len()));
        }
        let any = any.join(" OR ");
        w.push(format!(
            "(s.shipper_id IN (SELECT id FROM party WHERE {any})
              OR s.consignee_id IN (SELECT id FROM party WHERE {any})
              OR s.notify_id IN (SELECT id FROM party WHERE {any}))"
        ));
    }
    if let Some(c) = &f.origin_country {
        eq("s.origin_country", c.to_uppercase().into(), &mut w, &mut p);
    }
    if let Some(c) = &f.dest_country {
        eq("s.dest_country", c.to_uppercase().into(), &mut w, &mut p);
    }
    if let Some(c) = &f.country {
        p.push(c.to_uppercase().into());
        let n = p.len();
        w.push(format!(
            "(s.origin_country = ?{n} OR s.dest_country = ?{n})"
        ));
    }
    if let Some(port) = &f.port {
        p.push(port.to_lowercase().into());
        let n = p.len();
        w.push(format!(
            "(instr(lower(s.port_of_lading), ?{n}) > 0 OR instr(lower(s.port_of_unlading), ?{n}) > 0)"
        ));
    }
    if let Some(digits) = hs_digits(f) {
        // Any HS code of the bill (shipment_hs), not only the first. A range instead of LIKE,
        // which could not use an index; one primary-key probe per candidate row.
        p.push(digits.clone().into());
        p.push(format!("{digits}\u{10ffff}").into());
        w.push(format!(
            "{HS_EXISTS} h.shipment_id = s.id AND h.hs_code >= ?{} AND h.hs_code < ?{})",
            p.len() - 1,
            p.len()
        ));
    }
    if let Some(d) = &f.date_from {
        p.push(d.clone().into());
        w.push(format!("s.ship_date >= ?{}", p.len()));
    }
    if let Some(d) = &f.date_to {
        p.push(d.clone().into());
        w.push(format!("s.ship_date <= ?{}", p.len()));
    }
    if let Some(t) = search_text(f).as_deref() {
        if t.chars().count() >= 3 {
            // FTS5 trigram: a quoted phrase is a case-insensitive substring match.
            p.push(crate::fts::phrase(t).into());
            w.push(format!(
                "s.id IN (SELECT {} FROM shipment_fts WHERE shipment_fts MATCH ?{})",
                crate::fts::id_of("rowid"),
                p.len()
            ));
        } else {
            p.push(t.to_lowercase().into());
            w.push(format!("instr(lower(s.description), ?{}) > 0", p.len()));
        }
    }
    if let Some(syn) = f.synthetic {
        p.push(i64::from(syn).into());
        w.push(format!("s.synthetic = ?{}", p.len()));
    }
    if let (Some(want), Some(ranges)) = (f.listed_at_date, listed) {
        p.push(ranges.to_string().into());
        let exists = format!(
            "EXISTS (SELECT 1 FROM json_each(?{}) j
               WHERE j.value ->> 0 IN (s.shipper_id, s.consignee_id)
                 AND (j.value ->> 1 IS NULL OR s.ship_date >= j.value ->> 1)
                 AND (j.value ->> 2 IS NULL OR s.ship_date < j.value ->> 2))",
            p.len()
        );
        w.push(if want {
            exists
        } else {
            format!("NOT {exists}")
        });
    }
    if f.carries_listed_products {
        w.push(crate::products::CARRIES_LISTED_SQL.to_string());
    }
    (w, p)
}

/// The listed-at-date ranges (JSON) and their parties, when the filter needs them.
pub(super) fn listed_ranges(
    conn: &Connection,
    f: &ShipmentFilter,
) -> Result<Option<(String, Vec<i64>)>> {
    match f.listed_at_date {
        Some(_) => Ok(Some(crate::asof::listed_ranges_json(conn)?)),
        None => Ok(None),
    }
}

/// How the HS condition of [`conditions`] begins: an HS run (runs.rs) reads the same rows
/// from shipment_hs's own index and leaves the condition out.
pub(super) const HS_EXISTS: &str = "EXISTS (SELECT 1 FROM shipment_hs h WHERE";

/// The digits of the filter's HS prefix, if it has any.
pub(super) fn hs_digits(f: &ShipmentFilter) -> Option<String> {
    let digits: String = f
        .hs_prefix
        .as_deref()?
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// The description text of `f`, trimmed. An FTS5 query string ends at a NUL ("unterminated
/// string"); stored text never holds one (the importers refuse NUL bytes), so dropping them
/// loses nothing. Found by fuzzing.
pub(super) fn search_text(f: &ShipmentFilter) -> Option<String> {
    let t = f.text.as_deref()?.replace('\0', "");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The description text of `f` when it goes through the trigram index (3 characters or more).
pub(super) fn fts_text(f: &ShipmentFilter) -> Option<String> {
    search_text(f).filter(|t| t.chars().count() >= 3)
}
