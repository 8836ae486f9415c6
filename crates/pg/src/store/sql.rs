//! The engine-neutral [`Sql`] on a PostgreSQL connection: the store's shared queries (record
//! view, links, screening, as-of) run here unchanged. `?N` placeholders become `$N`; each
//! parameter is sent as the type the server inferred for it, and each column read by its
//! type (integers, floats, text, booleans as 0/1, numerics such as `sum()`'s).

use std::cell::RefCell;

use postgres::types::{FromSql, ToSql, Type};
use postgres::Client;
use tradescope_store::error::{Error as StoreError, Result as StoreResult};
use tradescope_store::patents::PatentFilter;
use tradescope_store::shipments::ShipmentFilter;
use tradescope_store::sql::{Dialect, Row, Sql, Value};

use super::to_store;

/// One connection seen as [`Sql`]; a `RefCell` because queries need the client mutably and
/// the trait reads through `&self` (one query at a time, never nested).
pub(crate) struct PgSql<'a>(pub(crate) RefCell<&'a mut Client>);

impl<'a> PgSql<'a> {
    pub(crate) fn new(client: &'a mut Client) -> Self {
        PgSql(RefCell::new(client))
    }
}

fn pg_err(e: postgres::Error) -> StoreError {
    to_store(e.into())
}

