//! PatentsView bulk TSVs, given together as a set (any subset): g_patent,
//! g_assignee_disambiguated, g_cpc_current, and the legacy assignee table. Each file's table is
//! recognised by its header, whatever the file is called.
//!
//! The real files are gigabytes: they are streamed row by row, never loaded whole. Patents are
//! written first so that assignment and CPC rows find them; the rows of one patent are adjacent
//! in the published files, so the last patent looked up is cached.

use std::collections::HashSet;

use crate::error::{Error, Result};
use tradescope_core::progress::{NoProgress, Progress};

use super::bulk::SecondaryIndexes;
use super::fields::{self, opt, Header};
use super::input::{decode, Input};
use super::patent_writer::{normalize_cpc, parse_number, NewPatent, PatentNumber, PatentWriter};
use super::records::Records;

/// The PatentsView tables read, in the order they are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Table {
    /// Legacy `assignee.tsv`: assignee_id (or id), type, name_first, name_last, organization.
    Assignee,
    Patent,
    PatentAssignee,
    Cpc,
}

fn detect(h: &Header) -> Option<Table> {
    let has = |c: &str| h.find(&[c]).is_some();
    if has("patent_id") {
        if has("assignee_id") || has("disambig_assignee_organization") {
            Some(Table::PatentAssignee)
        } else if has("cpc_group") || has("cpc_subclass") {
            Some(Table::Cpc)
        } else if has("patent_title") || has("patent_date") {
            Some(Table::Patent)
        } else {
            None
        }
    } else if (has("assignee_id") || has("id")) && (has("organization") || has("name_last")) {
        Some(Table::Assignee)
    } else {
        None
    }
}

fn reader<'p>(input: &Input, progress: &'p dyn Progress) -> Result<Records<'p>> {
    // PatentsView quotes fields that contain tabs, quotes or newlines.
    Ok(Records::new(&input.name, input.open(progress)?, b'\t'))
}

