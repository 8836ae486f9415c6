//! Covered equipment makers (NDAA FY2019 §889, FCC Covered List): an editable table in the
//! database, matched by name to list entries and trade parties and shown as a flag next to list
//! status. A company can be covered without being on a screening list (ZTE Corporation): that
//! is said, because a list search alone would answer "no match".

use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::reference_tsv;
use tradescope_core::text::spreadsheet::tsv_cell;
use tradescope_matching::{self as matching, NameIndex, NameRecord, Schema, SearchOptions};

/// The bundled table.
pub const DEFAULT_TSV: &str = include_str!("../../../data/reference/covered_equipment.tsv");

const EXPORT_PREAMBLE: &str = "\
# Covered telecommunications and video-surveillance equipment makers, exported from tradescope.
# Columns (tab-separated): group, maker, relation (named | subsidiary | affiliate), basis, source_url.
# Edit and load back with `tradescope covered import FILE`. Lines starting with # are comments.
";

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoveredMaker {
    pub id: i64,
    pub group: String,
    pub maker: String,
    pub relation: String,
    pub basis: String,
    pub source_url: Option<String>,
}

/// What is shown next to a record's list status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoveredFlag {
    pub group: String,
    pub maker: String,
    pub relation: String,
    pub basis: String,
    pub source_url: Option<String>,
    /// The matcher's score of the record's name against `maker`.
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoveredReport {
    pub makers: u64,
}

/// Replace the table with the TSV `text` (named `file` in error messages).
pub fn load_tsv(tx: &Transaction, file: &str, text: &str) -> Result<CoveredReport> {
    let (h, rows) = reference_tsv::read(file, text, "group, maker, relation, basis, source_url")?;
    let c_group = h.require(&["group", "maker_group"])?;
    let c_maker = h.require(&["maker", "name"])?;
    let c_relation = h.find(&["relation"]);
    let c_basis = h.require(&["basis"])?;
    let c_url = h.find(&["source_url", "source", "url"]);
    tx.execute("DELETE FROM covered_maker", [])?;
    let mut ins = tx.prepare(
        "INSERT INTO covered_maker (maker_group, maker, relation, basis, source_url)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut n = 0;
    for row in &rows {
        let (line, get) = (row.line, |c| row.get(c));
        let need = |c: usize, field: &str| row.need(file, c, field);
        let maker = need(c_maker, "maker")?;
        if matching::normalize_key(maker).is_empty() {
            return Err(Error::input(
                file,
                line,
                "maker",
                "the name has no letters or digits to match on",
            ));
        }
        let relation = get(c_relation).unwrap_or("named").to_ascii_lowercase();
        if !matches!(relation.as_str(), "named" | "subsidiary" | "affiliate") {
            return Err(Error::input(
                file,
                line,
                "relation",
                format!("`{relation}` is not named, subsidiary or affiliate"),
            ));
        }
        ins.execute(params![
            need(c_group, "group")?,
            maker,
            relation,
            need(c_basis, "basis")?,
            get(c_url)
        ])?;
        n += 1;
    }
    Ok(CoveredReport { makers: n })
}

/// Every row, in table order.
pub fn all(conn: &Connection) -> Result<Vec<CoveredMaker>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, maker_group, maker, relation, basis, source_url FROM covered_maker ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CoveredMaker {
            id: r.get(0)?,
            group: r.get(1)?,
            maker: r.get(2)?,
            relation: r.get(3)?,
            basis: r.get(4)?,
            source_url: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The table as TSV, in the layout `load_tsv` reads.
pub fn export_tsv(conn: &Connection) -> Result<String> {
    let mut out = String::from(EXPORT_PREAMBLE);
    out.push_str("group\tmaker\trelation\tbasis\tsource_url\n");
    let clean = |s: &str| tsv_cell(s).into_owned();
    for m in all(conn)? {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            clean(&m.group),
            clean(&m.maker),
            clean(&m.relation),
            clean(&m.basis),
            clean(m.source_url.as_deref().unwrap_or(""))
        ));
    }
    Ok(out)
}

