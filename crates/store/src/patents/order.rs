//! The orders of the Patents list and their keyset conditions: a page starts after the last
//! row of the previous one, so paging stays an index range however deep it goes.

use rusqlite::types::Value;
use serde::Serialize;

use crate::sql::Dialect;

/// The column a patent list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum PatentSortKey {
    /// Publication date (patents without one sort as the oldest).
    #[default]
    Date,
    /// Publication number, in numeric order within a country (US9905060 before US10326917;
    /// grants before the longer application numbers), kind codes ignored.
    Number,
}

impl PatentSortKey {
    pub const ALL: [PatentSortKey; 2] = [PatentSortKey::Date, PatentSortKey::Number];

    /// The SQL value sorted on. Numbers are compared as their key (country and digits)
    /// right-aligned, so a shorter number sorts first, as it would as a number.
    fn column(self) -> &'static str {
        self.column_in(Dialect::Sqlite)
    }

    /// [`PatentSortKey::column`] in `d`'s SQL (the same text values on both engines).
    fn column_in(self, d: Dialect) -> &'static str {
        match (self, d) {
            (PatentSortKey::Date, _) => "p.publication_date",
            (PatentSortKey::Number, Dialect::Sqlite) => "printf('%24s', p.number_key)",
            (PatentSortKey::Number, Dialect::Postgres) => {
                "lpad(p.number_key, greatest(24, length(p.number_key)))"
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PatentSort {
    pub key: PatentSortKey,
    pub desc: bool,
}

impl Default for PatentSort {
    /// Newest first.
    fn default() -> Self {
        PatentSort {
            key: PatentSortKey::Date,
            desc: true,
        }
    }
}

/// Position after the last row of a page: its sort value and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PatentCursor {
    pub value: Option<String>,
    pub id: i64,
}

impl PatentSort {
    /// `ORDER BY` of the sort (id breaks ties the same way).
    pub fn order_by(self) -> String {
        let dir = if self.desc { "DESC" } else { "ASC" };
        format!("{} {dir}, p.id {dir}", self.key.column())
    }

    /// [`PatentSort::order_by`] in `d`'s SQL, NULLs placed as SQLite places them.
    pub fn order_by_in(self, d: Dialect) -> String {
        match d {
            Dialect::Sqlite => self.order_by(),
            Dialect::Postgres => {
                let (dir, nulls) = if self.desc {
                    ("DESC", "LAST")
                } else {
                    ("ASC", "FIRST")
                };
                format!("{} {dir} NULLS {nulls}, p.id {dir}", self.key.column_in(d))
            }
        }
    }

    /// The condition for rows after `c`, its values appended to `p`. SQLite sorts NULL below
    /// every value: last when descending, first when ascending.
    pub fn after(self, c: &PatentCursor, p: &mut Vec<Value>) -> String {
        self.after_in(Dialect::Sqlite, c, p)
    }

    /// [`PatentSort::after`] in `d`'s SQL (with NULLs placed alike the condition is the same).
    pub fn after_in<V: From<i64> + From<String>>(
        self,
        d: Dialect,
        c: &PatentCursor,
        p: &mut Vec<V>,
    ) -> String {
        let col = self.key.column_in(d);
        p.push(c.id.into());
        let i = p.len();
        match (&c.value, self.desc) {
            (Some(v), desc) => {
                p.push(v.clone().into());
                let v = p.len();
                if desc {
                    format!("({col} < ?{v} OR {col} IS NULL OR ({col} = ?{v} AND p.id < ?{i}))")
                } else {
                    format!("({col} > ?{v} OR ({col} = ?{v} AND p.id > ?{i}))")
                }
            }
            (None, true) => format!("({col} IS NULL AND p.id < ?{i})"),
            (None, false) => format!("({col} IS NOT NULL OR p.id > ?{i})"),
        }
    }

    /// The SQL value sorted on (selected with each row: the cursor's value).
    pub fn value(self) -> &'static str {
        self.key.column()
    }

    /// [`PatentSort::value`] in `d`'s SQL.
    pub fn value_in(self, d: Dialect) -> &'static str {
        self.key.column_in(d)
    }
}
