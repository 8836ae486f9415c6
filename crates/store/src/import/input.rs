//! Input files for importers: on disk or embedded in the binary (the bundled data/), read
//! transparently through gzip, hashed with SHA-256, with progress counted in raw bytes.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use tradescope_core::progress::Progress;

/// One input file.
#[derive(Clone, Debug)]
pub struct Input {
    /// How the file is named in messages and in the `source` table.
    pub name: String,
    data: Data,
}

#[derive(Clone, Debug)]
enum Data {
    Path(PathBuf),
    Embedded(&'static [u8]),
    Owned(Arc<[u8]>),
}

impl Input {
    pub fn path(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        Input {
            name: path.display().to_string(),
            data: Data::Path(path.to_path_buf()),
        }
    }

    pub fn embedded(name: impl Into<String>, bytes: &'static [u8]) -> Self {
        Input {
            name: name.into(),
            data: Data::Embedded(bytes),
        }
    }

    /// Bytes held in memory (generated files, fuzzing, data received over a pipe).
    pub fn bytes(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Input {
            name: name.into(),
            data: Data::Owned(bytes.into()),
        }
    }

    /// The file name without directories (used to recognise members of a file set).
    pub fn file_name(&self) -> String {
        Path::new(&self.name)
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.name.clone())
    }

    /// Size of the raw (possibly compressed) file in bytes.
    pub fn len(&self) -> Result<u64> {
        match &self.data {
            Data::Path(p) => Ok(self.regular(p)?.len()),
            Data::Embedded(b) => Ok(b.len() as u64),
            Data::Owned(b) => Ok(b.len() as u64),
        }
    }

    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    fn raw(&self) -> Result<Box<dyn Read + Send>> {
        match &self.data {
            Data::Path(p) => {
                self.regular(p)?;
                let f = File::open(p).map_err(|e| self.io(e))?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
            }
            Data::Embedded(b) => Ok(Box::new(*b)),
            Data::Owned(b) => Ok(Box::new(std::io::Cursor::new(Arc::clone(b)))),
        }
    }

    /// SHA-256 of the raw file, lower-case hex.
    pub fn sha256(&self) -> Result<String> {
        let mut r = self.raw()?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = r.read(&mut buf).map_err(|e| self.io(e))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        Ok(hex(&h.finalize()))
    }

    /// The file's content, gunzipped when it starts with the gzip magic bytes (see
    /// [`text_stream`]). Raw bytes read are reported to `progress`. The file is opened once
    /// and read as a stream.
    pub fn open<'p>(&self, progress: &'p dyn Progress) -> Result<Box<dyn Read + Send + 'p>> {
        let counted = Counting {
            inner: self.raw()?,
            progress,
        };
        text_stream(&self.name, Box::new(counted))
    }

    /// The file's metadata, if it is a regular file (links followed). Anything else is
    /// refused before it is opened: a device (`/dev/zero`, `/dev/urandom`) never ends, a FIFO
    /// blocks the open until someone writes to it, and an import reads its file twice (to hash
    /// it, then to parse it), which a pipe cannot give.
    fn regular(&self, p: &Path) -> Result<std::fs::Metadata> {
        let meta = std::fs::metadata(p).map_err(|e| self.io(e))?;
        if meta.is_file() {
            return Ok(meta);
        }
        let what = if meta.is_dir() {
            "is a directory"
        } else if is_fifo(&meta) {
            "is a pipe or FIFO (or `<(…)`)"
        } else {
            "is a device or other special file"
        };
        Err(Error::file(
            &self.name,
            format!(
                "{what}, not a regular file: an import reads a file twice (to hash it, then to \
                 parse it); save the data to a file and import that"
            ),
        ))
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::file(&self.name, e.to_string())
    }
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type())
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// How much of the start of a text is looked at to recognise its encoding and line endings.
const SNIFF_BYTES: usize = 64 * 1024;