/// The covered makers, indexed for name matching.
pub struct Covered {
    makers: Vec<CoveredMaker>,
    index: NameIndex,
}

impl Covered {
    pub fn load(conn: &Connection) -> Result<Covered> {
        let makers = all(conn)?;
        let index = NameIndex::build(
            makers
                .iter()
                .enumerate()
                .map(|(i, m)| NameRecord {
                    id: i as i64,
                    name: m.maker.clone(),
                    schema: Schema::Company,
                    country: None,
                    dob: None,
                })
                .collect(),
        );
        Ok(Covered { makers, index })
    }

    pub fn makers(&self) -> &[CoveredMaker] {
        &self.makers
    }

    /// The covered maker a name is (link threshold: a flag is shown without a person
    /// deciding), if any.
    pub fn flag(&self, name: &str) -> Option<CoveredFlag> {
        if self.makers.is_empty() {
            return None;
        }
        let opts = SearchOptions {
            threshold: matching::LINK_THRESHOLD,
            limit: 1,
            schema: Schema::Company,
            country: None,
            dob: None,
        };
        let hit = self.index.search(name, &opts).into_iter().next()?;
        let m = self.makers.get(hit.id as usize)?;
        Some(CoveredFlag {
            group: m.group.clone(),
            maker: m.maker.clone(),
            relation: m.relation.clone(),
            basis: m.basis.clone(),
            source_url: m.source_url.clone(),
            score: (hit.score * 1000.0).round() / 1000.0,
        })
    }

    /// The best flag over several names of one record (a list entry's name and aliases).
    pub fn flag_any<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<CoveredFlag> {
        names
            .into_iter()
            .filter_map(|n| self.flag(n))
            .max_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// The flag of a list entry (by its name and aliases).
    pub fn entity(&self, conn: &Connection, entry_id: i64) -> Result<Option<CoveredFlag>> {
        let mut stmt = conn.prepare_cached("SELECT name FROM entry_name WHERE entry_id = ?1")?;
        let names: Vec<String> = stmt
            .query_map([entry_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(self.flag_any(names.iter().map(String::as_str)))
    }

    /// The flag of a trade party (by its name).
    pub fn party(&self, conn: &Connection, party_id: i64) -> Result<Option<CoveredFlag>> {
        let name: Option<String> = conn
            .query_row("SELECT name FROM party WHERE id = ?1", [party_id], |r| {
                r.get(0)
            })
            .ok();
        Ok(name.and_then(|n| self.flag(&n)))
    }

    /// Covered makers a queried name is, each with the current list entries that are that
    /// maker (`entries`: the matcher's index of current list names). An empty `listed` is the
    /// "covered but not on a screening list" case.
    pub fn check(&self, entries: &NameIndex, name: &str) -> Vec<CoveredCheck> {
        let Some(flag) = self.flag(name) else {
            return Vec::new();
        };
        let opts = SearchOptions {
            threshold: matching::LINK_THRESHOLD,
            limit: 20,
            schema: Schema::Company,
            country: None,
            dob: None,
        };
        let listed: Vec<i64> = entries
            .search(&flag.maker, &opts)
            .into_iter()
            .map(|h| h.id)
            .collect();
        let note = listed.is_empty().then(|| {
            format!(
                "{} is covered equipment ({}, {}: {}) but is not on a screening list",
                flag.maker, flag.group, flag.relation, flag.basis
            )
        });
        vec![CoveredCheck {
            flag,
            listed_entity_ids: listed,
            note,
        }]
    }
}

/// A queried name that is a covered maker, and whether the lists carry it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoveredCheck {
    pub flag: CoveredFlag,
    /// Current list entries that are the covered maker (by name).
    pub listed_entity_ids: Vec<i64>,
    /// Set when the maker is covered but on no screening list.
    pub note: Option<String>,
}
