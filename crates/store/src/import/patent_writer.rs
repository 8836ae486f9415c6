//! Writing patents, assignees and their CPC codes: shared by the PatentsView and patent-records
//! importers.
//!
//! A patent is identified by its number key (country + digits, no kind code), so the same
//! document read again — from a newer file or another source — updates the record instead of
//! duplicating it; its assignees and CPC codes are added to those already known.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension, Statement};

use crate::error::Result;
use tradescope_core::progress::Progress;
use tradescope_matching as matching;

/// A patent number taken apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatentNumber {
    /// As published, trimmed (`US11321963B2`, `US11584510`).
    pub number: String,
    /// Country + series + digits without leading zeros or kind code: `US11321963`, `USD800000`.
    pub key: String,
    /// Kind code (`B2`, `A1`), if the number carries one.
    pub kind: Option<String>,
}

/// Patent offices whose two-letter prefix is recognised; a number without one is a US number.
const OFFICES: &[&str] = &[
    "US", "EP", "WO", "CN", "JP", "KR", "DE", "GB", "FR", "CA", "AU", "TW", "IN", "RU", "BR",
];
/// US series prefixes: design, reissue, plant, statutory invention registration, …
const US_SERIES: &[&str] = &["RE", "PP", "AI", "D", "H", "T", "X"];

/// Parse `US11321963B2`, `US 2020/0334450 A1`, `US9,875,584`, `11584510`, `D800000`.
pub fn parse_number(s: &str) -> Option<PatentNumber> {
    let up: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let (office, rest) = match up.get(..2) {
        Some(p) if OFFICES.contains(&p) => (p, &up[2..]),
        _ => ("US", up.as_str()),
    };
    let series = if office == "US" {
        US_SERIES
            .iter()
            .find(|p| {
                rest.strip_prefix(**p)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            })
            .copied()
            .unwrap_or("")
    } else {
        ""
    };
    let rest = &rest[series.len()..];
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, kind) = rest.split_at(digits_end);
    let kind_ok = kind.is_empty()
        || (kind.len() <= 2
            && kind.starts_with(|c: char| c.is_ascii_uppercase())
            && kind[1..].chars().all(|c| c.is_ascii_digit()));
    if digits.is_empty() || !kind_ok {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return None;
    }
    Some(PatentNumber {
        number: s.trim().to_string(),
        key: format!("{office}{series}{digits}"),
        kind: (!kind.is_empty()).then(|| kind.to_string()),
    })
}

/// `grant` or `application` from a kind code (US conventions: A = pre-grant publication,
/// B/E/S/P = granted patents).
pub fn doc_type_of_kind(kind: &str) -> Option<&'static str> {
    match kind.chars().next()? {
        'A' => Some("application"),
        'B' | 'E' | 'S' | 'P' | 'H' => Some("grant"),
        _ => None,
    }
}

/// The kind of organisation a PatentsView assignee type code stands for (its last digit: a
/// leading 1 marks part interest), or None for individuals, "unassigned" and unknown codes:
/// two people of one name are not one person.
fn organisation_type(code: &str) -> Option<char> {
    let last = code.trim().chars().last()?;
    matches!(last, '2' | '3' | '6' | '7' | '8' | '9').then_some(last)
}

/// A CPC or IPC symbol as stored: spaces removed, upper case ("H04N 7/18" → "H04N7/18").
pub fn normalize_cpc(s: &str) -> Option<String> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!c.is_empty()).then_some(c)
}

#[derive(Debug, Clone, Default)]
pub struct NewPatent {
    pub line: u64,
    pub number: PatentNumber,
    pub doc_type: Option<String>,
    pub title: Option<String>,
    pub abstract_text: Option<String>,
    pub application_number: Option<String>,
    pub filing_date: Option<String>,
    pub publication_date: Option<String>,
    pub source_url: Option<String>,
}

