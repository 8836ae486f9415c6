//! One function per subcommand.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::{json, thousands};
use super::progress::Bar;
use super::{Cli, Command};
use crate::bundle;
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_matching::NameIndex;
use tradescope_store::covered::Covered;
use tradescope_store::error::Error;
use tradescope_store::import::{self, ImportOptions, Input};
use tradescope_store::search;
use tradescope_store::{self as db, audit, entities, stats, Integrity};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli
        .db
        .as_ref()
        .and_then(|p| p.to_str())
        .filter(|p| tradescope_pg::is_url(p))
        .map(str::to_string);
    if let Some(url) = url {
        let command = cli.command.unwrap_or(Command::Tui);
        if !matches!(
            command,
            Command::Copy(_) | Command::Match(_) | Command::Eval(_)
        ) {
            return super::pg::run(&url, command);
        }
        return run_without_db(command);
    }
    let db_path = cli.db.clone().unwrap_or_else(db::default_path);
    let integrity = if cli.check {
        Integrity::Always
    } else {
        Integrity::Auto
    };
    let db = Db {
        path: &db_path,
        integrity,
    };
    match cli.command.unwrap_or(Command::Tui) {
        Command::Tui => cmd_tui(&db_path),
        Command::Init {
            force,
            json: as_json,
        } => cmd_init(&db_path, force, as_json),
        Command::Import {
            format,
            paths,
            as_of,
            allow_shrink,
            synthetic,
            map,
            json: as_json,
        } => cmd_import(
            db,
            format,
            &paths,
            ImportOptions {
                as_of,
                allow_shrink,
                synthetic,
                note: None,
                columns: column_map(format, &map)?,
            },
            as_json,
        ),
        Command::Search {
            query,
            limit,
            json: as_json,
        } => cmd_search(db, &query, limit, as_json),
        Command::Show {
            kind,
            id,
            rejected,
            json: as_json,
        } => super::show::cmd_show(db, &kind, id, rejected, as_json),
        Command::Stats {
            json: as_json,
            changes: true,
        } => super::changes::cmd_changes(db, as_json),
        Command::Stats { json: as_json, .. } => cmd_stats(db, as_json),
        Command::Backup {
            path,
            json: as_json,
        } => cmd_backup(db, path.as_deref(), as_json),
        Command::Audit { action } => super::audit::run(db, action),
        Command::Copy(args) => super::copy::run(args),
        Command::Screen(args) => super::screen::run_screen(db, args),
        Command::Intersect(args) => super::invest::run_intersect(db, args),
        Command::Trail(args) => super::invest::run_trail(db, args),
        Command::Shipments(args) => super::invest::run_shipments(db, args),
        Command::Patents(args) => super::patents::run(db, args),
        Command::Patterns { action } => {
            super::reference::run_table(db, super::reference::Table::Patterns, action)
        }
        Command::Columns { action } => {
            super::reference::run_table(db, super::reference::Table::Columns, action)
        }
        Command::Cet { action } => {
            super::reference::run_table(db, super::reference::Table::Cet, action)
        }
        Command::Covered { action } => super::reference::run_covered(db, action),
        Command::Case { action } => super::case::run(db, action),
        Command::Decide(args) => super::decide::run_decide(db, args),
        Command::Decisions(args) => super::decide::run_decisions(db, args),
        Command::Watch { action } => super::watch::run_watch(db, action),
        Command::Rescreen(args) => super::watch::run_rescreen(db, args),
        Command::Link { action } => super::link::run(db, action),
        Command::Match(args) => super::screen::run_match(args),
        Command::Eval(args) => super::screen::run_eval(args),
    }
}

/// The database the command works on, and how much to check it on opening.
#[derive(Clone, Copy)]
pub(super) struct Db<'a> {
    path: &'a Path,
    integrity: Integrity,
}

impl Db<'_> {
    pub(super) fn open_ro(self) -> tradescope_store::error::Result<rusqlite::Connection> {
        db::open_ro_with(self.path, self.integrity)
    }
    pub(super) fn open_rw(self) -> tradescope_store::error::Result<rusqlite::Connection> {
        db::open_rw_with(self.path, self.integrity)
    }
}

/// The commands that use no database (`copy` names its own two).
fn run_without_db(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Copy(args) => super::copy::run(args),
        Command::Match(args) => super::screen::run_match(args),
        Command::Eval(args) => super::screen::run_eval(args),
        _ => Err(Error::User("this command needs a database".into()).into()),
    }
}

