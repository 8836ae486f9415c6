//! The Patents list query: one page in a sort order, and its count — what the pane shows and
//! `tradescope patents` prints.
//!
//! In the default order (newest first, or oldest first) a page is read from whichever derived
//! structure the filter names, walked in date-key order (see super::index): the full-text index
//! for words, `patent_cet` for a CET area. Every other condition is checked on each key as it
//! comes, and the walk stops after one page. Only an assignee's or an entity's patents alone
//! are read whole (at most a giant's few ten thousand) and sorted. Other orders filter first,
//! then sort.

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use super::index::{self, ID_MASK};
use super::PatentSortKey;
use super::{number_digits, PatentCursor, PatentFilter, PatentPage, PatentRow, PatentSort};
use crate::error::Result;

/// What a filter asks for, resolved.
struct Parts {
    /// The number key of a publication-number query.
    number: Option<String>,
    /// The FTS5 query of a word query.
    words: Option<String>,
    cet: Option<String>,
    cpc: Option<String>,
    year: Option<String>,
    /// Some: only patents of these assignees (none: nothing matches).
    assignees: Option<Vec<i64>>,
    /// The text had nothing to search for (only punctuation): nothing matches.
    nothing: bool,
}

fn parts(conn: &Connection, f: &PatentFilter) -> Result<Parts> {
    let mut p = Parts {
        number: None,
        words: None,
        cet: f.cet.as_ref().map(|c| c.trim().to_uppercase()),
        cpc: f.cpc.as_ref().map(|c| c.trim().to_uppercase()),
        year: f.year.as_ref().map(|y| y.trim().to_string()),
        assignees: None,
        nothing: false,
    };
    if let Some(q) = f.text.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        match number_digits(q) {
            Some(d) => p.number = Some(format!("US{d}")),
            None => match index::match_query(q) {
                Some(m) => p.words = Some(m),
                None => p.nothing = true,
            },
        }
    }
    if f.assignee_id.is_some() || f.entity_id.is_some() {
        let mut ids: Vec<i64> = f.assignee_id.into_iter().collect();
        if let Some(e) = f.entity_id {
            ids.extend(crate::links::linked_assignee_ids(conn, e)?);
        }
        ids.sort_unstable();
        ids.dedup();
        p.assignees = Some(ids);
    }
    Ok(p)
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Conditions on the date key `k` (an SQL expression) for everything but the driving structure.
fn key_conditions(parts: &Parts, k: &str, skip: Driver, w: &mut Vec<String>, p: &mut Vec<Value>) {
    let skip_cet = skip == Driver::Cet;
    if let (Some(c), false) = (&parts.cet, skip_cet) {
        p.push(c.clone().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cet c WHERE c.area_code = ?{} AND c.patent_key = {k})",
            p.len()
        ));
    }
    if let Some(c) = &parts.cpc {
        p.push(c.clone().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cpc x WHERE x.patent_id = ({k} & {ID_MASK})
               AND substr(x.cpc, 1, length(?{n})) = ?{n})",
            n = p.len()
        ));
    }
    if let Some(y) = &parts.year {
        p.push(y.clone().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent y WHERE y.id = ({k} & {ID_MASK})
               AND substr(y.publication_date, 1, 4) = ?{})",
            p.len()
        ));
    }
    if let (Some(ids), false) = (&parts.assignees, skip == Driver::Assignees) {
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_assignee pa WHERE pa.patent_id = ({k} & {ID_MASK})
               AND pa.assignee_id IN ({}))",
            id_list(ids)
        ));
    }
}

/// The structure a key walk reads (its condition is not checked again on each key).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Driver {
    None,
    Cet,
    Assignees,
}

