//! A .zip file read as a stream: its first member, as PatentsView ships each bulk table
//! (`g_patent.tsv.zip` holds `g_patent.tsv`). Read from the local file header on, without the
//! central directory at the end, so a multi-gigabyte archive is decompressed as it is parsed
//! and never held whole. Deflate (the only method PatentsView uses) and stored members.

use std::io::Read;

use flate2::read::DeflateDecoder;

use crate::error::{Error, Result};

/// The local file header's fixed part, after its 4-byte signature.
const HEADER: usize = 26;

/// The first member of the zip stream `raw` (positioned at its start, `PK` included).
pub fn first_member<'p>(
    name: &str,
    mut raw: Box<dyn Read + Send + 'p>,
) -> Result<Box<dyn Read + Send + 'p>> {
    let bad = |m: &str| Error::file(name, format!("not a zip file tradescope can read: {m}"));
    let mut sig = [0u8; 4];
    raw.read_exact(&mut sig).map_err(|_| bad("too short"))?;
    if sig != *b"PK\x03\x04" {
        return Err(bad("no local file header at the start"));
    }
    let mut h = [0u8; HEADER];
    raw.read_exact(&mut h)
        .map_err(|_| bad("truncated header"))?;
    let u16_at = |i: usize| u16::from_le_bytes([h[i], h[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let flags = u16_at(2);
    let method = u16_at(4);
    let size = u32_at(14);
    let skip = u64::from(u16_at(22)) + u64::from(u16_at(24));
    if flags & 1 != 0 {
        return Err(bad("the member is encrypted"));
    }
    std::io::copy(&mut raw.by_ref().take(skip), &mut std::io::sink())
        .map_err(|e| Error::file(name, e.to_string()))?;
    match method {
        8 => Ok(Box::new(DeflateDecoder::new(raw))),
        // Stored: the size is in the header unless it follows the data (flag 3) or is zip64.
        0 if flags & 8 == 0 && size != u32::MAX => Ok(Box::new(raw.take(u64::from(size)))),
        m => Err(bad(&format!(
            "compression method {m} (only deflate and stored members are read); unzip it first"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-member archive as `zip` writes it: local header, deflated data, central directory.
    fn zipped(name: &str, text: &[u8]) -> Vec<u8> {
        let mut deflated = Vec::new();
        let mut enc =
            flate2::write::DeflateEncoder::new(&mut deflated, flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, text).unwrap();
        enc.finish().unwrap();
        let mut z = b"PK\x03\x04".to_vec();
        z.extend_from_slice(&[20, 0, 8, 0, 8, 0, 0, 0, 0, 0]); // version, flags (sizes after), deflate, time/date
        z.extend_from_slice(&[0; 12]); // crc, sizes: in the data descriptor
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&4u16.to_le_bytes());
        z.extend_from_slice(name.as_bytes());
        z.extend_from_slice(b"\x01\x00\x00\x00"); // an extra field
        z.extend_from_slice(&deflated);
        z.extend_from_slice(b"PK\x07\x08 descriptor and central directory follow");
        z
    }

    #[test]
    fn reads_the_first_member_as_a_stream() {
        let text = b"\"patent_id\"\t\"patent_title\"\n\"1\"\t\"x\"\n".repeat(1000);
        let z = zipped("g_patent.tsv", &text);
        let mut out = Vec::new();
        first_member("t.zip", Box::new(std::io::Cursor::new(z)))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let mut z = zipped("a", b"x");
        z[8] = 12; // bzip2
        let err = first_member("t.zip", Box::new(std::io::Cursor::new(z)))
            .err()
            .unwrap();
        assert!(err.to_string().contains("method 12"), "{err}");
    }
}
