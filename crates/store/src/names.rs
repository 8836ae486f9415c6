//! Every searchable name for the workbench's typeahead, streamed row by row so the caller can
//! store them compactly: list entries (primary names and aliases of current entries), trade
//! parties and patent assignees.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;
use tradescope_matching::typeahead::{Corpus, Kind, Record};

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

/// Every current list name and alias, every trade party and every patent assignee.
/// One record per listing: the same listing in two datasets shows once.
pub fn corpus(conn: &Connection) -> Result<Corpus> {
    corpus_from(&SqliteNames(conn))
}

/// Where the typeahead's names come from: the rows [`corpus_from`] assembles, read from one
/// engine (SQLite here, PostgreSQL in tradescope-pg), so both build the same corpus.
pub trait NameRows {
    /// Current list entries in id order.
    fn entries(&self, f: &mut dyn FnMut(EntryRecord)) -> Result<()>;
    /// (entry id, name) of every name of every current entry, by entry id then name id.
    fn entry_names(&self, f: &mut dyn FnMut(i64, &str)) -> Result<()>;
    /// (trade parties, patent assignees).
    fn other_counts(&self) -> Result<(usize, usize)>;
    /// Trade parties in id order.
    fn parties(&self, f: &mut dyn FnMut(OtherRecord)) -> Result<()>;
    /// Patent assignees in id order.
    fn assignees(&self, f: &mut dyn FnMut(OtherRecord)) -> Result<()>;
}

struct SqliteNames<'a>(&'a Connection);

impl NameRows for SqliteNames<'_> {
    fn entries(&self, f: &mut dyn FnMut(EntryRecord)) -> Result<()> {
        entries(self.0, f)
    }
    fn entry_names(&self, f: &mut dyn FnMut(i64, &str)) -> Result<()> {
        entry_names(self.0, f)
    }
    fn other_counts(&self) -> Result<(usize, usize)> {
        other_counts(self.0)
    }
    fn parties(&self, f: &mut dyn FnMut(OtherRecord)) -> Result<()> {
        parties(self.0, f)
    }
    fn assignees(&self, f: &mut dyn FnMut(OtherRecord)) -> Result<()> {
        assignees(self.0, f)
    }
}

/// The corpus of the rows `src` reads.
pub fn corpus_from(src: &dyn NameRows) -> Result<Corpus> {
    let mut c = Corpus::new();
    let mut by_entry: HashMap<i64, u32> = HashMap::new();
    let mut by_listing: HashMap<String, u32> = HashMap::new();
    src.entries(&mut |e| {
        let idx = match by_listing.get(&e.listing_key) {
            Some(&i) => i,
            None => {
                let i = c.add_record(Record {
                    kind: Kind::Entity,
                    id: e.id,
                    name: e.name.into(),
                    badge: e.list_code.into(),
                    country: e.country.map(Into::into),
                    programs: e.programs.map(Into::into),
                    start_date: e.start_date.map(Into::into),
                    end_date: e.end_date.map(Into::into),
                    synthetic: e.synthetic,
                    weight: 0,
                });
                by_listing.insert(e.listing_key, i);
                i
            }
        };
        by_entry.insert(e.id, idx);
    })?;
    drop(by_listing);
    // The same name of the same listing from two datasets is one candidate.
    let mut seen: HashSet<(u32, String)> = HashSet::new();
    src.entry_names(&mut |entry, name| {
        if let Some(&rec) = by_entry.get(&entry) {
            if seen.insert((rec, name.to_string())) {
                c.add_name(rec, name);
            }
        }
    })?;
    drop(seen);
    // Parties and assignees are most of the names: room for them up front, so the vectors
    // are not grown by doubling (and copied) on the way to a million.
    let (n_parties, n_assignees) = src.other_counts()?;
    c.reserve(n_parties + n_assignees);
    for (kind, badge) in [(Kind::Party, "PARTY"), (Kind::Assignee, "ASSIGNEE")] {
        let mut add = |o: OtherRecord| {
            let rec = c.add_plain(
                kind,
                o.id,
                &o.name,
                badge,
                o.country.as_deref(),
                o.synthetic,
                o.weight,
            );
            c.add_name(rec, &o.name);
        };
        match kind {
            Kind::Party => src.parties(&mut add)?,
            _ => src.assignees(&mut add)?,
        }
    }
    c.shrink();
    Ok(c)
}
