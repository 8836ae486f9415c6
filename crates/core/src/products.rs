//! Brand names and model numbers of listed makers in free-text descriptions, from an editable
//! pattern table (data/reference/product_patterns.tsv): a distributor's bill that carries
//! "IDS 2CD7A46G0 IZHS … Brand Hikvision" is linked to Hikvision whatever the shipper's name.

use crate::text::spreadsheet::{restore, tsv_cell};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::Serialize;

/// The bundled default table.
pub const DEFAULT_TSV: &str = include_str!("../../../data/reference/product_patterns.tsv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pattern {
    pub group: String,
    pub maker: String,
    /// brand | model
    pub kind: String,
    pub pattern: String,
    pub example: String,
}

/// One hit in a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detection {
    /// Index into the detector's patterns.
    pub pattern: usize,
    /// The text that matched, as written in the description.
    pub matched: String,
}

/// Compiled patterns: a RegexSet answers "which patterns match" in one pass, then only those
/// patterns are run again to extract the matched text.
pub struct Detector {
    pub patterns: Vec<Pattern>,
    set: RegexSet,
    each: Vec<Regex>,
}

/// Parse the TSV table (header `group maker kind pattern example`, `#` comments). Errors name the
/// line and the field.
pub fn parse_tsv(text: &str) -> Result<Vec<Pattern>, String> {
    let mut out = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            if line.starts_with("group\t") {
                continue;
            }
        }
        // Cells a spreadsheet-safe export quoted read back as they were.
        let f: Vec<&str> = line.split('\t').map(restore).collect();
        if f.len() < 4 {
            return Err(format!(
                "line {n}: expected group, maker, kind, pattern[, example] separated by tabs"
            ));
        }
        let kind = f[2].trim().to_ascii_lowercase();
        if kind != "brand" && kind != "model" {
            return Err(format!(
                "line {n}: field `kind`: `{}` is not brand or model",
                f[2]
            ));
        }
        if let Err(e) = RegexBuilder::new(f[3]).case_insensitive(true).build() {
            return Err(format!("line {n}: field `pattern`: {e}"));
        }
        out.push(Pattern {
            group: f[0].trim().to_string(),
            maker: f[1].trim().to_string(),
            kind,
            pattern: f[3].to_string(),
            example: f.get(4).map(|s| s.trim().to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The table back as TSV, in the same layout `parse_tsv` reads, spreadsheet-safe.
pub fn to_tsv(patterns: &[Pattern]) -> String {
    let mut s = String::from("group\tmaker\tkind\tpattern\texample\n");
    for p in patterns {
        let cells = [&p.group, &p.maker, &p.kind, &p.pattern, &p.example].map(|c| tsv_cell(c));
        s.push_str(&cells.join("\t"));
        s.push('\n');
    }
    s
}

impl Detector {
    pub fn new(patterns: Vec<Pattern>) -> Result<Self, String> {
        let set = RegexSetBuilder::new(patterns.iter().map(|p| &p.pattern))
            .case_insensitive(true)
            .build()
            .map_err(|e| e.to_string())?;
        let each = patterns
            .iter()
            .map(|p| {
                RegexBuilder::new(&p.pattern)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<_, _>>()?;
        Ok(Detector {
            patterns,
            set,
            each,
        })
    }

    pub fn default_table() -> Result<Self, String> {
        Detector::new(parse_tsv(DEFAULT_TSV)?)
    }

    /// Every pattern hit in `text`, each distinct matched text once per pattern.
    pub fn detect(&self, text: &str) -> Vec<Detection> {
        let mut out: Vec<Detection> = Vec::new();
        for i in self.set.matches(text).iter() {
            for m in self.each[i].find_iter(text) {
                let matched = m.as_str().trim().to_string();
                if !out.iter().any(|d| d.pattern == i && d.matched == matched) {
                    out.push(Detection {
                        pattern: i,
                        matched,
                    });
                }
            }
        }
        out
    }

    /// The groups (makers) whose products a text mentions.
    pub fn groups(&self, text: &str) -> Vec<&str> {
        let mut g: Vec<&str> = self
            .detect(text)
            .iter()
            .map(|d| self.patterns[d.pattern].group.as_str())
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> Detector {
        Detector::default_table().expect("bundled table compiles")
    }

    #[test]
    fn seed_descriptions_from_the_published_analysis() {
        let d = detector();
        let phuong = "Camera recorder image CCTV IDS 2CD7A46G0 IZHS 28 12MM C does not have MMDS in 2016 \
                      2016 ND CP 53 2018 ND CP Lens 28 12mm Brand Hikvision New100, IDS 7208HUHI M2 S \
                      recorder has 08 channels including sources and mice brands Hikvision new100";
        let hits = d.detect(phuong);
        let matched: Vec<&str> = hits.iter().map(|h| h.matched.as_str()).collect();
        assert!(
            matched.iter().any(|m| m.starts_with("IDS 2CD7A46G0")),
            "{matched:?}"
        );
        assert!(
            matched.iter().any(|m| m.starts_with("IDS 7208HUHI")),
            "{matched:?}"
        );
        assert!(matched.iter().any(|m| m.eq_ignore_ascii_case("Hikvision")));
        assert_eq!(d.groups(phuong), vec!["Hikvision"]);

        let linaco = "Webcam Hikvision DS UC8 no memory card slot 1080p HD resolution 3 6mm lens \
                      Manufacturer HikVision 100 new goods";
        assert!(d.detect(linaco).iter().any(|h| h.matched == "DS UC8"));
        assert_eq!(d.groups("NVR 16 CH"), Vec::<&str>::new());
        assert_eq!(
            d.groups("Digital Cameras and Camcorders"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn model_numbers_of_other_makers_and_no_false_hits_on_common_words() {
        let d = detector();
        assert_eq!(
            d.groups("CCTV CAMERA DH-IPC-HFW2431S-S-S2 3.6MM"),
            vec!["Dahua"]
        );
        assert_eq!(d.groups("IP CAMERA IPC-HFW2431S"), vec!["Dahua"]);
        assert_eq!(d.groups("DS-2CD2143G0-I 4MP DOME"), vec!["Hikvision"]);
        assert_eq!(d.groups("camera module with Hi3516EV300"), vec!["Huawei"]);
        for benign in [
            "DS SMITH CORRUGATED BOXES",
            "ADHESIVE TAPE DSX 200",
            "HUAWEIS", // not the word
            "DISPLAY STAND 72 INCH",
            "SHIPPER'S LOAD AND COUNT",
        ] {
            assert_eq!(d.groups(benign), Vec::<&str>::new(), "{benign}");
        }
    }

    #[test]
    fn table_errors_name_line_and_field() {
        let err = parse_tsv("group\tmaker\tkind\tpattern\nX\tY\tbrand\t(unclosed\n").unwrap_err();
        assert!(err.starts_with("line 2: field `pattern`"), "{err}");
        let err = parse_tsv("X\tY\tlogo\tabc\n").unwrap_err();
        assert!(err.contains("field `kind`"), "{err}");
        let table = parse_tsv(DEFAULT_TSV).unwrap();
        assert_eq!(parse_tsv(&to_tsv(&table)).unwrap(), table);
    }
}