/// A raw stream (a file, a pipe) made the text the record reader reads, in one pass:
/// unzipped when it is a .zip (its one member, as PatentsView ships each table),
/// gunzipped when it starts with the gzip magic bytes (a corrupt or truncated stream is
/// reported as such, see `GzCorrupt`); a UTF-8 byte-order mark dropped (before it glues
/// itself to the first field and hides a quote: `\u{feff}"Name"`); and refused, saying what
/// to do, when it is text tradescope would misread: UTF-16 with or without a byte-order mark
/// (what some spreadsheet programs save as "Unicode text"; it would read as NUL-riddled
/// fields), binary data, or lines ended by CR alone (old Mac; read as one endless line, it
/// would be reported as duplicate columns or ragged rows).
pub fn text_stream<'p>(
    name: &str,
    mut raw: Box<dyn Read + Send + 'p>,
) -> Result<Box<dyn Read + Send + 'p>> {
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut raw, &mut magic).map_err(|e| Error::file(name, e.to_string()))?;
    let raw: Box<dyn Read + Send + 'p> =
        Box::new(std::io::Cursor::new(magic[..n].to_vec()).chain(raw));
    let mut text: Box<dyn Read + Send + 'p> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(GzErrors::new(raw))
    } else if n == 2 && magic == *b"PK" {
        super::zip::first_member(name, raw)?
    } else {
        raw
    };
    let mut head = vec![0u8; SNIFF_BYTES];
    let n = read_up_to(&mut text, &mut head).map_err(|e| read_error(name, e))?;
    head.truncate(n);
    if let Some(problem) = sniff(&head) {
        return Err(Error::file(name, problem));
    }
    let bom = if head.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    Ok(Box::new(
        std::io::Cursor::new(head.split_off(bom)).chain(text),
    ))
}

/// An error reading the text: a corrupt gzip stream says so, anything else is the I/O error.
fn read_error(name: &str, e: std::io::Error) -> Error {
    match e.get_ref().and_then(|g| g.downcast_ref::<GzCorrupt>()) {
        Some(g) => Error::file(name, g.to_string()),
        None => Error::file(name, e.to_string()),
    }
}

/// What is wrong with a text starting with `head`, if it cannot be read as lines of UTF-8 or
/// Windows-1252.
fn sniff(head: &[u8]) -> Option<String> {
    const SAVE: &str = "tradescope reads UTF-8 (or Windows-1252): save or export it as UTF-8 CSV";
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some(format!("the file is UTF-16 text; {SAVE}"));
    }
    let pairs = head.len() / 2;
    if pairs >= 2 {
        let zeros = |parity: usize| {
            head.iter()
                .skip(parity)
                .step_by(2)
                .take(pairs)
                .filter(|&&b| b == 0)
                .count()
        };
        let (even, odd) = (zeros(0), zeros(1));
        // Latin text in UTF-16: every other byte is NUL, and the others almost never are.
        let order = if odd * 10 >= pairs * 3 && even * 20 <= pairs {
            Some("little-endian")
        } else if even * 10 >= pairs * 3 && odd * 20 <= pairs {
            Some("big-endian")
        } else {
            None
        };
        if let Some(order) = order {
            return Some(format!(
                "the file is UTF-16 text ({order}, without a byte-order mark: every other byte \
                 is NUL); {SAVE}"
            ));
        }
        if (even + odd) * 4 >= head.len() {
            return Some(
                "the file is not text: a quarter or more of its first bytes are NUL (binary \
                 data, or a damaged file)"
                    .to_string(),
            );
        }
    }
    if !head.contains(&b'\n') && head.contains(&b'\r') {
        return Some(
            "line endings are CR only (old Mac): tradescope reads lines ended by LF or CRLF; \
             save the file again with Windows or Unix line endings, or convert it \
             (tr '\\r' '\\n' < in.csv > out.csv)"
                .to_string(),
        );
    }
    None
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 over a file set: the hash of the members' hashes in the given order.
pub fn set_sha256(hashes: &[String]) -> String {
    if hashes.len() == 1 {
        return hashes[0].clone();
    }
    let mut h = Sha256::new();
    for s in hashes {
        h.update(s.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

struct Counting<'p> {
    inner: Box<dyn Read + Send>,
    progress: &'p dyn Progress,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

/// A gzip stream that cannot be read to its end: truncated, or corrupt (bad deflate data, a
/// checksum mismatch, garbage after a member). Carried as the payload of an I/O error.
#[derive(Debug, Clone)]
pub(super) struct GzCorrupt {
    /// Compressed bytes read when the problem showed (the decoder reads ahead up to 32 KiB).
    byte: u64,
    /// Lines of text decoded before it.
    line: u64,
    truncated: bool,
    detail: String,
}

impl std::fmt::Display for GzCorrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.truncated {
            write!(
                f,
                "the gzip stream ends early, near byte {} of the file (after line {} of its \
                 text): the file is truncated (an interrupted download?); download it again",
                self.byte, self.line
            )
        } else {
            write!(
                f,
                "the gzip data is corrupt (found at byte {} of the file, line {} of its text: \
                 {}): the file is damaged; download it again",
                self.byte, self.line, self.detail
            )
        }
    }
}

impl std::error::Error for GzCorrupt {}

/// Counts the compressed bytes read, for [`GzCorrupt`]'s position.
struct Tally<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Gunzips (every member) and names a truncated or corrupt stream for what it is
/// ([`GzCorrupt`]) instead of a bare "unexpected end of file".
struct GzErrors<R: Read> {
    inner: MultiGzDecoder<Tally<R>>,
    lines: u64,
    error: Option<GzCorrupt>,
}

impl<R: Read> GzErrors<R> {
    fn new(raw: R) -> Self {
        GzErrors {
            inner: MultiGzDecoder::new(Tally {
                inner: raw,
                bytes: 0,
            }),
            lines: 0,
            error: None,
        }
    }
}

impl<R: Read> Read for GzErrors<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.error.is_none() {
            match self.inner.read(out) {
                Ok(n) => {
                    self.lines += memchr::memchr_iter(b'\n', &out[..n]).count() as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Err(e),
                Err(e) => {
                    self.error = Some(GzCorrupt {
                        byte: self.inner.get_ref().bytes,
                        line: self.lines,
                        truncated: e.kind() == std::io::ErrorKind::UnexpectedEof,
                        detail: e.to_string(),
                    })
                }
            }
        }
        let g = self.error.clone().unwrap_or_else(|| unreachable!());
        Err(std::io::Error::new(std::io::ErrorKind::InvalidData, g))
    }
}

