//! Bulk loading of generated trade data (`tradescope-bench gen`): millions of parties and shipments in
//! one transaction, as fast as SQLite allows on a small machine.
//!
//! What makes it fast: the secondary indexes of `party` and `shipment` are dropped inside the
//! transaction and rebuilt at the end from the exact SQL the database was created with (read
//! from `sqlite_schema`, which keeps schema.sql's text verbatim — so they cannot drift); rows get
//! explicit ids so shipments can name their parties without lookups; foreign-key checks are off
//! for the load (ids are correct by construction); the rollback journal replaces WAL for the load
//! (pages appended past the old end of file are not journaled, WAL would write them twice); the
//! FTS index is filled once from the new rows; party counters are computed once with GROUP BY;
//! ANALYZE samples instead of scanning.

use std::borrow::Cow;
use std::time::Instant;

use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use tradescope_core::progress::Progress;
use tradescope_store::error::{Error, Result};
use tradescope_store::now_utc;

/// A party to insert. Parties are deduplicated on (norm, country): the caller guarantees it.
#[derive(Debug, Clone)]
pub struct BulkParty {
    pub name: String,
    pub norm: String,
    pub address: Option<String>,
    pub city: Option<Cow<'static, str>>,
    pub country: Option<Cow<'static, str>>,
}

/// A shipment to insert. Parties are named by their index in the load's party slice.
#[derive(Debug, Clone)]
pub struct BulkShipment {
    pub identifier: String,
    pub master_bol: String,
    pub house_bol: Option<String>,
    pub bill_type: &'static str,
    pub ship_date: Cow<'static, str>,
    pub shipper: u32,
    pub consignee: u32,
    pub notify: Option<u32>,
    pub origin_country: Cow<'static, str>,
    pub dest_country: Cow<'static, str>,
    pub port_of_lading: Cow<'static, str>,
    pub port_of_unlading: Cow<'static, str>,
    pub carrier_code: Cow<'static, str>,
    pub vessel_name: Cow<'static, str>,
    pub weight_kg: f64,
    pub quantity: i64,
    pub quantity_unit: Cow<'static, str>,
    pub containers: String,
    /// All HS codes; the first is the shipment's `hs_code`.
    pub hs_codes: Vec<Cow<'static, str>>,
    pub description: String,
}

/// The `source` row the load is recorded under.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    pub dataset: String,
    pub format: String,
    pub path: String,
    pub sha256: String,
    pub note: Option<String>,
}

/// How long one phase of the load took.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Phase {
    pub name: String,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BulkReport {
    pub source_id: i64,
    pub parties: u64,
    pub shipments: u64,
    pub hs_rows: u64,
    pub first_party_id: i64,
    pub first_shipment_id: i64,
    pub phases: Vec<Phase>,
}

struct Timer {
    phases: Vec<Phase>,
    at: Instant,
}

impl Timer {
    fn lap(&mut self, name: &str) {
        let now = Instant::now();
        self.phases.push(Phase {
            name: name.into(),
            seconds: (now - self.at).as_secs_f64(),
        });
        self.at = now;
    }
}

/// Write `parties` and every batch of shipments under a new source, in one transaction.
pub fn load<I>(
    conn: &mut Connection,
    src: &SourceInfo,
    parties: &[BulkParty],
    batches: I,
    expected_shipments: u64,
    progress: &dyn Progress,
) -> Result<BulkReport>
where
    I: IntoIterator<Item = Vec<BulkShipment>>,
{
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM source WHERE dataset = ?1 AND sha256 = ?2)",
        params![src.dataset, src.sha256],
        |r| r.get(0),
    )?;
    if exists {
        return Err(Error::User(format!(
            "this database already holds generated data made with the same parameters ({}); \
             use another --seed",
            src.path
        )));
    }
    let mut t = Timer {
        phases: Vec::new(),
        at: Instant::now(),
    };
    // Outside the transaction: these pragmas cannot change inside one.
    // (Setting a mode returns the new one: read the mode to restore first.)
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })?;
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
         PRAGMA threads = 2;",
    )?;
    let result = load_in_transaction(
        conn,
        src,
        parties,
        batches,
        expected_shipments,
        progress,
        &mut t,
    );
    // Restore the connection's normal settings whatever happened.
    let restore = conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA journal_mode = {};",
        if journal.eq_ignore_ascii_case("wal") {
            "WAL"
        } else {
            journal.as_str()
        }
    ));
    let mut report = result?;
    restore?;
    progress.stage("analyze", None);
    // Sampled statistics: the planner needs them to pick the drill indexes; a full ANALYZE of
    // ten indexes over millions of rows would take minutes.
    conn.execute_batch("PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA optimize;")?;
    t.lap("analyze");
    report.phases = t.phases;
    Ok(report)
}

