//! Every searchable name for the workbench's typeahead, streamed row by row so the caller can
//! store them compactly: list entries (primary names and aliases of current entries), trade
//! parties and patent assignees.

use rusqlite::Connection;

use crate::error::Result;

/// One current list entry, with what the result row shows next to the matched name.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRecord {
    pub id: i64,
    /// Same listing in several datasets (the CMIC entry in the CSL and in the OFAC file).
    pub listing_key: String,
    pub list_code: String,
    pub name: String,
    pub country: Option<String>,
    pub programs: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub synthetic: bool,
}

/// Current list entries in id order (older imports first).
pub fn entries(conn: &Connection, f: &mut dyn FnMut(EntryRecord)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.listing_key, e.list_code, e.name, e.country, e.programs, e.start_date,
            e.end_date, s.synthetic
         FROM list_entry e JOIN source s ON s.id = e.source_id WHERE e.current = 1 ORDER BY e.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(EntryRecord {
            id: r.get(0)?,
            listing_key: r.get(1)?,
            list_code: r.get(2)?,
            name: r.get(3)?,
            country: r.get(4)?,
            programs: r.get(5)?,
            start_date: r.get(6)?,
            end_date: r.get(7)?,
            synthetic: r.get(8)?,
        });
    }
    Ok(())
}

/// (entry id, name) for every name of every current entry, primary names included.
pub fn entry_names(conn: &Connection, f: &mut dyn FnMut(i64, &str)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT n.entry_id, n.name FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
         WHERE e.current = 1 ORDER BY n.entry_id, n.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let name = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        f(r.get(0)?, name);
    }
    Ok(())
}

/// A trade party or a patent assignee as a typeahead candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherRecord {
    pub id: i64,
    pub name: String,
    pub country: Option<String>,
    pub synthetic: bool,
    /// Shipments of a party, patents of an assignee.
    pub weight: i64,
}

/// Number of trade parties and patent assignees: what the typeahead reserves room for, so a
/// million names load without growing (and copying) their vectors.
pub fn other_counts(conn: &Connection) -> Result<(usize, usize)> {
    let n = |sql: &str| -> Result<usize> {
        let v: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        Ok(usize::try_from(v).unwrap_or(0))
    };
    Ok((
        n("SELECT count(*) FROM party")?,
        n("SELECT count(*) FROM assignee")?,
    ))
}

pub fn parties(conn: &Connection, f: &mut dyn FnMut(OtherRecord)) -> Result<()> {
    other(
        conn,
        "SELECT id, name, country, synthetic, n_shipped + n_received + n_notified
         FROM party ORDER BY id",
        f,
    )
}

pub fn assignees(conn: &Connection, f: &mut dyn FnMut(OtherRecord)) -> Result<()> {
    other(
        conn,
        "SELECT a.id, a.name, NULL, s.synthetic, a.n_patents
         FROM assignee a JOIN source s ON s.id = a.source_id ORDER BY a.id",
        f,
    )
}

fn other(conn: &Connection, sql: &str, f: &mut dyn FnMut(OtherRecord)) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f(OtherRecord {
            id: r.get(0)?,
            name: r.get(1)?,
            country: r.get(2)?,
            synthetic: r.get(3)?,
            weight: r.get(4)?,
        });
    }
    Ok(())
}