/// Whether the stream is a gzip file that cannot be read to its end, and how: a damaged
/// member decodes to garbage the record reader reports as a ragged row or a stray quote, and
/// only its checksum at the end says what happened. Read to the end to find out; used on the
/// error path only.
pub fn gzip_damage(mut rest: impl Read) -> Option<String> {
    match std::io::copy(&mut rest, &mut std::io::sink()) {
        Ok(_) => None,
        Err(e) => e
            .get_ref()
            .and_then(|g| g.downcast_ref::<GzCorrupt>())
            .map(GzCorrupt::to_string),
    }
}

impl Input {
    /// Whether the file is gzip and damaged (see [`gzip_damage`]): decoded whole, from the
    /// start. None for a plain file (nothing is read past its first two bytes).
    pub fn gzip_damage(&self) -> Option<String> {
        let mut raw = self.raw().ok()?;
        let mut magic = [0u8; 2];
        let n = read_up_to(&mut raw, &mut magic).ok()?;
        if n < 2 || magic != [0x1f, 0x8b] {
            return None;
        }
        gzip_damage(GzErrors::new(std::io::Cursor::new(magic).chain(raw)))
    }
}

/// A gzip damage report, with the row error it caused (where to look).
pub fn with_symptom(damage: String, symptom: &Error) -> String {
    match symptom {
        Error::Input { line, .. } => format!("{damage} (its garbage first broke line {line})"),
        _ => damage,
    }
}

/// An error met while parsing `inputs`, or — when one of them is a damaged gzip file, whose
/// garbage is what the parser stumbled on — that damage, named.
pub fn damage_or(inputs: &[Input], e: Error) -> Error {
    if !matches!(e, Error::Input { .. } | Error::File { .. }) {
        return e;
    }
    inputs
        .iter()
        .find_map(|i| {
            i.gzip_damage()
                .map(|d| Error::file(&i.name, with_symptom(d, &e)))
        })
        .unwrap_or(e)
}

/// Text of a field as published: UTF-8 when valid, otherwise Windows-1252 (what US government
/// CSV files use when they are not UTF-8). A leading byte-order mark is dropped.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_when_not_utf8() {
        assert_eq!(decode(b"S\xe3o Paulo \x93x\x94"), "São Paulo “x”");
        assert_eq!(decode("Zürich".as_bytes()), "Zürich");
        assert_eq!(decode(b"\xef\xbb\xbfname"), "name");
    }
}
