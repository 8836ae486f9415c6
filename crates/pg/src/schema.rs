//! The PostgreSQL schema and its versions. Version 1 holds the tables of SQLite schema v4
//! (`crates/store/schema.sql`) column for column; version 2 adds `patent_word`, the word
//! index of patents (SQLite's `patent_fts`); version 3 `assignee_patent` (SQLite v5);
//! version 4 the drill indexes in SQLite's NULL order (`ship_date NULLS FIRST`);
//! `tradescope_schema` records the version,
//! as `PRAGMA user_version` does on SQLite. Every version change is a step here, run in one
//! transaction (PostgreSQL's DDL is transactional), so a failed migration changes nothing.

use postgres::GenericClient;

use crate::error::{Error, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 4;
/// The SQLite schema version whose tables this version mirrors.
pub const SQLITE_SCHEMA_VERSION: i64 = 5;

/// The tables (indexes come after a bulk load: [`INDEXES_SQL`]).
pub const TABLES_SQL: &str = include_str!("../sql/tables.sql");
/// The indexes, pg_trgm's included.
pub const INDEXES_SQL: &str = include_str!("../sql/indexes.sql");

/// The schema version of the database `client` is connected to; None for a database without
/// tradescope's tables.
pub fn version(client: &mut impl GenericClient) -> Result<Option<i64>> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'tradescope_schema')",
            &[],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client.query_opt("SELECT max(version) FROM tradescope_schema", &[])?;
    Ok(row.and_then(|r| r.get::<_, Option<i64>>(0)))
}

/// Create the tables in an empty database (inside the caller's transaction); indexes
/// separately with [`create_indexes`]. Refuses a database that already has tradescope's
/// schema, or tables of that name.
pub fn create_tables(client: &mut impl GenericClient) -> Result<()> {
    if let Some(v) = version(client)? {
        return Err(Error::Database(format!(
            "the database already holds a tradescope schema (version {v}); copy into an \
             empty database (createdb a new one)"
        )));
    }
    client.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")?;
    client.batch_execute(TABLES_SQL)?;
    client.batch_execute(
        "CREATE TABLE tradescope_schema (version BIGINT NOT NULL, applied_at TIMESTAMPTZ NOT \
         NULL DEFAULT now())",
    )?;
    client.execute(
        "INSERT INTO tradescope_schema (version) VALUES ($1)",
        &[&SCHEMA_VERSION],
    )?;
    Ok(())
}

/// Create the indexes (after the rows of a bulk load are in).
pub fn create_indexes(client: &mut impl GenericClient) -> Result<()> {
    client.batch_execute(INDEXES_SQL)?;
    Ok(())
}

/// Bring a database of an older schema version to this build's, one step per transaction (a
/// failed step changes nothing); nothing to do for the current version or none.
pub fn upgrade(client: &mut postgres::Client) -> Result<()> {
    loop {
        let Some(v) = version(client)? else {
            return Ok(());
        };
        if v >= SCHEMA_VERSION {
            return Ok(());
        }
        let mut tx = client.transaction()?;
        tx.batch_execute("LOCK TABLE tradescope_schema IN EXCLUSIVE MODE")?;
        // Another process may have upgraded it meanwhile.
        if version(&mut tx)? != Some(v) {
            continue;
        }
        match v {
            1 => v1_to_v2(&mut tx)?,
            2 => v2_to_v3(&mut tx)?,
            3 => v3_to_v4(&mut tx)?,
            _ => {
                return Err(Error::Database(format!(
                    "the database's schema is version {v}; this build knows no upgrade from it"
                )))
            }
        }
        tx.commit()?;
    }
}

