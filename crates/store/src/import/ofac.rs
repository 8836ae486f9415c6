//! OFAC legacy CSV sets: the SDN list (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the
//! non-SDN consolidated list (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv).
//! No header; `-0-` (often with a trailing space) means null; CRLF or LF; the file may end with
//! a 0x1A (DOS end-of-file) byte; `*_comments.csv` continues remarks cut at the field limit.

use std::collections::BTreeMap;
use std::io::Read;

use crate::error::{Error, Result};
use tradescope_core::country;
use tradescope_core::progress::Progress;

use super::fields::opt;
use super::input::{decode, Input};
use super::lists::NewEntry;
use super::records::Records;
use super::ListSink;
use remarks::{cons_list_code, list_name, listing_date, remark_ids};

#[path = "ofac_remarks.rs"]
mod remarks;

/// Which member of the set a file is, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    Primary,
    Address,
    Alias,
    Comments,
}

fn member(file_name: &str) -> Option<Member> {
    let n = file_name.to_ascii_lowercase();
    let stem = n.trim_end_matches(".gz").trim_end_matches(".csv");
    if stem.ends_with("comments") {
        Some(Member::Comments)
    } else if stem == "sdn" || stem.ends_with("prim") {
        Some(Member::Primary)
    } else if stem.ends_with("add") {
        Some(Member::Address)
    } else if stem.ends_with("alt") {
        Some(Member::Alias)
    } else {
        None
    }
}

/// `ofac_cons` when the primary file is a `cons_*` file, else `ofac_sdn`.
pub fn dataset(inputs: &[Input]) -> &'static str {
    let cons = inputs
        .iter()
        .any(|i| member(&i.file_name()) == Some(Member::Primary) && i.file_name().contains("cons"));
    if cons {
        "ofac_cons"
    } else {
        "ofac_sdn"
    }
}

/// Check that the inputs form a set: exactly one primary file, the others recognised.
pub fn check_set(inputs: &[Input]) -> Result<()> {
    let mut primaries = 0;
    for i in inputs {
        match member(&i.file_name()) {
            Some(Member::Primary) => primaries += 1,
            Some(_) => {}
            None => {
                return Err(Error::file(
                    &i.name,
                    "not a member of an OFAC legacy CSV set (expected sdn.csv/cons_prim.csv, \
                     add.csv, alt.csv, sdn_comments.csv or their cons_* names)",
                ))
            }
        }
    }
    if primaries != 1 {
        return Err(Error::User(format!(
            "an OFAC import needs exactly one primary file (sdn.csv or cons_prim.csv); got {primaries}"
        )));
    }
    Ok(())
}

struct Primary {
    line: u64,
    name: String,
    sdn_type: Option<String>,
    program: Option<String>,
    title: Option<String>,
    call_sign: Option<String>,
    vess_flag: Option<String>,
    remarks: Option<String>,
    addresses: Vec<String>,
    countries: Vec<String>,
    aliases: Vec<(String, String)>,
}

/// Column names of each member, as OFAC documents them (the files have no header).
fn columns(m: Member) -> &'static [&'static str] {
    match m {
        Member::Primary => &[
            "ent_num",
            "SDN_Name",
            "SDN_Type",
            "Program",
            "Title",
            "Call_Sign",
            "Vess_type",
            "Tonnage",
            "GRT",
            "Vess_flag",
            "Vess_owner",
            "Remarks",
        ],
        Member::Address => &[
            "ent_num",
            "Add_num",
            "Address",
            "City/State/Province/Postal Code",
            "Country",
            "Add_remarks",
        ],
        Member::Alias => &["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"],
        Member::Comments => &["ent_num", "Remarks_Extended"],
    }
}

/// Rows of a headerless OFAC file, as (line, fields). Skips blank lines and the 0x1A marker.
fn rows(
    name: &str,
    reader: Box<dyn Read + Send + '_>,
    member: Member,
    mut f: impl FnMut(u64, Vec<String>) -> Result<()>,
) -> Result<()> {
    let mut records = Records::new(name, reader, b',');
    let names: Vec<String> = columns(member).iter().map(|c| c.to_string()).collect();
    records.set_columns(&names);
    while records.read_next()? {
        if records.rec.len() == 1 {
            let only = records.rec.get(0).unwrap_or_default().trim_ascii();
            if only.is_empty() || only == b"\x1a" {
                continue;
            }
        }
        records.check_row_fixed()?;
        f(
            records.line(),
            records.rec.iter().map(|b| decode(b).into_owned()).collect(),
        )?;
    }
    Ok(())
}

fn ent_num(name: &str, line: u64, s: &str) -> Result<u64> {
    s.trim().parse::<u64>().map_err(|_| {
        Error::input(
            name,
            line,
            "ent_num",
            format!("`{}` is not a number", s.trim()),
        )
    })
}

