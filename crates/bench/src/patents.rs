//! `bench --patents N` (issue 16): N synthetic patents written as PatentsView bulk tables
//! (gen::patents), imported through the real importer into a database holding the lists and
//! the bundled CET table (hash, parse, write, full-text index, CET areas, linking the distinct
//! assignees), then the Patents queries timed warm against today's naive queries — the ones
//! the pane ran before (`instr(lower(title), …)` over every patent and assignee name, CET by a
//! substring join of every CPC row) — in the same run, on the same database.

use std::path::Path;
use std::time::Instant;

use rusqlite::Connection;

use tradescope_core::progress::{NoProgress, Progress};
use tradescope_store as db;
use tradescope_store::error::Result;
use tradescope_store::import::{self, Format, ImportOptions, Input};
use tradescope_store::patents::{self, PatentFilter, PatentSort};

/// One row of the table: a figure, ours and the naive query's, in milliseconds (or a rate).
pub struct Row {
    pub figure: String,
    pub target: String,
    pub ours: String,
    pub naive: String,
}

fn ms(f: impl FnMut() -> Result<usize>, runs: usize) -> Result<(f64, usize)> {
    let mut f = f;
    let n = f()?; // warm
    let mut xs = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        xs.push(t.elapsed().as_secs_f64() * 1e3);
    }
    xs.sort_by(f64::total_cmp);
    Ok((xs[xs.len() / 2], n))
}

const NAIVE_WORD: &str = "(instr(lower(p.title), ?1) > 0 OR EXISTS (SELECT 1 FROM patent_assignee pa
    JOIN assignee a ON a.id = pa.assignee_id WHERE pa.patent_id = p.id AND instr(lower(a.name), ?1) > 0))";
const NAIVE_CET: &str = "EXISTS (SELECT 1 FROM patent_cpc pc JOIN cet_cpc c
    ON substr(pc.cpc, 1, length(c.cpc_prefix)) = c.cpc_prefix
    WHERE pc.patent_id = p.id AND c.area_code = ?1)";

fn naive(conn: &Connection, cond: &str, arg: &dyn rusqlite::ToSql, count: bool) -> Result<usize> {
    let sql = if count {
        format!("SELECT count(*) FROM patent p WHERE {cond}")
    } else {
        format!(
            "SELECT count(*) FROM (SELECT p.id FROM patent p WHERE {cond}
             ORDER BY p.publication_date DESC, p.id DESC LIMIT 51)"
        )
    };
    let n: i64 = conn.prepare_cached(&sql)?.query_row([arg], |r| r.get(0))?;
    Ok(n as usize)
}

/// A progress sink that times each stage of the import (hashing, each file, indexing, …).
#[derive(Default)]
pub struct Phases {
    stages: std::sync::Mutex<Vec<(String, Instant)>>,
}

impl Progress for Phases {
    fn stage(&self, name: &str, _total: Option<u64>) {
        if let Ok(mut s) = self.stages.lock() {
            s.push((name.to_string(), Instant::now()));
        }
    }
    fn inc(&self, _n: u64) {}
}

impl Phases {
    /// Each stage with its seconds (up to `end`).
    pub fn seconds(&self, end: Instant) -> Vec<(String, f64)> {
        let s = self.stages.lock().map(|s| s.clone()).unwrap_or_default();
        s.iter()
            .enumerate()
            .map(|(i, (name, t))| {
                let next = s.get(i + 1).map_or(end, |n| n.1);
                (name.clone(), next.duration_since(*t).as_secs_f64())
            })
            .collect()
    }
}

