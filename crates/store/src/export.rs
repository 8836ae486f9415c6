//! Rendering a case export (db::cases::CaseExport) as CSV, JSON or Markdown, and writing export
//! files. Every format carries the provenance of every record, the list versions and the
//! matcher version. CSV is spreadsheet-safe and Markdown inert (`text::spreadsheet`,
//! `text::markdown`); export files are created exclusively ([`write_new`], [`write_unique`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cases::CaseExport;
use crate::error::{Error, Result};

/// Write `text` to a new file at `path`, created exclusively (`O_CREAT | O_EXCL`): an existing
/// file is never replaced, and a symlink planted at `path` (even a dangling one) is never
/// followed. A write that fails part-way (a full disk) removes the partial file.
pub fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "it already exists (exports never replace a file nor write through a link): \
                 choose another name, or remove it first"
                    .to_string()
            } else {
                e.to_string()
            };
            Error::User(format!("cannot write {}: {why}", path.display()))
        })?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(Error::User(format!(
            "cannot write {}: {e}{}; nothing was kept",
            path.display(),
            crate::error::io_hint(&e)
        )));
    }
    Ok(())
}

/// Write `text` to a new file in `dir` named `{stem}.{ext}`, or `{stem}-2.{ext}`, `-3`, … —
/// the first name not taken (two exports in the same second get two files). Created
/// exclusively, as [`write_new`]. Returns the path written.
pub fn write_unique(dir: &Path, stem: &str, ext: &str, text: &str) -> Result<PathBuf> {
    const TRIES: u32 = 1000;
    for n in 1..=TRIES {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        match write_new(&path, text) {
            Ok(()) => return Ok(path),
            // Taken (a file, a link): try the next name.
            Err(_) if std::fs::symlink_metadata(&path).is_ok() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::User(format!(
        "cannot write {stem}.{ext} in {}: {TRIES} files of that name exist already",
        dir.display()
    )))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Markdown,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "md" | "markdown" => Format::Markdown,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "md",
        }
    }
}

