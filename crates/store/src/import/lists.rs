//! Writing watch-list entries, and list versions: a newer file of the same dataset replaces the
//! current one; what was added and removed is recorded in `list_change` and reported.

use std::collections::HashSet;

use rusqlite::{params, Transaction};

use crate::error::{Error, Result};
use tradescope_matching as matching;

/// Fraction a list may shrink by on update before `--allow-shrink` is required.
pub const MAX_SHRINK: f64 = 0.2;

/// A list entry as parsed by an importer, before it has an id.
#[derive(Debug, Default, Clone)]
pub struct NewEntry {
    pub line: u64,
    pub list_code: String,
    pub list_name: String,
    pub source_uid: String,
    pub entity_number: Option<String>,
    pub entity_type: String,
    pub name: String,
    /// (alias, name_type) with name_type one of aka | fka | nka | weak.
    pub aliases: Vec<(String, String)>,
    pub programs: Option<String>,
    pub title: Option<String>,
    pub addresses: Vec<String>,
    pub countries: Vec<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub federal_register_notice: Option<String>,
    pub license_requirement: Option<String>,
    pub license_policy: Option<String>,
    pub remarks: Option<String>,
    pub source_list_url: Option<String>,
    pub source_information_url: Option<String>,
    pub vessel_flag: Option<String>,
    pub call_sign: Option<String>,
    pub dates_of_birth: Option<String>,
    pub nationalities: Option<String>,
    pub citizenships: Option<String>,
    pub places_of_birth: Option<String>,
    /// (id_type, value, country)
    pub ids: Vec<(String, String, Option<String>)>,
}

impl NewEntry {
    /// The stable listing key (see `identity`); duplicates in one file are told apart after.
    pub fn listing_key(&self, dataset: &str) -> String {
        super::identity::base_key(
            dataset,
            &self.list_code,
            self.entity_number.as_deref(),
            &self.name,
            &self.source_uid,
        )
    }
}

/// Inserts entries of one source; keeps the prepared statements for the whole import.
pub struct EntryWriter<'t> {
    tx: &'t Transaction<'t>,
    source_id: i64,
    dataset: String,
    pub count: u64,
    pub warnings: Vec<String>,
    /// The file's own date, when its format states one (DPL Last_Update).
    pub as_of: Option<super::as_of::AsOf>,
}

impl<'t> EntryWriter<'t> {
    pub fn new(tx: &'t Transaction<'t>, source_id: i64, dataset: &str) -> Self {
        EntryWriter {
            tx,
            source_id,
            dataset: dataset.to_string(),
            count: 0,
            warnings: Vec::new(),
            as_of: None,
        }
    }

    pub fn insert(&mut self, e: &NewEntry) -> Result<i64> {
        let mut countries: Vec<String> = Vec::new();
        for c in &e.countries {
            if !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        let addresses = (!e.addresses.is_empty()).then(|| e.addresses.join("; "));
        self.tx
            .prepare_cached(
                "INSERT INTO list_entry (source_id, source_line, current, list_code, list_name,
                   source_uid, entity_number, listing_key, entity_type, name, programs, title,
                   addresses, country, countries, start_date, end_date, federal_register_notice,
                   license_requirement, license_policy, remarks, source_list_url,
                   source_information_url, vessel_flag, call_sign, dates_of_birth, nationalities,
                   citizenships, places_of_birth)
                 VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                   ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
            )?
            .execute(params![
                self.source_id,
                e.line as i64,
                e.list_code,
                e.list_name,
                e.source_uid,
                e.entity_number,
                e.listing_key(&self.dataset),
                e.entity_type,
                e.name,
                e.programs,
                e.title,
                addresses,
                countries.first(),
                (!countries.is_empty()).then(|| countries.join(",")),
                e.start_date,
                e.end_date,
                e.federal_register_notice,
                e.license_requirement,
                e.license_policy,
                e.remarks,
                e.source_list_url,
                e.source_information_url,
                e.vessel_flag,
                e.call_sign,
                e.dates_of_birth,
                e.nationalities,
                e.citizenships,
                e.places_of_birth,
            ])?;
        let id = self.tx.last_insert_rowid();
        let mut name_stmt = self.tx.prepare_cached(
            "INSERT INTO entry_name (entry_id, name, norm, name_type) VALUES (?1, ?2, ?3, ?4)",
        )?;
        name_stmt.execute(params![
            id,
            e.name,
            matching::normalize_key(&e.name),
            "primary"
        ])?;
        let mut seen = HashSet::new();
        seen.insert(e.name.to_uppercase());
        for (alias, kind) in &e.aliases {
            if seen.insert(alias.to_uppercase()) {
                name_stmt.execute(params![id, alias, matching::normalize_key(alias), kind])?;
            }
        }
        let mut id_stmt = self.tx.prepare_cached(
            "INSERT INTO entry_ident (entry_id, id_type, value, country) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (t, v, c) in &e.ids {
            id_stmt.execute(params![id, t, v, c])?;
        }
        self.count += 1;
        Ok(id)
    }
}

/// What a list import changed relative to the version it replaced.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct VersionReport {
    /// Source id of the version this one replaced, if any.
    pub replaced: Option<i64>,
    /// False when the imported file is older than the current version (kept as history).
    pub became_current: bool,
    pub added: u64,
    pub removed: u64,
    /// Entries matched to their predecessor but published differently (see `list_edit`).
    pub changed: u64,
    /// Entries matched by content because their key changed (the CSL `_id` scheme change):
    /// they took over their predecessor's listing key.
    pub rekeyed: u64,
    /// A few examples of each, for the summary.
    pub added_examples: Vec<String>,
    pub removed_examples: Vec<String>,
    /// "NAME (aliases, addresses)".
    pub changed_examples: Vec<String>,
}

