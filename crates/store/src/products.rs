//! Products in descriptions, stored: the editable pattern table (`product_pattern`), the brands
//! and model numbers detected per shipment (`shipment_product`), and which list entries each
//! pattern's maker is (`maker_entry`), so that a distributor's bill carrying Hikvision models
//! says "carries products of listed maker: Hikvision (EL, CMIC)".

use std::collections::BTreeMap;

use rayon::prelude::*;
use rusqlite::{params, Connection, Statement, Transaction};
use serde::Serialize;

use crate::entities;
use crate::error::{Error, Result};
use tradescope_core::products::{self, Detector, Pattern};
use tradescope_matching::{self as matching, NameIndex, SearchOptions};

/// Model numbers are compared by their letters and digits: "IDS 2CD7A46G0 IZHS" (as a customs
/// broker retyped it) is "iDS-2CD7A46G0-IZHS".
pub fn model_key(matched: &str) -> String {
    matched
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The pattern table as stored, in id order.
pub fn patterns(conn: &Connection) -> Result<Vec<(i64, Pattern)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, maker_group, maker, kind, pattern, COALESCE(example, '')
         FROM product_pattern ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            Pattern {
                group: r.get(1)?,
                maker: r.get(2)?,
                kind: r.get(3)?,
                pattern: r.get(4)?,
                example: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored patterns compiled, with their row ids (None when the table is empty).
pub struct StoredDetector {
    pub detector: Detector,
    pub ids: Vec<i64>,
}

impl StoredDetector {
    pub fn load(conn: &Connection) -> Result<Option<StoredDetector>> {
        let rows = patterns(conn)?;
        if rows.is_empty() {
            return Ok(None);
        }
        let (ids, pats): (Vec<i64>, Vec<Pattern>) = rows.into_iter().unzip();
        // Patterns are validated on import; a failure here means the table was edited by hand.
        let detector = Detector::new(pats).map_err(|e| {
            Error::User(format!(
                "the product pattern table does not compile ({e}); load a good one with \
                 `tradescope patterns import FILE`"
            ))
        })?;
        Ok(Some(StoredDetector { detector, ids }))
    }

    /// (pattern row id, matched text, model key) of every hit in `text`.
    pub fn detect(&self, text: &str) -> Vec<(i64, String, String)> {
        self.detector
            .detect(text)
            .into_iter()
            .map(|d| {
                let key = model_key(&d.matched);
                (self.ids[d.pattern], d.matched, key)
            })
            .collect()
    }
}

/// Inserts detections; one prepared statement for a whole load.
pub struct ProductWriter<'c> {
    insert: Statement<'c>,
}

impl<'c> ProductWriter<'c> {
    pub fn new(conn: &'c Connection) -> Result<Self> {
        Ok(ProductWriter {
            insert: conn.prepare(
                "INSERT OR IGNORE INTO shipment_product (shipment_id, pattern_id, matched, model_key)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
        })
    }

    pub fn write(&mut self, shipment_id: i64, hits: &[(i64, String, String)]) -> Result<()> {
        for (pattern_id, matched, key) in hits {
            self.insert
                .execute(params![shipment_id, pattern_id, matched, key])?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PatternReport {
    pub patterns: u64,
    /// Shipments whose descriptions were scanned again.
    pub shipments_scanned: u64,
    /// Shipments with at least one brand or model number.
    pub shipments_with_products: u64,
    /// (maker, list entry) links.
    pub maker_links: u64,
}

/// Replace the pattern table with `text` (TSV as `products::parse_tsv` reads it, named `file` in
/// errors), detect products again in every description and link the makers to list entries.
pub fn load_tsv(tx: &Transaction, file: &str, text: &str) -> Result<PatternReport> {
    let parsed = products::parse_tsv(text).map_err(|e| Error::file(file, e))?;
    // Compile before touching the table: a bad pattern leaves the old table in place.
    Detector::new(parsed.clone()).map_err(|e| Error::file(file, e))?;
    tx.execute_batch("DELETE FROM shipment_product; DELETE FROM product_pattern;")?;
    {
        let mut ins = tx.prepare(
            "INSERT INTO product_pattern (maker_group, maker, kind, pattern, example)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for p in &parsed {
            ins.execute(params![
                p.group,
                p.maker,
                p.kind,
                p.pattern,
                (!p.example.is_empty()).then_some(&p.example)
            ])?;
        }
    }
    let (scanned, with) = detect_all(tx)?;
    let links = link_makers(tx)?;
    Ok(PatternReport {
        patterns: parsed.len() as u64,
        shipments_scanned: scanned,
        shipments_with_products: with,
        maker_links: links,
    })
}

/// The stored table as TSV, in the layout `load_tsv` reads.
pub fn export_tsv(conn: &Connection) -> Result<String> {
    let pats: Vec<Pattern> = patterns(conn)?.into_iter().map(|(_, p)| p).collect();
    let mut out = String::from(
        "# Brand names and model-number patterns (Rust regex, case-insensitive), exported from \
         tradescope.\n# Edit and load back with `tradescope patterns import FILE`.\n",
    );
    out.push_str(&products::to_tsv(&pats));
    Ok(out)
}

/// Rows read per batch when all descriptions are scanned again.
const DETECT_BATCH: usize = 20_000;

/// Detect products in every shipment description (after the pattern table changed): batches
/// read by id, scanned in parallel, written in order. Returns (scanned, with products).
pub fn detect_all(tx: &Transaction) -> Result<(u64, u64)> {
    tx.execute("DELETE FROM shipment_product", [])?;
    let Some(det) = StoredDetector::load(tx)? else {
        return Ok((0, 0));
    };
    let mut writer = ProductWriter::new(tx)?;
    let mut read = tx.prepare(
        "SELECT id, description FROM shipment WHERE id > ?1 AND description IS NOT NULL
         ORDER BY id LIMIT ?2",
    )?;
    let (mut after, mut scanned, mut with) = (0i64, 0u64, 0u64);
    loop {
        let batch: Vec<(i64, String)> = read
            .query_map(params![after, DETECT_BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = batch.last() else { break };
        after = last.0;
        let found: Vec<Vec<(i64, String, String)>> =
            batch.par_iter().map(|(_, d)| det.detect(d)).collect();
        for ((id, _), hits) in batch.iter().zip(&found) {
            if !hits.is_empty() {
                writer.write(*id, hits)?;
                with += 1;
            }
        }
        scanned += batch.len() as u64;
    }
    Ok((scanned, with))
}

/// Link each pattern maker to the current list entries it names (matcher, link threshold).
pub fn link_makers(tx: &Transaction) -> Result<u64> {
    tx.execute("DELETE FROM maker_entry", [])?;
    let makers: Vec<String> = tx
        .prepare("SELECT DISTINCT maker FROM product_pattern ORDER BY maker")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if makers.is_empty() {
        return Ok(0);
    }
    let names = entities::current_names(tx)?;
    if names.is_empty() {
        return Ok(0);
    }
    let index = NameIndex::build(names);
    let opts = SearchOptions {
        threshold: matching::LINK_THRESHOLD,
        limit: 50,
        schema: matching::Schema::Company,
        country: None,
        dob: None,
    };
    let mut ins = tx.prepare(
        "INSERT OR REPLACE INTO maker_entry (maker, entry_id, score, explanation)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut n = 0;
    for m in &makers {
        for h in index.search(m, &opts) {
            ins.execute(params![m, h.id, h.score, h.explanation])?;
            n += 1;
        }
    }
    Ok(n)
}

/// A listed entry a maker links to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MakerListing {
    pub entity_id: i64,
    pub list: String,
    pub name: String,
    /// The same listing can be in several datasets (CMIC in the CSL and the OFAC file).
    pub listing_key: String,
}

/// A product found in a shipment's description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectedProduct {
    pub group: String,
    pub maker: String,
    /// brand | model
    pub kind: String,
    pub matched: String,
    pub model_key: String,
    /// Current list entries of the maker (empty: the maker is not listed).
    pub listed: Vec<MakerListing>,
}

/// Current list entries of each maker: maker → entries.
fn maker_listings(db: &dyn crate::sql::Sql) -> Result<BTreeMap<String, Vec<MakerListing>>> {
    let rows = db.map(
        "SELECT m.maker, e.id, e.list_code, e.name, e.listing_key FROM maker_entry m
         JOIN list_entry e ON e.id = m.entry_id AND e.current = 1
         ORDER BY m.maker, e.start_date IS NULL, e.start_date, e.id",
        &[],
        |r| {
            Ok((
                r.get::<String>(0)?,
                MakerListing {
                    entity_id: r.get(1)?,
                    list: r.get(2)?,
                    name: r.get(3)?,
                    listing_key: r.get(4)?,
                },
            ))
        },
    )?;
    let mut out: BTreeMap<String, Vec<MakerListing>> = BTreeMap::new();
    for (maker, l) in rows {
        out.entry(maker).or_default().push(l);
    }
    Ok(out)
}

/// The products detected in one shipment's description, with the maker's listings.
pub fn of_shipment(db: &dyn crate::sql::Sql, shipment_id: i64) -> Result<Vec<DetectedProduct>> {
    let listings = maker_listings(db)?;
    let rows = db.map(
        "SELECT p.maker_group, p.maker, p.kind, sp.matched, sp.model_key
         FROM shipment_product sp JOIN product_pattern p ON p.id = sp.pattern_id
         WHERE sp.shipment_id = ?1 ORDER BY p.maker_group, p.kind DESC, sp.matched",
        crate::args![shipment_id],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for (group, maker, kind, matched, model_key) in rows {
        let listed = listings.get(&maker).cloned().unwrap_or_default();
        out.push(DetectedProduct {
            group,
            maker,
            kind,
            matched,
            model_key,
            listed,
        });
    }
    Ok(out)
}

/// "Hikvision (EL, CMIC)" per listed maker group among the products: what a shipment's
/// detail says it carries.
pub fn listed_makers_summary(products: &[DetectedProduct]) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in products {
        if p.listed.is_empty() {
            continue;
        }
        let lists = groups.entry(p.group.as_str()).or_default();
        for l in &p.listed {
            if !lists.contains(&l.list.as_str()) {
                lists.push(l.list.as_str());
            }
        }
    }
    groups
        .into_iter()
        .map(|(g, lists)| format!("{g} ({})", lists.join(", ")))
        .collect()
}

/// SQL condition (on `shipment s`): the shipment carries products of a maker linked to a
/// current list entry.
pub const CARRIES_LISTED_SQL: &str = "s.id IN (SELECT sp.shipment_id FROM shipment_product sp
    JOIN product_pattern pp ON pp.id = sp.pattern_id
    WHERE pp.maker IN (SELECT m.maker FROM maker_entry m
        JOIN list_entry e ON e.id = m.entry_id AND e.current = 1))";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_keys_ignore_how_the_number_was_typed() {
        assert_eq!(model_key("iDS-2CD7A46G0-IZHS"), "IDS2CD7A46G0IZHS");
        assert_eq!(model_key("IDS 2CD7A46G0 IZHS"), "IDS2CD7A46G0IZHS");
        assert_eq!(model_key("DS-UC8"), model_key("DS UC8"));
    }
}
