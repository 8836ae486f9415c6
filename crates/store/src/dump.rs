//! A database's tables as plain rows, for moving a database to another engine and back
//! (`tradescope copy`): which tables hold data, their rows as engine-neutral [`Cell`]s, and
//! loading such rows into a fresh SQLite file. Search indexes (FTS5 tables) are not data:
//! they are rebuilt from the rows after a load.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction};

use crate::audit::Verification;
use crate::error::{Error, Result};

/// A SQLite database opened to be dumped or loaded, its connection kept inside the store.
pub struct Database {
    conn: Connection,
}

impl Database {
    /// An existing database, read-only (an older release's is upgraded first, as every
    /// command does).
    pub fn open(path: &Path) -> Result<Database> {
        Ok(Database {
            conn: crate::open_ro(path)?,
        })
    }

    /// A new database with the current schema and no rows, at `path`.
    pub fn create(path: &Path) -> Result<Database> {
        Ok(Database {
            conn: crate::open_rw(path)?,
        })
    }

    /// Read everything that follows in one snapshot (a read transaction, held until the
    /// database is dropped): a copy of a database others write meanwhile (an audited search
    /// appends to its log) is the database at one moment, its counts and audit chain agreeing.
    pub fn snapshot(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let _: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        Ok(())
    }

    pub fn tables(&self) -> Result<Vec<Table>> {
        tables(&self.conn)
    }

    pub fn count(&self, table: &Table) -> Result<i64> {
        count(&self.conn, table)
    }

    pub fn for_each_row(&self, table: &Table, f: impl FnMut(&[Cell]) -> Result<()>) -> Result<u64> {
        for_each_row(&self.conn, table, f)
    }

    /// `audit verify` of this database's log.
    pub fn audit_verify(&self) -> Result<Verification> {
        crate::audit::verify(&self.conn)
    }

    /// Start loading rows (the database must be empty); see [`Loader`].
    pub fn loader(&mut self) -> Result<Loader<'_>> {
        Loader::begin(&mut self.conn)
    }
}

/// One value of a row, as SQLite stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// The declared type family of a column (SQLite's type affinity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Integer,
    Real,
    Text,
    Blob,
}

impl ColumnType {
    /// SQLite's affinity rules (§3.1 of the datatype documentation), reduced to four kinds.
    fn of_declared(decl: &str) -> ColumnType {
        let d = decl.to_ascii_uppercase();
        if d.contains("INT") {
            ColumnType::Integer
        } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
            ColumnType::Text
        } else if d.contains("BLOB") || d.is_empty() {
            ColumnType::Blob
        } else {
            ColumnType::Real
        }
    }
}

/// A table that holds data, with its columns in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, ColumnType)>,
}

impl Table {
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(c, _)| c.as_str())
    }
}

/// The data tables of the database in creation order (so a table comes after the tables it
/// references): ordinary tables, without SQLite's own and without full-text indexes and
/// their shadow tables.
pub fn tables(conn: &Connection) -> Result<Vec<Table>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY rowid",
    )?;
    let all: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?)))?
        .map(|r| r.map(|(n, s)| (n, s.unwrap_or_default())))
        .collect::<rusqlite::Result<_>>()?;
    let virtuals: Vec<&str> = all
        .iter()
        .filter(|(_, sql)| {
            sql.trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL")
        })
        .map(|(n, _)| n.as_str())
        .collect();
    let mut out = Vec::new();
    for (name, _) in &all {
        let is_index = virtuals
            .iter()
            .any(|v| name == v || name.starts_with(&format!("{v}_")));
        if is_index {
            continue;
        }
        let mut info = conn.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?;
        let columns = info
            .query_map([name], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ColumnType::of_declared(&r.get::<_, String>(1)?),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(Table {
            name: name.clone(),
            columns,
        });
    }
    Ok(out)
}

/// `"name"`, quoted for SQL (both engines accept the same quoting).
pub fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The number of rows of `table`.
pub fn count(conn: &Connection, table: &Table) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM {}", quote(&table.name)),
        [],
        |r| r.get(0),
    )?)
}

/// Call `f` with every row of `table` (columns in `table.columns` order); the number of rows.
pub fn for_each_row(
    conn: &Connection,
    table: &Table,
    mut f: impl FnMut(&[Cell]) -> Result<()>,
) -> Result<u64> {
    let cols: Vec<String> = table.column_names().map(quote).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM {}",
        cols.join(", "),
        quote(&table.name)
    ))?;
    let mut rows = stmt.query([])?;
    let mut row = Vec::with_capacity(cols.len());
    let mut n = 0;
    while let Some(r) = rows.next()? {
        row.clear();
        for i in 0..cols.len() {
            row.push(match r.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
            });
        }
        f(&row)?;
        n += 1;
    }
    Ok(n)
}

/// Loads rows into a fresh database: one transaction, so a failed load leaves the file empty.
pub struct Loader<'c> {
    tx: Transaction<'c>,
}

impl<'c> Loader<'c> {
    /// Start loading into `conn`, which must hold the current schema and no data.
    pub fn begin(conn: &'c mut Connection) -> Result<Loader<'c>> {
        let tx = conn.transaction()?;
        for t in tables(&tx)? {
            if count(&tx, &t)? > 0 {
                return Err(Error::User(format!(
                    "the target database is not empty (table {} has rows)",
                    t.name
                )));
            }
        }
        Ok(Loader { tx })
    }

    /// Insert every row of `rows` into `table`; the number inserted.
    pub fn load(
        &mut self,
        table: &Table,
        rows: impl Iterator<Item = Result<Vec<Cell>>>,
    ) -> Result<u64> {
        let cols: Vec<String> = table.column_names().map(quote).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = self.tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&table.name),
            cols.join(", "),
            marks.join(", ")
        ))?;
        let mut n = 0;
        for row in rows {
            let row = row?;
            let params: Vec<rusqlite::types::Value> = row
                .into_iter()
                .map(|c| match c {
                    Cell::Null => rusqlite::types::Value::Null,
                    Cell::Int(v) => rusqlite::types::Value::Integer(v),
                    Cell::Real(v) => rusqlite::types::Value::Real(v),
                    Cell::Text(s) => rusqlite::types::Value::Text(s),
                    Cell::Blob(b) => rusqlite::types::Value::Blob(b),
                })
                .collect();
            stmt.execute(rusqlite::params_from_iter(params))?;
            n += 1;
        }
        Ok(n)
    }

    /// Rebuild the search indexes from the loaded rows and commit.
    pub fn finish(self) -> Result<()> {
        let last: Option<i64> = self
            .tx
            .query_row("SELECT max(id) FROM shipment", [], |r| r.get(0))?;
        if let Some(last) = last {
            crate::fts::bulk_index(&self.tx, 1, last, None)?;
        }
        crate::patents::index::rebuild(&self.tx)?;
        self.tx.commit()?;
        Ok(())
    }
}
