//! Frequency tables (`F`) over the patents a filter matches: assignee, CET area, CPC subclass
//! or grant year → count, one GROUP BY in SQLite over the filter's own conditions
//! ([`Sql::patents_where`]), and the filter that lists one value's patents.
//!
//! Assignees, CET areas and CPC codes are many per patent: a patent counts under each of its
//! values, so those counts can sum past the total (the patents the filter matches).

use super::index::key_sql_in;
use super::PatentFilter;
use crate::args;
use crate::error::{Error, Result};
use crate::shipments::freq::{FreqColumn, FreqKey, FreqValue, Frequency};
use crate::sql::{Sql, Value};

/// The frequency table of `column` (one of [`FreqColumn::PATENTS`]) over the patents `f`
/// matches: the `limit` most frequent values and the rest summed as "other".
pub fn frequency(
    db: &dyn Sql,
    f: &PatentFilter,
    column: FreqColumn,
    limit: usize,
) -> Result<Frequency> {
    let (where_sql, p) = db.patents_where(f)?;
    let ids = format!("SELECT p.id FROM patent p {where_sql}");
    let nulls = db.dialect().nulls_first();
    let sql = match column {
        FreqColumn::Assignee => format!(
            "SELECT pa.assignee_id, count(DISTINCT pa.patent_id) FROM patent_assignee pa
             WHERE pa.patent_id IN ({ids}) GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
        FreqColumn::CetArea => format!(
            "SELECT c.area_code, count(*) FROM patent_cet c
             WHERE c.patent_key IN (SELECT {} FROM patent p {where_sql})
             GROUP BY 1 ORDER BY 2 DESC, 1{nulls}",
            key_sql_in(db.dialect(), "p")
        ),
        FreqColumn::Cpc => format!(
            "SELECT substr(x.cpc, 1, 4), count(DISTINCT x.patent_id) FROM patent_cpc x
             WHERE x.patent_id IN ({ids}) GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
        FreqColumn::Year => format!(
            "SELECT substr(p.publication_date, 1, 4), count(*) FROM patent p {where_sql}
             GROUP BY 1 ORDER BY 2 DESC, 1{nulls}"
        ),
        other => {
            return Err(Error::User(format!(
                "{} is not a column of patents",
                other.label()
            )))
        }
    };
    let mut out = Frequency::empty(column);
    for r in db.rows(&sql, &p)? {
        let n: i64 = r.get(1)?;
        if out.rows.len() >= limit {
            out.other_values += 1;
            out.other_count += n;
            continue;
        }
        let key = match r.get::<Value>(0)? {
            Value::Int(id) if column == FreqColumn::Assignee => FreqKey::Assignee(id),
            Value::Text(s) if !s.trim().is_empty() => FreqKey::Text(s),
            _ => FreqKey::Missing,
        };
        out.rows.push(FreqValue {
            key,
            label: String::new(),
            count: n,
        });
    }
    out.total = db.one(&format!("SELECT count(*) FROM patent p {where_sql}"), &p)?;
    for v in &mut out.rows {
        v.label = match &v.key {
            FreqKey::Assignee(id) | FreqKey::Party(id) => db
                .opt("SELECT name FROM assignee WHERE id = ?1", args![*id], |r| {
                    r.get::<String>(0)
                })
                .ok()
                .flatten()
                .unwrap_or_else(|| format!("assignee #{id}")),
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
