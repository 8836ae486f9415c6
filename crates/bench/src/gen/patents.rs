//! Synthetic PatentsView bulk tables (`gen --patents N`): g_patent, g_assignee_disambiguated
//! and g_cpc_current in the real column layouts, tab-separated with every field quoted as
//! PatentsView writes them. Marked synthetic: every `filename` is `synthetic.xml` (the import
//! is given `--synthetic` too).
//!
//! Shape, after the real set (9M patents, 8M assignee rows, 50M CPC rows, ~500K organisations):
//! patent ids increasing with the grant date over 1976–2024; 1.25 assignee rows per patent with
//! an eighth unassigned; assignees drawn Zipf-like (weight 1/(rank + 3)) from N/18
//! organisations, so a few giants hold 10K+ patents at 500K and a long tail holds one or two;
//! 4 CPC codes per patent, a fifth of them under the bundled CET prefixes; titles of 4–12 and
//! abstracts of 60–140 words drawn Zipf-like from a 6,000-word vocabulary (common words in most
//! documents, tail words in a few); 0.1% withdrawn.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use fastrand::Rng;

const COMMON: &[&str] = &[
    "method",
    "system",
    "apparatus",
    "device",
    "data",
    "network",
    "signal",
    "control",
    "image",
    "processing",
    "communication",
    "terminal",
    "user",
    "information",
    "layer",
    "unit",
    "module",
    "wireless",
    "memory",
    "display",
    "circuit",
    "semiconductor",
    "vehicle",
    "power",
    "battery",
    "light",
    "optical",
    "sensor",
    "detection",
    "neural",
    "model",
    "learning",
    "video",
    "audio",
    "channel",
    "transmission",
    "receiving",
    "storage",
    "access",
    "security",
    "encryption",
    "key",
    "substrate",
    "electrode",
    "composition",
    "compound",
    "cell",
    "protein",
    "antibody",
    "drug",
    "medical",
    "treatment",
    "surgical",
    "fluid",
    "valve",
    "engine",
    "motor",
    "structure",
    "assembly",
    "housing",
    "frame",
    "material",
    "film",
    "coating",
    "temperature",
    "pressure",
    "wafer",
    "transistor",
    "gate",
    "beam",
    "antenna",
    "frequency",
    "camera",
    "face",
    "liveness",
    "recognition",
    "quantum",
    "qubit",
    "satellite",
    "orbit",
    "robot",
    "autonomous",
    "drone",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "te", "zu", "vo", "ne", "si", "da", "po", "qu", "xe", "fa", "gi", "hu",
    "bel", "tor", "mar", "quin", "ster", "plex", "tron", "gen", "vex", "lum", "dyn", "cyt",
];
const CET_CODES: &[&str] = &[
    "G06N3/08",
    "G06N20/00",
    "G06V40/16",
    "G06V10/82",
    "G06F18/24",
    "G10L15/22",
    "G06N10/40",
    "H01L29/78",
    "H10B12/00",
    "G06F21/62",
    "H04L9/32",
    "H04L63/14",
    "H04W72/04",
    "H04B7/185",
    "B64G1/10",
    "H04N7/18",
    "G08B13/196",
];
const SECTIONS: &[&str] = &[
    "A61K", "A61B", "B60W", "B65D", "C07D", "C12N", "F16H", "F02D", "G01N", "G02B", "G06F", "G06Q",
    "G06T", "H01M", "H02J", "H04N", "H05K", "E21B", "B29C", "C08L",
];
const ORG_WORDS: &[&str] = &[
    "Advanced",
    "Global",
    "United",
    "Pacific",
    "Nordic",
    "Quantum",
    "Micro",
    "Bio",
    "Tele",
    "Electro",
    "Dynamics",
    "Systems",
    "Technologies",
    "Semiconductor",
    "Pharma",
    "Motors",
    "Instruments",
    "Networks",
    "Materials",
    "Energy",
    "Medical",
    "Optics",
    "Robotics",
    "Société",
    "Générale",
    "Müller",
    "Søren",
    "Industrial",
    "Research",
    "Institute",
];
const SUFFIXES: &[&str] = &[
    "Inc.",
    "Co., Ltd.",
    "Corporation",
    "GmbH",
    "AG",
    "S.A.",
    "LLC",
    "Ltd.",
    "K.K.",
    "AB",
];

