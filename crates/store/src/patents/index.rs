//! The patents' derived search structures, all keyed by a patent's *date key*,
//! `(day number of publication_date << 32) | id` (as `shipment_fts` is keyed, see crate::fts):
//!
//! - `patent_fts`: title, abstract and assignee names as published, by word and prefix;
//! - `patent_cet`: the CET areas of each patent, from its CPC codes and the `cet_cpc` prefixes;
//! - `assignee_patent` (v5): each assignee's patents.
//!
//! Keys order exactly like `(publication_date, id)`, so "newest first" is a backwards walk of
//! any of them and a first page stops after one page, however many patents match. All are
//! written when an import finishes (new patents as one range, patents it changed one by one) and
//! `patent_cet` is rebuilt whole when the CET table is replaced (`cet import`).

use rusqlite::{params, Connection};

use super::derived;
use crate::error::Result;
use crate::sql::Dialect;
use tradescope_core::progress::{NoProgress, Progress};

/// The patent id in a date key's low 32 bits.
pub const ID_MASK: i64 = 0xFFFF_FFFF;

/// FTS5 bulk-load settings (see crate::fts for the measurements behind them).
const BULK_HASH: i64 = 32 * 1024 * 1024;
const BULK_CRISISMERGE: i64 = 64;
const DEFAULT_HASH: i64 = 1024 * 1024;
const DEFAULT_AUTOMERGE: i64 = 4;
const DEFAULT_CRISISMERGE: i64 = 16;
/// Patents indexed per statement, in key order within the chunk: only (id, key) pairs are
/// sorted, the wide columns are read in that order afterwards.
const CHUNK: i64 = 100_000;

/// SQL: the date key of the patent row aliased `alias`.
pub fn key_sql(alias: &str) -> String {
    format!(
        "((CASE WHEN {a}.publication_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
           THEN coalesce(CAST(julianday(substr({a}.publication_date, 1, 10)) AS INTEGER), 0)
           ELSE 0 END) << 32) | {a}.id",
        a = alias
    )
}

/// [`key_sql`] in `d`'s SQL: on PostgreSQL SQLite's `julianday` (Meeus) in integer
/// arithmetic, 0 for a date that is not `YYYY-MM-DD…` (months 1–12, days 1–31).
pub fn key_sql_in(dialect: Dialect, a: &str) -> String {
    if dialect == Dialect::Sqlite {
        return key_sql(a);
    }
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

/// The date key of a patent, computed as [`key_sql`] computes it (SQLite's `julianday`,
/// truncated: the same day numbers, the same 0 for what is not a `YYYY-MM-DD` date), so an
/// engine without SQLite's date functions finds the same `patent_cet` rows.
pub fn date_key(publication_date: Option<&str>, id: i64) -> i64 {
    (julian_day(publication_date).unwrap_or(0) << 32) | id
}

/// SQLite's `CAST(julianday(substr(d, 1, 10)) AS INTEGER)` for a `YYYY-MM-DD…` text (its
/// computeJD: months 1–12 and days 1–31 accepted, Feb 30 counting on into March).
fn julian_day(d: Option<&str>) -> Option<i64> {
    let b = d?.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = b.get(r)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0i64, |n, c| n * 10 + i64::from(c - b'0')))
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (mut y, mut m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if m <= 2 {
        y -= 1;
        m += 12;
    }
    let a = y / 100;
    let b = 2 - a + a / 4;
    let x1 = 36525 * (y + 4716) / 100;
    let x2 = 306001 * (m + 1) / 10000;
    // julianday = x1 + x2 + d + b - 1524.5, truncated toward zero.
    Some(x1 + x2 + d + b - 1525)
}

/// SQL: the date key of a (date, id) pair given as parameters `?{date}` and `?{id}`.
pub fn key_of_params(date: usize, id: usize) -> String {
    format!(
        "((CASE WHEN ?{date} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'
           THEN coalesce(CAST(julianday(substr(?{date}, 1, 10)) AS INTEGER), 0) ELSE 0 END)
          << 32) | ?{id}"
    )
}

