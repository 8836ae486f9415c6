//! Cases: named sets of records an analyst marked, and what an export of one holds — every
//! record with its provenance (source file, line, SHA-256), the list versions current at the
//! export and the matcher version.

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::args;
use crate::covered::{Covered, CoveredFlag};
use crate::error::{Error, Result};
use crate::sql::Sql;
use crate::{asof, audit, entities, now_utc, parties, patents, products, shipments};
use tradescope_core::model::{RecordKind, SourceRef};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub created_by: String,
    pub items: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseItem {
    pub kind: String,
    pub record_id: i64,
    pub note: Option<String>,
    pub added_at: String,
    pub added_by: String,
}

/// Whether a record exists (a case never points at nothing).
fn check_record(conn: &dyn Sql, kind: RecordKind, id: i64) -> Result<()> {
    match kind {
        RecordKind::Entity => entities::get(conn, id).map(drop),
        RecordKind::Party => parties::get(conn, id).map(drop),
        RecordKind::Shipment => shipments::get(conn, id).map(drop),
        RecordKind::Patent => patents::get(conn, id).map(drop),
        RecordKind::Assignee => patents::get_assignee(conn, id).map(drop),
    }
}

/// Add a record to a case (created on first use). Adding a record again updates its note.
/// Returns the case's number of items.
pub fn add(
    conn: &mut Connection,
    name: &str,
    kind: RecordKind,
    id: i64,
    note: Option<&str>,
) -> Result<i64> {
    let tx = conn.transaction()?;
    let n = add_in(&tx, name, kind, id, note)?;
    tx.commit()?;
    Ok(n)
}

/// [`add`] inside the caller's transaction (either engine).
pub fn add_in(
    tx: &dyn Sql,
    name: &str,
    kind: RecordKind,
    id: i64,
    note: Option<&str>,
) -> Result<i64> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::User("a case needs a name".into()));
    }
    check_record(tx, kind, id)?;
    let user = audit::current_user();
    let now = now_utc();
    tx.exec(
        "INSERT INTO case_file (name, created_at, created_by) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO NOTHING",
        args![name, &now, &user],
    )?;
    let case_id: i64 = tx.one("SELECT id FROM case_file WHERE name = ?1", args![name])?;
    tx.exec(
        "INSERT INTO case_item (case_id, kind, record_id, note, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (case_id, kind, record_id)
           DO UPDATE SET note = COALESCE(excluded.note, case_item.note)",
        args![case_id, kind.as_str(), id, note, &now, &user],
    )?;
    tx.one(
        "SELECT count(*) FROM case_item WHERE case_id = ?1",
        args![case_id],
    )
}

/// Remove a record from a case; returns whether it was there (either engine).
pub fn remove(conn: &dyn Sql, name: &str, kind: RecordKind, id: i64) -> Result<bool> {
    let n = conn.exec(
        "DELETE FROM case_item WHERE kind = ?2 AND record_id = ?3
           AND case_id = (SELECT id FROM case_file WHERE name = ?1)",
        args![name.trim(), kind.as_str(), id],
    )?;
    Ok(n > 0)
}

pub fn list(conn: &dyn Sql) -> Result<Vec<CaseSummary>> {
    conn.map(
        "SELECT c.id, c.name, c.created_at, c.created_by,
            (SELECT count(*) FROM case_item i WHERE i.case_id = c.id)
         FROM case_file c ORDER BY c.name",
        &[],
        |r| {
            Ok(CaseSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                created_at: r.get(2)?,
                created_by: r.get(3)?,
                items: r.get(4)?,
            })
        },
    )
}

fn case_summary(conn: &dyn Sql, name: &str) -> Result<CaseSummary> {
    list(conn)?
        .into_iter()
        .find(|c| c.name == name.trim())
        .ok_or_else(|| {
            Error::NotFound(format!(
                "no case named {name:?}; `tradescope case list` shows the cases"
            ))
        })
}

pub fn items(conn: &dyn Sql, name: &str) -> Result<Vec<CaseItem>> {
    let case = case_summary(conn, name)?;
    conn.map(
        "SELECT kind, record_id, note, added_at, added_by FROM case_item
         WHERE case_id = ?1 ORDER BY id",
        args![case.id],
        |r| {
            Ok(CaseItem {
                kind: r.get(0)?,
                record_id: r.get(1)?,
                note: r.get(2)?,
                added_at: r.get(3)?,
                added_by: r.get(4)?,
            })
        },
    )
}

