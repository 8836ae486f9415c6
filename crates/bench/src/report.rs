//! BENCHMARKS.md: one row per figure (ours, baseline, ratio, target), machine facts, notes.

use std::fmt::Write;

use serde::Serialize;

use super::timing::Stat;

/// One row of the results table.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    /// The target, in words ("p50 ≤ 30 ms").
    pub target: String,
    pub unit: String,
    pub ours: Option<Stat>,
    pub baseline_name: String,
    pub baseline: Option<Stat>,
    /// Whether the target is met (None: not measured, or no target).
    pub met: Option<bool>,
    pub note: String,
}

impl Figure {
    pub fn new(name: &str, target: &str, unit: &str) -> Figure {
        Figure {
            name: name.into(),
            target: target.into(),
            unit: unit.into(),
            ours: None,
            baseline_name: "—".into(),
            baseline: None,
            met: None,
            note: String::new(),
        }
    }
}

fn num(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x.abs() >= 1000.0 {
        let s = format!("{:.0}", x);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 && c.is_ascii_digit() {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else if x.abs() >= 0.1 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn cell(s: Option<Stat>, unit: &str) -> (String, String) {
    match s {
        Some(s) if s.n > 1 => (
            format!("{} {unit}", num(s.median)),
            format!("{} {unit}", num(s.p99)),
        ),
        Some(s) => (format!("{} {unit}", num(s.median)), "—".into()),
        None => ("not measured".into(), "—".into()),
    }
}

/// The results table in markdown.
pub fn table(figures: &[Figure]) -> String {
    let mut out = String::from(
        "| figure | target | median | p99 | n | baseline | baseline median | ratio | met |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for f in figures {
        let (m, p) = cell(f.ours, &f.unit);
        let (bm, _) = cell(f.baseline, &f.unit);
        let ratio = match (f.ours, f.baseline) {
            (Some(o), Some(b)) if o.median > 0.0 => format!("{}×", num(b.median / o.median)),
            _ => "—".into(),
        };
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {m} | {p} | {} | {} | {} | {ratio} | {met} |",
            f.name,
            f.target,
            f.ours.map_or(0, |s| s.n),
            f.baseline_name,
            if f.baseline.is_some() {
                bm
            } else {
                "—".into()
            },
        );
    }
    out
}

/// Notes under the table: how each figure was measured.
pub fn notes(figures: &[Figure]) -> String {
    let mut out = String::new();
    for f in figures.iter().filter(|f| !f.note.is_empty()) {
        let _ = writeln!(out, "- **{}**: {}", f.name, f.note);
    }
    out
}
