//! SQLite and PostgreSQL side by side (issue 19): the benchmark's SQLite database copied into a
//! fresh PostgreSQL database with `tradescope copy`, then the same `Store` calls the workbench
//! makes timed on both engines, in one run, on the same rows.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rusqlite::Connection;
use tradescope_core::progress::Progress;
use tradescope_pg::{copy, PgStore};
use tradescope_store::shipments::{ShipmentFilter, Sort};
use tradescope_store::{SqliteStore, Store};

use crate::baseline as q;
use crate::machine::evict;
use crate::queries::{MODEL_QUERY, PAGE};
use crate::timing::{time_ms, Stat};

/// The workbench's count cap (crates/tui: SHIPMENT_COUNT_CAP).
const COUNT_CAP: i64 = 100_000;
/// Concurrent workbench sessions reading while a writer runs.
const SESSIONS: usize = 8;
/// A session's pause between two drills: a user holding an arrow key down (about 30 repeats
/// per second) asks for no more.
const THINK: Duration = Duration::from_millis(30);

/// One row of the side-by-side table.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub target: String,
    pub sqlite: String,
    pub pg: String,
    /// Whether PostgreSQL meets the target (None: no target or not measured).
    pub met: Option<bool>,
    pub note: String,
}

/// What the run measured besides the rows.
pub struct Measured {
    pub rows: Vec<Row>,
    pub shipments: i64,
    pub pg_version: String,
}

fn ms(s: &Stat) -> String {
    format!("{:.2} ms (p99 {:.2})", s.median, s.p99)
}

/// Warm timings of `f` over `n` calls ([`time_ms`] with anyhow's errors).
fn warm(n: usize, mut f: impl FnMut(usize) -> Result<()>) -> Result<Stat> {
    let engine = |e: anyhow::Error| tradescope_store::error::Error::Engine(format!("{e:#}"));
    Ok(time_ms(n, |i| f(i).map_err(engine))?)
}

fn entity_filter(id: i64) -> ShipmentFilter {
    ShipmentFilter {
        entity_id: Some(id),
        ..Default::default()
    }
}

fn drill(store: &dyn Store, entity: i64) -> Result<()> {
    std::hint::black_box(store.shipments_page(
        &entity_filter(entity),
        Sort::default(),
        None,
        PAGE,
    )?);
    Ok(())
}

/// A fresh database named `name` on the server `admin_url` points at (dropped first if an
/// earlier run left it); its URL.
fn fresh_database(admin_url: &str, name: &str) -> Result<String> {
    let mut admin = tradescope_pg::connect(admin_url)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    Ok(tradescope_pg::cluster::create_database(admin_url, name)?)
}

/// Evict every file of the PostgreSQL cluster's data directory from the OS page cache (this
/// process must be able to open them: root, or the server's own user). False if it could not.
fn evict_pg(client: &mut postgres::Client) -> bool {
    let Ok(row) = client.query_one("SHOW data_directory", &[]) else {
        return false;
    };
    let dir: String = row.get(0);
    let mut any = false;
    let mut stack = vec![std::path::PathBuf::from(dir).join("base")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                any |= evict(&p);
            }
        }
    }
    any
}

/// Readers' latencies (ms) while `write` runs: `SESSIONS` threads, each with its own store
/// (`open`), drilling entities with a pause of `THINK` between drills.
fn readers_during(
    open: &(dyn Fn() -> Result<Box<dyn Store>> + Sync),
    entities: &[i64],
    write: impl FnOnce() -> Result<()>,
) -> Result<(Vec<f64>, f64)> {
    let stop = AtomicBool::new(false);
    let started = Barrier::new(SESSIONS + 1);
    let all = Mutex::new(Vec::new());
    let mut write_secs = 0.0;
    std::thread::scope(|s| -> Result<()> {
        let mut handles = Vec::new();
        for k in 0..SESSIONS {
            let (stop, started, all) = (&stop, &started, &all);
            handles.push(s.spawn(move || -> Result<()> {
                let opened = open();
                started.wait();
                let store = opened?;
                let mut xs = Vec::new();
                let mut i = k;
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    drill(store.as_ref(), entities[i % entities.len()])?;
                    xs.push(t.elapsed().as_secs_f64() * 1000.0);
                    i += SESSIONS;
                    std::thread::sleep(THINK);
                }
                all.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .extend(xs);
                Ok(())
            }));
        }
        started.wait();
        // Let every session settle into its loop before the writer starts.
        std::thread::sleep(Duration::from_millis(500));
        let t = Instant::now();
        let written = write();
        write_secs = t.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("a reader thread panicked"))??;
        }
        written
    })?;
    let xs = all
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok((xs, write_secs))
}

