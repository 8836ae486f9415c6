//! Writing trade parties and shipments: shared by the AMS and shipments-CSV importers and by the
//! demo generator.
//!
//! Built for bulk loads: statements are prepared once per writer, parties are deduplicated in
//! memory, and the work that does not need to happen per row (description search index, party
//! shipment counts) is done once in [`TradeWriter::finish`]. Per shipment the writer runs only
//! inserts, and one pass of the product patterns (a RegexSet) over the description, so that
//! brands and model numbers are known for every shipment from the moment it is imported.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection, Statement};

use crate::error::Result;
use crate::products::{ProductWriter, StoredDetector};
use tradescope_matching as matching;

/// A party as read from a source row, before deduplication.
#[derive(Debug, Clone, Default)]
pub struct NewParty {
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    /// ISO alpha-2, if known.
    pub country: Option<String>,
    /// Line of the source file the party was first read from.
    pub line: u64,
}

/// One bill of lading (or shipment record), with party ids from [`TradeWriter::party`].
#[derive(Debug, Clone, Default)]
pub struct NewShipment {
    pub line: u64,
    pub identifier: Option<String>,
    pub master_bol: Option<String>,
    pub house_bol: Option<String>,
    pub bill_type: Option<String>,
    pub ship_date: Option<String>,
    pub estimated_arrival_date: Option<String>,
    pub shipper_id: Option<i64>,
    pub consignee_id: Option<i64>,
    pub notify_id: Option<i64>,
    pub origin_country: Option<String>,
    pub dest_country: Option<String>,
    pub port_of_lading: Option<String>,
    pub port_of_unlading: Option<String>,
    pub place_of_receipt: Option<String>,
    pub foreign_port_of_destination: Option<String>,
    pub carrier_code: Option<String>,
    pub vessel_name: Option<String>,
    pub vessel_country: Option<String>,
    pub mode: Option<String>,
    pub weight_kg: Option<f64>,
    pub weight: Option<f64>,
    pub weight_unit: Option<String>,
    pub quantity: Option<i64>,
    pub quantity_unit: Option<String>,
    /// Container numbers, joined with "; " when stored.
    pub containers: Vec<String>,
    /// HS codes as digits only (see [`hs_digits`]); the first is the bill's `hs_code`.
    pub hs_codes: Vec<String>,
    pub description: Option<String>,
    pub record_status: Option<String>,
}

/// What a writer did, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TradeStats {
    pub shipments: u64,
    /// Parties created by this writer (not counting existing parties reused).
    pub parties_created: u64,
    /// Distinct parties referenced by this writer's shipments.
    pub parties_touched: u64,
    /// Placeholder names (`TO ORDER`, `N/A`, as upper case) not made into parties, with counts.
    pub placeholders: BTreeMap<String, u64>,
}

/// The import warning for placeholder party names (name → count), if there were any.
pub fn placeholder_warning(file: &str, placeholders: &BTreeMap<String, u64>) -> Option<String> {
    if placeholders.is_empty() {
        return None;
    }
    let total: u64 = placeholders.values().sum();
    let list: Vec<String> = placeholders
        .iter()
        .map(|(p, n)| format!("{p} ×{n}"))
        .collect();
    Some(format!(
        "{file}: {total} placeholder party names not made into parties: {}",
        list.join(", ")
    ))
}

/// Inserts parties and shipments for one source. Call [`finish`](Self::finish) before commit.
pub struct TradeWriter<'c> {
    conn: &'c Connection,
    source_id: i64,
    synthetic: bool,
    upsert_party: Statement<'c>,
    insert_shipment: Statement<'c>,
    insert_hs: Statement<'c>,
    /// (name as given, country) → party id: skips normalization for repeated spellings.
    by_raw: HashMap<(String, Option<String>), i64>,
    /// (normalized name, country) → party id: the database's own dedupe key.
    by_key: HashMap<(String, Option<String>), i64>,
    /// party id → [shipped, received, notified] added by this writer.
    counts: HashMap<i64, [i64; 3]>,
    /// Parties with a larger id were created by this writer.
    max_party_before: i64,
    first_shipment: Option<i64>,
    last_shipment: i64,
    /// CREATE statements of the shipment indexes dropped by `defer_indexes`.
    deferred: Vec<String>,
    /// Brand and model-number detection with the database's pattern table (None: no patterns).
    products: Option<(StoredDetector, ProductWriter<'c>)>,
    stats: TradeStats,
}

/// Loads smaller than this keep the indexes up to date row by row.
const DEFER_MIN_ROWS: u64 = 50_000;

