//! `tradescope copy`: a whole database — lists, trade data, patents and the user's own data
//! (audit log, cases, decisions, watch sets, link reviews) — moved from SQLite to PostgreSQL
//! or back, in one transaction on the target, then checked: every table's row count and an
//! order-independent digest of its rows must equal the source's, and the audit chain must
//! verify. A copy that fails or does not verify leaves the target as it was.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use postgres::{GenericClient, IsolationLevel, Transaction};
use tradescope_store::audit;
use tradescope_store::dump::{quote, Cell, Database, Table};

use crate::copy_text::{decode, encode, TableDigest};
use crate::error::{Error, Result};
use crate::schema;
use tradescope_core::progress::Progress;

/// What a copy moved, table by table, and the audit chain it checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub tables: Vec<(String, u64)>,
    pub audit_rows: u64,
    pub audit_head: String,
}

const BATCH: usize = 1 << 20;
const TICK: u64 = 10_000;

/// Copy the SQLite database at `src` into the empty PostgreSQL database at `url`.
pub fn sqlite_to_pg(src: &Path, url: &str, progress: &dyn Progress) -> Result<Report> {
    let db = Database::open(src)?;
    db.snapshot()?;
    check_sqlite_version()?;
    let verified = db.audit_verify()?;
    if !verified.ok {
        return Err(Error::Database(format!(
            "the audit log of {} does not verify ({}): copying it would carry a broken chain; \
             see `tradescope audit verify`",
            src.display(),
            problem(&verified)
        )));
    }
    let tables = db.tables()?;
    let mut client = crate::connect(url)?;
    let mut tx = client.transaction()?;
    schema::create_tables(&mut tx)?;
    check_columns(&mut tx, &tables)?;
    let mut report = Report {
        tables: Vec::new(),
        audit_rows: verified.rows,
        audit_head: verified.head.clone(),
    };
    let mut digests = Vec::new();
    for t in &tables {
        let total = db.count(t)? as u64;
        progress.stage(&t.name, Some(total));
        let staged = t.name == "shipment";
        let into = if staged {
            tx.batch_execute("CREATE TEMP TABLE shipment_load (LIKE shipment) ON COMMIT DROP")?;
            "shipment_load".to_string()
        } else {
            t.name.clone()
        };
        let digest = copy_in(&db, &mut tx, t, &into, progress)?;
        if staged {
            stage_shipments(&mut tx, t)?;
        }
        report.tables.push((t.name.clone(), digest.rows));
        digests.push(digest);
    }
    progress.stage("patent_word", None);
    crate::words::fill(&mut tx)?;
    schema::create_indexes(&mut tx)?;
    // Planner statistics now, not whenever autovacuum gets to it: the first queries on a
    // fresh copy would otherwise be planned on guesses.
    progress.stage("analyze", None);
    tx.batch_execute("ANALYZE")?;
    reset_sequences(&mut tx, &tables)?;
    for (t, want) in tables.iter().zip(&digests) {
        let got = pg_digest(&mut tx, t, &mut |_| Ok(()))?;
        same(t, *want, got)?;
    }
    check_pg_chain(&mut tx, verified.rows, &verified.head)?;
    tx.commit()?;
    Ok(report)
}

/// Copy the PostgreSQL database at `url` into a new SQLite file at `dest` (which must not
/// exist). The file appears only once the copy verified.
pub fn pg_to_sqlite(url: &str, dest: &Path, progress: &dyn Progress) -> Result<Report> {
    if dest.exists() {
        return Err(Error::Database(format!(
            "{} exists: copy into a new file (tradescope never overwrites a database)",
            dest.display()
        )));
    }
    check_sqlite_version()?;
    let partial = partial_path(dest);
    let result = pg_to_partial(url, &partial, progress).and_then(|report| {
        std::fs::rename(&partial, dest)?;
        Ok(report)
    });
    if result.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = partial.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    result
}