/// Examples the import summary lists of each kind of change.
pub const EXAMPLES: usize = 5;

/// Make `source_id` the current version of `dataset` (unless an existing current version is
/// newer), record added/removed entries, and refuse a suspicious shrink unless allowed.
pub fn apply_version(
    tx: &Transaction,
    source_id: i64,
    dataset: &str,
    as_of: Option<&str>,
    allow_shrink: bool,
    file: &str,
) -> Result<VersionReport> {
    // One party named twice by one list gets a key per row (as-of history, decisions).
    super::identity::tell_duplicates_apart(tx, source_id)?;
    let prev: Option<(i64, Option<String>)> = tx
        .query_row(
            "SELECT id, as_of FROM source WHERE dataset = ?1 AND current = 1 AND id <> ?2
             ORDER BY id DESC LIMIT 1",
            params![dataset, source_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    let mut report = VersionReport {
        replaced: None,
        became_current: true,
        ..Default::default()
    };
    if let Some((prev_id, prev_as_of)) = prev {
        if let (Some(new), Some(old)) = (as_of, prev_as_of.as_deref()) {
            if new < old {
                // An older file: keep it as history, leave the current version alone.
                report.became_current = false;
                tx.execute(
                    "UPDATE source SET current = 0 WHERE id = ?1",
                    params![source_id],
                )?;
                return Ok(report);
            }
        }
        let old = super::identity::load(tx, prev_id)?;
        let new = super::identity::load(tx, source_id)?;
        let old_n = old.len() as f64;
        if !allow_shrink && old_n > 0.0 && (new.len() as f64) < old_n * (1.0 - MAX_SHRINK) {
            return Err(Error::file(
                file,
                format!(
                    "this version has {} entries where the current one has {}: a shrink of more \
                     than {:.0}%. If that is right, import again with --allow-shrink",
                    new.len(),
                    old.len(),
                    MAX_SHRINK * 100.0
                ),
            ));
        }
        let m = super::identity::match_versions(&old, &new);
        let mut ins = tx.prepare_cached(
            "INSERT INTO list_change (source_id, replaced_id, change, listing_key, name, list_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let by_name = |v: &mut Vec<usize>, es: &[super::identity::Entry]| {
            v.sort_by(|a, b| es[*a].name.cmp(&es[*b].name).then(a.cmp(b)))
        };
        let (mut added, mut removed) = (m.added.clone(), m.removed.clone());
        by_name(&mut added, &new);
        by_name(&mut removed, &old);
        for &j in &added {
            let e = &new[j];
            ins.execute(params![
                source_id,
                prev_id,
                "added",
                e.key,
                e.name,
                e.list_code
            ])?;
        }
        for &i in &removed {
            let e = &old[i];
            ins.execute(params![
                source_id,
                prev_id,
                "removed",
                e.key,
                e.name,
                e.list_code
            ])?;
        }
        // A matched entry keeps its predecessor's listing key (unless another entry of this
        // version already holds it), so everything keyed by listing follows it.
        let held: HashSet<&str> = new.iter().map(|e| e.key.as_str()).collect();
        let mut rekey =
            tx.prepare_cached("UPDATE list_entry SET listing_key = ?1 WHERE id = ?2")?;
        let mut edit = tx.prepare_cached(
            "INSERT INTO list_edit (source_id, replaced_id, listing_key, entry_id, old_entry_id,
               name, list_code, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut changed: Vec<(String, String)> = Vec::new();
        for &(i, j) in &m.pairs {
            let (o, n) = (&old[i], &new[j]);
            let mut key = &n.key;
            if o.key != n.key && !held.contains(o.key.as_str()) {
                rekey.execute(params![o.key, n.id])?;
                report.rekeyed += 1;
                key = &o.key;
            }
            let fields = super::identity::changed_fields(o, n);
            if !fields.is_empty() {
                let fields = fields.join(", ");
                edit.execute(params![
                    source_id,
                    prev_id,
                    key,
                    n.id,
                    o.id,
                    n.name,
                    n.list_code,
                    fields
                ])?;
                changed.push((n.name.clone(), fields));
            }
        }
        changed.sort();
        report.changed = changed.len() as u64;
        report.changed_examples = changed
            .iter()
            .take(EXAMPLES)
            .map(|(n, f)| format!("{n} ({f})"))
            .collect();
        let added: Vec<_> = added.iter().map(|&j| &new[j].name).collect();
        let removed: Vec<_> = removed.iter().map(|&i| &old[i].name).collect();
        report.replaced = Some(prev_id);
        report.added = added.len() as u64;
        report.removed = removed.len() as u64;
        report.added_examples = added.iter().take(EXAMPLES).map(|n| n.to_string()).collect();
        report.removed_examples = removed
            .iter()
            .take(EXAMPLES)
            .map(|n| n.to_string())
            .collect();
        tx.execute(
            "UPDATE source SET current = 0 WHERE dataset = ?1 AND id <> ?2",
            params![dataset, source_id],
        )?;
        tx.execute(
            "UPDATE list_entry SET current = 0 WHERE source_id IN
               (SELECT id FROM source WHERE dataset = ?1 AND id <> ?2)",
            params![dataset, source_id],
        )?;
    }
    tx.execute(
        "UPDATE list_entry SET current = 1 WHERE source_id = ?1",
        params![source_id],
    )?;
    Ok(report)
}