/// Whether a load of about `rows` shipments should rebuild the shipment indexes once at the end
/// instead of updating them per row: worth it for big loads that at least double a fifth of
/// the table.
pub fn worth_deferring(conn: &Connection, rows: u64) -> Result<bool> {
    if rows < DEFER_MIN_ROWS {
        return Ok(false);
    }
    let existing: i64 = conn.query_row("SELECT COALESCE(max(id), 0) FROM shipment", [], |r| {
        r.get(0)
    })?;
    Ok(rows.saturating_mul(5) >= existing as u64)
}

impl<'c> TradeWriter<'c> {
    pub fn new(conn: &'c Connection, source_id: i64, synthetic: bool) -> Result<Self> {
        Ok(TradeWriter {
            conn,
            source_id,
            synthetic,
            // A party already in the database (same key) is reused as is: `DO UPDATE` with a
            // no-op assignment is what makes RETURNING give its id.
            upsert_party: conn.prepare(
                "INSERT INTO party (source_id, source_line, name, norm, address, city, country, synthetic)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (norm, COALESCE(country, '')) DO UPDATE SET norm = party.norm
                 RETURNING id",
            )?,
            insert_shipment: conn.prepare(
                "INSERT INTO shipment (source_id, source_line, identifier, master_bol, house_bol,
                   bill_type, ship_date, estimated_arrival_date, shipper_id, consignee_id, notify_id,
                   origin_country, dest_country, port_of_lading, port_of_unlading, place_of_receipt,
                   foreign_port_of_destination, carrier_code, vessel_name, vessel_country, mode,
                   weight_kg, weight, weight_unit, quantity, quantity_unit, containers, hs_code,
                   description, record_status, synthetic)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                   ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
            )?,
            insert_hs: conn
                .prepare(
                    "INSERT INTO shipment_hs (shipment_id, seq, hs_code, ship_date)
                     VALUES (?1, ?2, ?3, ?4)",
                )?,
            by_raw: HashMap::new(),
            by_key: HashMap::new(),
            counts: HashMap::new(),
            max_party_before: conn.query_row("SELECT COALESCE(max(id), 0) FROM party", [], |r| {
                r.get(0)
            })?,
            first_shipment: None,
            last_shipment: 0,
            deferred: Vec::new(),
            products: match StoredDetector::load(conn)? {
                Some(d) => Some((d, ProductWriter::new(conn)?)),
                None => None,
            },
            stats: TradeStats::default(),
        })
    }

    /// The id of the party with this name and country, created if it does not exist yet.
    /// Returns None for names with nothing to match on (empty, punctuation only) and for
    /// placeholders (`TO ORDER`, `N/A`): one party of that name would link unrelated bills.
    pub fn party(&mut self, p: &NewParty) -> Result<Option<i64>> {
        let raw = (p.name.clone(), p.country.clone());
        if let Some(&id) = self.by_raw.get(&raw) {
            return Ok(Some(id));
        }
        if super::cells::is_placeholder_party(&p.name) {
            *self
                .stats
                .placeholders
                .entry(p.name.trim().to_uppercase())
                .or_default() += 1;
            return Ok(None);
        }
        let norm = matching::normalize_key(&p.name);
        if norm.is_empty() {
            return Ok(None);
        }
        let key = (norm, p.country.clone());
        let id = match self.by_key.get(&key) {
            Some(&id) => id,
            None => {
                let id: i64 = self.upsert_party.query_row(
                    params![
                        self.source_id,
                        p.line as i64,
                        p.name.trim(),
                        key.0,
                        p.address,
                        p.city,
                        p.country,
                        self.synthetic
                    ],
                    |r| r.get(0),
                )?;
                if id > self.max_party_before {
                    self.stats.parties_created += 1;
                }
                self.by_key.insert(key, id);
                id
            }
        };
        self.by_raw.insert(raw, id);
        Ok(Some(id))
    }

    /// Insert one shipment with its HS codes; returns its id.
    pub fn shipment(&mut self, s: &NewShipment) -> Result<i64> {
        let containers = (!s.containers.is_empty()).then(|| s.containers.join("; "));
        self.insert_shipment.execute(params![
            self.source_id,
            s.line as i64,
            s.identifier,
            s.master_bol,
            s.house_bol,
            s.bill_type,
            s.ship_date,
            s.estimated_arrival_date,
            s.shipper_id,
            s.consignee_id,
            s.notify_id,
            s.origin_country,
            s.dest_country,
            s.port_of_lading,
            s.port_of_unlading,
            s.place_of_receipt,
            s.foreign_port_of_destination,
            s.carrier_code,
            s.vessel_name,
            s.vessel_country,
            s.mode,
            s.weight_kg,
            s.weight,
            s.weight_unit,
            s.quantity,
            s.quantity_unit,
            containers,
            s.hs_codes.first(),
            s.description,
            s.record_status,
            self.synthetic,
        ])?;
        let id = self.conn.last_insert_rowid();
        for (seq, code) in s.hs_codes.iter().enumerate() {
            self.insert_hs
                .execute(params![id, seq as i64 + 1, code, s.ship_date])?;
        }
        if let (Some((detector, writer)), Some(d)) = (&mut self.products, &s.description) {
            let hits = detector.detect(d);
            if !hits.is_empty() {
                writer.write(id, &hits)?;
            }
        }
        for (role, party) in [s.shipper_id, s.consignee_id, s.notify_id]
            .into_iter()
            .enumerate()
        {
            if let Some(p) = party {
                self.counts.entry(p).or_insert([0; 3])[role] += 1;
            }
        }
        self.first_shipment.get_or_insert(id);
        self.last_shipment = id;
        self.stats.shipments += 1;
        Ok(id)
    }

    /// Drop the shipment indexes now and rebuild them in [`finish`](Self::finish): sorting once
    /// is several times faster than updating every index for every row of a big load. Inside
    /// the import's transaction, so a failed import leaves them as they were.
    pub fn defer_indexes(&mut self) -> Result<()> {
        if !self.deferred.is_empty() {
            return Ok(());
        }
        let indexes: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'shipment' AND sql IS NOT NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            self.conn
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.deferred.push(sql);
        }
        // A big load: a 256 MiB page cache for the inserts and the index sorts (restored in
        // `finish`).
        self.conn.execute_batch("PRAGMA cache_size = -262144;")?;
        Ok(())
    }

    /// Index this writer's descriptions for search, add its shipments to the party counts and
    /// rebuild deferred indexes.
    pub fn finish(self) -> Result<TradeStats> {
        let big = !self.deferred.is_empty();
        if let Some(first) = self.first_shipment {
            // Contentless FTS keyed by date key (db::fts): the index holds only what is inserted
            // here, in one statement over the id range this writer produced.
            crate::fts::bulk_index(self.conn, first, self.last_shipment, Some(self.source_id))?;
        }
        let mut stmt = self.conn.prepare(
            "UPDATE party SET n_shipped = n_shipped + ?2, n_received = n_received + ?3,
               n_notified = n_notified + ?4 WHERE id = ?1",
        )?;
        // Sorted, so the database pages are visited in order.
        let counts: BTreeMap<i64, [i64; 3]> = self.counts.into_iter().collect();
        for (id, [s, r, n]) in &counts {
            stmt.execute(params![id, s, r, n])?;
        }
        for sql in &self.deferred {
            self.conn.execute_batch(sql)?;
        }
        if big {
            self.conn.execute_batch("PRAGMA cache_size = -2000;")?;
        }
        Ok(TradeStats {
            parties_touched: counts.len() as u64,
            ..self.stats
        })
    }
}