pub fn read(inputs: &[Input], progress: &dyn Progress, sink: &mut dyn ListSink) -> Result<()> {
    check_set(inputs)?;
    // Rows of add/alt/comments whose ent_num is not in the primary file. Real sets have them
    // (sdn_comments.csv is sometimes from a later release): skipped and reported, not fatal.
    let mut dangling: Vec<String> = Vec::new();
    let cons = dataset(inputs) == "ofac_cons";
    let mut by_num: BTreeMap<u64, Primary> = BTreeMap::new();
    let mut ordered: Vec<&Input> = inputs.iter().collect();
    ordered.sort_by_key(|i| member(&i.file_name()).map(|m| m as u8));
    for input in ordered {
        let name = input.name.as_str();
        let m = member(&input.file_name()).unwrap_or(Member::Primary);
        let reader = input.open(progress)?;
        match m {
            Member::Primary => rows(name, reader, m, |line, f| {
                let n = ent_num(name, line, &f[0])?;
                let pname =
                    opt(&f[1]).ok_or_else(|| Error::input(name, line, "SDN_Name", "empty name"))?;
                if let Some(first) = by_num.get(&n) {
                    return Err(Error::input(
                        name,
                        line,
                        "ent_num",
                        format!(
                            "ent_num {n} already appears on line {}: the file is damaged \
                             or two files were joined",
                            first.line
                        ),
                    ));
                }
                by_num.insert(
                    n,
                    Primary {
                        line,
                        name: pname,
                        sdn_type: opt(&f[2]),
                        program: opt(&f[3]),
                        title: opt(&f[4]),
                        call_sign: opt(&f[5]),
                        vess_flag: opt(&f[9]),
                        remarks: opt(&f[11]),
                        addresses: Vec::new(),
                        countries: Vec::new(),
                        aliases: Vec::new(),
                    },
                );
                Ok(())
            })?,
            Member::Address => rows(name, reader, m, |line, f| {
                let n = ent_num(name, line, &f[0])?;
                let Some(p) = by_num.get_mut(&n) else {
                    dangling.push(format!("{name}:{line}: ent_num {n}"));
                    return Ok(());
                };
                let parts: Vec<String> = [&f[2], &f[3], &f[4]]
                    .iter()
                    .filter_map(|s| opt(s))
                    .collect();
                if let Some(c) = opt(&f[4]).and_then(|c| country::code(&c)) {
                    p.countries.push(c.to_string());
                }
                if !parts.is_empty() {
                    p.addresses.push(parts.join(", "));
                }
                Ok(())
            })?,
            Member::Alias => rows(name, reader, m, |line, f| {
                let n = ent_num(name, line, &f[0])?;
                let Some(p) = by_num.get_mut(&n) else {
                    dangling.push(format!("{name}:{line}: ent_num {n}"));
                    return Ok(());
                };
                if let Some(alias) = opt(&f[3]) {
                    let kind = opt(&f[2])
                        .map(|k| k.trim_matches('"').to_ascii_lowercase())
                        .unwrap_or_else(|| "aka".into());
                    p.aliases.push((alias, kind));
                }
                Ok(())
            })?,
            Member::Comments => rows(name, reader, m, |line, f| {
                let n = ent_num(name, line, &f[0])?;
                let Some(p) = by_num.get_mut(&n) else {
                    dangling.push(format!("{name}:{line}: ent_num {n}"));
                    return Ok(());
                };
                if let Some(more) = opt(&f[1]) {
                    p.remarks = Some(format!("{}{}", p.remarks.take().unwrap_or_default(), more));
                }
                Ok(())
            })?,
        }
    }
    if !dangling.is_empty() {
        sink.warning(format!(
            "{} rows refer to an ent_num that is not in the primary file (files from different \
             releases?) and were skipped: {}{}",
            dangling.len(),
            dangling
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            if dangling.len() > 5 { ", …" } else { "" }
        ));
    }
    for (n, p) in by_num {
        let program = p.program.map(|s| s.replace("] [", "; "));
        let list_code = if cons {
            cons_list_code(
                program.as_deref().unwrap_or(""),
                p.remarks.as_deref().unwrap_or(""),
            )
        } else {
            "SDN"
        };
        let ids = p.remarks.as_deref().map(remark_ids).unwrap_or_default();
        let start_date = p.remarks.as_deref().and_then(listing_date);
        sink.entry(NewEntry {
            line: p.line,
            list_code: list_code.to_string(),
            list_name: list_name(list_code).to_string(),
            source_uid: n.to_string(),
            entity_number: Some(n.to_string()),
            entity_type: match p
                .sdn_type
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                None => "entity".into(),
                Some(t) => super::csl::entity_type(t),
            },
            name: p.name,
            aliases: p.aliases,
            programs: program,
            title: p.title,
            addresses: p.addresses,
            countries: p.countries,
            remarks: p.remarks,
            start_date,
            call_sign: p.call_sign,
            vessel_flag: p.vess_flag,
            ids,
            ..Default::default()
        })?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "ofac_tests.rs"]
mod tests;
