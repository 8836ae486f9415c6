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
use crate::progress::Progress;

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
            Data::Path(p) => Ok(std::fs::metadata(p).map_err(|e| self.io(e))?.len()),
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

    /// The file's content, gunzipped when it starts with the gzip magic bytes. Raw bytes read
    /// are reported to `progress`.
    pub fn open<'p>(&self, progress: &'p dyn Progress) -> Result<Box<dyn Read + Send + 'p>> {
        let mut head = [0u8; 2];
        let n = {
            let mut r = self.raw()?;
            read_up_to(&mut r, &mut head).map_err(|e| self.io(e))?
        };
        let counted = Counting {
            inner: self.raw()?,
            progress,
        };
        let text: Box<dyn Read + Send + 'p> = if n == 2 && head == [0x1f, 0x8b] {
            Box::new(GzErrors {
                inner: MultiGzDecoder::new(counted),
            })
        } else {
            Box::new(counted)
        };
        self.text_start(text)
    }

    /// Drop a UTF-8 byte-order mark (before it glues itself to the first field and hides a
    /// quote: `\u{feff}"Name"`), and refuse UTF-16 text (what some spreadsheet programs save
    /// as "Unicode text"), which would otherwise read as NUL-riddled fields.
    fn text_start<'p>(
        &self,
        mut text: Box<dyn Read + Send + 'p>,
    ) -> Result<Box<dyn Read + Send + 'p>> {
        let mut head = [0u8; 3];
        let n = read_up_to(&mut text, &mut head).map_err(|e| self.io(e))?;
        if n >= 2 && (head[..2] == [0xff, 0xfe] || head[..2] == [0xfe, 0xff]) {
            return Err(Error::file(
                &self.name,
                "the file is UTF-16 text; tradescope reads UTF-8 (or Windows-1252): \
                 save or export it as UTF-8 CSV",
            ));
        }
        let keep = if head[..n] == [0xef, 0xbb, 0xbf] {
            0
        } else {
            n
        };
        Ok(Box::new(
            std::io::Cursor::new(head[..keep].to_vec()).chain(text),
        ))
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::file(&self.name, e.to_string())
    }
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

/// Names a truncated gzip stream for what it is instead of a bare "unexpected end of file".
struct GzErrors<R> {
    inner: R,
}

impl<R: Read> Read for GzErrors<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                std::io::Error::new(e.kind(), "the gzip stream ends early (truncated download?)")
            } else {
                e
            }
        })
    }
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
