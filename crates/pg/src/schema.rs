//! The PostgreSQL schema and its versions. Version 1 holds the tables of SQLite schema v4
//! (`crates/store/schema.sql`) column for column; `tradescope_schema` records the version,
//! as `PRAGMA user_version` does on SQLite. Every version change is a step here, run in one
//! transaction (PostgreSQL's DDL is transactional), so a failed migration changes nothing.

use postgres::GenericClient;

use crate::error::{Error, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 1;
/// The SQLite schema version whose tables version 1 mirrors.
pub const SQLITE_SCHEMA_VERSION: i64 = 4;

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
            "the database's schema is version {v}; this build knows no upgrade from it"
        ))),
        Some(_) => Ok(()),
    }
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
