//! Where a list entry or a trade party is: what tells apart result rows whose names are the
//! same (the Entity List has three "Huawei Technologies Co., Ltd. (Huawei)" entries, one per
//! address). Runs on either engine ([`Sql`]).

use tradescope_core::model::{RecordKind, RecordRef};

use crate::error::Result;
use crate::sql::Sql;

/// The place of each record, in order: a list entry's first published address, a trade
/// party's city (else its address); None for other records or when none is known.
pub fn places(db: &dyn Sql, records: &[RecordRef]) -> Result<Vec<Option<String>>> {
    records
        .iter()
        .map(|r| {
            let text: Option<Option<String>> = match r.kind {
                RecordKind::Entity => db.opt(
                    "SELECT addresses FROM list_entry WHERE id = ?1",
                    crate::args![r.id],
                    |row| row.get(0),
                )?,
                RecordKind::Party => db.opt(
                    "SELECT COALESCE(NULLIF(TRIM(city), ''), address) FROM party WHERE id = ?1",
                    crate::args![r.id],
                    |row| row.get(0),
                )?,
                _ => None,
            };
            Ok(text.flatten().and_then(|t| {
                // Addresses are '; '-joined as published: the first one.
                let first = t.split("; ").next().unwrap_or("").trim().to_string();
                (!first.is_empty()).then_some(first)
            }))
        })
        .collect()
}
