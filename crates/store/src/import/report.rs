//! What an import reports: the source it made (or found), rows, list version changes, links
//! and warnings.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::VersionReport;
use crate::link::LinkReport;

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub format: String,
    pub dataset: String,
    pub files: Vec<String>,
    pub sha256: String,
    /// None when the same file set had been imported before (nothing changed).
    pub source_id: Option<i64>,
    pub already_imported: bool,
    pub rows: u64,
    pub as_of: Option<String>,
    /// Lists: where `as_of` came from (the file's metadata, `--as-of`, or derived).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of_source: Option<super::as_of::AsOf>,
    pub version: Option<VersionReport>,
    pub links: LinkReport,
    /// What was skipped or repaired, in words the user can act on.
    pub warnings: Vec<String>,
    /// Shipments CSV: how its columns were read (layout, field → column, ignored columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<super::columns::Resolved>,
}

impl ImportReport {
    /// The report of an import not run yet; `source_id` is already set (and
    /// `already_imported` true) when `conn` holds a source with the same dataset and SHA-256,
    /// so the caller can return it as is.
    pub(super) fn start(
        conn: &Connection,
        format: &str,
        dataset: &str,
        files: Vec<String>,
        sha256: String,
        as_of: Option<String>,
    ) -> ImportReport {
        let existing: Option<i64> = conn
            .query_row(
                "SELECT id FROM source WHERE dataset = ?1 AND sha256 = ?2",
                params![dataset, sha256],
                |r| r.get(0),
            )
            .ok();
        ImportReport {
            format: format.into(),
            dataset: dataset.into(),
            files,
            sha256,
            source_id: existing,
            already_imported: existing.is_some(),
            rows: 0,
            as_of,
            as_of_source: None,
            version: None,
            links: LinkReport::default(),
            warnings: Vec::new(),
            columns: None,
        }
    }
}
