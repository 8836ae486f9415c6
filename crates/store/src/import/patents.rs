//! Plain patent records, one document per row, tab- or comma-separated with a header
//! (data/patents/curated_us_patents.tsv): publication_number, kind, title, application_number,
//! filing_date, publication_date, assignee, inventors, cpc, abstract, source_url.
//!
//! Assignee names (`; `-separated) resolve to existing assignees by normalized name, so a
//! record spelled "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." joins the PatentsView
//! assignee "Hangzhou Hikvision Digital Technology Co., Ltd." when that was imported first.

use std::io::Read;

use crate::error::{Error, Result};
use tradescope_core::progress::{NoProgress, Progress};

use super::fields::{self, opt, split_multi, Header};
use super::input::{decode, Input};
use super::patent_writer::{normalize_cpc, parse_number, NewPatent, PatentWriter};
use super::records::Records;

/// Import one patent-records file; returns the number of patents read.
pub fn import(
    conn: &rusqlite::Connection,
    input: &Input,
    source_id: i64,
    synthetic: bool,
    progress: &dyn Progress,
) -> Result<u64> {
    let name = &input.name;
    let delimiter = sniff_delimiter(input)?;
    let mut records = Records::new(name, input.open(progress)?, delimiter);
    if !records.read_next()? {
        return Err(Error::file(
            name,
            "the file is empty (expected a header row with publication_number, title, assignee, …)",
        ));
    }
    records.check_fields(&|i| format!("(header column {})", i + 1))?;
    let h = Header::new(
        name,
        records.rec.iter().map(|f| decode(f).into_owned()).collect(),
    )?;
    let c_number = h.require(&[
        "publication_number",
        "number",
        "patent_number",
        "document_number",
    ])?;
    let c_kind = h.find(&["kind", "doc_type", "document_type"]);
    let c_title = h.find(&["title"]);
    let c_app = h.find(&["application_number", "application"]);
    let c_filed = h.find(&["filing_date", "filed"]);
    let c_published = h.find(&["publication_date", "date", "grant_date"]);
    let c_assignee = h.find(&["assignee", "assignees", "assignee_name"]);
    let c_cpc = h.find(&["cpc", "cpc_codes", "classification", "ipc"]);
    let c_abstract = h.find(&["abstract"]);
    let c_url = h.find(&["source_url", "url"]);
    records.set_columns(&h.names);
    let mut w = PatentWriter::new(conn, source_id, synthetic)?;
    let mut n = 0;
    while records.read_next()? {
        if records.rec.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        records.check_row(&h)?;
        let line = records.line();
        let rec = &records.rec;
        let get = |c: Option<usize>| -> String {
            c.and_then(|i| rec.get(i))
                .map(|f| decode(f).into_owned())
                .unwrap_or_default()
        };
        let field = |c: usize| h.names[c].clone();
        let raw_number = get(Some(c_number));
        let mut number = parse_number(&raw_number).ok_or_else(|| {
            Error::input(
                name,
                line,
                field(c_number),
                format!("`{}` is not a patent number", raw_number.trim()),
            )
        })?;
        // The `kind` column holds either a document type (grant, application) or a kind code.
        let mut doc_type = None;
        if let Some(k) = opt(&get(c_kind)) {
            match k.to_ascii_lowercase().as_str() {
                "grant" | "patent" | "granted" => doc_type = Some("grant".to_string()),
                "application" | "publication" | "pre-grant publication" => {
                    doc_type = Some("application".to_string())
                }
                _ if number.kind.is_none() && k.len() <= 2 => {
                    number.kind = Some(k.to_ascii_uppercase())
                }
                _ => {
                    return Err(Error::input(
                        name,
                        line,
                        field(c_kind.unwrap_or(c_number)),
                        format!("`{k}` is neither grant/application nor a kind code such as B2"),
                    ))
                }
            }
        }
        let date = |c: Option<usize>| -> Result<Option<String>> {
            match c {
                Some(c) => fields::date_at(name, line, &field(c), &get(Some(c))),
                None => Ok(None),
            }
        };
        let patent = w.patent(&NewPatent {
            line,
            number,
            doc_type,
            title: opt(&get(c_title)),
            abstract_text: opt(&get(c_abstract)),
            application_number: opt(&get(c_app)),
            filing_date: date(c_filed)?,
            publication_date: date(c_published)?,
            source_url: opt(&get(c_url)),
        })?;
        for (seq, assignee) in split_multi(&get(c_assignee)).iter().enumerate() {
            if let Some(a) = w.assignee_named(assignee, line)? {
                w.attach(patent, a, seq as i64, assignee)?;
            }
        }
        for code in split_multi(&get(c_cpc)) {
            if let Some(c) = normalize_cpc(&code) {
                w.cpc(patent, &c)?;
            }
        }
        n += 1;
    }
    w.finish(&NoProgress)?;
    Ok(n)
}

/// Tab-separated if the header line has a tab, else comma-separated.
fn sniff_delimiter(input: &Input) -> Result<u8> {
    let mut head = Vec::new();
    input
        .open(&NoProgress)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| Error::file(&input.name, e.to_string()))?;
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    Ok(if first.contains(&b'\t') { b'\t' } else { b',' })
}