/// One exported record: what it is, a one-line description, the facts an auditor checks, and
/// where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportItem {
    pub kind: String,
    pub record_id: i64,
    pub label: String,
    /// Kind-specific facts: lists and dates, ship date and parties, as-of flags, products…
    pub facts: Vec<(String, String)>,
    pub note: Option<String>,
    pub added_at: String,
    pub added_by: String,
    pub covered: Option<CoveredFlag>,
    pub provenance: SourceRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseExport {
    pub case: String,
    pub created_at: String,
    pub created_by: String,
    pub exported_at: String,
    pub exported_by: String,
    pub tradescope_version: String,
    pub matcher_version: String,
    /// The list versions current at the export: [{dataset, source_id, sha256, as_of}].
    pub list_versions: serde_json::Value,
    /// The audit log's head at the export (`audit verify --anchor` checks a log against it).
    pub audit_anchor: String,
    pub items: Vec<ExportItem>,
}

fn fact(facts: &mut Vec<(String, String)>, k: &str, v: Option<String>) {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        facts.push((k.to_string(), v));
    }
}

/// The profile's facts (the workbench's P) of an entry or a party with shipments.
fn profile_facts(
    db: &dyn Sql,
    facts: &mut Vec<(String, String)>,
    kind: RecordKind,
    id: i64,
) -> Result<()> {
    let p = crate::profile::profile(db, tradescope_core::model::RecordRef::new(kind, id))?;
    if p.total > 0 {
        facts.extend(crate::profile::facts(&p));
    }
    Ok(())
}

/// Where the listing of a replaced entry is in the current list versions: `#812 (EL, csl)`,
/// or that it is no longer listed.
fn current_versions(conn: &dyn Sql, entry_id: i64) -> Result<String> {
    let now = entities::same_listing(conn, entry_id)?;
    if now.is_empty() {
        return Ok("no longer listed in any current list version".into());
    }
    Ok(now
        .iter()
        .map(|(id, list, dataset)| format!("#{id} ({list}, {dataset})"))
        .collect::<Vec<_>>()
        .join("; "))
}