/// Sizes of what was written.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PatentFiles {
    pub patents: u64,
    pub assignee_rows: u64,
    pub cpc_rows: u64,
    pub organisations: u64,
    pub paths: Vec<PathBuf>,
}

fn vocab() -> Vec<String> {
    let mut v: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
    let mut rng = Rng::with_seed(7);
    while v.len() < 6_000 {
        let n = rng.usize(2..5);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
            .collect();
        v.push(w);
    }
    v
}

/// The least frequent word of the vocabulary (the benchmark's rare word).
pub fn rare_word() -> String {
    vocab().pop().unwrap_or_default()
}

/// Cumulative Zipf-like weights 1/(rank + offset) for `n` ranks.
fn zipf(n: usize, offset: f64) -> Vec<f64> {
    let mut acc = 0.0;
    (0..n)
        .map(|r| {
            acc += 1.0 / (r as f64 + 1.0 + offset);
            acc
        })
        .collect()
}

fn draw(rng: &mut Rng, cum: &[f64]) -> usize {
    let total = cum.last().copied().unwrap_or(1.0);
    let u = rng.f64() * total;
    cum.partition_point(|&c| c < u)
        .min(cum.len().saturating_sub(1))
}

fn organisation(rng: &mut Rng) -> String {
    let n = rng.usize(1..4);
    let mut parts: Vec<&str> = (0..n)
        .map(|_| ORG_WORDS[rng.usize(..ORG_WORDS.len())])
        .collect();
    parts.push(SUFFIXES[rng.usize(..SUFFIXES.len())]);
    format!("{} {}", syllable_word(rng, true), parts.join(" "))
}

fn syllable_word(rng: &mut Rng, capital: bool) -> String {
    let n = rng.usize(2..4);
    let w: String = (0..n)
        .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
        .collect();
    if capital {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        w
    }
}

fn uuid(rng: &mut Rng) -> String {
    let h = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from_digit(rng.u32(..16), 16).unwrap_or('0'))
            .collect()
    };
    format!(
        "{}-{}-4{}-a{}-{}",
        h(rng, 8),
        h(rng, 4),
        h(rng, 3),
        h(rng, 3),
        h(rng, 12)
    )
}

fn words(rng: &mut Rng, vocab: &[String], cum: &[f64], n: usize) -> String {
    let mut out = String::with_capacity(n * 8);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&vocab[draw(rng, cum)]);
    }
    out
}

fn q(out: &mut impl Write, fields: &[&str]) -> std::io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b"\t")?;
        }
        out.write_all(b"\"")?;
        out.write_all(f.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")?;
    }
    out.write_all(b"\n")
}