/// The key walk for a word, CET or assignee query: `SELECT k FROM … WHERE …` with its
/// parameters, or None when the filter names none of them.
fn key_walk(parts: &Parts) -> Option<(String, Vec<String>, Vec<Value>)> {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    if let Some(m) = &parts.words {
        p.push(m.clone().into());
        w.push("patent_fts MATCH ?1".to_string());
        key_conditions(parts, "patent_fts.rowid", Driver::None, &mut w, &mut p);
        return Some(("SELECT patent_fts.rowid AS k FROM patent_fts".into(), w, p));
    }
    if let Some(c) = &parts.cet {
        p.push(c.clone().into());
        w.push("t.area_code = ?1".to_string());
        key_conditions(parts, "t.patent_key", Driver::Cet, &mut w, &mut p);
        return Some(("SELECT t.patent_key AS k FROM patent_cet t".into(), w, p));
    }
    // An assignee's (or an entity's assignees') patents: one range of assignee_patent each;
    // a patent two of them share is one key.
    if let Some(ids) = parts.assignees.as_ref().filter(|ids| !ids.is_empty()) {
        w.push(format!("t.assignee_id IN ({})", id_list(ids)));
        key_conditions(parts, "t.patent_key", Driver::Assignees, &mut w, &mut p);
        let distinct = if ids.len() > 1 { "DISTINCT " } else { "" };
        return Some((
            format!("SELECT {distinct}t.patent_key AS k FROM assignee_patent t"),
            w,
            p,
        ));
    }
    None
}

/// Conditions on the patent row `p` (for orders no derived structure gives).
fn row_conditions(parts: &Parts) -> (Vec<String>, Vec<Value>) {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    if parts.nothing || parts.assignees.as_ref().is_some_and(Vec::is_empty) {
        w.push("0".into());
    }
    if let Some(n) = &parts.number {
        p.push(n.clone().into());
        w.push(format!("p.number_key = ?{}", p.len()));
    }
    if let Some(m) = &parts.words {
        p.push(m.clone().into());
        w.push(format!(
            "p.id IN (SELECT rowid & {ID_MASK} FROM patent_fts WHERE patent_fts MATCH ?{})",
            p.len()
        ));
    }
    let key = index::key_sql("p");
    key_conditions(parts, &key, Driver::None, &mut w, &mut p);
    (w, p)
}

fn where_sql(w: &[String]) -> String {
    if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    }
}

const ROW_COLUMNS: &str = "p.id, p.number, p.publication_date, p.title,
   (SELECT group_concat(name_as_published, '; ') FROM patent_assignee WHERE patent_id = p.id),
   (SELECT group_concat(cpc, '; ') FROM patent_cpc WHERE patent_id = p.id)";

/// A page of the rows `from_where` selects: ids sorted and cut first, so the wide columns
/// (assignees, CPC codes, CET areas) are read for one page only, not for every match.
fn select_sql(from_where: &str, sort: PatentSort, limit: usize) -> String {
    let order = sort.order_by();
    format!(
        "SELECT {ROW_COLUMNS}, {}, p.synthetic, {} FROM (SELECT p.id AS rid FROM {from_where}
           ORDER BY {order} LIMIT {limit}) r
         CROSS JOIN patent p ON p.id = r.rid ORDER BY {order}",
        index::cet_of_sql("p"),
        sort.value(),
    )
}

/// The SQL of one page and its parameters.
fn page_sql(
    parts: &Parts,
    sort: PatentSort,
    after: Option<&PatentCursor>,
    fetch: usize,
) -> (String, Vec<Value>) {
    let dir = if sort.desc { "DESC" } else { "ASC" };
    let by_date = sort.key == PatentSortKey::Date && !parts.nothing && parts.number.is_none();
    if let (true, Some((from, mut w, mut p))) = (by_date, key_walk(parts)) {
        if let Some(c) = after {
            p.push(c.value.clone().map(Value::Text).unwrap_or(Value::Null));
            p.push(c.id.into());
            let cmp = if sort.desc { "<" } else { ">" };
            let key = if from.contains("patent_fts") {
                "patent_fts.rowid"
            } else {
                "t.patent_key"
            };
            w.push(format!(
                "{key} {cmp} {}",
                index::key_of_params(p.len() - 1, p.len())
            ));
        }
        let inner = format!("{from} {} ORDER BY k {dir} LIMIT {fetch}", where_sql(&w));
        let sql = format!(
            "SELECT {ROW_COLUMNS}, {}, p.synthetic, {} FROM ({inner}) d
             CROSS JOIN patent p ON p.id = (d.k & {ID_MASK}) ORDER BY d.k {dir}",
            index::cet_of_sql("p"),
            sort.value()
        );
        return (sql, p);
    }
    let (mut w, mut p) = row_conditions(parts);
    if let Some(c) = after {
        w.push(sort.after(c, &mut p));
    }
    match &parts.assignees {
        // An assignee's patents: read through patent_assignee (never a walk of every patent
        // in date order looking for them), then sorted.
        Some(ids) if !ids.is_empty() => {
            let from = format!(
                "(SELECT DISTINCT patent_id FROM patent_assignee WHERE assignee_id IN ({})) a
                 CROSS JOIN patent p ON p.id = a.patent_id {}",
                id_list(ids),
                where_sql(&w)
            );
            (select_sql(&from, sort, fetch), p)
        }
        _ => (
            select_sql(&format!("patent p {}", where_sql(&w)), sort, fetch),
            p,
        ),
    }
}

