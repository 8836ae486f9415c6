//! Patent and assignee queries, with CET areas derived from CPC codes via the editable
//! `cet_cpc` prefix table.

use serde::Serialize;

use crate::args;
use crate::error::{Error, Result};
use crate::sql::Sql;
use tradescope_core::model::{Assignee, Patent, SourceRef};

mod derived;
pub mod freq;
pub mod index;
mod order;
mod query;
pub mod words;

pub use order::{PatentCursor, PatentSort, PatentSortKey};
pub use query::{count, count_all, finish_page, matching_where, page, page_plan, row_with_value};

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PatentFilter {
    /// A publication number ("US 2020/0334450", "11321963"), title words, or an assignee name.
    pub text: Option<String>,
    pub assignee_id: Option<i64>,
    /// Patents of the assignees linked to this list entry.
    pub entity_id: Option<i64>,
    /// CET area code, e.g. "AI".
    pub cet: Option<String>,
    /// A CPC code prefix, e.g. "H04N" (a patent matches when any of its codes starts so).
    pub cpc: Option<String>,
    /// The publication year (a grant's grant year), e.g. "2020".
    pub year: Option<String>,
}

/// The patents a link lists.
impl From<&tradescope_core::link::PatentScope> for PatentFilter {
    fn from(s: &tradescope_core::link::PatentScope) -> Self {
        use tradescope_core::link::PatentScope as P;
        let mut f = PatentFilter::default();
        match s {
            P::OfEntity(id) => f.entity_id = Some(*id),
            P::Assignee(id) => f.assignee_id = Some(*id),
            P::Cet(area) => f.cet = Some(area.clone()),
        }
        f
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatentRow {
    pub id: i64,
    pub number: String,
    pub publication_date: Option<String>,
    pub title: Option<String>,
    pub assignee: Option<String>,
    pub cpc: Option<String>,
    pub cet: Option<String>,
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatentPage {
    pub rows: Vec<PatentRow>,
    pub next: Option<PatentCursor>,
}

/// Digits of a publication-number-like query, if it is one ("US 2020/0334450 A1" → 20200334450).
pub fn number_digits(q: &str) -> Option<String> {
    let t = q.trim().to_ascii_uppercase();
    let t = t.strip_prefix("US").unwrap_or(&t);
    let core: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '/' | ',' | '-' | '.'))
        .collect();
    let digits: String = core.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &core[digits.len()..];
    let kind_ok = rest.is_empty() || (rest.len() <= 2 && rest.starts_with(['A', 'B', 'S', 'E']));
    (digits.len() >= 6 && kind_ok).then_some(digits)
}

pub fn get(db: &dyn Sql, id: i64) -> Result<Patent> {
    let mut pat = db
        .opt(
            "SELECT p.id, p.number, p.kind, p.doc_type, p.title, p.abstract,
                    p.application_number, p.filing_date, p.publication_date, p.source_url,
                    p.synthetic, s.id, s.dataset, s.path, p.source_line, s.sha256, s.as_of,
                    s.synthetic
                 FROM patent p JOIN source s ON s.id = p.source_id WHERE p.id = ?1",
            args![id],
            |r| {
                Ok(Patent {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    kind: r.get(2)?,
                    doc_type: r.get(3)?,
                    title: r.get(4)?,
                    abstract_text: r.get(5)?,
                    application_number: r.get(6)?,
                    filing_date: r.get(7)?,
                    publication_date: r.get(8)?,
                    assignees: Vec::new(),
                    cpc: Vec::new(),
                    cet_areas: Vec::new(),
                    source_url: r.get(9)?,
                    synthetic: r.get(10)?,
                    source: SourceRef {
                        source_id: r.get(11)?,
                        dataset: r.get(12)?,
                        path: r.get(13)?,
                        line: r.get(14)?,
                        sha256: r.get(15)?,
                        as_of: r.get(16)?,
                        synthetic: r.get(17)?,
                    },
                })
            },
        )?
        .ok_or_else(|| Error::NotFound(format!("no patent with id {id}")))?;
    pat.assignees = db.map(
        "SELECT name_as_published FROM patent_assignee WHERE patent_id = ?1 ORDER BY seq",
        args![id],
        |r| r.get(0),
    )?;
    pat.cet_areas = db.map(
        "SELECT a.code FROM cet_area a WHERE EXISTS (SELECT 1 FROM patent_cet pc
           WHERE pc.area_code = a.code AND pc.patent_key = ?1) ORDER BY a.code",
        args![index::date_key(pat.publication_date.as_deref(), id)],
        |r| r.get(0),
    )?;
    pat.cpc = db.map(
        "SELECT cpc FROM patent_cpc WHERE patent_id = ?1 ORDER BY seq",
        args![id],
        |r| r.get(0),
    )?;
    Ok(pat)
}

/// Assignee ids of a patent, in order.
pub fn assignee_ids(db: &dyn Sql, patent_id: i64) -> Result<Vec<(i64, String)>> {
    db.map(
        "SELECT pa.assignee_id, a.name FROM patent_assignee pa JOIN assignee a ON a.id = pa.assignee_id
         WHERE pa.patent_id = ?1 ORDER BY pa.seq",
        args![patent_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

pub fn get_assignee(db: &dyn Sql, id: i64) -> Result<Assignee> {
    db.opt(
        "SELECT a.id, a.pv_id, a.name, a.assignee_type, a.n_patents, s.id, s.dataset, s.path,
            a.source_line, s.sha256, s.as_of, s.synthetic
         FROM assignee a JOIN source s ON s.id = a.source_id WHERE a.id = ?1",
        args![id],
        |r| {
            Ok(Assignee {
                id: r.get(0)?,
                pv_id: r.get(1)?,
                name: r.get(2)?,
                assignee_type: r.get(3)?,
                n_patents: r.get(4)?,
                source: SourceRef {
                    source_id: r.get(5)?,
                    dataset: r.get(6)?,
                    path: r.get(7)?,
                    line: r.get(8)?,
                    sha256: r.get(9)?,
                    as_of: r.get(10)?,
                    synthetic: r.get(11)?,
                },
            })
        },
    )?
    .ok_or_else(|| Error::NotFound(format!("no patent assignee with id {id}")))
}

/// Assignees whose normalized name contains `norm_query`, most patents first.
pub fn search_assignees(
    db: &dyn Sql,
    norm_query: &str,
    limit: usize,
) -> Result<Vec<(i64, String, i64)>> {
    if norm_query.is_empty() {
        return Ok(Vec::new());
    }
    db.map(
        &format!(
            "SELECT id, name, n_patents FROM assignee WHERE {} > 0
             ORDER BY n_patents DESC, id LIMIT ?2",
            db.dialect().instr("norm", "?1")
        ),
        args![norm_query, limit],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
