//! A user's CSV for `screen --file` and `match --pairs`, read as strictly as the importers read
//! published files — through the same record reader (`db::import::records`) and text checks
//! (`db::import::input::text_stream`): a quote left open, a NUL byte, a row with more or fewer
//! fields than the header, UTF-16, binary data, CR-only line endings or a damaged gzip stream
//! stop the read with an error naming file, line and field (or, for a whole-file problem, the
//! file and where it was found) before anything is screened. A lenient reader here would
//! screen one merged name for a dozen rows and report "no match".
//!
//! Read whole first, bounded ([`read_whole`]: at most [`MAX_BATCH_BYTES`]; a pipe or `<(…)`
//! works, read once; devices and directories are refused), then parsed from memory: at most
//! [`MAX_TEXT_BYTES`] of text once gunzipped and [`MAX_ROWS`] rows, lines and fields as the
//! record reader bounds them. Fields are UTF-8, else Windows-1252, as the importers decode
//! them; a `.gz` file is read through gzip. Header names are looked up case-insensitively; each
//! record keeps the line it starts on (a quoted field may span lines).

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use csv::StringRecord;
use sha2::{Digest, Sha256};

use tradescope_store::error::Error;
use tradescope_store::import::fields::Header;
use tradescope_store::import::input::{decode, gzip_damage, hex, text_stream, with_symptom};
use tradescope_store::import::records::Records;

/// Most bytes read from one file (as stored: compressed if it is a .gz).
pub const MAX_BATCH_BYTES: u64 = 256 << 20;

/// Most text parsed from one file once gunzipped: a bound on memory for a gzip bomb.
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
        let bytes = read_whole(path, &shown)?;
        let (headers, rows) = parse(&shown, first_field, &bytes)?;
        Ok(CsvInput {
            sha256: hex(&Sha256::digest(&bytes)),
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

/// How long a pipe may stay silent before the read gives up, in seconds:
/// `TRADESCOPE_PIPE_IDLE_SECS`, default 60 (a FIFO nobody writes to, a stuck producer).
fn pipe_idle() -> Duration {
    let secs = std::env::var("TRADESCOPE_PIPE_IDLE_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// The file's bytes: a regular file or a pipe, at most [`MAX_BATCH_BYTES`]. A device
/// (`/dev/zero`), a socket or a directory is refused before it is opened. A pipe, a FIFO or
/// `<(…)` is read on a helper thread, so that a FIFO nobody opens for writing, or a writer
/// that stops sending, ends the read after [`pipe_idle`] with a message instead of hanging.
pub(super) fn read_whole(path: &Path, shown: &str) -> anyhow::Result<Vec<u8>> {
    let cannot = |e: std::io::Error| Error::file(shown, format!("cannot read it: {e}"));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    #[cfg(unix)]
    let pipe = std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type());
    #[cfg(not(unix))]
    let pipe = false;
    if meta.is_dir() {
        return Err(Error::file(shown, "is a directory, not a CSV file").into());
    }
    if !meta.is_file() && !pipe {
        return Err(Error::file(
            shown,
            "is a device or socket, not a file (give a regular file or a pipe)",
        )
        .into());
    }
    let too_big = || {
        Error::file(
            shown,
            format!(
                "the file is larger than {} MiB, the most one batch may hold: split it",
                MAX_BATCH_BYTES >> 20
            ),
        )
    };
    if !pipe {
        if meta.len() > MAX_BATCH_BYTES {
            return Err(too_big().into());
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_BATCH_BYTES + 1).read_to_end(&mut bytes))
            .map_err(cannot)?;
        if bytes.len() as u64 > MAX_BATCH_BYTES {
            return Err(too_big().into());
        }
        return Ok(bytes);
    }
    let idle = pipe_idle();
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(4);
    let owned = path.to_path_buf();
    // Left blocked in open() or read() if the pipe never speaks; the process ends without it.
    std::thread::Builder::new()
        .name("tradescope-pipe".into())
        .spawn(move || {
            let mut f = match std::fs::File::open(&owned) {
                Ok(f) => f,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            let mut buf = vec![0u8; 1 << 16];
            loop {
                match f.read(&mut buf) {
                    Ok(0) => {
                        let _ = tx.send(Ok(Vec::new()));
                        return;
                    }
                    Ok(n) => {
                        if tx.send(Ok(buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        })
        .map_err(cannot)?;
    let mut bytes = Vec::new();
    loop {
        match rx.recv_timeout(idle) {
            Ok(Ok(chunk)) if chunk.is_empty() => return Ok(bytes),
            Ok(Ok(chunk)) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() as u64 > MAX_BATCH_BYTES {
                    return Err(too_big().into());
                }
            }
            Ok(Err(e)) => return Err(cannot(e).into()),
            Err(_) => {
                return Err(Error::file(
                    shown,
                    format!(
                        "no data from this pipe for {} s after {} bytes (a FIFO nobody writes \
                         to, or a stuck writer): gave up (TRADESCOPE_PIPE_IDLE_SECS sets the wait)",
                        idle.as_secs(),
                        bytes.len()
                    ),
                )
                .into())
            }
        }
    }
}

/// The header and rows of a CSV file's `bytes`, read strictly (see the module documentation).
fn parse(
    shown: &str,
    first_field: &str,
    bytes: &[u8],
) -> anyhow::Result<(StringRecord, Vec<(u64, StringRecord)>)> {
    let text = text_stream(shown, Box::new(bytes))?;
    let limited = Limited {
        inner: text,
        left: MAX_TEXT_BYTES,
    };
    let mut records = Records::new(shown, Box::new(limited), b',');
    match read_records(shown, first_field, &mut records) {
        Ok(read) => Ok(read),
        // A damaged .gz breaks some row first: name the damage, not the row.
        Err(e) if bytes.starts_with(&[0x1f, 0x8b]) => match gzip_damage(records.into_reader()) {
            Some(d) => Err(match e.downcast_ref::<Error>() {
                Some(symptom) => Error::file(shown, with_symptom(d, symptom)),
                None => Error::file(shown, d),
            }
            .into()),
            None => Err(e),
        },
        Err(e) => Err(e),
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
