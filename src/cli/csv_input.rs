//! A user's CSV for `screen --file` and `match --pairs`: read whole (UTF-8, else Windows-1252),
//! header looked up case-insensitively, each record with the line it starts on (a quoted field
//! may span lines, so the record index is not the line).

use std::path::Path;

use anyhow::Context;
use csv::StringRecord;

use sha2::Digest;

use crate::db::import::input::{decode, hex};
use crate::error::Error;

pub struct CsvInput {
    /// The file as given, for messages.
    pub shown: String,
    /// SHA-256 of the file's bytes, for the audit log.
    pub sha256: String,
    pub headers: StringRecord,
    /// (line, record)
    pub rows: Vec<(u64, StringRecord)>,
}

impl CsvInput {
    /// Read `path`; a malformed record is an error at file:line naming `first_field`.
    pub fn read(path: &Path, first_field: &str) -> anyhow::Result<Self> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
        let text = decode(&bytes);
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::file(&shown, format!("cannot read the header row: {e}")))?
            .clone();
        let mut rows = Vec::new();
        let mut rec = StringRecord::new();
        loop {
            let line = rdr.position().line();
            match rdr.read_record(&mut rec) {
                Ok(true) => rows.push((rec.position().map_or(line, |p| p.line()), rec.clone())),
                Ok(false) => break,
                Err(e) => {
                    let at = e.position().map_or(line, |p| p.line());
                    return Err(Error::input(&shown, at, first_field, e.to_string()).into());
                }
            }
        }
        Ok(CsvInput {
            sha256: hex(&sha2::Sha256::digest(&bytes)),
            shown,
            headers,
            rows,
        })
    }

    /// The position of the column named `name` (case-insensitive, trimmed).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    }
}