fn pg_to_partial(url: &str, partial: &Path, progress: &dyn Progress) -> Result<Report> {
    let mut client = crate::connect(url)?;
    // One snapshot for the whole copy, whatever others write meanwhile.
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    schema::check(&mut tx)?;
    let mut db = Database::create(partial)?;
    let tables = db.tables()?;
    check_columns(&mut tx, &tables)?;
    let mut report = Report {
        tables: Vec::new(),
        audit_rows: 0,
        audit_head: String::new(),
    };
    let mut digests = Vec::new();
    {
        let mut loader = db.loader()?;
        for t in &tables {
            let total: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {}", quote(&t.name)), &[])?
                .get(0);
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            progress.stage(&t.name, Some(total as u64));
            let digest = pg_digest(&mut tx, t, &mut |row| {
                rows.push(row);
                if rows.len() >= TICK as usize {
                    progress.inc(loader.load(t, rows.drain(..).map(Ok))?);
                }
                Ok(())
            })?;
            progress.inc(loader.load(t, rows.drain(..).map(Ok))?);
            report.tables.push((t.name.clone(), digest.rows));
            digests.push(digest);
        }
        loader.finish()?;
    }
    for (t, want) in tables.iter().zip(&digests) {
        same(t, *want, sqlite_digest(&db, t)?)?;
    }
    let verified = db.audit_verify()?;
    if !verified.ok {
        return Err(Error::Verify {
            table: "audit_log".into(),
            message: format!(
                "the copied audit chain does not verify: {}",
                problem(&verified)
            ),
        });
    }
    report.audit_rows = verified.rows;
    report.audit_head = verified.head;
    tx.commit()?;
    Ok(report)
}

fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tradescope.db".into());
    dest.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

fn check_sqlite_version() -> Result<()> {
    if tradescope_store::SCHEMA_VERSION != schema::SQLITE_SCHEMA_VERSION {
        return Err(Error::Database(format!(
            "this build's PostgreSQL schema mirrors SQLite schema v{}, not v{}",
            schema::SQLITE_SCHEMA_VERSION,
            tradescope_store::SCHEMA_VERSION
        )));
    }
    Ok(())
}

fn problem(v: &audit::Verification) -> String {
    v.problem
        .as_ref()
        .map(|(row, what)| format!("row {row}: {what}"))
        .unwrap_or_else(|| "no problem named".into())
}