fn header(input: &Input, records: &mut Records) -> Result<Header> {
    if !records.read_next()? {
        return Err(Error::file(&input.name, "the file is empty"));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let h = Header::new(
        &input.name,
        records.rec.iter().map(|f| decode(f).into_owned()).collect(),
    )?;
    records.set_columns(&h.names);
    Ok(h)
}

/// What was skipped, for the report.
#[derive(Default)]
struct Skipped {
    withdrawn: u64,
    unnamed: u64,
}

/// Secondary indexes of the tables a PatentsView load fills, taken down during a large load
/// (see super::bulk) and created again before the full-text and CET indexing reads them.
const BULK_INDEXES: &[&str] = &[
    "patent_cpc_code",
    "patent_assignee_assignee",
    "patent_date",
    "patent_application",
];

/// Whether the g_patent files given hold at least as many patents as the database already
/// has (estimated from their size: about 1 KB a patent as text, 200 bytes compressed), so
/// that creating the indexes anew costs less than updating them row by row.
fn large_load(conn: &rusqlite::Connection, plan: &[(Table, &Input)]) -> Result<bool> {
    let estimate: u64 = plan
        .iter()
        .filter(|(t, _)| *t == Table::Patent)
        .map(|(_, i)| {
            let bytes = i.len().unwrap_or(0);
            let n = i.name.to_ascii_lowercase();
            if n.ends_with(".zip") || n.ends_with(".gz") {
                bytes / 200
            } else {
                bytes / 1000
            }
        })
        .sum();
    if estimate == 0 {
        return Ok(false);
    }
    let have: i64 = conn.query_row("SELECT count(*) FROM patent", [], |r| r.get(0))?;
    Ok(estimate >= have as u64)
}

/// Import a PatentsView file set; returns the number of data rows read.
pub fn import(
    conn: &rusqlite::Connection,
    inputs: &[Input],
    source_id: i64,
    synthetic: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<u64> {
    let mut plan: Vec<(Table, &Input)> = Vec::new();
    for input in inputs {
        let h = header(input, &mut reader(input, &NoProgress)?)?;
        let table = detect(&h).ok_or_else(|| {
            Error::file(
                &input.name,
                format!(
                    "not a PatentsView table tradescope reads (g_patent, g_assignee_disambiguated, \
                     g_cpc_current, assignee); its header is: {}",
                    h.names.join(", ")
                ),
            )
        })?;
        plan.push((table, input));
    }
    plan.sort_by_key(|(t, _)| *t);
    let indexes = if large_load(conn, &plan)? {
        SecondaryIndexes::drop(conn, BULK_INDEXES)?
    } else {
        SecondaryIndexes::none()
    };
    let mut w = PatentWriter::new(conn, source_id, synthetic)?;
    let mut rows = 0;
    let mut withdrawn: HashSet<String> = HashSet::new();
    let mut skipped = Skipped::default();
    for (table, input) in plan {
        // A bar per file: its bytes, rows and rows per second.
        progress.stage(&input.file_name(), input.len().ok());
        let mut records = reader(input, progress)?;
        let h = header(input, &mut records)?;
        let mut file = File {
            name: &input.name,
            h: &h,
            records,
            line: 0,
            progress,
        };
        rows += match table {
            Table::Assignee => assignees(&mut file, &mut w, &mut skipped)?,
            Table::Patent => patents(&mut file, &mut w, &mut withdrawn, &mut skipped)?,
            Table::PatentAssignee => patent_assignees(&mut file, &mut w, &withdrawn, &mut skipped)?,
            Table::Cpc => cpcs(&mut file, &mut w, &withdrawn)?,
        };
    }
    if skipped.withdrawn > 0 {
        warnings.push(format!(
            "{} withdrawn patent(s) (withdrawn = 1 in g_patent) were not imported",
            skipped.withdrawn
        ));
    }
    if skipped.unnamed > 0 {
        warnings.push(format!(
            "{} assignee row(s) without any name were skipped",
            skipped.unnamed
        ));
    }
    if w.merged_ids > 0 {
        warnings.push(format!(
            "{} PatentsView assignee id(s) name an organisation already known under another id \
             (legacy org_… and current ids; same name and type): kept as one assignee each, \
             every id recorded",
            w.merged_ids
        ));
    }
    if w.stubs > 0 {
        warnings.push(format!(
            "{} patent(s) named by assignee or CPC rows are not in any g_patent file given; they \
             were recorded by number only (import g_patent to add titles and dates)",
            w.stubs
        ));
    }
    progress.stage("creating the patent indexes again", None);
    indexes.restore(conn)?;
    w.finish(progress)?;
    Ok(rows)
}

/// One open table file, read row by row.
struct File<'a, 'r> {
    name: &'a str,
    h: &'a Header,
    records: Records<'r>,
    line: u64,
    progress: &'a dyn Progress,
}

impl File<'_, '_> {
    /// Advance to the next data row; false at the end.
    fn next(&mut self) -> Result<bool> {
        while self.records.read_next()? {
            self.line = self.records.line();
            if self.records.is_blank() {
                continue;
            }
            self.records.check_row(self.h)?;
            if self.line % 16_384 == 0 {
                self.progress.rows(self.line);
            }
            return Ok(true);
        }
        Ok(false)
    }

    fn col(&self, aliases: &[&str]) -> Option<usize> {
        self.h.find(aliases)
    }

    fn get(&self, col: Option<usize>) -> Option<String> {
        col.and_then(|i| self.records.rec.get(i))
            .and_then(|f| opt(&decode(f)))
    }

    fn err(&self, field: &str, message: impl Into<String>) -> Error {
        Error::input(self.name, self.line, field, message)
    }

    /// The patent number of a `patent_id` column (PatentsView ids are US numbers without the
    /// country: `10000000`, `D800000`, `RE49000`).
    fn number(&self, col: usize, kind: Option<&str>) -> Result<PatentNumber> {
        let id = self.get(Some(col)).unwrap_or_default();
        let mut n = parse_number(&format!("US{id}"))
            .filter(|n| n.kind.is_none())
            .ok_or_else(|| self.err("patent_id", format!("`{id}` is not a US patent number")))?;
        if let Some(k) = kind {
            n.number = format!("US{id}{k}");
            n.kind = Some(k.to_string());
        } else {
            n.number = format!("US{id}");
        }
        Ok(n)
    }
}

fn assignee_name(
    file: &File,
    org: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
) -> Option<String> {
    file.get(org).or_else(|| {
        let parts: Vec<String> = [file.get(first), file.get(last)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    })
}

fn assignees(f: &mut File, w: &mut PatentWriter, skipped: &mut Skipped) -> Result<u64> {
    let c_id = f.col(&["assignee_id", "id"]);
    let c_type = f.col(&["type", "assignee_type"]);
    let c_org = f.col(&["organization", "disambig_assignee_organization"]);
    let c_first = f.col(&["name_first", "disambig_assignee_individual_name_first"]);
    let c_last = f.col(&["name_last", "disambig_assignee_individual_name_last"]);
    let mut n = 0;
    while f.next()? {
        let pv_id = f
            .get(c_id)
            .ok_or_else(|| f.err("assignee_id", "empty assignee id"))?;
        let Some(name) = assignee_name(f, c_org, c_first, c_last) else {
            skipped.unnamed += 1;
            continue;
        };
        w.assignee_pv(&pv_id, &name, f.get(c_type).as_deref(), f.line)?;
        n += 1;
    }
    Ok(n)
}

fn patents(
    f: &mut File,
    w: &mut PatentWriter,
    withdrawn: &mut HashSet<String>,
    skipped: &mut Skipped,
) -> Result<u64> {
    let c_id = f.h.require(&["patent_id"])?;
    let c_date = f.col(&["patent_date"]);
    let c_title = f.col(&["patent_title"]);
    let c_abstract = f.col(&["patent_abstract"]);
    let c_kind = f.col(&["wipo_kind", "kind"]);
    let c_withdrawn = f.col(&["withdrawn"]);
    let mut n = 0;
    while f.next()? {
        if f.get(c_withdrawn).is_some_and(|v| v == "1") {
            if let Some(id) = f.get(Some(c_id)) {
                withdrawn.insert(id);
            }
            skipped.withdrawn += 1;
            continue;
        }
        let number = f.number(c_id, f.get(c_kind).as_deref())?;
        let date = fields::date_at(
            f.name,
            f.line,
            "patent_date",
            &f.get(c_date).unwrap_or_default(),
        )?;
        w.patent(&NewPatent {
            line: f.line,
            number,
            doc_type: Some("grant".into()),
            title: f.get(c_title),
            abstract_text: f.get(c_abstract),
            publication_date: date,
            ..Default::default()
        })?;
        n += 1;
    }
    Ok(n)
}

/// Patent ids of adjacent rows repeat; remembers the last one resolved.
#[derive(Default)]
struct LastPatent(Option<(String, i64)>);

impl LastPatent {
    fn resolve(&mut self, f: &File, c_id: usize, w: &mut PatentWriter) -> Result<i64> {
        let pid = f.get(Some(c_id)).unwrap_or_default();
        if let Some((p, id)) = &self.0 {
            if *p == pid {
                return Ok(*id);
            }
        }
        let number = f.number(c_id, None)?;
        let id = w.patent_by_number(&number, f.line)?;
        self.0 = Some((pid, id));
        Ok(id)
    }
}

fn patent_assignees(
    f: &mut File,
    w: &mut PatentWriter,
    withdrawn: &HashSet<String>,
    skipped: &mut Skipped,
) -> Result<u64> {
    let c_id = f.h.require(&["patent_id"])?;
    let c_seq = f.col(&["assignee_sequence"]);
    let c_assignee = f.col(&["assignee_id"]);
    let c_type = f.col(&["assignee_type", "type"]);
    let c_org = f.col(&["disambig_assignee_organization", "organization"]);
    let c_first = f.col(&["disambig_assignee_individual_name_first", "name_first"]);
    let c_last = f.col(&["disambig_assignee_individual_name_last", "name_last"]);
    let mut last = LastPatent::default();
    let mut n = 0;
    while f.next()? {
        if f.get(Some(c_id)).is_some_and(|p| withdrawn.contains(&p)) {
            continue;
        }
        let Some(name) = assignee_name(f, c_org, c_first, c_last) else {
            skipped.unnamed += 1;
            continue;
        };
        let seq = match f.get(c_seq) {
            None => 0,
            Some(s) => s
                .parse::<i64>()
                .map_err(|_| f.err("assignee_sequence", format!("`{s}` is not a whole number")))?,
        };
        let patent = last.resolve(f, c_id, w)?;
        let assignee = match f.get(c_assignee) {
            Some(pv) => Some(w.assignee_pv(&pv, &name, f.get(c_type).as_deref(), f.line)?),
            None => w.assignee_named(&name, f.line)?,
        };
        if let Some(a) = assignee {
            w.attach(patent, a, seq, &name)?;
        }
        n += 1;
    }
    Ok(n)
}

fn cpcs(f: &mut File, w: &mut PatentWriter, withdrawn: &HashSet<String>) -> Result<u64> {
    let c_id = f.h.require(&["patent_id"])?;
    let c_group = f.col(&["cpc_group"]);
    let c_subclass = f.col(&["cpc_subclass"]);
    let mut last = LastPatent::default();
    let mut n = 0;
    while f.next()? {
        if f.get(Some(c_id)).is_some_and(|p| withdrawn.contains(&p)) {
            continue;
        }
        let Some(cpc) = f
            .get(c_group)
            .or_else(|| f.get(c_subclass))
            .and_then(|c| normalize_cpc(&c))
        else {
            continue;
        };
        let patent = last.resolve(f, c_id, w)?;
        w.cpc(patent, &cpc)?;
        n += 1;
    }
    Ok(n)
}