fn load_in_transaction<I>(
    conn: &mut Connection,
    src: &SourceInfo,
    parties: &[BulkParty],
    batches: I,
    expected_shipments: u64,
    progress: &dyn Progress,
    t: &mut Timer,
) -> Result<BulkReport>
where
    I: IntoIterator<Item = Vec<BulkShipment>>,
{
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO source (dataset, format, path, sha256, imported_at, synthetic, note)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
        params![
            src.dataset,
            src.format,
            src.path,
            src.sha256,
            now_utc(),
            src.note
        ],
    )?;
    let source_id = tx.last_insert_rowid();
    let first_party_id = next_id(&tx, "party")?;
    let first_shipment_id = next_id(&tx, "shipment")?;

    let mut indexes = secondary_indexes(&tx, "party")?;
    indexes.extend(secondary_indexes(&tx, "shipment")?);
    indexes.extend(secondary_indexes(&tx, "shipment_hs")?);
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    t.lap("drop indexes");

    progress.stage("parties", Some(parties.len() as u64));
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO party (id, source_id, source_line, name, norm, address, city, country, synthetic)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
        )?;
        for (i, p) in parties.iter().enumerate() {
            stmt.execute(params![
                first_party_id + i as i64,
                source_id,
                i as i64 + 1,
                p.name,
                p.norm,
                p.address,
                p.city,
                p.country
            ])?;
            if i % 10_000 == 9_999 {
                progress.inc(10_000);
            }
        }
    }
    t.lap("insert parties");

    progress.stage("shipments", Some(expected_shipments));
    let (shipments, hs_rows) = insert_shipments(
        &tx,
        source_id,
        first_party_id,
        first_shipment_id,
        batches,
        progress,
    )?;
    t.lap("insert shipments");

    for (name, sql) in &indexes {
        progress.stage(&format!("index {name}"), None);
        tx.execute_batch(sql)?;
    }
    t.lap("create indexes");

    progress.stage("full-text index", None);
    let last_shipment_id: i64 =
        tx.query_row("SELECT coalesce(max(id), 0) FROM shipment", [], |r| {
            r.get(0)
        })?;
    tradescope_store::fts::bulk_index(&tx, first_shipment_id, last_shipment_id, None)?;
    t.lap("full-text index");

    progress.stage("party counters", None);
    update_party_counters(&tx, source_id)?;
    tx.execute(
        "UPDATE source SET row_count = ?1 WHERE id = ?2",
        params![shipments as i64, source_id],
    )?;
    t.lap("party counters");

    progress.stage("commit", None);
    // Stamped as checked, like an import: the next open skips the integrity check.
    tradescope_store::safety::stamp(&tx)?;
    tx.commit()?;
    t.lap("commit");
    Ok(BulkReport {
        source_id,
        parties: parties.len() as u64,
        shipments,
        hs_rows,
        first_party_id,
        first_shipment_id,
        phases: Vec::new(),
    })
}

fn insert_shipments<I>(
    tx: &Transaction,
    source_id: i64,
    first_party_id: i64,
    first_shipment_id: i64,
    batches: I,
    progress: &dyn Progress,
) -> Result<(u64, u64)>
where
    I: IntoIterator<Item = Vec<BulkShipment>>,
{
    let mut ship = tx.prepare_cached(
        "INSERT INTO shipment (id, source_id, source_line, identifier, master_bol, house_bol,
            bill_type, ship_date, shipper_id, consignee_id, notify_id, origin_country, dest_country,
            port_of_lading, port_of_unlading, carrier_code, vessel_name, mode, weight_kg, weight,
            weight_unit, quantity, quantity_unit, containers, hs_code, description, synthetic)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            'Vessel', ?18, ?18, 'KG', ?19, ?20, ?21, ?22, ?23, 1)",
    )?;
    let mut hs = tx.prepare_cached(
        "INSERT INTO shipment_hs (shipment_id, seq, hs_code, ship_date) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let pid = |i: u32| first_party_id + i64::from(i);
    let (mut n, mut n_hs) = (0u64, 0u64);
    for batch in batches {
        for s in &batch {
            let id = first_shipment_id + n as i64;
            ship.execute(params![
                id,
                source_id,
                n as i64 + 1,
                s.identifier,
                s.master_bol,
                s.house_bol,
                s.bill_type,
                s.ship_date,
                pid(s.shipper),
                pid(s.consignee),
                s.notify.map(pid),
                s.origin_country,
                s.dest_country,
                s.port_of_lading,
                s.port_of_unlading,
                s.carrier_code,
                s.vessel_name,
                s.weight_kg,
                s.quantity,
                s.quantity_unit,
                s.containers,
                s.hs_codes.first(),
                s.description,
            ])?;
            for (seq, code) in s.hs_codes.iter().enumerate() {
                hs.execute(params![id, seq as i64 + 1, code, s.ship_date])?;
                n_hs += 1;
            }
            n += 1;
        }
        progress.inc(batch.len() as u64);
    }
    Ok((n, n_hs))
}

/// The id the next inserted row of `table` gets.
fn next_id(tx: &Transaction, table: &str) -> Result<i64> {
    Ok(tx.query_row(
        &format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// (name, CREATE statement) of the explicitly created indexes of `table`, as stored in the
/// database (the text of schema.sql, verbatim).
fn secondary_indexes(tx: &Transaction, table: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(
        "SELECT name, sql FROM sqlite_schema
         WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name",
    )?;
    let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Shipment counts per party and role, for the parties of `source_id`: one GROUP BY per role
/// over its (now rebuilt) composite index instead of a count per party.
fn update_party_counters(tx: &Transaction, source_id: i64) -> Result<()> {
    for (counter, role) in [
        ("n_shipped", "shipper_id"),
        ("n_received", "consignee_id"),
        ("n_notified", "notify_id"),
    ] {
        tx.execute(
            &format!(
                "UPDATE party SET {counter} = c.n
                 FROM (SELECT {role} AS pid, count(*) AS n FROM shipment
                       WHERE {role} IS NOT NULL GROUP BY {role}) AS c
                 WHERE party.id = c.pid AND party.source_id = ?1"
            ),
            [source_id],
        )?;
    }
    Ok(())
}

/// (norm, country) of every party already in the database, so new parties can avoid them.
pub fn party_keys(conn: &Connection) -> Result<std::collections::HashSet<(String, String)>> {
    let mut stmt = conn.prepare("SELECT norm, COALESCE(country, '') FROM party")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Store a fact about the database in `meta` (e.g. the last generator run's timings).
pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
