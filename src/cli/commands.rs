//! One function per subcommand.

use std::path::Path;

use anyhow::Context;

use super::open::Db;
use super::output::{json, thousands};
use super::progress::Bar;
use super::{Cli, Command};
use crate::bundle;
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::error::Error;
use tradescope_store::import::ImportOptions;
use tradescope_store::{self as db, Integrity, Store};

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
    let command = match on_store(cli.command.unwrap_or(Command::Tui), || {
        Ok(Box::new(db.store()))
    }) {
        Ok(done) => return done,
        Err(command) => *command,
    };
    match command {
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
        } => super::import::cmd_import(
            db,
            format,
            &paths,
            ImportOptions {
                as_of,
                allow_shrink,
                synthetic,
                note: None,
                columns: super::import::column_map(format, &map)?,
            },
            as_json,
        ),
        Command::Search {
            query,
            limit,
            json: as_json,
        } => super::search::cmd_search(db, &query, limit, as_json),
        Command::Backup {
            path,
            json: as_json,
        } => cmd_backup(db, path.as_deref(), as_json),
        Command::Copy(args) => super::copy::run(args),
        Command::Screen(args) => super::screen::run_screen(db, args),
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
        Command::Watch { action } => super::watch::run_watch(db, action),
        Command::Rescreen(args) => super::watch::run_rescreen(db, args),
        Command::Match(args) => super::screen::run_match(args),
        Command::Eval(args) => super::screen::run_eval(args),
        // Run by `on_store` above; not reached.
        other => Err(Error::User(format!("{other:?} was not dispatched")).into()),
    }
}

/// Run `command` if it runs on either engine (through the [`Store`] `open` gives), or hand it
/// back: the one place that says which commands work on a PostgreSQL database too.
pub(super) fn on_store(
    command: Command,
    open: impl FnOnce() -> anyhow::Result<Box<dyn Store>>,
) -> Result<anyhow::Result<()>, Box<Command>> {
    Ok(match command {
        Command::Show {
            kind,
            id,
            rejected,
            json,
        } => open().and_then(|s| super::show::cmd_show(&*s, &kind, id, rejected, json)),
        Command::Shipments(args) => open().and_then(|s| super::invest::run_shipments(&*s, args)),
        Command::Intersect(args) => open().and_then(|s| super::invest::run_intersect(&*s, args)),
        Command::Trail(args) => open().and_then(|s| super::invest::run_trail(&*s, args)),
        Command::Audit { action } => open().and_then(|s| super::audit::run(&*s, action)),
        Command::Case { action } => open().and_then(|s| super::case::run(&*s, action)),
        Command::Decide(args) => open().and_then(|s| super::decide::run_decide(&*s, args)),
        Command::Decisions(args) => open().and_then(|s| super::decide::run_decisions(&*s, args)),
        Command::Link { action } => open().and_then(|s| super::link::run(&*s, action)),
        Command::Stats {
            json,
            changes: true,
        } => open().and_then(|s| super::changes::cmd_changes(&*s, json)),
        Command::Stats { json, .. } => open().and_then(|s| cmd_stats(&*s, json)),
        other => return Err(Box::new(other)),
    })
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

fn cmd_stats(store: &dyn Store, as_json: bool) -> anyhow::Result<()> {
    let s = store.stats()?;
    if as_json {
        return json(&s);
    }
    // Everything below comes from the database file, which may come from elsewhere.
    outln!("database: {}", sanitize(&store.label()));
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
