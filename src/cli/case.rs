//! `tradescope case add|remove|list|show|export`: marked record sets, exported with provenance.
//! Every export is recorded in the audit log with the SHA-256 of what was written.

use std::path::PathBuf;

use clap::Subcommand;

use super::output::json;
use super::reference::write_export;
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_core::text::sanitize;
use tradescope_store::error::Error;
use tradescope_store::export::{self, Format};
use tradescope_store::Store;

#[derive(Debug, Subcommand)]
pub enum CaseAction {
    /// Mark a record: add it to case NAME (created on first use)
    Add {
        name: String,
        #[arg(value_parser = ["entity", "party", "shipment", "patent", "assignee"])]
        kind: String,
        id: i64,
        /// Why the record matters
        #[arg(long)]
        note: Option<String>,
    },
    /// Take a record out of a case
    Remove {
        name: String,
        #[arg(value_parser = ["entity", "party", "shipment", "patent", "assignee"])]
        kind: String,
        id: i64,
    },
    /// The cases, with their number of records
    List {
        #[arg(long)]
        json: bool,
    },
    /// The records of a case
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a case with the provenance of every record (source file, line, SHA-256, list
    /// versions, matcher version); recorded in the audit log
    Export {
        name: String,
        #[arg(long, value_parser = ["csv", "json", "md"], default_value = "md")]
        format: String,
        /// Write to FILE instead of stdout
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn kind(k: &str) -> Result<RecordKind, Error> {
    RecordKind::parse(k).ok_or_else(|| Error::User(format!("unknown record kind {k}")))
}

pub fn run(store: &dyn Store, action: CaseAction) -> anyhow::Result<()> {
    match action {
        CaseAction::Add {
            name,
            kind: k,
            id,
            note,
        } => {
            let n = store.case_add_noted(&name, RecordRef::new(kind(&k)?, id), note.as_deref())?;
            let records = if n == 1 { "record" } else { "records" };
            outln!("{k} #{id} is in case {:?} ({n} {records})", sanitize(&name));
            Ok(())
        }
        CaseAction::Remove { name, kind: k, id } => {
            if !store.case_remove(&name, RecordRef::new(kind(&k)?, id))? {
                return Err(Error::NotFound(format!(
                    "{k} #{id} is not in case {:?}",
                    sanitize(&name)
                ))
                .into());
            }
            outln!("removed {k} #{id} from case {:?}", sanitize(&name));
            Ok(())
        }
        CaseAction::List { json: as_json } => {
            let list = store.cases()?;
            if as_json {
                return json(&list);
            }
            if list.is_empty() {
                outln!("no cases yet: mark a record with `tradescope case add NAME KIND ID`");
            }
            for c in list {
                outln!(
                    "{:<30} {:>5} records  created {} by {}",
                    sanitize(&c.name),
                    c.items,
                    c.created_at,
                    sanitize(&c.created_by)
                );
            }
            Ok(())
        }
        CaseAction::Show {
            name,
            json: as_json,
        } => {
            let items = store.case_items(&name)?;
            if as_json {
                return json(&items);
            }
            for i in items {
                outln!(
                    "{:<9} #{:<8} added {} by {}  {}",
                    i.kind,
                    i.record_id,
                    i.added_at,
                    sanitize(&i.added_by),
                    sanitize(i.note.as_deref().unwrap_or(""))
                );
            }
            Ok(())
        }
        CaseAction::Export {
            name,
            format,
            output,
        } => {
            let fmt = Format::parse(&format)
                .ok_or_else(|| Error::User(format!("unknown format {format}")))?;
            let e = store.case_export(&name)?.ok_or_else(|| {
                Error::NotFound(format!(
                    "no case named {:?}; `tradescope case list` shows the cases",
                    sanitize(&name)
                ))
            })?;
            let text = export::render(&e, fmt)?;
            write_export(
                store,
                &format!("case {:?} as {}", e.case, fmt.as_str()),
                output.as_deref(),
                &text,
                serde_json::json!({
                    "case": e.case,
                    "format": fmt.as_str(),
                    "items": e.items.len(),
                    "records": e.items.iter().map(|i| format!("{} #{}", i.kind, i.record_id)).collect::<Vec<_>>(),
                }),
            )
        }
    }
}
