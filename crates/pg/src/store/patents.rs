//! The Patents list on PostgreSQL: one page in a sort order and its capped count, the rows
//! SQLite's query gives (tradescope_store::patents). SQLite walks date-keyed structures
//! (FTS5, `patent_cet`) to stop after one page; here the planner reads `patent_date` or the
//! filter's index, so the query is the plain statement of the filter. `patent_cet` is keyed
//! by the same date key, computed here in SQL as SQLite's `julianday` computes it.
//!
//! Not yet here: word search (SQLite's FTS5 tokens and prefixes have no exact PostgreSQL
//! counterpart yet); a word query answers with an error that says so.

use tradescope_store::error::Result as StoreResult;
use tradescope_store::links::linked_assignee_ids;
use tradescope_store::patents::{
    number_digits, PatentCursor, PatentFilter, PatentPage, PatentRow, PatentSort,
};
use tradescope_store::sql::{Dialect, Sql, Value};

use super::not_yet;

/// SQL: the date key of patent row `a` (`(day number << 32) | id`, 0 for a date that is not
/// `YYYY-MM-DD…`), SQLite's `key_sql` in PostgreSQL: its julianday (Meeus) in integers.
fn key_sql(a: &str) -> String {
    let d = format!("{a}.publication_date");
    let part = |from: u8, len: u8| format!("substr({d}, {from}, {len})::bigint");
    let (y, m, day) = (part(1, 4), part(6, 2), part(9, 2));
    let yy = format!("({y} - CASE WHEN {m} <= 2 THEN 1 ELSE 0 END)");
    let mm = format!("({m} + CASE WHEN {m} <= 2 THEN 12 ELSE 0 END)");
    let jd = format!(
        "(36525 * ({yy} + 4716) / 100 + 306001 * ({mm} + 1) / 10000 + {day}
          + 2 - {yy} / 100 + {yy} / 400 - 1525)"
    );
    format!(
        "((CASE WHEN {d} ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'
           THEN {jd} ELSE 0 END) << 32) | {a}.id"
    )
}

/// The filter as conditions on `patent p`, with their parameters.
fn conditions(db: &dyn Sql, f: &PatentFilter) -> StoreResult<(Vec<String>, Vec<Value>)> {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    if let Some(q) = f.text.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        match number_digits(q) {
            Some(d) => {
                p.push(format!("US{d}").into());
                w.push(format!("p.number_key = ?{}", p.len()));
            }
            None => return Err(not_yet("Word search over patents")),
        }
    }
    if let Some(c) = &f.cet {
        p.push(c.trim().to_uppercase().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cet c WHERE c.area_code = ?{} AND c.patent_key = {})",
            p.len(),
            key_sql("p")
        ));
    }
    if f.assignee_id.is_some() || f.entity_id.is_some() {
        let mut ids: Vec<i64> = f.assignee_id.into_iter().collect();
        if let Some(e) = f.entity_id {
            ids.extend(linked_assignee_ids(db, e)?);
        }
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            w.push("false".into());
        } else {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            w.push(format!(
                "EXISTS (SELECT 1 FROM patent_assignee pa WHERE pa.patent_id = p.id
                   AND pa.assignee_id IN ({}))",
                list.join(",")
            ));
        }
    }
    Ok((w, p))
}

fn where_sql(w: &[String]) -> String {
    if w.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", w.join(" AND "))
    }
}

/// One page of patents in `sort` order after `after`.
pub(super) fn page(
    db: &dyn Sql,
    f: &PatentFilter,
    sort: PatentSort,
    after: Option<&PatentCursor>,
    limit: usize,
) -> StoreResult<PatentPage> {
    let (mut w, mut p) = conditions(db, f)?;
    if let Some(c) = after {
        w.push(sort.after_in(Dialect::Postgres, c, &mut p));
    }
    let sql = format!(
        "SELECT p.id, p.number, p.publication_date, p.title,
           (SELECT string_agg(name_as_published, '; ' ORDER BY assignee_id) FROM patent_assignee
             WHERE patent_id = p.id),
           (SELECT string_agg(cpc, '; ' ORDER BY seq) FROM patent_cpc WHERE patent_id = p.id),
           (SELECT string_agg(a.code, ',' ORDER BY a.code) FROM cet_area a WHERE EXISTS
              (SELECT 1 FROM patent_cet pc WHERE pc.area_code = a.code AND pc.patent_key = {key})),
           p.synthetic, {value}
         FROM patent p {where_} ORDER BY {order} LIMIT {fetch}",
        key = key_sql("p"),
        value = sort.value_in(Dialect::Postgres),
        where_ = where_sql(&w),
        order = sort.order_by_in(Dialect::Postgres),
        fetch = limit + 1,
    );
    let mut rows: Vec<(PatentRow, Option<String>)> = db.map(&sql, &p, |r| {
        Ok((
            PatentRow {
                id: r.get(0)?,
                number: r.get(1)?,
                publication_date: r.get(2)?,
                title: r.get(3)?,
                assignee: r.get(4)?,
                cpc: r.get(5)?,
                cet: r.get(6)?,
                synthetic: r.get(7)?,
            },
            r.get(8)?,
        ))
    })?;
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

/// Patents matching `f`, counting at most `cap` (Err(cap): "cap or more").
pub(super) fn count(
    db: &dyn Sql,
    f: &PatentFilter,
    cap: i64,
) -> StoreResult<std::result::Result<i64, i64>> {
    let (w, p) = conditions(db, f)?;
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM patent p {} LIMIT {}) c",
        where_sql(&w),
        cap.saturating_add(1)
    );
    let n: i64 = db.one(&sql, &p)?;
    Ok(if n > cap { Err(cap) } else { Ok(n) })
}