/// Every SQLite table exists in PostgreSQL with the same columns (the schemas are kept equal
/// by hand; this is the check that they are).
pub fn check_columns(client: &mut impl GenericClient, tables: &[Table]) -> Result<()> {
    let mut problems = Vec::new();
    for t in tables {
        let cols: Vec<String> = client
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1",
                &[&t.name],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if cols.is_empty() {
            problems.push(format!("table {} is missing", t.name));
            continue;
        }
        for c in t.column_names() {
            if !cols.iter().any(|x| x == c) {
                problems.push(format!("column {}.{c} is missing", t.name));
            }
        }
        for c in &cols {
            if !t.column_names().any(|x| x == c) {
                problems.push(format!("column {}.{c} is not in SQLite's schema", t.name));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Database(format!(
            "the PostgreSQL schema does not match SQLite's: {}",
            problems.join("; ")
        )))
    }
}

fn copy_in(
    db: &Database,
    tx: &mut Transaction,
    t: &Table,
    into: &str,
    progress: &dyn Progress,
) -> Result<TableDigest> {
    let cols: Vec<String> = t.column_names().map(quote).collect();
    let mut writer = tx.copy_in(&format!(
        "COPY {} ({}) FROM STDIN",
        quote(into),
        cols.join(", ")
    ))?;
    let mut digest = TableDigest::default();
    let mut buf = String::with_capacity(BATCH + 4096);
    let mut line = String::new();
    db.for_each_row(t, |row| {
        line.clear();
        encode(row, &t.columns, &mut line).map_err(|e| {
            tradescope_store::error::Error::User(format!(
                "table {}, row {}: {e}",
                t.name,
                digest.rows + 1
            ))
        })?;
        digest.add(&line);
        buf.push_str(&line);
        if buf.len() >= BATCH {
            writer.write_all(buf.as_bytes())?;
            buf.clear();
        }
        if digest.rows % TICK == 0 {
            progress.inc(TICK);
        }
        Ok(())
    })?;
    writer.write_all(buf.as_bytes())?;
    writer.finish()?;
    progress.inc(digest.rows % TICK);
    Ok(digest)
}

/// Move the staged shipments into the partitioned table, a partition per ship-date year.
fn stage_shipments(tx: &mut Transaction, t: &Table) -> Result<()> {
    let years: Vec<String> = tx
        .query(
            "SELECT DISTINCT left(ship_date, 4) FROM shipment_load WHERE ship_date IS NOT NULL",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    schema::ensure_year_partitions(tx, years)?;
    let cols: Vec<String> = t.column_names().map(quote).collect();
    let cols = cols.join(", ");
    tx.batch_execute(&format!(
        "INSERT INTO shipment ({cols}) SELECT {cols} FROM shipment_load; DROP TABLE shipment_load"
    ))?;
    Ok(())
}

/// Set every `id` sequence past the copied ids, so rows written later get new ones.
fn reset_sequences(tx: &mut Transaction, tables: &[Table]) -> Result<()> {
    for t in tables
        .iter()
        .filter(|t| t.column_names().any(|c| c == "id"))
    {
        let seq: Option<String> = tx
            .query_one(
                "SELECT pg_get_serial_sequence($1, 'id')",
                &[&quote(&t.name)],
            )?
            .get(0);
        if let Some(seq) = seq {
            tx.execute(
                &format!(
                    "SELECT setval($1::text::regclass, COALESCE((SELECT max(id) FROM {}), 0) + 1, false)",
                    quote(&t.name)
                ),
                &[&seq],
            )?;
        }
    }
    Ok(())
}

/// Read every row of `t` from PostgreSQL (COPY out), hand it to `each`, and digest it.
fn pg_digest(
    tx: &mut Transaction,
    t: &Table,
    each: &mut dyn FnMut(Vec<Cell>) -> tradescope_store::error::Result<()>,
) -> Result<TableDigest> {
    let cols: Vec<String> = t.column_names().map(quote).collect();
    let reader = tx.copy_out(&format!(
        "COPY (SELECT {} FROM {}) TO STDOUT",
        cols.join(", "),
        quote(&t.name)
    ))?;
    let mut digest = TableDigest::default();
    let mut line = String::new();
    for raw in BufReader::new(reader).lines() {
        let raw = raw?;
        let row = decode(&raw, &t.columns).map_err(|e| Error::Verify {
            table: t.name.clone(),
            message: format!("row {}: {e}", digest.rows + 1),
        })?;
        line.clear();
        encode(&row, &t.columns, &mut line).map_err(|e| Error::Verify {
            table: t.name.clone(),
            message: e,
        })?;
        digest.add(&line);
        each(row)?;
    }
    Ok(digest)
}

fn sqlite_digest(db: &Database, t: &Table) -> Result<TableDigest> {
    let mut digest = TableDigest::default();
    let mut line = String::new();
    db.for_each_row(t, |row| {
        line.clear();
        encode(row, &t.columns, &mut line).map_err(tradescope_store::error::Error::User)?;
        digest.add(&line);
        Ok(())
    })?;
    Ok(digest)
}

fn same(t: &Table, want: TableDigest, got: TableDigest) -> Result<()> {
    if want.rows != got.rows {
        return Err(Error::Verify {
            table: t.name.clone(),
            message: format!("{} rows in the source, {} in the copy", want.rows, got.rows),
        });
    }
    if want.sum != got.sum {
        return Err(Error::Verify {
            table: t.name.clone(),
            message: "the rows' content differs from the source's".into(),
        });
    }
    Ok(())
}

/// The copied audit log is the chain it was: ids 1..n without a gap, each row's `prev_hash`
/// the previous row's `hash`, and the head the source's verified head. (Its content equals
/// the source's row for row — the digest — so each MAC is the one that verified there.)
fn check_pg_chain(tx: &mut Transaction, rows: u64, head: &str) -> Result<()> {
    let r = tx.query_one(
        "SELECT count(*), COALESCE(min(id), 1), COALESCE(max(id), 0),
                (SELECT count(*) FROM audit_log a JOIN audit_log b ON b.id = a.id + 1
                 WHERE b.prev_hash <> a.hash),
                (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)
         FROM audit_log",
        &[],
    )?;
    let (n, min, max, broken, last): (i64, i64, i64, i64, Option<String>) =
        (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
    let bad = |m: String| Error::Verify {
        table: "audit_log".into(),
        message: m,
    };
    if n as u64 != rows || min != 1 || max != n {
        return Err(bad(format!(
            "{n} rows, ids {min}..{max}; the source had {rows}"
        )));
    }
    if broken > 0 {
        return Err(bad(format!("{broken} rows do not continue the chain")));
    }
    if rows > 0 && last.as_deref() != Some(head) {
        return Err(bad("the head is not the source's head".into()));
    }
    Ok(())
}