/// Write the three tables for `n` patents under `dir`.
pub fn write(dir: &Path, n: u64, seed: u64) -> std::io::Result<PatentFiles> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::with_seed(seed);
    let vocab = vocab();
    let word_cum = zipf(vocab.len(), 0.5);
    let n_orgs = (n / 18).max(10) as usize;
    let org_cum = zipf(n_orgs, 3.0);
    let orgs: Vec<(String, String, &str)> = (0..n_orgs)
        .map(|_| {
            let t = if rng.u8(..10) < 4 { "2" } else { "3" };
            (uuid(&mut rng), organisation(&mut rng), t)
        })
        .collect();
    let paths: Vec<PathBuf> = [
        "g_patent.tsv",
        "g_assignee_disambiguated.tsv",
        "g_cpc_current.tsv",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let open = |p: &Path| File::create(p).map(|f| BufWriter::with_capacity(1 << 20, f));
    let (mut gp, mut ga, mut gc) = (open(&paths[0])?, open(&paths[1])?, open(&paths[2])?);
    q(
        &mut gp,
        &[
            "patent_id",
            "patent_type",
            "patent_date",
            "patent_title",
            "patent_abstract",
            "wipo_kind",
            "num_claims",
            "withdrawn",
            "filename",
        ],
    )?;
    q(
        &mut ga,
        &[
            "patent_id",
            "assignee_sequence",
            "assignee_id",
            "disambig_assignee_individual_name_first",
            "disambig_assignee_individual_name_last",
            "disambig_assignee_organization",
            "assignee_type",
            "location_id",
        ],
    )?;
    q(
        &mut gc,
        &[
            "patent_id",
            "cpc_sequence",
            "cpc_section",
            "cpc_class",
            "cpc_subclass",
            "cpc_group",
            "cpc_type",
        ],
    )?;
    let mut files = PatentFiles {
        patents: n,
        organisations: n_orgs as u64,
        ..Default::default()
    };
    let first_day = chrono::NaiveDate::from_ymd_opt(1976, 1, 6).unwrap_or_default();
    let span_days = 49 * 365;
    for i in 0..n {
        let id = (4_000_000 + i * 8_000_000 / n.max(1)).to_string();
        let day = first_day + chrono::Days::new(i * span_days / n.max(1) / 7 * 7);
        let date = day.format("%Y-%m-%d").to_string();
        let n_title = rng.usize(4..13);
        let title = words(&mut rng, &vocab, &word_cum, n_title);
        let n_abstract = rng.usize(60..141);
        let abstract_text = words(&mut rng, &vocab, &word_cum, n_abstract);
        let withdrawn = if rng.u16(..1000) == 0 { "1" } else { "0" };
        let claims = rng.u8(1..40).to_string();
        q(
            &mut gp,
            &[
                &id,
                "utility",
                &date,
                &title,
                &abstract_text,
                "B2",
                &claims,
                withdrawn,
                "synthetic.xml",
            ],
        )?;
        // An eighth unassigned; of the rest, one assignee, a fifth two or more.
        let k = match rng.u8(..40) {
            0..=4 => 0,
            5..=31 => 1,
            32..=38 => 2,
            _ => 3,
        };
        for seq in 0..k {
            let seq_s = seq.to_string();
            if rng.u8(..20) == 0 {
                let first = syllable_word(&mut rng, true);
                let last = syllable_word(&mut rng, true);
                let pid = format!("fl:{first}_ln:{last}");
                q(&mut ga, &[&id, &seq_s, &pid, &first, &last, "", "4", ""])?;
            } else {
                let (aid, name, t) = &orgs[draw(&mut rng, &org_cum)];
                q(&mut ga, &[&id, &seq_s, aid, "", "", name, t, ""])?;
            }
            files.assignee_rows += 1;
        }
        for seq in 0..rng.usize(2..7) {
            let code = if rng.u8(..5) == 0 {
                CET_CODES[rng.usize(..CET_CODES.len())].to_string()
            } else {
                format!(
                    "{}{}/{:02}",
                    SECTIONS[rng.usize(..SECTIONS.len())],
                    rng.u16(1..99),
                    rng.u16(..100)
                )
            };
            let sub = &code[..4];
            let kind = if seq == 0 {
                "inventional"
            } else {
                "additional"
            };
            q(
                &mut gc,
                &[
                    &id,
                    &seq.to_string(),
                    &code[..1],
                    &code[..3],
                    sub,
                    &code,
                    kind,
                ],
            )?;
            files.cpc_rows += 1;
        }
    }
    for mut w in [gp, ga, gc] {
        w.flush()?;
    }
    std::fs::write(
        dir.join("SYNTHETIC.txt"),
        format!(
            "Synthetic PatentsView tables written by `tradescope-bench gen --patents {n} --seed \
             {seed}`: not real patents. Import with --synthetic.\n"
        ),
    )?;
    files.paths = paths;
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_three_tables_with_giants_and_a_tail() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), 20_000, 3).unwrap();
        assert_eq!(f.paths.len(), 3);
        let assignees = std::fs::read_to_string(&f.paths[1]).unwrap();
        let mut per: std::collections::HashMap<&str, u64> = Default::default();
        for line in assignees.lines().skip(1) {
            if let Some(id) = line.split('\t').nth(2) {
                *per.entry(id).or_default() += 1;
            }
        }
        let max = per.values().copied().max().unwrap_or(0);
        let ones = per.values().filter(|&&n| n <= 2).count();
        assert!(max >= 300, "a giant: {max}");
        assert!(
            ones * 3 >= per.len(),
            "a long tail: {ones} of {}",
            per.len()
        );
        let patents = std::fs::read_to_string(&f.paths[0]).unwrap();
        assert_eq!(patents.lines().count() as u64, 20_001);
        assert!(patents.lines().nth(1).unwrap().contains("synthetic.xml"));
    }
}
