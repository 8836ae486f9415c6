//! Frequency tables (`F`) over the patents a filter matches: assignee, CET area, CPC subclass
//! or grant year → count, one GROUP BY in SQLite over the filter's own conditions
//! ([`super::matching_where`]), and the filter that lists one value's patents.
//!
//! Assignees, CET areas and CPC codes are many per patent: a patent counts under each of its
//! values, so those counts can sum past the total (the patents the filter matches).

use rusqlite::types::ValueRef;
use rusqlite::{params_from_iter, Connection};

use super::index::key_sql;
use super::{matching_where, PatentFilter};
use crate::error::{Error, Result};
use crate::shipments::freq::{FreqColumn, FreqKey, FreqValue, Frequency};

/// The frequency table of `column` (one of [`FreqColumn::PATENTS`]) over the patents `f`
/// matches: the `limit` most frequent values and the rest summed as "other".
pub fn frequency(
    conn: &Connection,
    f: &PatentFilter,
    column: FreqColumn,
    limit: usize,
) -> Result<Frequency> {
    let (where_sql, p) = matching_where(conn, f)?;
    let ids = format!("SELECT p.id FROM patent p {where_sql}");
    let sql = match column {
        FreqColumn::Assignee => format!(
            "SELECT pa.assignee_id, count(DISTINCT pa.patent_id) FROM patent_assignee pa
             WHERE pa.patent_id IN ({ids}) GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        FreqColumn::CetArea => format!(
            "SELECT c.area_code, count(*) FROM patent_cet c
             WHERE c.patent_key IN (SELECT {} FROM patent p {where_sql})
             GROUP BY 1 ORDER BY 2 DESC, 1",
            key_sql("p")
        ),
        FreqColumn::Cpc => format!(
            "SELECT substr(x.cpc, 1, 4), count(DISTINCT x.patent_id) FROM patent_cpc x
             WHERE x.patent_id IN ({ids}) GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        FreqColumn::Year => format!(
            "SELECT substr(p.publication_date, 1, 4), count(*) FROM patent p {where_sql}
             GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        other => {
            return Err(Error::User(format!(
                "{} is a column of shipments, not of patents",
                other.label()
            )))
        }
    };
    let mut out = Frequency {
        column,
        rows: Vec::new(),
        total: 0,
        other_values: 0,
        other_count: 0,
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(p.iter()))?;
    while let Some(r) = rows.next()? {
        let n: i64 = r.get(1)?;
        if out.rows.len() >= limit {
            out.other_values += 1;
            out.other_count += n;
            continue;
        }
        let key = match r.get_ref(0)? {
            ValueRef::Integer(id) if column == FreqColumn::Assignee => FreqKey::Assignee(id),
            v => match v.as_str() {
                Ok(s) if !s.trim().is_empty() => FreqKey::Text(s.to_string()),
                _ => FreqKey::Missing,
            },
        };
        out.rows.push(FreqValue {
            key,
            label: String::new(),
            count: n,
        });
    }
    let total = format!("SELECT count(*) FROM patent p {where_sql}");
    out.total = conn.query_row(&total, params_from_iter(p.iter()), |r| r.get(0))?;
    let mut name = conn.prepare_cached("SELECT name FROM assignee WHERE id = ?1")?;
    for v in &mut out.rows {
        v.label = match &v.key {
            FreqKey::Assignee(id) | FreqKey::Party(id) => name
                .query_row([id], |r| r.get::<_, String>(0))
                .unwrap_or_else(|_| format!("assignee #{id}")),
            FreqKey::Text(s) => s.clone(),
            FreqKey::Missing => "(none)".to_string(),
        };
    }
    Ok(out)
}

/// The filter that lists the patents of one value of a frequency table over `f`; None when no
/// filter can say it (patents without a value).
pub fn drill(f: &PatentFilter, column: FreqColumn, key: &FreqKey) -> Option<PatentFilter> {
    let mut g = f.clone();
    match (column, key) {
        (FreqColumn::Assignee, FreqKey::Assignee(id)) => g.assignee_id = Some(*id),
        (FreqColumn::CetArea, FreqKey::Text(c)) => g.cet = Some(c.clone()),
        (FreqColumn::Cpc, FreqKey::Text(c)) => g.cpc = Some(c.clone()),
        (FreqColumn::Year, FreqKey::Text(y)) => g.year = Some(y.clone()),
        _ => return None,
    }
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drill_adds_the_value_and_keeps_the_filter() {
        let f = PatentFilter {
            cet: Some("AI".into()),
            ..Default::default()
        };
        let g = drill(&f, FreqColumn::Cpc, &FreqKey::Text("H04N".into())).unwrap();
        assert_eq!(g.cpc.as_deref(), Some("H04N"));
        assert_eq!(g.cet.as_deref(), Some("AI"));
        assert_eq!(drill(&f, FreqColumn::Year, &FreqKey::Missing), None);
        assert_eq!(
            drill(&f, FreqColumn::Month, &FreqKey::Text("2020".into())),
            None
        );
    }
}