/// Import the generated tables under `dir` into a fresh database there and time the queries.
pub fn run(dir: &Path, n: u64) -> Result<Vec<Row>> {
    let tables = dir.join(format!("patentsview-{n}"));
    if !tables.join("SYNTHETIC.txt").exists() {
        crate::gen::patents::write(&tables, n, 16)?;
    }
    let paths: Vec<_> = [
        "g_patent.tsv",
        "g_assignee_disambiguated.tsv",
        "g_cpc_current.tsv",
    ]
    .iter()
    .map(|f| tables.join(f))
    .collect();
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let db_path = dir.join(format!("tradescope-bench-patents-{n}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db_path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    let mut conn = db::open_rw(&db_path)?;
    crate::import_lists(&mut conn, &NoProgress)?;
    let tx = conn.transaction()?;
    db::cet::load_tsv(&tx, "data/reference/cet_cpc.tsv", db::cet::DEFAULT_TSV)?;
    tx.commit()?;
    let t = Instant::now();
    let phases = Phases::default();
    let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
    let report = import::import(
        &mut conn,
        Format::Patentsview,
        &inputs,
        &ImportOptions {
            synthetic: true,
            ..Default::default()
        },
        &phases,
    )?;
    let secs = t.elapsed().as_secs_f64();
    let phase_list: Vec<String> = phases
        .seconds(Instant::now())
        .iter()
        .filter(|(name, _)| name != "importing")
        .map(|(name, s)| format!("{name} {s:.1} s"))
        .collect();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let db_mib = std::fs::metadata(&db_path).map_or(0, |m| m.len()) as f64 / 1048576.0;
    let mut rows = vec![Row {
        figure: format!(
            "import of the three tables ({} rows, {:.0} MiB TSV, {} assignee links)",
            report.rows,
            bytes as f64 / 1048576.0,
            report.links.assignee_links
        ),
        target: "≥ 75K rows/s".into(),
        ours: format!("{:.0} rows/s ({secs:.1} s)", report.rows as f64 / secs),
        naive: "–".into(),
    }];
    rows.push(Row {
        figure: format!("import phases: {}", phase_list.join("; ")),
        target: "–".into(),
        ours: "–".into(),
        naive: "–".into(),
    });
    rows.push(Row {
        figure: "database size per million patents (lists included)".into(),
        target: "reported".into(),
        ours: format!("{:.0} MiB", db_mib / (n as f64 / 1e6)),
        naive: "–".into(),
    });
    let page = |f: PatentFilter| {
        let conn = &conn;
        move || {
            Ok(patents::page(conn, &f, PatentSort::default(), None, 50)?
                .rows
                .len())
        }
    };
    let count = |f: PatentFilter| {
        let conn = &conn;
        move || Ok(patents::count(conn, &f, 100_000)?.unwrap_or_else(|n| n) as usize)
    };
    let text = |q: &str| PatentFilter {
        text: Some(q.into()),
        ..Default::default()
    };
    let cet = PatentFilter {
        cet: Some("AI".into()),
        ..Default::default()
    };
    // The giant: the assignee with the most patents.
    let (giant, giant_n): (i64, i64) = conn.query_row(
        "SELECT id, n_patents FROM assignee ORDER BY n_patents DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let giant_f = PatentFilter {
        assignee_id: Some(giant),
        ..Default::default()
    };
    // A rare word: the last of the generator's vocabulary, in about 0.2% of documents.
    let rare = crate::gen::patents::rare_word();
    let mut add = |figure: String, target: &str, ours: (f64, usize), naive: (f64, usize)| {
        rows.push(Row {
            figure,
            target: target.into(),
            ours: format!("{:.1} ms ({} rows)", ours.0, ours.1),
            naive: format!("{:.0} ms ({} rows)", naive.0, naive.1),
        })
    };
    for (word, what) in [("method", "common"), (rare.as_str(), "rare")] {
        add(
            format!("word → first page ({what}: `{word}`)"),
            "≤ 20 ms",
            ms(page(text(word)), 9)?,
            ms(|| naive(&conn, NAIVE_WORD, &word, false), 2)?,
        );
    }
    add(
        "count of a word query (`method`, capped at 100,000)".into(),
        "≤ 100 ms or ≥ N",
        ms(count(text("method")), 5)?,
        ms(|| naive(&conn, NAIVE_WORD, &"method", true), 2)?,
    );
    add(
        "`cet:AI` → first page".into(),
        "≤ 20 ms",
        ms(page(cet.clone()), 9)?,
        ms(|| naive(&conn, NAIVE_CET, &"AI", false), 2)?,
    );
    add(
        "`cet:AI` → count (capped at 100,000)".into(),
        "≤ 100 ms",
        ms(count(cet), 5)?,
        ms(|| naive(&conn, NAIVE_CET, &"AI", true), 2)?,
    );
    add(
        format!("assignee drill, the giant ({giant_n} patents) → first page"),
        "≤ 5 ms",
        ms(page(giant_f), 9)?,
        ms(
            || {
                naive(
                    &conn,
                    "p.id IN (SELECT patent_id FROM patent_assignee WHERE assignee_id = ?1)",
                    &giant,
                    false,
                )
            },
            5,
        )?,
    );
    let t = Instant::now();
    let inter = db::intersect::intersect(&conn, Default::default())?;
    rows.push(Row {
        figure: "intersection (listed × CET patents × shipments)".into(),
        target: "≤ 1 s".into(),
        ours: format!(
            "{:.0} ms ({} rows)",
            t.elapsed().as_secs_f64() * 1e3,
            inter.len()
        ),
        naive: "–".into(),
    });
    Ok(rows)
}

/// The rows as a Markdown table.
pub fn table(rows: &[Row]) -> Vec<String> {
    let mut out = vec![
        "| figure | target | ours | naive (today's query) |".to_string(),
        "|---|---|---|---|".to_string(),
    ];
    for r in rows {
        out.push(format!(
            "| {} | {} | {} | {} |",
            r.figure, r.target, r.ours, r.naive
        ));
    }
    out
}
