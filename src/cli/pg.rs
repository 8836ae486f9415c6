//! `--db postgresql://…` (or `TRADESCOPE_DB=postgresql://…`): the commands that run on a
//! PostgreSQL database through its `Store` (the workbench, `show`, `shipments`, `intersect`,
//! `trail`), and for every other one a plain refusal naming it — never a panic, never a
//! SQLite file made from the URL.

use std::sync::Arc;

use super::Command;
use tradescope_pg::PgStore;
use tradescope_store::error::Error;

pub fn run(url: &str, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Tui => {
            super::commands::check_tty()?;
            // Opened (and its schema checked) before the screen switches.
            super::commands::workbench(Arc::new(open(url)?))
        }
        Command::Show {
            kind,
            id,
            rejected,
            json,
        } => super::show::cmd_show_on(&open(url)?, &kind, id, rejected, json),
        Command::Shipments(args) => super::invest::run_shipments_on(&open(url)?, args),
        Command::Intersect(args) => super::invest::run_intersect_on(&open(url)?, args),
        Command::Trail(args) => super::invest::run_trail_on(&open(url)?, args),
        other => Err(not_available(&other).into()),
    }
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
         workbench, `show`, `shipments`, `intersect` and `trail` are): run it on a SQLite database, e.g. after `tradescope copy \
         --from postgresql://… --to FILE.db`",
        name(command)
    ))
}