/// "csl #3 as of 2022-04-21 (SHA-256 1a2b…)" per list version, '; '-joined.
fn versions_line(v: &serde_json::Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    format!(
                        "{} #{} as of {} (SHA-256 {})",
                        x["dataset"].as_str().unwrap_or("?"),
                        x["source_id"].as_i64().unwrap_or_default(),
                        x["as_of"].as_str().unwrap_or("unknown"),
                        x["sha256"].as_str().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

fn facts_line(facts: &[(String, String)]) -> String {
    facts
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

pub fn render(e: &CaseExport, format: Format) -> Result<String> {
    match format {
        Format::Json => serde_json::to_string_pretty(e)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|err| Error::User(format!("cannot write JSON: {err}"))),
        Format::Csv => csv_text(e),
        Format::Markdown => Ok(markdown(e)),
    }
}

fn csv_text(e: &CaseExport) -> Result<String> {
    // Spreadsheet-safe: names and notes are written by anyone (see text::spreadsheet).
    let mut rows: Vec<Vec<String>> = vec![[
        "case",
        "kind",
        "record_id",
        "label",
        "facts",
        "covered",
        "note",
        "added_at",
        "added_by",
        "dataset",
        "source_file",
        "source_line",
        "source_sha256",
        "source_as_of",
        "synthetic",
        "list_versions",
        "matcher_version",
        "exported_at",
        "exported_by",
        "audit_anchor",
    ]
    .map(String::from)
    .to_vec()];
    let versions = versions_line(&e.list_versions);
    for i in &e.items {
        let covered = i
            .covered
            .as_ref()
            .map(|c| format!("{} ({}): {}", c.group, c.relation, c.basis))
            .unwrap_or_default();
        rows.push(vec![
            e.case.clone(),
            i.kind.clone(),
            i.record_id.to_string(),
            i.label.clone(),
            facts_line(&i.facts),
            covered,
            i.note.clone().unwrap_or_default(),
            i.added_at.clone(),
            i.added_by.clone(),
            i.provenance.dataset.clone(),
            i.provenance.path.clone(),
            i.provenance.line.to_string(),
            i.provenance.sha256.clone(),
            i.provenance.as_of.clone().unwrap_or_default(),
            if i.provenance.synthetic { "1" } else { "0" }.into(),
            versions.clone(),
            e.matcher_version.clone(),
            e.exported_at.clone(),
            e.exported_by.clone(),
            e.audit_anchor.clone(),
        ]);
    }
    Ok(tradescope_core::text::spreadsheet::csv_text(rows))
}

/// Untrusted text in Markdown: sanitized and inert (no link, image, HTML or table break can
/// come from it; see text::markdown).
fn cell(s: &str) -> String {
    tradescope_core::text::markdown::inline(s)
}

/// A hash or other token as a code span that nothing inside can close.
fn code(s: &str) -> String {
    tradescope_core::text::markdown::code(s)
}

fn markdown(e: &CaseExport) -> String {
    let mut s = format!("# Case: {}\n\n", cell(&e.case));
    s.push_str(&format!(
        "- Created {} by {}\n- Exported {} by {} with tradescope {} (matcher {})\n",
        cell(&e.created_at),
        cell(&e.created_by),
        cell(&e.exported_at),
        cell(&e.exported_by),
        cell(&e.tradescope_version),
        cell(&e.matcher_version)
    ));
    s.push_str("- List versions at export:\n");
    if let Some(a) = e.list_versions.as_array() {
        for x in a {
            s.push_str(&format!(
                "  - {} (source #{}, as of {}), SHA-256 {}\n",
                cell(x["dataset"].as_str().unwrap_or("?")),
                x["source_id"].as_i64().unwrap_or_default(),
                cell(x["as_of"].as_str().unwrap_or("unknown")),
                code(x["sha256"].as_str().unwrap_or("?"))
            ));
        }
    }
    s.push_str(&format!(
        "- Audit log anchor at export: {} (check a log against it with `tradescope audit \
         verify --anchor …`)\n",
        code(&e.audit_anchor)
    ));
    s.push_str(&format!("\n## Records ({})\n\n", e.items.len()));
    s.push_str("| # | Kind | Id | Record | Note | Source (file:line) | SHA-256 |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for (n, i) in e.items.iter().enumerate() {
        s.push_str(&format!(
            "| {} | {} | {} | {}{} | {} | {}:{} | {} |\n",
            n + 1,
            cell(&i.kind),
            i.record_id,
            cell(&i.label),
            if i.provenance.synthetic {
                " (synthetic)"
            } else {
                ""
            },
            cell(i.note.as_deref().unwrap_or("")),
            cell(&i.provenance.path),
            i.provenance.line,
            code(&i.provenance.sha256)
        ));
    }
    for (n, i) in e.items.iter().enumerate() {
        s.push_str(&format!(
            "\n### {}. {} #{}: {}\n\n",
            n + 1,
            cell(&i.kind),
            i.record_id,
            cell(&i.label)
        ));
        for (k, v) in &i.facts {
            s.push_str(&format!("- {}: {}\n", cell(k), cell(v)));
        }
        if let Some(c) = &i.covered {
            s.push_str(&format!(
                "- covered equipment: {} ({}), {}\n",
                cell(&c.group),
                cell(&c.relation),
                cell(&c.basis)
            ));
        }
        s.push_str(&format!(
            "- source: {} (dataset {}, source #{}, as of {}), line {}, SHA-256 {}{}\n",
            cell(&i.provenance.path),
            cell(&i.provenance.dataset),
            i.provenance.source_id,
            cell(i.provenance.as_of.as_deref().unwrap_or("unknown")),
            i.provenance.line,
            code(&i.provenance.sha256),
            if i.provenance.synthetic {
                " — SYNTHETIC demo data"
            } else {
                ""
            }
        ));
        s.push_str(&format!(
            "- added {} by {}\n",
            cell(&i.added_at),
            cell(&i.added_by)
        ));
    }
    s
}
