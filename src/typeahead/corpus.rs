//! The names the typeahead searches, stored once: one string holding every name back to back,
//! a slot per name (offset, length, owning record) and a table of records with what a result row
//! shows. About 40 bytes per name plus the text, so a million names fit easily.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::db::names;
use crate::error::Result;

/// What kind of record a candidate name belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Entity,
    Party,
    Assignee,
}

/// One record with the fields a result row shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: Kind,
    pub id: i64,
    /// Primary name (shown when the match was on an alias).
    pub name: Box<str>,
    /// List code (EL, SDN, CMIC, DPL, …), PARTY or ASSIGNEE.
    pub badge: Box<str>,
    pub country: Option<Box<str>>,
    pub programs: Option<Box<str>>,
    pub start_date: Option<Box<str>>,
    pub end_date: Option<Box<str>>,
    pub synthetic: bool,
    /// Shipments of a party, patents of an assignee; 0 for list entries.
    pub weight: i64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub start: u32,
    pub len: u32,
    pub record: u32,
}

/// All candidate names and their records.
#[derive(Debug, Default)]
pub struct Corpus {
    text: String,
    pub(crate) slots: Vec<Slot>,
    records: Vec<Record>,
}

impl Corpus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a record; returns its index for `add_name`.
    pub fn add_record(&mut self, r: Record) -> u32 {
        self.records.push(r);
        (self.records.len() - 1) as u32
    }

    /// Add a name of record `record`. Names longer than 64 KiB are cut (no real name is).
    pub fn add_name(&mut self, record: u32, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let mut end = name.len().min(u16::MAX as usize);
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        let start = self.text.len() as u32;
        self.text.push_str(&name[..end]);
        self.slots.push(Slot {
            start,
            len: end as u32,
            record,
        });
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn records(&self) -> usize {
        self.records.len()
    }

    pub(crate) fn name(&self, slot: &Slot) -> &str {
        let s = slot.start as usize;
        &self.text[s..s + slot.len as usize]
    }

    pub fn record(&self, i: u32) -> &Record {
        &self.records[i as usize]
    }

    /// Bytes held (text, slots, records and their strings), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let opt = |s: &Option<Box<str>>| s.as_ref().map_or(0, |s| s.len());
        self.text.capacity()
            + self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.records.capacity() * std::mem::size_of::<Record>()
            + self
                .records
                .iter()
                .map(|r| {
                    r.name.len()
                        + r.badge.len()
                        + opt(&r.country)
                        + opt(&r.programs)
                        + opt(&r.start_date)
                        + opt(&r.end_date)
                })
                .sum::<usize>()
    }

    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.records.shrink_to_fit();
    }

    /// Every current list name and alias, every trade party and every patent assignee.
    /// One record per listing: the same listing in two datasets shows once.
    pub fn load(conn: &Connection) -> Result<Corpus> {
        let mut c = Corpus::new();
        let mut by_entry: HashMap<i64, u32> = HashMap::new();
        let mut by_listing: HashMap<String, u32> = HashMap::new();
        names::entries(conn, &mut |e| {
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
        names::entry_names(conn, &mut |entry, name| {
            if let Some(&rec) = by_entry.get(&entry) {
                if seen.insert((rec, name.to_string())) {
                    c.add_name(rec, name);
                }
            }
        })?;
        drop(seen);
        // Parties and assignees are most of the names: room for them up front, so the vectors
        // are not grown by doubling (and copied) on the way to a million, and `shrink` below
        // has nothing to copy.
        let (parties, assignees) = names::other_counts(conn)?;
        c.records.reserve_exact(parties + assignees);
        c.slots.reserve_exact(parties + assignees);
        for (kind, badge) in [(Kind::Party, "PARTY"), (Kind::Assignee, "ASSIGNEE")] {
            let mut add = |o: names::OtherRecord| {
                let rec = c.add_record(Record {
                    kind,
                    id: o.id,
                    name: o.name.as_str().into(),
                    badge: badge.into(),
                    country: o.country.map(Into::into),
                    programs: None,
                    start_date: None,
                    end_date: None,
                    synthetic: o.synthetic,
                    weight: o.weight,
                });
                c.add_name(rec, &o.name);
            };
            match kind {
                Kind::Party => names::parties(conn, &mut add)?,
                _ => names::assignees(conn, &mut add)?,
            }
        }
        c.shrink();
        Ok(c)
    }
}
