//! The description index's row keys.
//!
//! `shipment_fts` is contentless and keyed by a *date key*, not by the shipment id:
//! `(day number of ship_date << 32) | id`. Keys order exactly like `(ship_date, id)` (ISO dates
//! compare as their day numbers; a missing date is day 0 and sorts first, as NULL does in
//! SQLite), so "matches newest first" is the index's own rowid order: FTS5 walks the posting
//! lists backwards and a first page stops after 50 rows, whatever the number of matches and
//! whatever order the shipments were imported in. The shipment id is the key's low 32 bits
//! (ids stay below 2^32: 4 billion shipments per database).

/// FTS5's in-memory buffer for bulk loads: fewer, larger segments to merge and to search (the
/// default 1 MiB flushes thousands of small segments at millions of rows). Restored after.
pub const BULK_HASH: i64 = 128 * 1024 * 1024;
/// FTS5's default buffer.
pub const DEFAULT_HASH: i64 = 1024 * 1024;

/// Set the index's buffer size (`hashsize`); it lasts for this connection's FTS5 handle.
pub fn set_hash(conn: &rusqlite::Connection, bytes: i64) -> crate::error::Result<()> {
    conn.execute(
        "INSERT INTO shipment_fts (shipment_fts, rank) VALUES ('hashsize', ?1)",
        [bytes],
    )?;
    Ok(())
}

/// SQL: the date key of the shipment row aliased `s` (or of the bare table when `s` is "").
pub fn key_sql(alias: &str) -> String {
    let p = if alias.is_empty() {
        String::new()
    } else {
        format!("{alias}.")
    };
    format!(
        "((CASE WHEN {p}ship_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
           THEN coalesce(CAST(julianday(substr({p}ship_date, 1, 10)) AS INTEGER), 0) ELSE 0 END)
          << 32) | {p}id"
    )
}

/// SQL: the date key of a (date, id) pair given as parameters `?{date}` and `?{id}` (a keyset
/// cursor).
pub fn key_of_params(date: usize, id: usize) -> String {
    format!(
        "((CASE WHEN ?{date} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
           THEN coalesce(CAST(julianday(substr(?{date}, 1, 10)) AS INTEGER), 0) ELSE 0 END)
          << 32) | ?{id}"
    )
}

/// SQL: the shipment id of a date key column.
pub fn id_of(key: &str) -> String {
    format!("({key} & 4294967295)")
}

/// An FTS5 query for `text` as a case-insensitive substring (a quoted trigram phrase).
pub fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// Keys sort exactly like (ship_date, id) with SQLite's NULL-first rule, and give back the
    /// id: rows inserted out of date order, undated rows, same-day rows.
    #[test]
    fn keys_order_like_date_then_id_and_decode_to_the_id() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE shipment (id INTEGER PRIMARY KEY, ship_date TEXT)")
            .expect("table");
        let dates = [
            Some("2024-03-01"),
            None,
            Some("2019-01-01"),
            Some("2024-03-01"),
            Some("2021-12-31"),
            None,
            Some("2022-01-01"),
            Some("1999-07-04"),
        ];
        for d in dates {
            conn.execute("INSERT INTO shipment (ship_date) VALUES (?1)", [d])
                .expect("row");
        }
        let ids = |sql: &str| -> Vec<i64> {
            let mut stmt = conn.prepare(sql).expect("prepare");
            let rows = stmt.query_map([], |r| r.get(0)).expect("query");
            rows.collect::<rusqlite::Result<_>>().expect("rows")
        };
        let by_key = ids(&format!(
            "SELECT {} FROM (SELECT {} AS k FROM shipment) ORDER BY k",
            id_of("k"),
            key_sql("")
        ));
        let by_date = ids("SELECT id FROM shipment ORDER BY ship_date, id");
        assert_eq!(by_key, by_date);
        assert_eq!(by_key, vec![2, 6, 8, 3, 5, 7, 1, 4]);
        // A cursor's key is the row's key.
        let same: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM shipment s WHERE {} = {}",
                    key_sql("s"),
                    key_of_params(1, 2)
                ),
                rusqlite::params!["2021-12-31", 5],
                |r| r.get(0),
            )
            .expect("cursor");
        assert_eq!(same, 1);
    }
}