/// `sql` with `?N` placeholders numbered `$N` (outside quoted text).
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted: Option<char> = None;
    for c in sql.chars() {
        match (quoted, c) {
            (Some(q), c) if c == q => quoted = None,
            (None, '\'' | '"') => quoted = Some(c),
            (None, '?') => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A parameter as the type the server expects for it.
fn param(v: &Value, ty: &Type) -> StoreResult<Box<dyn ToSql + Sync>> {
    let wrong = || {
        StoreError::Engine(format!(
            "PostgreSQL: a parameter {v:?} cannot be sent as {ty}"
        ))
    };
    Ok(match (v, ty) {
        (Value::Null, &Type::INT8) => Box::new(None::<i64>),
        (Value::Null, &Type::INT4) => Box::new(None::<i32>),
        (Value::Null, &Type::FLOAT8) => Box::new(None::<f64>),
        (Value::Null, &Type::BOOL) => Box::new(None::<bool>),
        (Value::Null, &Type::BYTEA) => Box::new(None::<Vec<u8>>),
        (Value::Null, _) => Box::new(None::<String>),
        (Value::Int(i), &Type::INT8) => Box::new(*i),
        (Value::Int(i), &Type::INT4) => Box::new(i32::try_from(*i).map_err(|_| wrong())?),
        (Value::Int(i), &Type::FLOAT8) => Box::new(*i as f64),
        (Value::Int(i), &Type::BOOL) => Box::new(*i != 0),
        (Value::Int(i), _) => Box::new(i.to_string()),
        (Value::Real(x), &Type::FLOAT8) => Box::new(*x),
        (Value::Real(x), &Type::FLOAT4) => Box::new(*x as f32),
        (Value::Real(x), _) => Box::new(x.to_string()),
        (Value::Text(s), &Type::INT8) => Box::new(s.parse::<i64>().map_err(|_| wrong())?),
        (Value::Text(s), &Type::FLOAT8) => Box::new(s.parse::<f64>().map_err(|_| wrong())?),
        (Value::Text(s), _) => Box::new(s.clone()),
        (Value::Blob(b), &Type::BYTEA) => Box::new(b.clone()),
        (Value::Blob(_), _) => return Err(wrong()),
    })
}

/// A NUMERIC read as an integer (scale 0, as `sum()` of integers gives) or a float.
struct Numeric(Value);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let word = |i: usize| -> Result<u16, Box<dyn std::error::Error + Sync + Send>> {
            raw.get(i * 2..i * 2 + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "truncated numeric".into())
        };
        let (ndigits, weight, sign, scale) = (word(0)?, word(1)? as i16, word(2)?, word(3)?);
        if sign == 0xC000 {
            return Ok(Numeric(Value::Real(f64::NAN)));
        }
        let mut int: i128 = 0;
        let mut real = 0f64;
        for i in 0..usize::from(ndigits) {
            let d = word(4 + i)?;
            let power = i32::from(weight) - i as i32;
            real += f64::from(d) * 10000f64.powi(power);
            if power >= 0 {
                int = int.saturating_mul(10000).saturating_add(i128::from(d));
            }
        }
        // Trailing zero groups are not sent: scale the integer up to the weight.
        let sent = i32::from(ndigits) - 1;
        for _ in 0..(i32::from(weight) - sent).max(0) {
            int = int.saturating_mul(10000);
        }
        let neg = sign == 0x4000;
        Ok(Numeric(match (scale, i64::try_from(int)) {
            (0, Ok(i)) => Value::Int(if neg { -i } else { i }),
            _ => Value::Real(if neg { -real } else { real }),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

fn column(r: &postgres::Row, i: usize) -> StoreResult<Value> {
    let ty = r.columns()[i].type_();
    let v = match *ty {
        Type::INT8 => r.try_get::<_, Option<i64>>(i).map(|v| v.map(Value::Int)),
        Type::INT4 => r
            .try_get::<_, Option<i32>>(i)
            .map(|v| v.map(|x| Value::Int(x.into()))),
        Type::INT2 => r
            .try_get::<_, Option<i16>>(i)
            .map(|v| v.map(|x| Value::Int(x.into()))),
        Type::FLOAT8 => r.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
        Type::FLOAT4 => r
            .try_get::<_, Option<f32>>(i)
            .map(|v| v.map(|x| Value::Real(x.into()))),
        Type::BOOL => r
            .try_get::<_, Option<bool>>(i)
            .map(|v| v.map(|b| Value::Int(b.into()))),
        Type::BYTEA => r
            .try_get::<_, Option<Vec<u8>>>(i)
            .map(|v| v.map(Value::Blob)),
        Type::NUMERIC => r.try_get::<_, Option<Numeric>>(i).map(|v| v.map(|n| n.0)),
        _ => r
            .try_get::<_, Option<String>>(i)
            .map(|v| v.map(Value::Text)),
    };
    Ok(v.map_err(pg_err)?.unwrap_or(Value::Null))
}

impl PgSql<'_> {
    fn run(
        &self,
        sql: &str,
        params: &[Value],
    ) -> StoreResult<(postgres::Statement, Vec<Box<dyn ToSql + Sync>>)> {
        let mut client = self.0.borrow_mut();
        let stmt = client.prepare(&placeholders(sql)).map_err(pg_err)?;
        let types = stmt.params();
        if types.len() != params.len() {
            return Err(StoreError::Engine(format!(
                "PostgreSQL: the query takes {} parameters, {} given",
                types.len(),
                params.len()
            )));
        }
        let bound = params
            .iter()
            .zip(types)
            .map(|(v, t)| param(v, t))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((stmt, bound))
    }
}

impl Sql for PgSql<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn rows(&self, sql: &str, params: &[Value]) -> StoreResult<Vec<Row>> {
        let (stmt, bound) = self.run(sql, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        let rows = self.0.borrow_mut().query(&stmt, &refs).map_err(pg_err)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| column(r, i))
                    .collect::<StoreResult<_>>()
                    .map(Row)
            })
            .collect()
    }

    fn exec(&self, sql: &str, params: &[Value]) -> StoreResult<usize> {
        let (stmt, bound) = self.run(sql, params)?;
        let refs: Vec<&(dyn ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        let n = self.0.borrow_mut().execute(&stmt, &refs).map_err(pg_err)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn count_shipments(
        &self,
        f: &ShipmentFilter,
        cap: i64,
    ) -> StoreResult<std::result::Result<i64, i64>> {
        super::shipments::count(self, f, cap)
    }

    fn count_patents(&self, f: &PatentFilter) -> StoreResult<i64> {
        let n = super::patents::count(self, f, i64::MAX - 1)?;
        Ok(n.unwrap_or_else(|n| n))
    }

    fn shipments_where(&self, f: &ShipmentFilter) -> StoreResult<Option<(String, Vec<Value>)>> {
        let c = super::shipments::conditions(self, f)?;
        Ok(Some((c.clauses.join(" AND "), c.params)))
    }

    fn patents_where(&self, f: &PatentFilter) -> StoreResult<(String, Vec<Value>)> {
        let (w, p) = super::patents::conditions(self, f)?;
        Ok((super::patents::where_sql(&w), p))
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            placeholders("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?2"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $2"
        );
    }
}
