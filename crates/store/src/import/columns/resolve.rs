//! Resolving a file's header against the column table and `--map`: each column is used for
//! one field or reported as ignored, with the reason.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{key, Alias, FIELDS, IGNORE};
use crate::error::{Error, Result};

/// What a header resolved to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The layout the file was read as, if any.
    pub layout: Option<String>,
    /// field → column position.
    #[serde(skip)]
    pub at: HashMap<String, usize>,
    /// field → the column it was read from, as written.
    pub used: BTreeMap<String, String>,
    /// Columns not used, as written, with why: "" = not a column of the format.
    pub ignored: Vec<(String, String)>,
}

impl Resolved {
    pub fn col(&self, field: &str) -> Option<usize> {
        self.at.get(field).copied()
    }
}

type Claims = Vec<Option<(usize, String)>>;

/// A column's first claim stands (claims come in priority order).
fn claim(col: usize, field: &str, rank: usize, claims: &mut Claims) {
    if claims[col].is_none() {
        claims[col] = Some((rank, field.to_string()));
    }
}

/// Resolve `headings` (as written in the file named `file`) against the alias table and the
/// `--map` overrides. A `--map` column the header lacks is an error.
pub fn resolve(
    file: &str,
    headings: &[String],
    aliases: &[Alias],
    map: &[(String, String)],
) -> Result<Resolved> {
    let keys: Vec<String> = headings.iter().map(|h| key(h)).collect();
    // Layout: the one with the most of its columns present (at least 2, and a clear winner).
    let mut score: BTreeMap<&str, usize> = BTreeMap::new();
    for a in aliases.iter().filter(|a| !a.layout.is_empty()) {
        let present = keys.contains(&key(&a.heading));
        *score.entry(a.layout.as_str()).or_default() += usize::from(present);
    }
    let best = score.values().copied().max().unwrap_or(0);
    let winners: Vec<&str> = score
        .iter()
        .filter(|(_, s)| **s == best)
        .map(|(l, _)| *l)
        .collect();
    let layout = (best >= 2 && winners.len() == 1).then(|| winners[0].to_string());

    // Each column's claim: (rank, field); lower rank wins a field. --map first, then the
    // layout's rows, then the rows for any file, then the field names themselves.
    let mut claims: Claims = vec![None; headings.len()];
    let mut rank = 0;
    for (f, c) in map {
        let k = key(c);
        let Some(col) = keys.iter().position(|h| *h == k) else {
            return Err(Error::input(
                file,
                1,
                c,
                format!("--map {f}={c}: the header has no such column"),
            ));
        };
        // A later --map of the same column wins over an earlier one.
        claims[col] = Some((rank, f.clone()));
        rank += 1;
    }
    let ordered = aliases
        .iter()
        .filter(|a| Some(&a.layout) == layout.as_ref())
        .chain(aliases.iter().filter(|a| a.layout.is_empty()));
    for a in ordered {
        let k = key(&a.heading);
        for (col, _) in keys.iter().enumerate().filter(|(_, h)| **h == k) {
            claim(col, &a.field, rank, &mut claims);
        }
        rank += 1;
    }
    for (f, _) in FIELDS {
        for (col, _) in keys.iter().enumerate().filter(|(_, h)| h.as_str() == *f) {
            claim(col, f, rank, &mut claims);
        }
        rank += 1;
    }

    let mut out = Resolved {
        layout,
        ..Default::default()
    };
    let mut best: HashMap<&str, (usize, usize)> = HashMap::new();
    for (col, c) in claims.iter().enumerate() {
        if let Some((r, f)) = c {
            if f == IGNORE {
                continue;
            }
            match best.get(f.as_str()) {
                Some((br, _)) if *br <= *r => {}
                _ => {
                    best.insert(f.as_str(), (*r, col));
                }
            }
        }
    }
    for (f, (_, col)) in &best {
        out.at.insert(f.to_string(), *col);
        out.used
            .insert(f.to_string(), headings[*col].trim().to_string());
    }
    for (col, c) in claims.iter().enumerate() {
        let h = headings[col].trim();
        if h.is_empty() || out.at.values().any(|&u| u == col) {
            continue;
        }
        let why = match c {
            Some((_, f)) if f == IGNORE => "--map ignore".to_string(),
            Some((_, f)) => format!("{f} is read from {}", out.used[f]),
            None => String::new(),
        };
        out.ignored.push((h.to_string(), why));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::{parse_tsv, DEFAULT_TSV};
    use super::*;

    fn heads(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    #[test]
    fn country_follows_the_layout() {
        let t = parse_tsv("t", DEFAULT_TSV).unwrap();
        let us = resolve(
            "f",
            &heads(
                "ACTUAL_ARRIVAL_DATE,SHIPPER_NAME,COUNTRY,LOADING_PORT,WEIGHT,WEIGHT_UNIT,MODE_X",
            ),
            &t,
            &[],
        )
        .unwrap();
        assert_eq!(us.layout.as_deref(), Some("us-import"));
        assert_eq!(us.used["origin_country"], "COUNTRY");
        assert_eq!(us.used["date"], "ACTUAL_ARRIVAL_DATE");
        assert_eq!(us.ignored, [("MODE_X".to_string(), String::new())]);
        let india = resolve(
            "f",
            &heads("DATE,EXPORTER,GOODS DESCRIPTION,COUNTRY,DESTINATION PORT,INDIAN PORT"),
            &t,
            &[],
        )
        .unwrap();
        assert_eq!(india.layout.as_deref(), Some("india-export"));
        assert_eq!(india.used["dest_country"], "COUNTRY");
        assert_eq!(india.used["port_of_unlading"], "DESTINATION PORT");
        assert_eq!(india.used["description"], "GOODS DESCRIPTION");
        // No layout: COUNTRY means nothing by itself, and is reported.
        let plain = resolve("f", &heads("date,shipper,COUNTRY"), &t, &[]).unwrap();
        assert_eq!(plain.layout, None);
        assert_eq!(plain.ignored[0].0, "COUNTRY");
    }

    #[test]
    fn map_overrides_and_a_second_column_is_reported() {
        let t = parse_tsv("t", DEFAULT_TSV).unwrap();
        let h = heads("date,arrival_date,shipper,Buyer Co,weight");
        let r = resolve(
            "f",
            &h,
            &t,
            &[
                ("consignee".into(), "buyer co".into()),
                ("ignore".into(), "weight".into()),
            ],
        )
        .unwrap();
        assert_eq!(r.used["consignee"], "Buyer Co");
        assert_eq!(r.col("date"), Some(0));
        assert!(r
            .ignored
            .contains(&("arrival_date".into(), "date is read from date".into())));
        assert!(r
            .ignored
            .contains(&("weight".into(), "--map ignore".into())));
        let err = resolve("f.csv", &h, &t, &[("date".into(), "nope".into())]).unwrap_err();
        assert!(err.to_string().contains("f.csv:1: field `nope`"), "{err}");
    }
}
