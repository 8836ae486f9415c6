//! The Patents list on PostgreSQL: one page in a sort order and its capped count, the rows
//! SQLite's query gives (tradescope_store::patents). SQLite walks date-keyed structures
//! (FTS5, `patent_cet`) to stop after one page; here the planner reads `patent_date` or the
//! filter's index, so the query is the plain statement of the filter. `patent_cet` is keyed
//! by the same date key ([`key_sql_in`]).
//!
//! Word search reads `patent_word` (schema version 2): each patent's words as SQLite's FTS5
//! tokenizer reads them, in a tsvector with a GIN index, and the query made the way FTS5's
//! is made (tradescope_store::patents::words), so the same words, prefixes, phrases and
//! folded diacritics match.

use tradescope_store::error::Result as StoreResult;
use tradescope_store::links::linked_assignee_ids;
use tradescope_store::patents::index::key_sql_in;
use tradescope_store::patents::words::Tokenizer;
use tradescope_store::patents::{
    finish_page, number_digits, row_with_value, PatentCursor, PatentFilter, PatentPage, PatentSort,
};
use tradescope_store::sql::{Dialect, Sql, Value};

/// The filter as conditions on `patent p`, with their parameters.
pub(super) fn conditions(db: &dyn Sql, f: &PatentFilter) -> StoreResult<(Vec<String>, Vec<Value>)> {
    let mut w = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    if let Some(q) = f.text.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        match number_digits(q) {
            Some(d) => {
                p.push(format!("US{d}").into());
                w.push(format!("p.number_key = ?{}", p.len()));
            }
            None => match Tokenizer::new()?.tsquery(q)? {
                Some(t) => {
                    p.push(t.into());
                    w.push(format!(
                        "EXISTS (SELECT 1 FROM patent_word pw WHERE pw.patent_id = p.id
                           AND pw.words @@ CAST(?{}::text AS tsquery))",
                        p.len()
                    ));
                }
                None => w.push("false".into()),
            },
        }
    }
    if let Some(c) = &f.cpc {
        p.push(c.trim().to_uppercase().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cpc x WHERE x.patent_id = p.id
               AND substr(x.cpc, 1, length(?{n})) = ?{n})",
            n = p.len()
        ));
    }
    if let Some(y) = &f.year {
        p.push(y.trim().to_string().into());
        w.push(format!("substr(p.publication_date, 1, 4) = ?{}", p.len()));
    }
    if let Some(c) = &f.cet {
        p.push(c.trim().to_uppercase().into());
        w.push(format!(
            "EXISTS (SELECT 1 FROM patent_cet c WHERE c.area_code = ?{} AND c.patent_key = {})",
            p.len(),
            key_sql_in(Dialect::Postgres, "p")
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

pub(super) fn where_sql(w: &[String]) -> String {
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
        key = key_sql_in(Dialect::Postgres, "p"),
        value = sort.value_in(Dialect::Postgres),
        where_ = where_sql(&w),
        order = sort.order_by_in(Dialect::Postgres),
        fetch = limit + 1,
    );
    Ok(finish_page(db.map(&sql, &p, row_with_value)?, limit))
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