fn export_item(conn: &dyn Sql, covered: &Covered, item: &CaseItem) -> Result<ExportItem> {
    let kind = RecordKind::parse(&item.kind)
        .ok_or_else(|| Error::User(format!("unknown record kind {} in the case", item.kind)))?;
    let id = item.record_id;
    let mut facts = Vec::new();
    let (label, flag, provenance) = match kind {
        RecordKind::Entity => {
            let e = entities::get(conn, id)?;
            fact(
                &mut facts,
                "list",
                Some(format!("{} ({})", e.list, e.dataset)),
            );
            fact(&mut facts, "programs", e.programs.clone());
            fact(&mut facts, "country", e.country.clone());
            fact(&mut facts, "start_date", e.start_date.clone());
            fact(&mut facts, "end_date", e.end_date.clone());
            fact(&mut facts, "current", Some(e.current.to_string()));
            if !e.current {
                // The case noted a version that has been replaced: say where the listing is
                // now (its stable key follows it across versions, re-keyed ids included).
                fact(&mut facts, "now", Some(current_versions(conn, id)?));
            }
            fact(
                &mut facts,
                "federal_register_notice",
                e.federal_register_notice.clone(),
            );
            profile_facts(conn, &mut facts, RecordKind::Entity, id)?;
            (
                format!("{} — {}", e.list, e.name),
                covered.entity(conn, id)?,
                e.source,
            )
        }
        RecordKind::Party => {
            let p = parties::get(conn, id)?;
            fact(&mut facts, "country", p.country.clone());
            fact(&mut facts, "shipped", Some(p.n_shipped.to_string()));
            fact(&mut facts, "received", Some(p.n_received.to_string()));
            profile_facts(conn, &mut facts, RecordKind::Party, id)?;
            let flag = covered.flag(&p.name);
            (p.name, flag, p.source)
        }
        RecordKind::Shipment => {
            let s = shipments::get(conn, id)?;
            fact(&mut facts, "ship_date", s.ship_date.clone());
            fact(&mut facts, "shipper", s.shipper.clone());
            fact(&mut facts, "consignee", s.consignee.clone());
            fact(
                &mut facts,
                "route",
                Some(format!(
                    "{} → {}",
                    s.origin_country.as_deref().unwrap_or("?"),
                    s.dest_country.as_deref().unwrap_or("?")
                )),
            );
            fact(&mut facts, "hs_codes", Some(s.hs_codes.join(", ")));
            fact(&mut facts, "as_of", asof::shipment(conn, id)?.summary);
            let prods = products::of_shipment(conn, id)?;
            let models: Vec<&str> = prods
                .iter()
                .filter(|p| p.kind == "model")
                .map(|p| p.matched.as_str())
                .collect();
            fact(&mut facts, "model_numbers", Some(models.join(", ")));
            let listed = products::listed_makers_summary(&prods);
            if !listed.is_empty() {
                fact(
                    &mut facts,
                    "carries_products_of_listed_makers",
                    Some(listed.join("; ")),
                );
            }
            fact(
                &mut facts,
                "description",
                s.description.as_ref().map(|d| d.replace('\n', " / ")),
            );
            let flag = s.shipper.as_deref().and_then(|n| covered.flag(n));
            (
                format!(
                    "{} {} → {}",
                    s.ship_date.as_deref().unwrap_or("undated"),
                    s.shipper.as_deref().unwrap_or("?"),
                    s.consignee.as_deref().unwrap_or("?")
                ),
                flag,
                s.source,
            )
        }
        RecordKind::Patent => {
            let p = patents::get(conn, id)?;
            fact(&mut facts, "publication_date", p.publication_date.clone());
            fact(&mut facts, "assignees", Some(p.assignees.join("; ")));
            fact(&mut facts, "cpc", Some(p.cpc.join(", ")));
            fact(&mut facts, "cet_areas", Some(p.cet_areas.join(", ")));
            fact(&mut facts, "source_url", p.source_url.clone());
            (
                format!("{} {}", p.number, p.title.as_deref().unwrap_or("")),
                None,
                p.source,
            )
        }
        RecordKind::Assignee => {
            let a = patents::get_assignee(conn, id)?;
            fact(&mut facts, "patents", Some(a.n_patents.to_string()));
            fact(&mut facts, "patentsview_id", a.pv_id.clone());
            let flag = covered.flag(&a.name);
            (a.name, flag, a.source)
        }
    };
    Ok(ExportItem {
        kind: item.kind.clone(),
        record_id: id,
        label,
        facts,
        note: item.note.clone(),
        added_at: item.added_at.clone(),
        added_by: item.added_by.clone(),
        covered: flag,
        provenance,
    })
}

/// Everything an export of the case holds.
pub fn export(conn: &dyn Sql, name: &str) -> Result<CaseExport> {
    let case = case_summary(conn, name)?;
    let covered = Covered::load(conn)?;
    let items = items(conn, name)?
        .iter()
        .map(|i| export_item(conn, &covered, i))
        .collect::<Result<_>>()?;
    Ok(CaseExport {
        case: case.name,
        created_at: case.created_at,
        created_by: case.created_by,
        exported_at: now_utc(),
        exported_by: audit::current_user(),
        tradescope_version: env!("CARGO_PKG_VERSION").to_string(),
        matcher_version: tradescope_matching::MATCHER_VERSION.to_string(),
        list_versions: audit::list_versions(conn)?,
        audit_anchor: audit::head_anchor(conn)?.to_string(),
        items,
    })
}

/// The case a record is in, if any (for marks in the workbench).
pub fn cases_of(conn: &Connection, kind: RecordKind, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.name FROM case_item i JOIN case_file c ON c.id = i.case_id
         WHERE i.kind = ?1 AND i.record_id = ?2 ORDER BY c.name",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a case exists.
pub fn exists(conn: &dyn Sql, name: &str) -> Result<bool> {
    Ok(conn
        .opt(
            "SELECT 1 FROM case_file WHERE name = ?1",
            args![name.trim()],
            |_| Ok(()),
        )?
        .is_some())
}