/// SQL: the CET area codes of the patent row aliased `alias`, comma-joined in code order.
pub fn cet_of_sql(alias: &str) -> String {
    format!(
        "(SELECT group_concat(code, ',') FROM (SELECT a.code AS code FROM cet_area a
           WHERE EXISTS (SELECT 1 FROM patent_cet pc WHERE pc.area_code = a.code
                         AND pc.patent_key = {}) ORDER BY 1))",
        key_sql(alias)
    )
}

/// An FTS5 query for what the user typed: every word must occur (title, abstract or an
/// assignee's name); a word ending in `*` is a prefix. Words are quoted, so FTS5 operators and
/// punctuation in the text are taken literally ("face-recognition" is the phrase of both words).
pub fn match_query(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for word in text.split_whitespace() {
        let prefix = word.ends_with('*');
        let core: String = word
            .trim_end_matches('*')
            .chars()
            .filter(|c| *c != '"')
            .collect();
        if !core.chars().any(char::is_alphanumeric) {
            continue;
        }
        terms.push(format!("\"{core}\"{}", if prefix { "*" } else { "" }));
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn set(conn: &Connection, option: &str, value: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO patent_fts (patent_fts, rank) VALUES (?1, ?2)",
        params![option, value],
    )?;
    Ok(())
}

/// Index the patents with ids `first..=last` (an import's new patents): full-text rows in key
/// order, chunk by chunk, with bulk-load settings (restored whatever happens), merged into one
/// segment when this load is most of the index; then their CET areas. Inside the caller's
/// transaction. Returns the number of patents indexed.
pub fn index_range(
    conn: &Connection,
    first: i64,
    last: i64,
    progress: &dyn Progress,
) -> Result<u64> {
    let n = fts_and_cet(conn, first, last, progress)?;
    progress.stage("listing each assignee's patents by date", None);
    assignee_rows(conn, first, last)?;
    Ok(n)
}

/// The full-text and CET rows of patents `first..=last` (see [`index_range`]).
fn fts_and_cet(conn: &Connection, first: i64, last: i64, progress: &dyn Progress) -> Result<u64> {
    if last < first {
        return Ok(0);
    }
    progress.stage("indexing the patents' full text", None);
    let before = first.saturating_sub(1);
    set(conn, "hashsize", BULK_HASH)?;
    set(conn, "automerge", 0)?;
    set(conn, "crisismerge", BULK_CRISISMERGE)?;
    let result = fts_chunks(conn, first, last).and_then(|n| {
        if n as i64 >= before {
            progress.stage("merging the full-text index", None);
            conn.execute(
                "INSERT INTO patent_fts (patent_fts) VALUES ('optimize')",
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
    progress.stage("computing the patents' CET areas", None);
    cet_rows(conn, first, last)?;
    Ok(n)
}

fn fts_chunks(conn: &Connection, first: i64, last: i64) -> Result<u64> {
    let mut stmt = conn.prepare(&format!(
        "WITH o AS MATERIALIZED (
           SELECT p.id AS id, {key} AS k FROM patent p WHERE p.id BETWEEN ?1 AND ?2 ORDER BY k)
         INSERT INTO patent_fts (rowid, title, abstract, assignees)
         SELECT o.k, p.title, p.abstract,
           (SELECT group_concat(name_as_published, ' ; ') FROM patent_assignee
            WHERE patent_id = p.id)
         FROM o CROSS JOIN patent p ON p.id = o.id",
        key = key_sql("p")
    ))?;
    let mut n = 0u64;
    let mut lo = first;
    while lo <= last {
        let hi = lo.saturating_add(CHUNK - 1).min(last);
        n += stmt.execute(params![lo, hi])? as u64;
        if hi == i64::MAX {
            break;
        }
        lo = hi + 1;
    }
    Ok(n)
}

/// The CET rows of patents `first..=last` (see super::derived).
fn cet_rows(conn: &Connection, first: i64, last: i64) -> Result<u64> {
    derived::rows(conn, derived::Which::Cet, first, last)
}

/// The `assignee_patent` rows of patents `first..=last`: each of their assignees with the
/// patent's date key (see super::derived).
fn assignee_rows(conn: &Connection, first: i64, last: i64) -> Result<u64> {
    derived::rows(conn, derived::Which::Assignees, first, last)
}

/// Remove one patent's rows from every structure (before the patent is changed: its key, and
/// what its row holds, may change).
pub fn unindex(conn: &Connection, id: i64) -> Result<()> {
    let key: Option<i64> = rusqlite::OptionalExtension::optional(conn.query_row(
        &format!("SELECT {} FROM patent p WHERE p.id = ?1", key_sql("p")),
        [id],
        |r| r.get(0),
    ))?;
    if let Some(k) = key {
        conn.prepare_cached("DELETE FROM patent_fts WHERE rowid = ?1")?
            .execute([k])?;
        conn.prepare_cached(
            "DELETE FROM patent_cet WHERE area_code IN (SELECT code FROM cet_area)
             AND patent_key = ?1",
        )?
        .execute([k])?;
        conn.prepare_cached(
            "DELETE FROM assignee_patent WHERE assignee_id IN
               (SELECT assignee_id FROM patent_assignee WHERE patent_id = ?1)
             AND patent_key = ?2",
        )?
        .execute([id, k])?;
    }
    Ok(())
}

/// Index one patent anew (after [`unindex`]).
pub fn index_one(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO patent_fts (rowid, title, abstract, assignees)
         SELECT {key}, p.title, p.abstract,
           (SELECT group_concat(name_as_published, ' ; ') FROM patent_assignee
            WHERE patent_id = p.id)
         FROM patent p WHERE p.id = ?1",
        key = key_sql("p")
    ))?
    .execute([id])?;
    cet_rows(conn, id, id)?;
    assignee_rows(conn, id, id)?;
    Ok(())
}

/// Recompute `patent_cet` for every patent (the CET table was replaced). Returns its rows.
pub fn rebuild_cet(conn: &Connection) -> Result<u64> {
    conn.execute("DELETE FROM patent_cet", [])?;
    cet_rows(conn, 1, i64::MAX)
}

/// Build every structure for every patent of a database that has none yet (a copied
/// database).
pub fn rebuild(conn: &Connection) -> Result<u64> {
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM patent", [], |r| r.get(0))?;
    match last {
        Some(last) => index_range(conn, 1, last, &NoProgress),
        None => Ok(0),
    }
}

/// The full-text index and `patent_cet` for every patent (the version 4 upgrade, before
/// `assignee_patent` exists).
pub fn rebuild_fts_cet(conn: &Connection) -> Result<u64> {
    let last: Option<i64> = conn.query_row("SELECT max(id) FROM patent", [], |r| r.get(0))?;
    match last {
        Some(last) => fts_and_cet(conn, 1, last, &NoProgress),
        None => Ok(0),
    }
}

/// `assignee_patent` for every patent (the version 5 upgrade).
pub fn rebuild_assignee_patents(conn: &Connection) -> Result<u64> {
    conn.execute("DELETE FROM assignee_patent", [])?;
    assignee_rows(conn, 1, i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_are_sqlites() {
        let c = Connection::open_in_memory().unwrap();
        for d in [
            Some("2020-01-01"),
            Some("1999-12-31T10:00"),
            Some("2021-02-30"),
            Some("2021-13-01"),
            Some("2021-1-01"),
            Some("0001-01-01"),
            Some("abcd-ef-gh"),
            Some(""),
            None,
        ] {
            let sql = format!(
                "SELECT {} FROM (SELECT ?1 AS publication_date, 7 AS id) p",
                key_sql("p")
            );
            let want: i64 = c.query_row(&sql, [d], |r| r.get(0)).unwrap();
            assert_eq!(date_key(d, 7), want, "{d:?}");
        }
    }

    #[test]
    fn typed_words_become_quoted_terms() {
        assert_eq!(
            match_query("face  liveness").as_deref(),
            Some("\"face\" \"liveness\"")
        );
        assert_eq!(match_query("neur*").as_deref(), Some("\"neur\"*"));
        assert_eq!(
            match_query("AND \"x OR-y").as_deref(),
            Some("\"AND\" \"x\" \"OR-y\"")
        );
        assert_eq!(match_query(" * \" - "), None);
    }
}
