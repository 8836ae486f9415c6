//! PostgreSQL's COPY text format, both ways, for rows of [`Cell`]s: tab-separated fields,
//! `\N` for NULL, backslash escapes for the separators. One encoding serves the copy and the
//! check after it (a row's digest is of its encoding), so the two engines' rows are compared
//! value for value, not by how each prints a float.

use sha2::{Digest, Sha256};
use tradescope_store::dump::{Cell, ColumnType};

/// Append `row` as one COPY line (with its newline) to `out`. Err names the column holding a
/// NUL, which PostgreSQL text cannot store.
pub fn encode(
    row: &[Cell],
    columns: &[(String, ColumnType)],
    out: &mut String,
) -> Result<(), String> {
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        match cell {
            Cell::Null => out.push_str("\\N"),
            Cell::Int(v) => out.push_str(&v.to_string()),
            Cell::Real(v) => out.push_str(&real(*v)),
            Cell::Text(s) => {
                if s.contains('\0') {
                    let col = columns.get(i).map(|c| c.0.as_str()).unwrap_or("?");
                    return Err(format!("column {col} holds a NUL character"));
                }
                escape(s, out)
            }
            Cell::Blob(b) => {
                out.push_str("\\\\x");
                for byte in b {
                    out.push_str(&format!("{byte:02x}"));
                }
            }
        }
    }
    out.push('\n');
    Ok(())
}

fn real(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "Infinity".into()
    } else if v == f64::NEG_INFINITY {
        "-Infinity".into()
    } else {
        // Rust prints the shortest text that reads back as the same f64.
        format!("{v:?}")
    }
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Read one COPY line (without its newline) into cells typed by `columns`.
pub fn decode(line: &str, columns: &[(String, ColumnType)]) -> Result<Vec<Cell>, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != columns.len() {
        return Err(format!(
            "{} fields where the table has {} columns",
            fields.len(),
            columns.len()
        ));
    }
    fields
        .iter()
        .zip(columns)
        .map(|(f, (name, ty))| {
            if *f == "\\N" {
                return Ok(Cell::Null);
            }
            let text = unescape(f);
            let bad = |e: &dyn std::fmt::Display| format!("column {name}: {text:?}: {e}");
            match ty {
                ColumnType::Integer => text.parse().map(Cell::Int).map_err(|e| bad(&e)),
                ColumnType::Real => match text.as_str() {
                    "NaN" => Ok(Cell::Real(f64::NAN)),
                    "Infinity" => Ok(Cell::Real(f64::INFINITY)),
                    "-Infinity" => Ok(Cell::Real(f64::NEG_INFINITY)),
                    t => t.parse().map(Cell::Real).map_err(|e| bad(&e)),
                },
                ColumnType::Text => Ok(Cell::Text(text)),
                ColumnType::Blob => hex(text.strip_prefix("\\x").unwrap_or(&text))
                    .map(Cell::Blob)
                    .ok_or_else(|| bad(&"not hex")),
            }
        })
        .collect()
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn unescape(f: &str) -> String {
    let mut out = String::with_capacity(f.len());
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(x) => {
                            v = v * 8 + x;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// An order-independent digest of a table's rows: the wrapping sum of each row encoding's
/// SHA-256 (first 16 bytes), with the row count. Equal digests mean the same multiset of
/// rows, whatever order each engine returned them in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TableDigest {
    pub rows: u64,
    pub sum: u128,
}

impl TableDigest {
    pub fn add(&mut self, encoded_line: &str) {
        let h = Sha256::digest(encoded_line.as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&h[..16]);
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<(String, ColumnType)> {
        [
            ("a", ColumnType::Integer),
            ("b", ColumnType::Real),
            ("c", ColumnType::Text),
            ("d", ColumnType::Blob),
            ("e", ColumnType::Text),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect()
    }

    #[test]
    fn rows_read_back_as_written() {
        let rows = vec![
            vec![
                Cell::Int(-7),
                Cell::Real(0.1),
                Cell::Text("tab\there\nnew line \\ back\r".into()),
                Cell::Blob(vec![0, 255, 16]),
                Cell::Null,
            ],
            vec![
                Cell::Int(i64::MAX),
                Cell::Real(1e300),
                Cell::Text("\\N".into()),
                Cell::Blob(vec![]),
                Cell::Text(String::new()),
            ],
        ];
        for row in rows {
            let mut line = String::new();
            encode(&row, &cols(), &mut line).expect("encodes");
            let back = decode(line.trim_end_matches('\n'), &cols()).expect("decodes");
            assert_eq!(back, row, "{line:?}");
        }
    }

    #[test]
    fn postgres_escapes_and_floats_read_right() {
        let back = decode("5\t1e+20\tA\\011B\\\\\t\\\\x0aff\t\\N", &cols()).expect("decodes");
        assert_eq!(
            back,
            vec![
                Cell::Int(5),
                Cell::Real(1e20),
                Cell::Text("A\tB\\".into()),
                Cell::Blob(vec![10, 255]),
                Cell::Null
            ]
        );
        assert!(decode("x\t1\ta\t\\\\x\t\\N", &cols()).is_err());
        assert!(decode("1\t2", &cols()).is_err());
    }

    #[test]
    fn nul_is_refused_with_its_column() {
        let mut s = String::new();
        let err = encode(
            &[Cell::Int(1), Cell::Null, Cell::Text("a\0b".into())],
            &cols(),
            &mut s,
        )
        .expect_err("NUL");
        assert!(err.contains("column c"), "{err}");
    }

    #[test]
    fn digests_ignore_order_and_see_changes() {
        let (mut a, mut b, mut c) = (
            TableDigest::default(),
            TableDigest::default(),
            TableDigest::default(),
        );
        for l in ["1\tx\n", "2\ty\n"] {
            a.add(l);
        }
        for l in ["2\ty\n", "1\tx\n"] {
            b.add(l);
        }
        for l in ["1\tx\n", "2\tz\n"] {
            c.add(l);
        }
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