/// The workbench needs a terminal.
pub(super) fn check_tty() -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Error::User(
            "the workbench needs a terminal (stdin and stdout must be a tty); in scripts use \
             `tradescope search`, `show` or `stats`"
                .into(),
        )
        .into());
    }
    Ok(())
}

/// Run the workbench on `store` until the user quits.
pub(super) fn workbench(store: std::sync::Arc<dyn tradescope_store::Store>) -> anyhow::Result<()> {
    match tradescope_tui::app::run(store)? {
        tradescope_tui::app::Exit::Quit => Ok(()),
        // Stopped by a signal: report it the way a shell does, after the terminal is restored.
        tradescope_tui::app::Exit::Signal(s) => std::process::exit(128 + s),
    }
}

fn cmd_tui(db_path: &Path) -> anyhow::Result<()> {
    check_tty()?;
    if !db_path.exists() {
        errln!(
            "building the database at {} from the bundled data (first start)…",
            db_path.display()
        );
        let bar = Bar::new("init");
        let report = bundle::init(db_path, false, &bar);
        bar.finish();
        report.context("building the default database failed")?;
    }
    // Opened (and checked) before the screen switches, so a bad database is reported plainly.
    workbench(std::sync::Arc::new(tradescope_store::SqliteStore::open(
        db_path,
    )?))
}

/// Widest warning line of an import report: warnings quote names and file contents.
const REPORT_WARNING_WIDTH: usize = 1000;

/// The `--map` arguments as (field, column) pairs; only the shipments format has columns to map.
fn column_map(format: import::Format, args: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    if format != import::Format::Shipments {
        return Err(Error::User(format!(
            "--map is for the shipments format; {} has a fixed layout",
            format.as_str()
        ))
        .into());
    }
    let read = |path: &str| -> tradescope_store::error::Result<String> {
        let bytes = super::csv_input::read_whole(std::path::Path::new(path), path)
            .map_err(|e| Error::User(format!("--map {path}: {e:#}")))?;
        Ok(tradescope_store::import::input::decode(&bytes).into_owned())
    };
    let mut out = Vec::new();
    for a in args {
        out.extend(import::columns::parse_map_arg(a, read)?);
    }
    Ok(out)
}

fn cmd_import(
    db: Db,
    format: import::Format,
    paths: &[PathBuf],
    opts: ImportOptions,
    as_json: bool,
) -> anyhow::Result<()> {
    if let Some(d) = &opts.as_of {
        tradescope_store::import::fields::date(d)
            .map_err(|m| Error::User(format!("--as-of: {m}")))?;
    }
    let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
    let mut conn = db.open_rw()?;
    let bar = Bar::new(format.as_str());
    let report = import::import(&mut conn, format, &inputs, &opts, &bar);
    bar.finish();
    let report = report.with_context(|| {
        format!(
            "import {} failed; the database is unchanged",
            format.as_str()
        )
    })?;
    // A new current list version: name the monitored sets that now have new potential hits.
    let check =
        !report.already_imported && report.version.as_ref().is_some_and(|v| v.became_current);
    if as_json {
        json(&report)?;
    } else {
        print_import(&report, &opts);
    }
    if check {
        super::watch::after_import(&mut conn, as_json)?;
    }
    Ok(())
}

fn print_import(report: &import::ImportReport, opts: &ImportOptions) {
    if report.already_imported {
        outln!(
            "{}: already imported as source #{} (SHA-256 {}); nothing changed",
            sanitize(&report.files.join(", ")),
            report.source_id.unwrap_or_default(),
            &report.sha256[..12]
        );
        if !opts.columns.is_empty() {
            outln!("--map does not re-read a file already imported; its records are as first read");
        }
        return;
    }
    outln!(
        "imported {} rows from {} as source #{} ({}, as of {})",
        thousands(report.rows as i64),
        sanitize(&report.files.join(", ")),
        report.source_id.unwrap_or_default(),
        report.dataset,
        report
            .as_of_source
            .as_ref()
            .map(|a| a.describe())
            .or_else(|| report.as_of.clone())
            .unwrap_or_else(|| "unknown".into())
    );
    if let Some(v) = &report.version {
        if !v.became_current {
            outln!(
                "older than the current version of {}: kept as history",
                report.dataset
            );
        } else if let Some(old) = v.replaced {
            super::changes::say_version(old, v);
        }
    }
    if let Some(c) = &report.columns {
        outln!(
            "columns: read as {}; {} of {} columns used",
            c.layout
                .as_deref()
                .map(|l| format!("layout {l}"))
                .unwrap_or_else(|| "the plain shipments format".into()),
            c.used.len(),
            c.used.len() + c.ignored.len()
        );
    }
    for w in &report.warnings {
        errln!("warning: {}", truncate_to_width(w, REPORT_WARNING_WIDTH));
    }
    outln!(
        "links: {} to trade parties, {} to patent assignees",
        thousands(report.links.party_links as i64),
        thousands(report.links.assignee_links as i64)
    );
}