/// Inserts patents and assignees for one source. Call [`finish`](Self::finish) before commit.
pub struct PatentWriter<'c> {
    conn: &'c Connection,
    source_id: i64,
    synthetic: bool,
    upsert_patent: Statement<'c>,
    find_patent: Statement<'c>,
    attach: Statement<'c>,
    add_cpc: Statement<'c>,
    cpc_codes: Statement<'c>,
    /// The CPC codes of the patent last given one, and its highest `seq` (the rows of a patent
    /// are adjacent in g_cpc_current: one read per patent, not two per row).
    cpc_of: Option<(i64, i64, Vec<String>)>,
    by_pv: HashMap<String, i64>,
    by_norm: HashMap<String, i64>,
    /// Assignees whose patent count must be recomputed.
    touched: BTreeSet<i64>,
    /// Patents from this id on are new: indexed as one range by `finish`.
    first_new: i64,
    /// Older patents this writer changed (a bit per id): taken out of the search index when
    /// first touched, indexed anew by `finish`.
    changed: Vec<u64>,
    /// Patents created only from a number (an assignment or CPC row without its patent row).
    pub stubs: u64,
    /// PatentsView ids found to name an organisation already known under another id.
    pub merged_ids: u64,
}

impl<'c> PatentWriter<'c> {
    pub fn new(conn: &'c Connection, source_id: i64, synthetic: bool) -> Result<Self> {
        Ok(PatentWriter {
            conn,
            source_id,
            synthetic,
            // A document seen before keeps what the new record leaves empty; a number with a
            // kind code (US11321963B2) wins over the same number without one.
            upsert_patent: conn.prepare(
                "INSERT INTO patent (source_id, source_line, number, number_key, kind, doc_type,
                   title, abstract, application_number, filing_date, publication_date, source_url,
                   synthetic)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (number_key) DO UPDATE SET
                   source_id = excluded.source_id, source_line = excluded.source_line,
                   number = CASE WHEN excluded.kind IS NOT NULL OR patent.kind IS NULL
                                 THEN excluded.number ELSE patent.number END,
                   kind = COALESCE(excluded.kind, patent.kind),
                   doc_type = COALESCE(excluded.doc_type, patent.doc_type),
                   title = COALESCE(excluded.title, patent.title),
                   abstract = COALESCE(excluded.abstract, patent.abstract),
                   application_number = COALESCE(excluded.application_number, patent.application_number),
                   filing_date = COALESCE(excluded.filing_date, patent.filing_date),
                   publication_date = COALESCE(excluded.publication_date, patent.publication_date),
                   source_url = COALESCE(excluded.source_url, patent.source_url),
                   synthetic = excluded.synthetic
                 RETURNING id",
            )?,
            find_patent: conn.prepare("SELECT id FROM patent WHERE number_key = ?1")?,
            attach: conn.prepare(
                "INSERT INTO patent_assignee (patent_id, assignee_id, seq, name_as_published)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO UPDATE SET seq = excluded.seq,
                   name_as_published = excluded.name_as_published",
            )?,
            add_cpc: conn
                .prepare("INSERT INTO patent_cpc (patent_id, seq, cpc) VALUES (?1, ?2, ?3)")?,
            cpc_codes: conn.prepare("SELECT seq, cpc FROM patent_cpc WHERE patent_id = ?1")?,
            cpc_of: None,
            by_pv: HashMap::new(),
            by_norm: HashMap::new(),
            touched: BTreeSet::new(),
            first_new: conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM patent", [], |r| {
                r.get(0)
            })?,
            changed: Vec::new(),
            stubs: 0,
            merged_ids: 0,
        })
    }

    /// Before an older patent is changed: out of the search index until `finish`.
    fn changing(&mut self, id: i64) -> Result<()> {
        if id >= self.first_new || id < 0 {
            return Ok(());
        }
        let (word, bit) = ((id / 64) as usize, 1u64 << (id % 64));
        if self.changed.len() <= word {
            self.changed.resize(word + 1, 0);
        }
        if self.changed[word] & bit == 0 {
            self.changed[word] |= bit;
            crate::patents::index::unindex(self.conn, id)?;
        }
        Ok(())
    }

    /// Insert or update a patent; returns its id.
    pub fn patent(&mut self, p: &NewPatent) -> Result<i64> {
        if self.first_new > 1 {
            let old: Option<i64> = self
                .find_patent
                .query_row([&p.number.key], |r| r.get(0))
                .optional()?;
            if let Some(id) = old {
                self.changing(id)?;
            }
        }
        let doc_type = p.doc_type.clone().or_else(|| {
            p.number
                .kind
                .as_deref()
                .and_then(doc_type_of_kind)
                .map(str::to_string)
        });
        Ok(self.upsert_patent.query_row(
            params![
                self.source_id,
                p.line as i64,
                p.number.number,
                p.number.key,
                p.number.kind,
                doc_type,
                p.title,
                p.abstract_text,
                p.application_number,
                p.filing_date,
                p.publication_date,
                p.source_url,
                self.synthetic
            ],
            |r| r.get(0),
        )?)
    }

    /// The id of an existing patent, or of a number-only record made for it.
    pub fn patent_by_number(&mut self, number: &PatentNumber, line: u64) -> Result<i64> {
        let found: Option<i64> = self
            .find_patent
            .query_row([&number.key], |r| r.get(0))
            .optional()?;
        match found {
            Some(id) => Ok(id),
            None => {
                self.stubs += 1;
                self.patent(&NewPatent {
                    line,
                    number: number.clone(),
                    ..Default::default()
                })
            }
        }
    }

    /// A PatentsView assignee by its `assignee_id`. An organisation already known under
    /// another PatentsView id — the legacy `org_…` ids and the current UUIDs name the same
    /// companies — with the same normalized name and type is the same assignee: the new id is
    /// kept in `assignee_pv_id` and finds it (issue 15 item 6). An assignee first known only
    /// by name (from a patent record) with the same normalized name takes on the id.
    pub fn assignee_pv(
        &mut self,
        pv_id: &str,
        name: &str,
        assignee_type: Option<&str>,
        line: u64,
    ) -> Result<i64> {
        if let Some(&id) = self.by_pv.get(pv_id) {
            return Ok(id);
        }
        let norm = matching::normalize_key(name);
        let known: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM assignee WHERE pv_id = ?1
                 UNION ALL SELECT assignee_id FROM assignee_pv_id WHERE pv_id = ?1 LIMIT 1",
            )?
            .query_row([pv_id], |r| r.get(0))
            .optional()?;
        let id = match known {
            Some(id) => id,
            None => self.new_pv_id(pv_id, name, &norm, assignee_type, line)?,
        };
        self.by_pv.insert(pv_id.to_string(), id);
        self.by_norm.entry(norm).or_insert(id);
        Ok(id)
    }

    /// A PatentsView id not seen before: the organisation under another id, a name-only
    /// assignee taking it on, or a new assignee.
    fn new_pv_id(
        &mut self,
        pv_id: &str,
        name: &str,
        norm: &str,
        assignee_type: Option<&str>,
        line: u64,
    ) -> Result<i64> {
        let organisation = assignee_type.and_then(organisation_type);
        let same: Option<(i64, Option<String>)> = match (organisation, norm.is_empty()) {
            (Some(t), false) => self
                .conn
                .prepare_cached(
                    "SELECT id, pv_id FROM assignee WHERE norm = ?1 AND (pv_id IS NULL OR
                       substr(assignee_type, -1) = ?2) ORDER BY pv_id IS NULL, id LIMIT 1",
                )?
                .query_row(params![norm, t.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            _ => self
                .conn
                .prepare_cached(
                    "SELECT id, NULL FROM assignee WHERE norm = ?1 AND pv_id IS NULL
                     ORDER BY id LIMIT 1",
                )?
                .query_row([norm], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
        };
        match same {
            Some((id, Some(_))) => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO assignee_pv_id (pv_id, assignee_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![pv_id, id])?;
                self.merged_ids += 1;
                Ok(id)
            }
            Some((id, None)) => {
                self.conn
                    .prepare_cached(
                        "UPDATE assignee SET pv_id = ?2, name = ?3, norm = ?4,
                           assignee_type = COALESCE(?5, assignee_type) WHERE id = ?1",
                    )?
                    .execute(params![id, pv_id, name, norm, assignee_type])?;
                Ok(id)
            }
            None => self.insert_assignee(Some(pv_id), name, norm, assignee_type, line),
        }
    }

    /// An assignee by name: an existing one with the same normalized name (PatentsView's
    /// first), else a new one.
    pub fn assignee_named(&mut self, name: &str, line: u64) -> Result<Option<i64>> {
        let norm = matching::normalize_key(name);
        if norm.is_empty() {
            return Ok(None);
        }
        if let Some(&id) = self.by_norm.get(&norm) {
            return Ok(Some(id));
        }
        let existing: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM assignee WHERE norm = ?1 ORDER BY pv_id IS NULL, id LIMIT 1",
            )?
            .query_row([&norm], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => self.insert_assignee(None, name, &norm, None, line)?,
        };
        self.by_norm.insert(norm, id);
        Ok(Some(id))
    }

    fn insert_assignee(
        &self,
        pv_id: Option<&str>,
        name: &str,
        norm: &str,
        assignee_type: Option<&str>,
        line: u64,
    ) -> Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO assignee (source_id, source_line, pv_id, name, norm, assignee_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                self.source_id,
                line as i64,
                pv_id,
                name,
                norm,
                assignee_type
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Record that `assignee` holds `patent`, under the name the record gives.
    pub fn attach(
        &mut self,
        patent: i64,
        assignee: i64,
        seq: i64,
        name_as_published: &str,
    ) -> Result<()> {
        self.changing(patent)?;
        self.attach
            .execute(params![patent, assignee, seq, name_as_published])?;
        self.touched.insert(assignee);
        Ok(())
    }

    /// Add a CPC symbol (already normalized) to a patent unless it has it.
    pub fn cpc(&mut self, patent: i64, cpc: &str) -> Result<()> {
        self.changing(patent)?;
        if self.cpc_of.as_ref().map(|c| c.0) != Some(patent) {
            let mut max = 0;
            let mut codes = Vec::new();
            let mut rows = self.cpc_codes.query([patent])?;
            while let Some(r) = rows.next()? {
                max = max.max(r.get::<_, i64>(0)?);
                codes.push(r.get::<_, String>(1)?);
            }
            self.cpc_of = Some((patent, max, codes));
        }
        let Some((_, max, codes)) = self.cpc_of.as_mut() else {
            return Ok(());
        };
        if codes.iter().any(|c| c == cpc) {
            return Ok(());
        }
        *max += 1;
        self.add_cpc.execute(params![patent, *max, cpc])?;
        codes.push(cpc.to_string());
        Ok(())
    }

    /// Bring the patent counts of the assignees this writer touched up to date, and index the
    /// patents it wrote (see crate::patents::index).
    pub fn finish(self, progress: &dyn Progress) -> Result<()> {
        let last: i64 =
            self.conn
                .query_row("SELECT coalesce(max(id), 0) FROM patent", [], |r| r.get(0))?;
        crate::patents::index::index_range(self.conn, self.first_new, last, progress)?;
        for (w, bits) in self.changed.iter().enumerate() {
            for b in 0..64 {
                if bits & (1u64 << b) != 0 {
                    crate::patents::index::index_one(self.conn, w as i64 * 64 + b)?;
                }
            }
        }
        progress.stage("counting the assignees' patents", None);
        let mut stmt = self.conn.prepare(
            "UPDATE assignee SET n_patents =
               (SELECT count(*) FROM patent_assignee WHERE assignee_id = ?1) WHERE id = ?1",
        )?;
        for id in &self.touched {
            stmt.execute([id])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<(String, Option<String>)> {
        parse_number(s).map(|n| (n.key, n.kind))
    }

    #[test]
    fn numbers_with_and_without_kind_codes() {
        assert_eq!(
            key("US11321963B2"),
            Some(("US11321963".into(), Some("B2".into())))
        );
        assert_eq!(
            key("US 2020/0334450 A1"),
            Some(("US20200334450".into(), Some("A1".into())))
        );
        assert_eq!(key("US11584510"), Some(("US11584510".into(), None)));
        assert_eq!(key("US9,875,584"), Some(("US9875584".into(), None)));
        assert_eq!(key("11584510"), Some(("US11584510".into(), None)));
        assert_eq!(
            key("USD800000S1"),
            Some(("USD800000".into(), Some("S1".into())))
        );
        assert_eq!(
            key("USRE49000E"),
            Some(("USRE49000".into(), Some("E".into())))
        );
        assert_eq!(key("not a number"), None);
        assert_eq!(key("US"), None);
    }

    #[test]
    fn cpc_symbols_lose_spaces() {
        assert_eq!(normalize_cpc("H04N 7/18").as_deref(), Some("H04N7/18"));
        assert_eq!(normalize_cpc(" g06v40/16 ").as_deref(), Some("G06V40/16"));
        assert_eq!(normalize_cpc("  "), None);
    }
}
