//! Engine-neutral SQL access ([`Sql`]): the queries the record view, links, screening and
//! the workbench's writes make are written once, against this trait, and run on SQLite (a
//! `rusqlite::Connection`) or PostgreSQL (crates/pg). Parameters are `?N` placeholders (the
//! PostgreSQL side numbers them `$N`); values are the four SQL types both engines share
//! ([`Value`]). Where the engines' SQL differs, [`Dialect`] says which text to use.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Transaction};

use crate::error::{Error, Result};
use crate::patents::{self, PatentFilter};
use crate::shipments::{self, ShipmentFilter};

/// A value passed to or read from a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<rusqlite::types::Value> for Value {
    fn from(v: rusqlite::types::Value) -> Self {
        use rusqlite::types::Value as V;
        match v {
            V::Null => Value::Null,
            V::Integer(i) => Value::Int(i),
            V::Real(x) => Value::Real(x),
            V::Text(s) => Value::Text(s),
            V::Blob(b) => Value::Blob(b),
        }
    }
}

/// The parameters of a query: `args![a, b]`.
#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => { &[$($crate::sql::Value::from($v)),*] };
}

/// A type a column's value reads as (None: the value is of another type).
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromValue for Value {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a `T`; an error (not a panic) for a missing column or another type.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| Error::Engine(format!("query result has no column {i}")))?;
        T::from_value(v).ok_or_else(|| {
            Error::Engine(format!(
                "column {i} holds {v:?}, not a {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// Which engine's SQL text to use where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The position of `needle` in `haystack` (1-based, 0 when absent).
    pub fn instr(self, haystack: &str, needle: &str) -> String {
        match self {
            Dialect::Sqlite => format!("instr({haystack}, {needle})"),
            Dialect::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }

    /// `sep`-joined values of `expr` over a group, in `order` (`None`: any order).
    pub fn group_concat(self, expr: &str, sep: &str, order: Option<&str>) -> String {
        let order = order.map(|o| format!(" ORDER BY {o}")).unwrap_or_default();
        match self {
            Dialect::Sqlite => format!("group_concat({expr}, '{sep}'{order})"),
            Dialect::Postgres => format!("string_agg({expr}, '{sep}'{order})"),
        }
    }

    /// What puts NULLs first in an ascending `ORDER BY` term (SQLite's rule; PostgreSQL
    /// puts them last unless told).
    pub fn nulls_first(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " NULLS FIRST",
        }
    }

    /// A table's insertion order, for tables without an id column (`rowid` on SQLite; the
    /// physical position on PostgreSQL, which is the copy's order for rows never updated).
    pub fn insertion_order(self, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{alias}.rowid"),
            Dialect::Postgres => format!("{alias}.ctid"),
        }
    }
}

/// A database the shared queries run on.
pub trait Sql {
    fn dialect(&self) -> Dialect;
    /// Every row of `sql` (a single statement) with `params` bound to `?1`, `?2`…
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Run a statement that returns no rows; the number of rows it changed.
    fn exec(&self, sql: &str, params: &[Value]) -> Result<usize>;
    /// Shipments matching `f`, at most `cap` (the engines' plans differ: SQLite merges index
    /// runs by hand).
    fn count_shipments(&self, f: &ShipmentFilter, cap: i64) -> Result<Result<i64, i64>>;
    /// The exact number of patents matching `f` (SQLite walks its derived key structures).
    fn count_patents(&self, f: &PatentFilter) -> Result<i64>;
    /// The condition (over `shipment s`, without WHERE) of the shipments `f` matches, with
    /// its parameters; None when nothing can match, an empty condition for all. What a
    /// frequency table and a profile group (SQLite reads party sets through index runs).
    fn shipments_where(&self, f: &ShipmentFilter) -> Result<Option<(String, Vec<Value>)>>;
    /// The WHERE clause (over `patent p`, empty for all) of the patents `f` matches, with its
    /// parameters (the engines' word indexes differ).
    fn patents_where(&self, f: &PatentFilter) -> Result<(String, Vec<Value>)>;
    /// The database file (its audit anchor lives next to it); None for a server or memory.
    fn file(&self) -> Option<std::path::PathBuf> {
        None
    }
}

impl dyn Sql + '_ {
    /// Every row of `sql`, each through `f`.
    pub fn map<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params)?.iter().map(f).collect()
    }

    /// The first row of `sql` through `f`, or None when there is none.
    pub fn opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.rows(sql, params)?.first().map(f).transpose()
    }

    /// The first row's first column (a query that always returns a row: a count).
    pub fn one<T: FromValue>(&self, sql: &str, params: &[Value]) -> Result<T> {
        match self.rows(sql, params)?.first() {
            Some(r) => r.get(0),
            None => Err(Error::Engine(format!("no row from: {sql}"))),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(x) => ValueRef::Real(*x),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

pub(crate) fn sqlite_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl Sql for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut stmt = self.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(sqlite_value(r.get_ref(i)?));
            }
            out.push(Row(vals));
        }
        Ok(out)
    }

    fn exec(&self, sql: &str, params: &[Value]) -> Result<usize> {
        Ok(self
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(params))?)
    }

    fn count_shipments(&self, f: &ShipmentFilter, cap: i64) -> Result<Result<i64, i64>> {
        shipments::count(self, f, cap)
    }

    fn count_patents(&self, f: &PatentFilter) -> Result<i64> {
        patents::count_all(self, f)
    }

    fn shipments_where(&self, f: &ShipmentFilter) -> Result<Option<(String, Vec<Value>)>> {
        shipments::freq::matching_where(self, f)
    }

    fn patents_where(&self, f: &PatentFilter) -> Result<(String, Vec<Value>)> {
        patents::matching_where(self, f)
    }

    fn file(&self) -> Option<std::path::PathBuf> {
        self.path()
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from)
    }
}

impl Sql for Transaction<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn rows(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        (**self).rows(sql, params)
    }
    fn exec(&self, sql: &str, params: &[Value]) -> Result<usize> {
        (**self).exec(sql, params)
    }
    fn count_shipments(&self, f: &ShipmentFilter, cap: i64) -> Result<Result<i64, i64>> {
        shipments::count(self, f, cap)
    }
    fn count_patents(&self, f: &PatentFilter) -> Result<i64> {
        patents::count_all(self, f)
    }
    fn shipments_where(&self, f: &ShipmentFilter) -> Result<Option<(String, Vec<Value>)>> {
        shipments::freq::matching_where(self, f)
    }
    fn patents_where(&self, f: &PatentFilter) -> Result<(String, Vec<Value>)> {
        patents::matching_where(self, f)
    }
    fn file(&self) -> Option<std::path::PathBuf> {
        (**self).file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_wrong_types_are_errors() {
        let c = Connection::open_in_memory().unwrap();
        let db: &dyn Sql = &c;
        let rows = db
            .rows(
                "SELECT ?1, ?2, ?3, ?4",
                args![7i64, 1.5f64, "x", None::<i64>],
            )
            .unwrap();
        let r = &rows[0];
        assert_eq!(r.get::<i64>(0).unwrap(), 7);
        assert_eq!(r.get::<f64>(1).unwrap(), 1.5);
        assert_eq!(r.get::<String>(2).unwrap(), "x");
        assert_eq!(r.get::<Option<i64>>(3).unwrap(), None);
        assert!(r.get::<String>(0).is_err());
        assert!(r.get::<i64>(9).is_err());
        assert_eq!(
            db.one::<i64>("SELECT count(*) FROM (SELECT 1)", &[])
                .unwrap(),
            1
        );
    }
}