fn cmd_search(db: Db, query: &str, limit: usize, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let index = NameIndex::build(entities::current_names(&conn)?);
    let hits = search::search(&conn, &index, query, limit)?;
    super::audit::record(
        db,
        &audit::NewRecord {
            action: "search".into(),
            query: Some(query.to_string()),
            normalized_query: Some(tradescope_matching::normalize_key(query)),
            matcher_version: Some(tradescope_matching::MATCHER_VERSION.into()),
            threshold: Some(search::SEARCH_THRESHOLD),
            results: serde_json::json!(hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score}))
                .collect::<Vec<_>>()),
            at: None,
        },
    )?;
    let checks = Covered::load(&conn)?.check(&index, query);
    super::reference::say_unlisted_covered(&checks, as_json);
    if as_json {
        return json(&hits);
    }
    if hits.is_empty() {
        outln!("no list entry matches {:?}", sanitize(query));
        return Ok(());
    }
    for h in &hits {
        outln!(
            "{:>6}  {:<6} {:.2}  {}{}  [{}]",
            h.id,
            sanitize(&h.list),
            h.score,
            sanitize(&h.name),
            h.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            h.programs.as_deref().map(sanitize).unwrap_or_default(),
        );
        if let Some(c) = &h.covered {
            outln!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
    }
    Ok(())
}

fn cmd_init(db_path: &Path, force: bool, as_json: bool) -> anyhow::Result<()> {
    let bar = Bar::new("init");
    let report = bundle::init(db_path, force, &bar);
    bar.finish();
    let report = report?;
    if as_json {
        return json(&report);
    }
    outln!("built {}", report.path.display());
    for (t, n) in &report.stats.tables {
        if *n > 0 {
            outln!("  {t:<14} {:>10}", thousands(*n));
        }
    }
    Ok(())
}

fn cmd_backup(db: Db, dest: Option<&Path>, as_json: bool) -> anyhow::Result<()> {
    let written = db::backup(db.path, dest)?;
    let bytes = std::fs::metadata(&written).map(|m| m.len()).unwrap_or(0);
    if as_json {
        return json(&serde_json::json!({
            "database": db.path,
            "backup": written,
            "bytes": bytes,
            "schema_version": db::SCHEMA_VERSION,
        }));
    }
    outln!(
        "backup of {} written to {} ({} bytes, schema v{})",
        db.path.display(),
        written.display(),
        thousands(bytes as i64),
        db::SCHEMA_VERSION
    );
    Ok(())
}

fn cmd_stats(db: Db, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let s = stats::stats(&conn)?;
    if as_json {
        return json(&s);
    }
    // Everything below comes from the database file, which may come from elsewhere.
    outln!("database: {}", sanitize(&db.path.display().to_string()));
    for (t, n) in &s.tables {
        outln!("  {t:<14} {:>12}", thousands(*n));
    }
    outln!("current list entries:");
    for (l, n) in &s.lists {
        outln!("  {:<8} {:>8}", sanitize(l), thousands(*n));
    }
    outln!("sources:");
    for src in &s.sources {
        outln!(
            "  #{:<3} {:<16} {:>9} rows  as of {:<10} {}{}{}  {}",
            src.id,
            sanitize(&src.dataset),
            thousands(src.rows),
            sanitize(src.as_of.as_deref().unwrap_or("unknown")),
            match (&src.as_of_source, src.as_of_derived) {
                (Some(b), true) => format!("(derived: {}) ", sanitize(b)),
                (Some(b), false) => format!("({}) ", sanitize(b)),
                (None, _) => String::new(),
            },
            if src.current { "" } else { "(replaced) " },
            if src.synthetic { "SYNTHETIC " } else { "" },
            // Not sliced by bytes: a crafted file may hold any text here.
            truncate_to_width(&src.sha256, 16)
        );
    }
    Ok(())
}
