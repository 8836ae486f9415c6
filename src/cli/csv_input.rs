//! A user's CSV for `screen --file` and `match --pairs`, read as strictly as the importers read
//! published files — through the same record reader (`db::import::records`) and text checks
//! (`db::import::input::text_stream`): a quote left open, a NUL byte, a row with more or fewer
//! fields than the header, UTF-16, binary data, CR-only line endings or a damaged gzip stream
//! stop the read with an error naming file, line and field (or, for a whole-file problem, the
//! file and where it was found) before anything is screened. A lenient reader here would
//! screen one merged name for a dozen rows and report "no match".
//!
//! Read once, as a stream: a pipe or `<(…)` works (hashed as it is read), and reading is
//! bounded — at most [`MAX_TEXT_BYTES`] of text and [`MAX_ROWS`] rows, lines and fields as the
//! record reader bounds them. Fields are UTF-8, else Windows-1252, as the importers decode them;
//! a `.gz` file is read through gzip. Header names are looked up case-insensitively; each record
//! keeps the line it starts on (a quoted field may span lines).

use std::io::{BufRead, Read};
use std::path::Path;

use csv::StringRecord;
use sha2::{Digest, Sha256};

use crate::db::import::fields::Header;
use crate::db::import::input::{decode, gzip_damage, hex, text_stream, with_symptom};
use crate::db::import::records::Records;
use crate::error::Error;

/// Most text read from one file (after gunzipping): far beyond any vendor list, and a bound on
/// memory for an endless stream (`/dev/zero`, a pipe that never ends).
pub const MAX_TEXT_BYTES: u64 = 512 << 20;

/// Most rows read from one file.
pub const MAX_ROWS: usize = 2_000_000;

pub struct CsvInput {
    /// The file as given, for messages.
    pub shown: String,
    /// SHA-256 of the file's bytes (as stored: compressed if it is a .gz), for the audit log.
    pub sha256: String,
    pub headers: StringRecord,
    /// (line, record)
    pub rows: Vec<(u64, StringRecord)>,
}

impl CsvInput {
    /// Read `path`, a CSV with a header row that should have a `first_field` column.
    pub fn read(path: &Path, first_field: &str) -> anyhow::Result<Self> {
        let shown = path.display().to_string();
        let cannot = |e: std::io::Error| Error::file(&shown, format!("cannot read it: {e}"));
        let meta = std::fs::metadata(path).map_err(cannot)?;
        if meta.is_dir() {
            return Err(Error::file(&shown, "is a directory, not a CSV file").into());
        }
        let file = std::fs::File::open(path).map_err(cannot)?;
        let mut hashing = Hashing {
            inner: std::io::BufReader::with_capacity(1 << 16, file),
            hash: Sha256::new(),
        };
        // Looked at without reading it (the buffer is filled, not consumed).
        let gzip = hashing
            .inner
            .fill_buf()
            .map_err(cannot)?
            .starts_with(&[0x1f, 0x8b]);
        let (headers, rows) = {
            let text = text_stream(&shown, Box::new(&mut hashing))?;
            let limited = Limited {
                inner: text,
                left: MAX_TEXT_BYTES,
            };
            let mut records = Records::new(&shown, Box::new(limited), b',');
            match read_records(&shown, first_field, &mut records) {
                Ok(read) => read,
                Err(e) => {
                    // A damaged .gz breaks some row first: name the damage, not the row.
                    return Err(
                        match gzip.then(|| gzip_damage(records.into_reader())).flatten() {
                            Some(d) => match e.downcast_ref::<Error>() {
                                Some(symptom) => Error::file(&shown, with_symptom(d, symptom)),
                                None => Error::file(&shown, d),
                            }
                            .into(),
                            None => e,
                        },
                    );
                }
            }
        };
        // Records stop at the end of the text; anything after it still counts in the hash.
        std::io::copy(
            &mut (&mut hashing).take(MAX_TEXT_BYTES),
            &mut std::io::sink(),
        )
        .map_err(cannot)?;
        Ok(CsvInput {
            sha256: hex(&hashing.hash.finalize()),
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

fn read_records(
    shown: &str,
    first_field: &str,
    records: &mut Records,
) -> anyhow::Result<(StringRecord, Vec<(u64, StringRecord)>)> {
    if !records.read_next()? {
        return Err(Error::file(
            shown,
            format!("the file is empty (expected a header row with a `{first_field}` column)"),
        )
        .into());
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let names: Vec<String> = records.rec.iter().map(|f| decode(f).into_owned()).collect();
    let header = Header::new(shown, names)?;
    records.set_columns(&header.names);
    let mut rows = Vec::new();
    while records.read_next()? {
        if records.is_blank() {
            continue;
        }
        records.check_row(&header)?;
        if rows.len() == MAX_ROWS {
            return Err(Error::input(
                shown,
                records.line(),
                "(row)",
                format!("more than {MAX_ROWS} rows: split the file and screen the parts"),
            )
            .into());
        }
        let rec: StringRecord = records.rec.iter().map(|f| decode(f)).collect();
        rows.push((records.line(), rec));
    }
    if rows.is_empty() {
        return Err(Error::file(shown, "no rows after the header: nothing to read").into());
    }
    Ok((header.names.iter().collect(), rows))
}

/// The raw bytes, hashed as they pass.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// Text up to a bound; past it, an error.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more tells a file of exactly the bound from a longer one.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "the file holds more than {} MiB of text: split it and screen the parts",
                    MAX_TEXT_BYTES >> 20
                ))),
            };
        }
        let cap = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        self.left -= n as u64;
        Ok(n)
    }
}