/// Version 2: the word index of patents.
fn v1_to_v2(tx: &mut postgres::Transaction) -> Result<()> {
    tx.batch_execute(
        "CREATE TABLE patent_word (
           patent_id BIGINT PRIMARY KEY REFERENCES patent(id) ON DELETE CASCADE,
           words     tsvector NOT NULL);
         DROP INDEX IF EXISTS patent_text_fts;",
    )?;
    crate::words::fill(tx)?;
    tx.batch_execute(
        "CREATE INDEX patent_word_gin ON patent_word USING gin (words);
         INSERT INTO tradescope_schema (version) VALUES (2);",
    )?;
    Ok(())
}

/// Check that the database holds a schema this build can read.
pub fn check(client: &mut impl GenericClient) -> Result<()> {
    match version(client)? {
        None => Err(Error::Database(
            "the database holds no tradescope schema (copy a database into it first)".into(),
        )),
        Some(v) if v > SCHEMA_VERSION => Err(Error::Database(format!(
            "the database's schema is version {v}, newer than this build's {SCHEMA_VERSION}: \
             use a newer tradescope"
        ))),
        Some(v) if v < SCHEMA_VERSION => Err(Error::Database(format!(
            "the database's schema is version {v}, older than this build's {SCHEMA_VERSION}: \
             open it once with `tradescope --db URL stats` to upgrade it"
        ))),
        Some(_) => Ok(()),
    }
}

/// Version 3: `assignee_patent` (SQLite v5), filled from `patent_assignee` and the patents'
/// dates, in the caller's transaction with the version row.
fn v2_to_v3(tx: &mut postgres::Transaction) -> Result<()> {
    tx.batch_execute(
        "CREATE TABLE assignee_patent (
             assignee_id BIGINT NOT NULL,
             patent_key  BIGINT NOT NULL,
             PRIMARY KEY (assignee_id, patent_key)
         )",
    )?;
    tx.batch_execute(&format!(
        "INSERT INTO assignee_patent (assignee_id, patent_key)
         SELECT DISTINCT pa.assignee_id, {key} FROM patent_assignee pa
         JOIN patent p ON p.id = pa.patent_id",
        key = tradescope_store::patents::index::key_sql_in(
            tradescope_store::sql::Dialect::Postgres,
            "p"
        )
    ))?;
    tx.execute("INSERT INTO tradescope_schema (version) VALUES (3)", &[])?;
    Ok(())
}

/// The indexes of [`INDEXES_SQL`] whose date column sorts NULLS FIRST (version 4): (name,
/// statement).
fn date_ordered_indexes() -> Vec<(&'static str, &'static str)> {
    INDEXES_SQL
        .lines()
        .filter(|l| l.starts_with("CREATE INDEX") && l.contains("NULLS FIRST"))
        .filter_map(|l| Some((l.split_whitespace().nth(2)?, l)))
        .collect()
}

/// Version 4: the drill indexes rebuilt with `ship_date NULLS FIRST`, so that pages newest
/// first (`DESC NULLS LAST`, SQLite's order) read an index backwards and stop after a page
/// instead of sorting every matching row.
fn v3_to_v4(tx: &mut postgres::Transaction) -> Result<()> {
    for (name, create) in date_ordered_indexes() {
        tx.batch_execute(&format!("DROP INDEX IF EXISTS {name}; {create}"))?;
    }
    tx.batch_execute("ANALYZE shipment; ANALYZE shipment_hs;")?;
    tx.execute("INSERT INTO tradescope_schema (version) VALUES (4)", &[])?;
    Ok(())
}

/// Make sure shipments of these ship-date years have a partition of their own (a year's rows
/// then load and index on their own). Years that are not four digits stay in the default
/// partition.
pub fn ensure_year_partitions(
    client: &mut impl GenericClient,
    years: impl IntoIterator<Item = String>,
) -> Result<()> {
    for y in years {
        let Ok(year) = y.parse::<u16>() else { continue };
        if y.len() != 4 {
            continue;
        }
        client.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS shipment_y{year} PARTITION OF shipment
             FOR VALUES FROM ('{year}') TO ('{next}')",
            next = year + 1
        ))?;
    }
    Ok(())
}
