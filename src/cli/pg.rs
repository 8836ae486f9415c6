//! `--db postgresql://…` (or `TRADESCOPE_DB=postgresql://…`): the commands that run on a
//! PostgreSQL database through its `Store` (the workbench and every command
//! `commands::on_store` runs), and for every other one a plain refusal naming it — never a
//! panic, never a SQLite file made from the URL.

use std::sync::Arc;

use super::open::On;
use super::output::thousands;
use super::progress::Bar;
use super::Command;
use tradescope_core::text::sanitize;
use tradescope_pg::PgStore;
use tradescope_store::error::Error;

pub fn run(url: &str, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Tui => {
            super::commands::check_tty()?;
            // Opened (and its schema checked) before the screen switches.
            super::commands::workbench(Arc::new(open(url)?))
        }
        Command::Init { force, json } => init(url, force, json),
        Command::Search { query, limit, json } => {
            super::search::cmd_search_on(On::Pg(&open(url)?), &query, limit, json)
        }
        Command::Screen(args) => super::screen::run_screen_on(&open(url)?, args),
        Command::Patents(args) => super::patents::run_on(On::Pg(&open(url)?), args),
        other => match super::commands::on_store(other, || Ok(Box::new(open(url)?))) {
            Ok(done) => done,
            Err(other) => Err(not_available(&other).into()),
        },
    }
}

/// `init` on PostgreSQL: the default database is built as on SQLite (the same importers and
/// linking, in a temporary file), then copied into the empty PostgreSQL database and verified
/// there (`copy`'s checks: every table's rows, the audit chain). The temporary file is removed
/// either way.
fn init(url: &str, force: bool, as_json: bool) -> anyhow::Result<()> {
    if force {
        return Err(Error::User(
            "`init --force` does not empty a PostgreSQL database: drop and create it \
             (dropdb, createdb) and run `init` again"
                .into(),
        )
        .into());
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("tradescope-init-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join("tradescope.db");
    let result = build_and_copy(&tmp, url);
    let _ = tradescope_store::audit::anchor::forget(&tmp);
    let _ = std::fs::remove_dir_all(&dir);
    let report = result?;
    let to = tradescope_pg::redact(url);
    if as_json {
        return super::output::json(&serde_json::json!({
            "database": to,
            "tables": report.tables.iter().map(|(t, n)| serde_json::json!({"table": t, "rows": n})).collect::<Vec<_>>(),
            "audit": {"rows": report.audit_rows, "head": report.audit_head},
        }));
    }
    outln!("built {}", sanitize(&to));
    for (t, n) in report.tables.iter().filter(|(_, n)| *n > 0) {
        outln!("  {t:<18} {:>12}", thousands(*n as i64));
    }
    Ok(())
}

fn build_and_copy(tmp: &std::path::Path, url: &str) -> anyhow::Result<tradescope_pg::copy::Report> {
    let bar = Bar::new("init");
    let built = crate::bundle::init(tmp, false, &bar);
    bar.finish();
    built?;
    let bar = Bar::new("copy");
    bar.rows_style();
    let copied = tradescope_pg::copy::sqlite_to_pg(tmp, url, &bar);
    bar.finish();
    Ok(copied?)
}

fn open(url: &str) -> anyhow::Result<PgStore> {
    Ok(PgStore::open(url)?)
}

/// The command's name as typed (`Search { .. }` → "search").
fn name(command: &Command) -> String {
    let debug = format!("{command:?}");
    debug
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

fn not_available(command: &Command) -> Error {
    Error::User(format!(
        "`tradescope {}` is not available on a PostgreSQL database yet (issue 19; the \
         workbench, `show`, `shipments`, `intersect`, `trail`, `audit`, `case`, `decide`, \
         `decisions`, `link`, `stats`, `init`, `search`, `screen NAME` and `patents` are): run it on a SQLite database, e.g. after \
         `tradescope copy --from postgresql://… --to FILE.db`",
        name(command)
    ))
}
