//! The description index's row keys.
//!
//! `shipment_fts` is contentless and keyed by a *date key*, not by the shipment id:
//! `(day number of ship_date << 32) | id`. Keys order exactly like `(ship_date, id)` (ISO dates
//! compare as their day numbers; a missing date is day 0 and sorts first, as NULL does in
//! SQLite), so "matches newest first" is the index's own rowid order: FTS5 walks the posting
//! lists backwards and a first page stops after 50 rows, whatever the number of matches and
//! whatever order the shipments were imported in. The shipment id is the key's low 32 bits
//! (ids stay below 2^32: 4 billion shipments per database).

/// FTS5's in-memory buffer for bulk loads: fewer, larger segments than the default 1 MiB's
/// thousands at millions of rows, yet small enough to stay cache-friendly. Measured on 3M
/// descriptions with the final merge: 32 MiB 74 s / 330 MB RSS, 512 MiB 89 s / 880 MB.
const BULK_HASH: i64 = 32 * 1024 * 1024;
/// Crisis merging during a bulk load: a level of the index holding this many segments is
/// merged into one segment of the next level at once. FTS5 refuses to grow past 2,000
/// segments ("database or disk is full"), so this bound must hold across any number of
/// imports; 64 merges rarely enough that a sorted multi-million-row load rewrites each posting
/// about once before the final merge (issue 21 item 2).
const BULK_CRISISMERGE: i64 = 64;
/// Shipments indexed per statement, sorted by date key inside it. FTS5 flushes its buffer to a
/// new segment whenever a rowid is not above the previous one, so rows in date order (keys
/// ascending) fill one buffer after another, and rows in any order cost at most one extra
/// segment per chunk; the sort of a chunk stays in memory (a few tens of MB).
const CHUNK: i64 = 200_000;
/// FTS5's defaults, restored after a bulk load.
const DEFAULT_HASH: i64 = 1024 * 1024;
const DEFAULT_AUTOMERGE: i64 = 4;
const DEFAULT_CRISISMERGE: i64 = 16;

fn set(conn: &rusqlite::Connection, option: &str, value: i64) -> crate::error::Result<()> {
    conn.execute(
        "INSERT INTO shipment_fts (shipment_fts, rank) VALUES (?1, ?2)",
        rusqlite::params![option, value],
    )?;
    Ok(())
}

/// Index the descriptions of shipments `first_id..=last_id` (of `source_id` only, when given),
/// the way a bulk load should: a large buffer, no incremental merging while rows arrive
/// (merging segments level by level rewrites every posting several times over), rows inserted
/// chunk by chunk in date-key order whatever order they were imported in, crisis merges keeping
/// the segment count bounded across any number of loads, then — when this load is most of the
/// index — one full merge into a single segment, the fastest shape to search. Settings are
/// restored whatever happens; all inside the caller's transaction.
pub fn bulk_index(
    conn: &rusqlite::Connection,
    first_id: i64,
    last_id: i64,
    source_id: Option<i64>,
) -> crate::error::Result<u64> {
    // At most this many rows were indexed before (shipments are never deleted, so ids are not
    // reused): no count over a 10M-row index for a 100-row import.
    let before = first_id.saturating_sub(1);
    set(conn, "hashsize", BULK_HASH)?;
    set(conn, "automerge", 0)?;
    set(conn, "crisismerge", BULK_CRISISMERGE)?;
    let result = index_chunks(conn, first_id, last_id, source_id).and_then(|n| {
        if n as i64 >= before {
            conn.execute(
                "INSERT INTO shipment_fts (shipment_fts) VALUES ('optimize')",
                [],
            )?;
        }
        Ok(n)
    });
    let restore = set(conn, "hashsize", DEFAULT_HASH)
        .and_then(|_| set(conn, "automerge", DEFAULT_AUTOMERGE))
        .and_then(|_| set(conn, "crisismerge", DEFAULT_CRISISMERGE));
    let n = result?;
    restore?;
    Ok(n)
}

fn index_chunks(
    conn: &rusqlite::Connection,
    first_id: i64,
    last_id: i64,
    source_id: Option<i64>,
) -> crate::error::Result<u64> {
    let mut stmt = conn.prepare(&format!(
        "INSERT INTO shipment_fts (rowid, description)
         SELECT {key}, description FROM shipment
         WHERE id BETWEEN ?1 AND ?2 AND (?3 IS NULL OR source_id = ?3) AND description IS NOT NULL
         ORDER BY {key}",
        key = key_sql("")
    ))?;
    let mut n = 0u64;
    let mut lo = first_id;
    while lo <= last_id {
        let hi = lo.saturating_add(CHUNK - 1).min(last_id);
        n += stmt.execute(rusqlite::params![lo, hi, source_id])? as u64;
        if hi == i64::MAX {
            break;
        }
        lo = hi + 1;
    }
    Ok(n)
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
