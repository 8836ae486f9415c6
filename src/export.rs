//! Rendering a case export (db::cases::CaseExport) as CSV, JSON or Markdown. Every format
//! carries the provenance of every record, the list versions and the matcher version.

use crate::db::cases::CaseExport;
use crate::error::{Error, Result};

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
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |err: csv::Error| Error::User(format!("cannot write CSV: {err}"));
    w.write_record([
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
    ])
    .map_err(io)?;
    let versions = versions_line(&e.list_versions);
    for i in &e.items {
        let covered = i
            .covered
            .as_ref()
            .map(|c| format!("{} ({}): {}", c.group, c.relation, c.basis))
            .unwrap_or_default();
        w.write_record([
            e.case.as_str(),
            &i.kind,
            &i.record_id.to_string(),
            &i.label,
            &facts_line(&i.facts),
            &covered,
            i.note.as_deref().unwrap_or(""),
            &i.added_at,
            &i.added_by,
            &i.provenance.dataset,
            &i.provenance.path,
            &i.provenance.line.to_string(),
            &i.provenance.sha256,
            i.provenance.as_of.as_deref().unwrap_or(""),
            if i.provenance.synthetic { "1" } else { "0" },
            &versions,
            &e.matcher_version,
            &e.exported_at,
            &e.exported_by,
        ])
        .map_err(io)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|err| Error::User(format!("cannot write CSV: {err}")))?;
    String::from_utf8(bytes).map_err(|err| Error::User(format!("cannot write CSV: {err}")))
}

/// Markdown table cells: no pipes or line breaks inside.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn markdown(e: &CaseExport) -> String {
    let mut s = format!("# Case: {}\n\n", cell(&e.case));
    s.push_str(&format!(
        "- Created {} by {}\n- Exported {} by {} with tradescope {} (matcher {})\n",
        e.created_at,
        cell(&e.created_by),
        e.exported_at,
        cell(&e.exported_by),
        e.tradescope_version,
        e.matcher_version
    ));
    s.push_str("- List versions at export:\n");
    if let Some(a) = e.list_versions.as_array() {
        for x in a {
            s.push_str(&format!(
                "  - {} (source #{}, as of {}), SHA-256 `{}`\n",
                x["dataset"].as_str().unwrap_or("?"),
                x["source_id"].as_i64().unwrap_or_default(),
                x["as_of"].as_str().unwrap_or("unknown"),
                x["sha256"].as_str().unwrap_or("?")
            ));
        }
    }
    s.push_str(&format!("\n## Records ({})\n\n", e.items.len()));
    s.push_str("| # | Kind | Id | Record | Note | Source (file:line) | SHA-256 |\n");
    s.push_str("|---|---|---|---|---|---|---|\n");
    for (n, i) in e.items.iter().enumerate() {
        s.push_str(&format!(
            "| {} | {} | {} | {}{} | {} | {}:{} | `{}` |\n",
            n + 1,
            i.kind,
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
            i.provenance.sha256
        ));
    }
    for (n, i) in e.items.iter().enumerate() {
        s.push_str(&format!(
            "\n### {}. {} #{}: {}\n\n",
            n + 1,
            i.kind,
            i.record_id,
            cell(&i.label)
        ));
        for (k, v) in &i.facts {
            s.push_str(&format!("- {k}: {}\n", cell(v)));
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
            "- source: {} (dataset {}, source #{}, as of {}), line {}, SHA-256 `{}`{}\n",
            cell(&i.provenance.path),
            i.provenance.dataset,
            i.provenance.source_id,
            i.provenance.as_of.as_deref().unwrap_or("unknown"),
            i.provenance.line,
            i.provenance.sha256,
            if i.provenance.synthetic {
                " — SYNTHETIC demo data"
            } else {
                ""
            }
        ));
        s.push_str(&format!(
            "- added {} by {}\n",
            i.added_at,
            cell(&i.added_by)
        ));
    }
    s
}
