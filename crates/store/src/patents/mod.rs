//! Patent and assignee queries, with CET areas derived from CPC codes via the editable
//! `cet_cpc` prefix table.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::Serialize;

use crate::error::{Error, Result};
use tradescope_core::model::{Assignee, Patent, SourceRef};

mod order;

pub use order::{PatentCursor, PatentSort, PatentSortKey};

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PatentFilter {
    /// A publication number ("US 2020/0334450", "11321963"), title words, or an assignee name.
    pub text: Option<String>,
    pub assignee_id: Option<i64>,
    /// Patents of the assignees linked to this list entry.
    pub entity_id: Option<i64>,
    /// CET area code, e.g. "AI".
    pub cet: Option<String>,
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

/// SQL expression: the CET area codes of patent `p`, comma-joined.
const CET_OF_PATENT: &str =
    "(SELECT group_concat(code, ',') FROM (SELECT DISTINCT c.area_code AS code
    FROM patent_cpc pc JOIN cet_cpc c ON substr(pc.cpc, 1, length(c.cpc_prefix)) = c.cpc_prefix
    WHERE pc.patent_id = p.id ORDER BY 1))";

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

fn conditions(conn: &Connection, f: &PatentFilter) -> Result<(Vec<String>, Vec<Value>)> {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    if let Some(q) = f.text.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if let Some(d) = number_digits(q) {
            p.push(format!("US{d}").into());
            w.push(format!("p.number_key = ?{}", p.len()));
        } else {
            // Every word must appear in the title or in an assignee's name.
            for word in q.split_whitespace() {
                p.push(word.to_lowercase().into());
                let n = p.len();
                w.push(format!(
                    "(instr(lower(p.title), ?{n}) > 0 OR EXISTS (SELECT 1 FROM patent_assignee pa
                       JOIN assignee a ON a.id = pa.assignee_id
                       WHERE pa.patent_id = p.id AND instr(lower(a.name), ?{n}) > 0))"
                ));
            }
        }
    }
    let mut assignees: Vec<i64> = Vec::new();
    if let Some(a) = f.assignee_id {
        assignees.push(a);
    }
    if let Some(e) = f.entity_id {
        let linked = crate::links::linked_assignee_ids(conn, e)?;
        if linked.is_empty() {
            w.push("0".into());
        }
        assignees.extend(linked);
    }
    if !assignees.is_empty() {
        let list: Vec<String> = assignees.iter().map(i64::to_string).collect();
        w.push(format!(
            "p.id IN (SELECT patent_id FROM patent_assignee WHERE assignee_id IN ({}))",
            list.join(",")
        ));
    }
    if let Some(c) = &f.cet {
        p.push(c.to_uppercase().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cpc pc JOIN cet_cpc c
               ON substr(pc.cpc, 1, length(c.cpc_prefix)) = c.cpc_prefix
             WHERE pc.patent_id = p.id AND c.area_code = ?{})",
            p.len()
        ));
    }
    Ok((w, p))
}

/// One page of patents in `sort` order (newest publication first by default).
pub fn page(
    conn: &Connection,
    f: &PatentFilter,
    sort: PatentSort,
    after: Option<&PatentCursor>,
    limit: usize,
) -> Result<PatentPage> {
    let (mut w, mut p) = conditions(conn, f)?;
    if let Some(c) = after {
        w.push(sort.after(c, &mut p));
    }
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    let sql = format!(
        "SELECT p.id, p.number, p.publication_date, p.title,
           (SELECT group_concat(name_as_published, '; ') FROM patent_assignee WHERE patent_id = p.id),
           (SELECT group_concat(cpc, '; ') FROM patent_cpc WHERE patent_id = p.id),
           {CET_OF_PATENT}, p.synthetic, {}
         FROM patent p {where_sql}
         ORDER BY {} LIMIT {}",
        sort.value(),
        sort.order_by(),
        limit + 1
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    // Each row with its sort value: the last one's is the next page's cursor.
    let mut rows: Vec<(PatentRow, Option<String>)> = stmt
        .query_map(params_from_iter(p.iter()), |r| {
            let row = PatentRow {
                id: r.get(0)?,
                number: r.get(1)?,
                publication_date: r.get(2)?,
                title: r.get(3)?,
                assignee: r.get(4)?,
                cpc: r.get(5)?,
                cet: r.get(6)?,
                synthetic: r.get(7)?,
            };
            Ok((row, r.get(8)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = more
        .then(|| rows.last())
        .flatten()
        .map(|(r, v)| PatentCursor {
            value: v.clone(),
            id: r.id,
        });
    Ok(PatentPage {
        rows: rows.into_iter().map(|(r, _)| r).collect(),
        next,
    })
}

pub fn count(conn: &Connection, f: &PatentFilter) -> Result<i64> {
    let (w, p) = conditions(conn, f)?;
    let where_sql = if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    };
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM patent p {where_sql}"),
        params_from_iter(p.iter()),
        |r| r.get(0),
    )?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Patent> {
    let mut pat = conn
        .query_row(
            &format!(
                "SELECT p.id, p.number, p.kind, p.doc_type, p.title, p.abstract,
                    p.application_number, p.filing_date, p.publication_date, p.source_url,
                    p.synthetic, s.id, s.dataset, s.path, p.source_line, s.sha256, s.as_of,
                    s.synthetic, {CET_OF_PATENT}
                 FROM patent p JOIN source s ON s.id = p.source_id WHERE p.id = ?1"
            ),
            [id],
            |r| {
                let cet: Option<String> = r.get(18)?;
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
                    cet_areas: cet
                        .map(|c| c.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
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
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("no patent with id {id}")))?;
    let mut stmt = conn.prepare_cached(
        "SELECT name_as_published FROM patent_assignee WHERE patent_id = ?1 ORDER BY seq",
    )?;
    pat.assignees = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT cpc FROM patent_cpc WHERE patent_id = ?1 ORDER BY seq")?;
    pat.cpc = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(pat)
}

/// Assignee ids of a patent, in order.
pub fn assignee_ids(conn: &Connection, patent_id: i64) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pa.assignee_id, a.name FROM patent_assignee pa JOIN assignee a ON a.id = pa.assignee_id
         WHERE pa.patent_id = ?1 ORDER BY pa.seq",
    )?;
    let rows = stmt.query_map([patent_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_assignee(conn: &Connection, id: i64) -> Result<Assignee> {
    conn.query_row(
        "SELECT a.id, a.pv_id, a.name, a.assignee_type, a.n_patents, s.id, s.dataset, s.path,
            a.source_line, s.sha256, s.as_of, s.synthetic
         FROM assignee a JOIN source s ON s.id = a.source_id WHERE a.id = ?1",
        [id],
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
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("no patent assignee with id {id}")))
}

/// Assignees whose normalized name contains `norm_query`, most patents first.
pub fn search_assignees(
    conn: &Connection,
    norm_query: &str,
    limit: usize,
) -> Result<Vec<(i64, String, i64)>> {
    if norm_query.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, n_patents FROM assignee WHERE instr(norm, ?1) > 0
         ORDER BY n_patents DESC, id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![norm_query, limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
