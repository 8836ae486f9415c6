//! Covered equipment makers (NDAA FY2019 §889, FCC Covered List): an editable table in the
//! database, matched by name to list entries and trade parties and shown as a flag next to list
//! status. A company can be covered without being on a screening list (ZTE Corporation): that
//! is said, because a list search alone would answer "no match".

use rusqlite::{params, Connection, Transaction};
use serde::Serialize;

use crate::args;
use crate::error::{Error, Result};
use crate::reference_tsv;
use crate::sql::Sql;
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
pub fn all(db: &dyn Sql) -> Result<Vec<CoveredMaker>> {
    db.map(
        "SELECT id, maker_group, maker, relation, basis, source_url FROM covered_maker ORDER BY id",
        &[],
        |r| {
            Ok(CoveredMaker {
                id: r.get(0)?,
                group: r.get(1)?,
                maker: r.get(2)?,
                relation: r.get(3)?,
                basis: r.get(4)?,
                source_url: r.get(5)?,
            })
        },
    )
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
    pub fn load(db: &dyn Sql) -> Result<Covered> {
        let makers = all(db)?;
        let index = NameIndex::build(
            makers
                .iter()
                .enumerate()
                .filter(|(_, m)| word_rule(m).is_none())
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

    /// The covered-equipment flag of a name: the one rule every view and command uses.
    ///
    /// 1. The name is a maker of the table (the matcher at the link threshold): that row, with
    ///    its relation — unless the name has a word of its own that the maker's name lacks
    ///    (HUAWEI FRANCE, HUAWEI MARINE, … matched to Huawei Technologies): then it is an
    ///    affiliate of the maker, not the maker.
    /// 2. Otherwise a word rule of the table (a maker written `Huawei *`): a name that
    ///    carries the word (Huawei Italia, Huawei R&D UK), one letter off allowed in words of
    ///    6 letters or more ("hikvison"), is flagged: the misspelling is read as the word and
    ///    rule 1 tried again, else the name is an affiliate of the group's named maker.
    pub fn flag(&self, name: &str) -> Option<CoveredFlag> {
        if self.makers.is_empty() {
            return None;
        }
        if let Some(f) = self.maker_flag(name) {
            return Some(f);
        }
        let words: Vec<String> = matching::normalize_key(name)
            .split(' ')
            .map(str::to_string)
            .collect();
        for rule in &self.makers {
            let Some(key) = word_rule(rule) else {
                continue;
            };
            let Some(i) = words.iter().position(|w| same_word(w, &key)) else {
                continue;
            };
            if words[i] != key {
                let mut fixed = words.clone();
                fixed[i] = key.clone();
                if let Some(f) = self.maker_flag(&fixed.join(" ")) {
                    return Some(f);
                }
            }
            let named = self
                .makers
                .iter()
                .find(|n| n.group == rule.group && n.relation == "named")
                .unwrap_or(rule);
            let score = matching::score_pair(name, &named.maker, Schema::Company).score;
            return Some(flag_of(named, "affiliate", rule.basis.clone(), score));
        }
        None
    }

    /// Rule 1 of [`Covered::flag`].
    fn maker_flag(&self, name: &str) -> Option<CoveredFlag> {
        let opts = SearchOptions {
            threshold: matching::LINK_THRESHOLD,
            limit: 1,
            schema: Schema::Company,
            country: None,
            dob: None,
        };
        let hit = self.index.search(name, &opts).into_iter().next()?;
        let m = self.makers.get(hit.id as usize)?;
        let score = (hit.score * 1000.0).round() / 1000.0;
        if has_own_word(name, &m.maker) {
            return Some(flag_of(
                m,
                "affiliate",
                format!("{} (affiliate of {})", m.basis, m.maker),
                score,
            ));
        }
        Some(flag_of(m, &m.relation, m.basis.clone(), score))
    }

    /// The best flag over several names of one record (a list entry's name and aliases).
    pub fn flag_any<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Option<CoveredFlag> {
        names
            .into_iter()
            .filter_map(|n| self.flag(n))
            .max_by(|a, b| a.score.total_cmp(&b.score))
    }

    /// The flag of a list entry (by its name and aliases).
    pub fn entity(&self, db: &dyn Sql, entry_id: i64) -> Result<Option<CoveredFlag>> {
        let names: Vec<String> = db.map(
            "SELECT name FROM entry_name WHERE entry_id = ?1 ORDER BY id",
            args![entry_id],
            |r| r.get(0),
        )?;
        Ok(self.flag_any(names.iter().map(String::as_str)))
    }

    /// The flag of a trade party (by its name).
    pub fn party(&self, db: &dyn Sql, party_id: i64) -> Result<Option<CoveredFlag>> {
        let name: Option<String> = db
            .opt(
                "SELECT name FROM party WHERE id = ?1",
                args![party_id],
                |r| r.get(0),
            )
            .ok()
            .flatten();
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

/// The word of a word-rule row (maker `Huawei *` → `HUAWEI`), None for a maker's own row.
fn word_rule(m: &CoveredMaker) -> Option<String> {
    let word = m.maker.trim().strip_suffix('*')?;
    Some(matching::normalize_key(word)).filter(|k| !k.is_empty())
}

fn flag_of(m: &CoveredMaker, relation: &str, basis: String, score: f64) -> CoveredFlag {
    CoveredFlag {
        group: m.group.clone(),
        maker: m.maker.clone(),
        relation: relation.to_string(),
        basis,
        source_url: m.source_url.clone(),
        score: (score * 1000.0).round() / 1000.0,
    }
}

/// Whether `name` has a distinctive word or a place (FRANCE, MARINE, UK) that `maker`'s name
/// does not have, even run together (HIK VISION is HIKVISION's).
fn has_own_word(name: &str, maker: &str) -> bool {
    let maker_key = matching::normalize_key(maker);
    let maker_words: Vec<&str> = maker_key.split(' ').collect();
    let joined = maker_key.replace(' ', "");
    matching::normalize::key_tokens(name).iter().any(|t| {
        matches!(t.class.label(), "word" | "place")
            && t.text.len() >= 2
            && !maker_words.contains(&t.text.as_str())
            && !joined.contains(t.text.as_str())
            && !maker_words.iter().any(|w| same_word(&t.text, w))
    })
}

/// `w` is `key`, or one letter off (a substitution, insertion, deletion or swap) when `key`
/// has 6 letters or more.
fn same_word(w: &str, key: &str) -> bool {
    if w == key {
        return true;
    }
    let (a, b) = (w.as_bytes(), key.as_bytes());
    if b.len() < 6 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[p..], &b[p..]);
    match (ra.len(), rb.len()) {
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x > y => ra[1..] == *rb,
        _ => *ra == rb[1..],
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

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Covered {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(crate::migrate::SCHEMA_SQL)
            .expect("schema");
        let tx = conn.unchecked_transaction().expect("tx");
        load_tsv(&tx, "covered.tsv", DEFAULT_TSV).expect("table");
        tx.commit().expect("commit");
        Covered::load(&conn).expect("load")
    }

    fn shown(c: &Covered, name: &str) -> Option<String> {
        c.flag(name)
            .map(|f| format!("{} ({})", f.group, f.relation))
    }

    #[test]
    fn one_rule_flags_makers_affiliates_and_misspellings() {
        let c = table();
        let huawei = Some("Huawei (named)".to_string());
        let affiliate = Some("Huawei (affiliate)".to_string());
        assert_eq!(shown(&c, "Huawei Technologies Co., Ltd."), huawei);
        assert_eq!(shown(&c, "HUAWEI TECHNOLOGIES CO LTD"), huawei);
        for name in [
            "Huawei France",
            "Huawei Technologies Italia S.r.l.",
            "Huawei Technologies Sweden AB",
            "Huawei Technologies Denmark ApS",
            "Huawei Marine Networks Co., Ltd.",
            "Huawei Technologies R&D UK Ltd",
            "Huawei Technologies Portugal",
            "Huawei Russia",
        ] {
            assert_eq!(shown(&c, name), affiliate, "{name}");
        }
        assert_eq!(
            shown(&c, "Hikvision USA Inc."),
            Some("Hikvision (subsidiary)".to_string())
        );
        assert_eq!(
            shown(&c, "HANGZHOU HIK-VISION DIGITAL TECHNOLOGY CO., LTD."),
            Some("Hikvision (named)".to_string())
        );
        // A misspelled maker is the maker; a misspelled group word still flags.
        assert_eq!(
            shown(&c, "Hangzhou Hikvison Digital Technology Co., Ltd."),
            Some("Hikvision (named)".to_string())
        );
        assert!(shown(&c, "HIKVISON VIETNAM").is_some());
        assert_eq!(shown(&c, "Acme Trading Co"), None);
        // No word rule for Dahua: DAHUA ELECTRONICS CORPORATION (DPL) is another company.
        assert_eq!(shown(&c, "DAHUA ELECTRONICS CORPORATION"), None);
        assert_eq!(
            shown(&c, "Zhejiang Dahua Technology Co., Ltd."),
            Some("Dahua (named)".to_string())
        );
    }

    #[test]
    fn one_letter_off() {
        assert!(same_word("HIKVISON", "HIKVISION"));
        assert!(same_word("HIKVSIION", "HIKVISION"));
        assert!(same_word("HIKVISIONS", "HIKVISION"));
        assert!(same_word("HIKWISION", "HIKVISION"));
        assert!(!same_word("HIKVI", "HIKVISION"));
        assert!(!same_word("ZTF", "ZTE"));
    }
}