/// The writer of the concurrency figure: `rows` shipments copied into the shipment table in
/// one transaction (new ids past the largest), then rolled back — an import's write load
/// without changing the database.
fn insert_select(columns: &[String], offset: i64, rows: i64) -> String {
    let list = columns.join(", ");
    let select: Vec<String> = columns
        .iter()
        .map(|c| {
            if c == "id" {
                format!("id + {offset}")
            } else {
                c.clone()
            }
        })
        .collect();
    format!(
        "INSERT INTO shipment ({list}) SELECT {} FROM shipment WHERE id <= {rows}",
        select.join(", ")
    )
}

fn concurrency_cell(xs: &[f64], write_secs: f64) -> (String, f64) {
    let max = xs.iter().copied().fold(0.0, f64::max);
    let s = Stat::of(xs.to_vec());
    (
        format!(
            "max {max:.1} ms (median {:.2}, p99 {:.2}; {} drills over a {write_secs:.1} s write)",
            s.median,
            s.p99,
            xs.len()
        ),
        max,
    )
}

/// Measure everything. `sqlite` is the benchmark database; `admin_url` a PostgreSQL server
/// this run may create a database on; `reps` repetitions per entity for warm timings.
pub fn measure(
    sqlite: &Path,
    admin_url: &str,
    reps: usize,
    cold: bool,
    progress: &dyn Progress,
) -> Result<Measured> {
    // The SQLite import figure, in this run: the real importer on a generated CSV (at most
    // 1M rows: the rate is flat past that, docs/scaling.md).
    progress.stage("SQLite import", None);
    let dir = sqlite.parent().unwrap_or(Path::new("."));
    let sqlite_shipments: i64 =
        tradescope_store::open_ro(sqlite)?
            .query_row("SELECT count(*) FROM shipment", [], |r| r.get(0))?;
    let n_import = (sqlite_shipments as u64).clamp(1, 1_000_000);
    let import = crate::import_figure(dir, n_import, (n_import / 100).max(1))?;
    let import_rate = import.ours.map_or(0.0, |s| s.median);
    let conn = tradescope_store::open_ro(sqlite)?;
    let shipments: i64 = conn.query_row("SELECT count(*) FROM shipment", [], |r| r.get(0))?;
    let max_id: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM shipment", [], |r| {
        r.get(0)
    })?;
    let mut rows = Vec::new();

    progress.stage("copy to PostgreSQL", None);
    let db_name = format!("tradescope_bench_{shipments}");
    let url = fresh_database(admin_url, &db_name)?;
    let t = Instant::now();
    let report = copy::sqlite_to_pg(sqlite, &url, progress).context("copy to PostgreSQL")?;
    let copy_secs = t.elapsed().as_secs_f64();
    let moved: u64 = report.tables.iter().map(|(_, n)| n).sum();
    let mut pg_client = tradescope_pg::connect(&url)?;
    let pg_version: String = pg_client.query_one("SHOW server_version", &[])?.get(0);
    rows.push(Row {
        name: "load of shipments".into(),
        target: "≥ 300K rows/s incl. parsing and linking".into(),
        sqlite: format!("{import_rate:.0} rows/s (`import shipments`, {n_import} rows)"),
        pg: format!(
            "{:.0} rows/s ({moved} rows of {} tables in {copy_secs:.1} s; shipments {:.0}/s)",
            moved as f64 / copy_secs,
            report.tables.len(),
            shipments as f64 / copy_secs
        ),
        met: None,
        note: "PostgreSQL: `tradescope copy` of the whole SQLite database into a fresh \
               PostgreSQL database — COPY (text) in one transaction, shipments staged and \
               routed to their year partitions, every index (the pg_trgm GIN of descriptions \
               included) built after the load, then each table's row count and digest and the \
               audit chain verified. Parsing and linking are not in it: they ran in the SQLite \
               import, and imports written straight into PostgreSQL are not built, so the \
               target is not judged. SQLite: "
            .to_string()
            + &import.note,
    });

    let sqlite_store = SqliteStore::open(sqlite)?;
    let pg_store = PgStore::open(&url)?;
    let stores: [(&str, &dyn Store); 2] = [("sqlite", &sqlite_store), ("pg", &pg_store)];

    progress.stage("drill-down", None);
    let ents: Vec<i64> = q::linked_entities(&conn, 40)?
        .into_iter()
        .map(|(e, _)| e)
        .collect();
    anyhow::ensure!(!ents.is_empty(), "no entity is linked to a trade party");
    // Even places for the warm figures, odd ones (never drilled before) for the cold one.
    let hot: Vec<i64> = ents.iter().copied().step_by(2).collect();
    let fresh: Vec<i64> = ents.iter().copied().skip(1).step_by(2).collect();
    let mut warm_stats = Vec::new();
    for (_, store) in stores {
        for e in &hot {
            drill(store, *e)?;
        }
        warm_stats.push(warm(reps * hot.len(), |i| {
            drill(store, hot[i % hot.len()])
        })?);
    }
    rows.push(Row {
        name: "drill entity → first page (warm)".into(),
        target: "≤ 5 ms".into(),
        sqlite: ms(&warm_stats[0]),
        pg: ms(&warm_stats[1]),
        met: Some(warm_stats[1].median <= 5.0),
        note: format!(
            "{} entities linked to trade parties, spread from busiest to quietest; `Store::\
             shipments_page` with the entity filter, {PAGE} rows newest first, {reps} times each \
             after one warm-up call.",
            hot.len()
        ),
    });

    if cold && !fresh.is_empty() {
        let mut sqlite_cold = Vec::new();
        let mut pg_cold = Vec::new();
        let mut evicted = true;
        for e in &fresh {
            let s = SqliteStore::open(sqlite)?;
            evicted &= evict(sqlite);
            let t = Instant::now();
            drill(&s, *e)?;
            sqlite_cold.push(t.elapsed().as_secs_f64() * 1000.0);
            let p = PgStore::open(&url)?;
            evicted &= evict_pg(&mut pg_client);
            let t = Instant::now();
            drill(&p, *e)?;
            pg_cold.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if evicted {
            let (s, p) = (Stat::of(sqlite_cold), Stat::of(pg_cold));
            rows.push(Row {
                name: "drill entity → first page (cold)".into(),
                target: "≤ 30 ms".into(),
                sqlite: ms(&s),
                pg: ms(&p),
                met: Some(p.median <= 30.0),
                note: format!(
                    "{} other entities, never drilled before in this run, one sample each: a \
                     new store (SQLite: a new connection; PostgreSQL: a new connection, so a \
                     new server backend), then the OS page cache of the database's files \
                     dropped (`posix_fadvise(DONTNEED)`: the SQLite file and WAL; every file \
                     under the cluster's data directory). PostgreSQL's own shared buffers \
                     cannot be emptied without a restart; the entities were not read before, \
                     but upper index pages they share with earlier queries may be there.",
                    fresh.len()
                ),
            });
        }
    }

    progress.stage("description substring", None);
    let text = ShipmentFilter {
        text: Some(MODEL_QUERY.into()),
        ..Default::default()
    };
    let mut page_stats = Vec::new();
    let mut count_stats = Vec::new();
    let mut counts = Vec::new();
    for (_, store) in stores {
        store.shipments_page(&text, Sort::default(), None, PAGE)?;
        page_stats.push(warm(reps * 5, |_| {
            std::hint::black_box(store.shipments_page(&text, Sort::default(), None, PAGE)?);
            Ok(())
        })?);
        let mut n = Ok(0);
        count_stats.push(warm(reps * 2, |_| {
            n = store.count_shipments(&text, COUNT_CAP)?;
            Ok(())
        })?);
        counts.push(n);
    }
    anyhow::ensure!(
        counts[0] == counts[1],
        "the engines count \"{MODEL_QUERY}\" differently: {:?} vs {:?}",
        counts[0],
        counts[1]
    );
    let n = match counts[0] {
        Ok(n) => format!("{n}"),
        Err(cap) => format!("≥ {cap}"),
    };
    rows.push(Row {
        name: format!("description substring \"{MODEL_QUERY}\" → first page"),
        target: "≤ 20 ms".into(),
        sqlite: ms(&page_stats[0]),
        pg: ms(&page_stats[1]),
        met: Some(page_stats[1].median <= 20.0),
        note: format!(
            "{n} matching shipments; SQLite: FTS5 trigram index; PostgreSQL: pg_trgm GIN index \
             on the description, newest first, {PAGE} rows."
        ),
    });
    rows.push(Row {
        name: format!("description substring \"{MODEL_QUERY}\" → count"),
        target: "≤ 200 ms".into(),
        sqlite: ms(&count_stats[0]),
        pg: ms(&count_stats[1]),
        met: Some(count_stats[1].median <= 200.0),
        note: format!(
            "`Store::count_shipments` capped at the workbench's {COUNT_CAP}; both engines \
             count {n}."
        ),
    });

    progress.stage("size", None);
    let sqlite_bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| {
            let mut p = sqlite.as_os_str().to_os_string();
            p.push(s);
            std::fs::metadata(p).ok().map(|m| m.len())
        })
        .sum();
    let pg_bytes: i64 = pg_client
        .query_one("SELECT pg_database_size(current_database())", &[])?
        .get(0);
    let per_m = |b: f64| b / (1 << 20) as f64 / (shipments as f64 / 1e6);
    rows.push(Row {
        name: "database size per million shipments".into(),
        target: "reported".into(),
        sqlite: format!("{:.0} MiB", per_m(sqlite_bytes as f64)),
        pg: format!("{:.0} MiB", per_m(pg_bytes as f64)),
        met: None,
        note: format!(
            "whole database (lists, parties, links, indexes) over {shipments} shipments: SQLite \
             file + WAL {:.1} GiB; PostgreSQL `pg_database_size` {:.1} GiB.",
            sqlite_bytes as f64 / (1u64 << 30) as f64,
            pg_bytes as f64 / (1u64 << 30) as f64
        ),
    });

    progress.stage("concurrent readers", None);
    let write_rows = (shipments / 10).clamp(1, 1_000_000);
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('shipment') ORDER BY cid")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let sql = insert_select(&columns, max_id, write_rows);
    let all_ents = ents.clone();
    let open_sqlite = || -> Result<Box<dyn Store>> { Ok(Box::new(SqliteStore::open(sqlite)?)) };
    let (sx, s_secs) = readers_during(&open_sqlite, &all_ents, || {
        let mut w = Connection::open(sqlite)?;
        w.busy_timeout(Duration::from_secs(30))?;
        let tx = w.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(&sql, [])?;
        tx.rollback()?;
        Ok(())
    })?;
    let open_pg = || -> Result<Box<dyn Store>> { Ok(Box::new(PgStore::open(&url)?)) };
    let (px, p_secs) = readers_during(&open_pg, &all_ents, || {
        let mut w = tradescope_pg::connect(&url)?;
        let mut tx = w.transaction()?;
        tx.batch_execute(&sql)?;
        tx.rollback()?;
        Ok(())
    })?;
    let (s_cell, _) = concurrency_cell(&sx, s_secs);
    let (p_cell, p_max) = concurrency_cell(&px, p_secs);
    rows.push(Row {
        name: format!("{SESSIONS} sessions drilling while a {write_rows}-row write runs"),
        target: "no stall > 100 ms".into(),
        sqlite: s_cell,
        pg: p_cell,
        met: Some(p_max <= 100.0),
        note: format!(
            "{SESSIONS} threads, each its own store (own connection), drill the {} entities \
             above in turn with {} ms between drills, while one more connection copies \
             {write_rows} shipments into the shipment table in one transaction \
             (`INSERT … SELECT` with new ids, then rolled back: an import's write load on the \
             table and its indexes, leaving the database as it was). Stall = the slowest drill \
             while the write ran. On 2 cores the {SESSIONS} sessions, the writer and the \
             server share the CPU.",
            all_ents.len(),
            THINK.as_millis()
        ),
    });
    Ok(Measured {
        rows,
        shipments,
        pg_version,
    })
}

/// The side-by-side table in markdown, with its notes.
pub fn markdown(m: &Measured) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "| figure ({} shipments) | PostgreSQL target | SQLite | PostgreSQL {} | met |\n\
         |---|---|---|---|---|\n",
        m.shipments, m.pg_version
    );
    for r in &m.rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {met} |",
            r.name, r.target, r.sqlite, r.pg
        );
    }
    out.push('\n');
    for r in m.rows.iter().filter(|r| !r.note.is_empty()) {
        let _ = writeln!(out, "- **{}**: {}", r.name, r.note);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_copies_rows_under_new_ids() {
        let cols = ["id", "source_id", "ship_date"].map(String::from);
        assert_eq!(
            insert_select(&cols, 500, 10),
            "INSERT INTO shipment (id, source_id, ship_date) SELECT id + 500, source_id, \
             ship_date FROM shipment WHERE id <= 10"
        );
    }
}