/// An HS code as digits only ("8525.89" → "852589"); None when it has no digits.
pub fn hs_digits(s: &str) -> Option<String> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    (!d.is_empty()).then_some(d)
}

/// Kilograms from a weight and its unit as shipping data writes them; None for units that are
/// not a mass (or unknown).
pub fn weight_kg(weight: f64, unit: Option<&str>) -> Option<f64> {
    let u = unit?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    // `K`/`L` are the AMS codes, `KGM`/`LBR`/`TNE`/`GRM` the UN/ECE ones. `TON`/`TONS` are left
    // unknown: short, long or metric tons cannot be told apart.
    let factor = match u.trim_end_matches('.') {
        "kg" | "kgs" | "kgm" | "kilo" | "kilos" | "kilogram" | "kilograms" | "k" => 1.0,
        "lb" | "lbs" | "lbr" | "pound" | "pounds" | "l" => 0.453_592_37,
        "t" | "mt" | "mts" | "tne" | "metric ton" | "metric tons" | "tonne" | "tonnes" => 1000.0,
        "g" | "gr" | "grm" | "gram" | "grams" => 0.001,
        _ => return None,
    };
    Some((weight * factor * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs_codes_keep_digits() {
        assert_eq!(hs_digits("8525.89").as_deref(), Some("852589"));
        assert_eq!(hs_digits(" 84122981 ").as_deref(), Some("84122981"));
        assert_eq!(hs_digits("n/a"), None);
    }

    #[test]
    fn weights_in_kilograms() {
        assert_eq!(weight_kg(100.0, Some("Pounds")), Some(45.359));
        assert_eq!(weight_kg(2.0, Some("Kilograms")), Some(2.0));
        assert_eq!(weight_kg(75.0, Some("Cubic Meters")), None);
        assert_eq!(weight_kg(75.0, None), None);
        assert_eq!(weight_kg(1000.0, Some("LB")), Some(453.592));
        assert_eq!(weight_kg(7.0, Some("K")), Some(7.0));
        assert_eq!(weight_kg(2.5, Some("MT")), Some(2500.0));
        assert_eq!(
            weight_kg(2.0, Some("TON")),
            None,
            "short or metric: not guessed"
        );
    }
}
