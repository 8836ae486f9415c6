//! The names the typeahead searches, stored once: one string holding every name back to back,
//! a slot per name (offset, length, owning record) and a table of packed records that point
//! into the same string. A record is 40 bytes with no allocation of its own (list codes and
//! countries are interned; a party's or assignee's name is its one slot's text), so a million
//! names take about 90 MB instead of the ~280 MB a `Record` with six boxed strings each took.
//! A full [`Record`] is built only for the rows a result shows.

use std::collections::HashMap;

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

/// A piece of the corpus text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

/// No atom / no extra.
const NONE: u32 = u32::MAX;

/// A record as stored: spans into the text, atoms for the few distinct short strings.
#[derive(Debug, Clone, Copy)]
struct Packed {
    id: i64,
    weight: i64,
    name: Span,
    /// Index into `extras` (list entries' programs and dates) or NONE.
    extra: u32,
    badge: u32,
    country: u32,
    kind: Kind,
    synthetic: bool,
}

/// The fields only list entries have.
#[derive(Debug, Clone, Copy)]
struct Extra {
    programs: Option<Span>,
    start_date: Option<Span>,
    end_date: Option<Span>,
}

/// All candidate names and their records.
#[derive(Debug, Default)]
pub struct Corpus {
    text: String,
    pub(crate) slots: Vec<Slot>,
    records: Vec<Packed>,
    extras: Vec<Extra>,
    /// Distinct badges and countries, and their index in `atoms`.
    atoms: Vec<Box<str>>,
    atom_ids: HashMap<Box<str>, u32>,
}

impl Corpus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Append `s` to the text (cut to 64 KiB at a character boundary: no real name is longer).
    fn push_text(&mut self, s: &str) -> Span {
        let mut end = s.len().min(u16::MAX as usize);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        let start = self.text.len() as u32;
        self.text.push_str(&s[..end]);
        Span {
            start,
            len: end as u32,
        }
    }

    fn text_of(&self, span: Span) -> &str {
        let s = span.start as usize;
        &self.text[s..s + span.len as usize]
    }

    fn atom(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.atom_ids.get(s) {
            return i;
        }
        let i = self.atoms.len() as u32;
        self.atoms.push(s.into());
        self.atom_ids.insert(s.into(), i);
        i
    }

    /// Add a record; returns its index for `add_name`.
    pub fn add_record(&mut self, r: Record) -> u32 {
        let i = self.add_plain(
            r.kind,
            r.id,
            &r.name,
            &r.badge,
            r.country.as_deref(),
            r.synthetic,
            r.weight,
        );
        let mut span = |s: &Option<Box<str>>| s.as_deref().map(|s| self.push_text(s));
        let (programs, start_date, end_date) =
            (span(&r.programs), span(&r.start_date), span(&r.end_date));
        if programs.is_some() || start_date.is_some() || end_date.is_some() {
            self.extras.push(Extra {
                programs,
                start_date,
                end_date,
            });
            self.records[i as usize].extra = (self.extras.len() - 1) as u32;
        }
        i
    }

    /// Add a record without programs or dates (parties, assignees) from borrowed fields.
    #[allow(clippy::too_many_arguments)]
    pub fn add_plain(
        &mut self,
        kind: Kind,
        id: i64,
        name: &str,
        badge: &str,
        country: Option<&str>,
        synthetic: bool,
        weight: i64,
    ) -> u32 {
        let name = self.push_text(name);
        let badge = self.atom(badge);
        let country = country.map_or(NONE, |c| self.atom(c));
        self.records.push(Packed {
            id,
            weight,
            name,
            extra: NONE,
            badge,
            country,
            kind,
            synthetic,
        });
        (self.records.len() - 1) as u32
    }

    /// Add a name of record `record`. A name equal to the record's own name shares its text.
    pub fn add_name(&mut self, record: u32, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let own = self.records[record as usize].name;
        let span = if self.text_of(own) == name {
            own
        } else {
            self.push_text(name)
        };
        self.slots.push(Slot {
            start: span.start,
            len: span.len,
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
        self.text_of(Span {
            start: slot.start,
            len: slot.len,
        })
    }

    /// Where record `i` goes among equal matches: list entries, then trade parties, then patent
    /// assignees, then parties and assignees with nothing linked here (an assignee of the
    /// PatentsView table none of whose patents is in this database leads nowhere).
    pub fn rank(&self, i: u32) -> u8 {
        let p = &self.records[i as usize];
        match p.kind {
            Kind::Entity => 0,
            _ if p.weight == 0 => 3,
            Kind::Party => 1,
            Kind::Assignee => 2,
        }
    }

    /// Record `i` with every field a result row shows (built on demand: only shown rows need it).
    pub fn record(&self, i: u32) -> Record {
        let p = self.records[i as usize];
        let atom = |a: u32| (a != NONE).then(|| self.atoms[a as usize].clone());
        let span = |s: Option<Span>| s.map(|s| Box::from(self.text_of(s)));
        let extra = (p.extra != NONE).then(|| self.extras[p.extra as usize]);
        Record {
            kind: p.kind,
            id: p.id,
            name: self.text_of(p.name).into(),
            badge: atom(p.badge).unwrap_or_default(),
            country: atom(p.country),
            programs: span(extra.and_then(|e| e.programs)),
            start_date: span(extra.and_then(|e| e.start_date)),
            end_date: span(extra.and_then(|e| e.end_date)),
            synthetic: p.synthetic,
            weight: p.weight,
        }
    }

    /// Bytes held (text, slots, records, extras, atoms), for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.records.capacity() * std::mem::size_of::<Packed>()
            + self.extras.capacity() * std::mem::size_of::<Extra>()
            + self.atoms.iter().map(|a| 2 * a.len() + 40).sum::<usize>()
    }

    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.records.shrink_to_fit();
        self.extras.shrink_to_fit();
    }

    /// Room for `n` more single-name records up front (parties and assignees are most of the
    /// names: the vectors are not grown by doubling on the way to a million).
    pub fn reserve(&mut self, n: usize) {
        self.records.reserve_exact(n);
        self.slots.reserve_exact(n);
    }
}