/// One page of patents in `sort` order (newest publication first by default).
pub fn page(
    conn: &Connection,
    f: &PatentFilter,
    sort: PatentSort,
    after: Option<&PatentCursor>,
    limit: usize,
) -> Result<PatentPage> {
    let parts = parts(conn, f)?;
    let (sql, p) = page_sql(&parts, sort, after, limit + 1);
    let p: Vec<crate::sql::Value> = p.into_iter().map(Into::into).collect();
    let db: &dyn crate::sql::Sql = conn;
    Ok(finish_page(db.map(&sql, &p, row_with_value)?, limit))
}

/// A row of a page as both engines' queries select it: id, number, date, title, assignees,
/// CPC codes, CET areas, synthetic, then the sort value (the next page's cursor).
pub fn row_with_value(r: &crate::sql::Row) -> Result<(PatentRow, Option<String>)> {
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
}

/// The page of `rows` (fetched `limit + 1`, to know there is more): the next page starts
/// after the last row kept.
pub fn finish_page(mut rows: Vec<(PatentRow, Option<String>)>, limit: usize) -> PatentPage {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = more
        .then(|| rows.last())
        .flatten()
        .map(|(r, v)| PatentCursor {
            value: v.clone(),
            id: r.id,
        });
    PatentPage {
        rows: rows.into_iter().map(|(r, _)| r).collect(),
        next,
    }
}

/// The number of patents matching `f`, counting at most `cap`: Ok(n) exactly, Err(cap) for
/// "cap or more". A word or CET count walks its structure up to `cap`; an assignee's count is
/// an index range.
pub fn count(
    conn: &Connection,
    f: &PatentFilter,
    cap: i64,
) -> Result<std::result::Result<i64, i64>> {
    let parts = parts(conn, f)?;
    let fetch = cap.saturating_add(1);
    let (sql, p) = match (parts.nothing || parts.number.is_some(), key_walk(&parts)) {
        (false, Some((from, w, p))) => (
            format!(
                "SELECT count(*) FROM ({from} {} LIMIT {fetch})",
                where_sql(&w)
            ),
            p,
        ),
        _ => {
            let (w, p) = row_conditions(&parts);
            let from = match &parts.assignees {
                Some(ids) if !ids.is_empty() => format!(
                    "(SELECT DISTINCT patent_id FROM patent_assignee WHERE assignee_id IN ({})) a
                     CROSS JOIN patent p ON p.id = a.patent_id",
                    id_list(ids)
                ),
                _ => "patent p".into(),
            };
            (
                format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {from} {} LIMIT {fetch})",
                    where_sql(&w)
                ),
                p,
            )
        }
    };
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(p.iter()), |r| r.get(0))?;
    Ok(if n > cap { Err(cap) } else { Ok(n) })
}

/// The exact number of patents matching `f` (record views, links).
pub fn count_all(conn: &Connection, f: &PatentFilter) -> Result<i64> {
    Ok(count(conn, f, i64::MAX - 1)?.unwrap_or_else(|n| n))
}

/// The WHERE clause (over `patent p`) of the patents `f` matches, with its parameters (empty:
/// all patents); what a frequency table groups.
pub fn matching_where(
    conn: &Connection,
    f: &PatentFilter,
) -> Result<(String, Vec<crate::sql::Value>)> {
    let parts = parts(conn, f)?;
    let (w, p) = row_conditions(&parts);
    Ok((where_sql(&w), p.into_iter().map(Into::into).collect()))
}

/// EXPLAIN QUERY PLAN of the first page for `f` (the benchmark checks index use).
pub fn page_plan(conn: &Connection, f: &PatentFilter, sort: PatentSort) -> Result<Vec<String>> {
    let parts = parts(conn, f)?;
    let (sql, p) = page_sql(&parts, sort, None, 51);
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let rows = stmt.query_map(params_from_iter(p.iter()), |r| r.get::<_, String>(3))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
