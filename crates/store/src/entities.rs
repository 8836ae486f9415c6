//! Queries on watch-list entries and their names.

use crate::args;
use crate::error::{Error, Result};
use crate::sql::{Row, Sql};
use tradescope_core::model::{Entity, Ident, SourceRef};
use tradescope_matching::{NameRecord, Schema};

const ENTITY_COLUMNS: &str = "e.id, e.list_code, e.list_name, s.dataset, e.source_uid,
    e.entity_number, e.listing_key, e.current, e.entity_type, e.name, e.programs, e.title,
    e.addresses, e.country, e.start_date, e.end_date, e.federal_register_notice,
    e.license_requirement, e.license_policy, e.remarks, e.source_list_url, e.dates_of_birth,
    e.nationalities, s.id, s.path, e.source_line, s.sha256, s.as_of, s.synthetic";

fn entity_row(r: &Row) -> Result<Entity> {
    Ok(Entity {
        id: r.get(0)?,
        list: r.get(1)?,
        list_name: r.get(2)?,
        dataset: r.get(3)?,
        source_uid: r.get(4)?,
        entity_number: r.get(5)?,
        listing_key: r.get(6)?,
        current: r.get(7)?,
        entity_type: r.get(8)?,
        name: r.get(9)?,
        aliases: Vec::new(),
        programs: r.get(10)?,
        title: r.get(11)?,
        addresses: r.get(12)?,
        country: r.get(13)?,
        start_date: r.get(14)?,
        end_date: r.get(15)?,
        federal_register_notice: r.get(16)?,
        license_requirement: r.get(17)?,
        license_policy: r.get(18)?,
        remarks: r.get(19)?,
        source_list_url: r.get(20)?,
        ids: Vec::new(),
        dates_of_birth: r.get(21)?,
        nationalities: r.get(22)?,
        source: SourceRef {
            source_id: r.get(23)?,
            dataset: r.get(3)?,
            path: r.get(24)?,
            line: r.get(25)?,
            sha256: r.get(26)?,
            as_of: r.get(27)?,
            synthetic: r.get(28)?,
        },
    })
}

/// One entry with its aliases and identifiers.
pub fn get(db: &dyn Sql, id: i64) -> Result<Entity> {
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM list_entry e JOIN source s ON s.id = e.source_id WHERE e.id = ?1"
    );
    let mut e = db
        .opt(&sql, args![id], entity_row)?
        .ok_or_else(|| Error::NotFound(format!("no list entry with id {id}")))?;
    e.aliases = db.map(
        "SELECT name FROM entry_name WHERE entry_id = ?1 AND name_type <> 'primary' ORDER BY id",
        args![id],
        |r| r.get(0),
    )?;
    let sql = format!(
        "SELECT id_type, value, country FROM entry_ident i WHERE entry_id = ?1 ORDER BY {}",
        db.dialect().insertion_order("i")
    );
    e.ids = db.map(&sql, args![id], |r| {
        Ok(Ident {
            id_type: r.get(0)?,
            value: r.get(1)?,
            country: r.get(2)?,
        })
    })?;
    Ok(e)
}

/// Every name (primary and aliases) of the current entries, for the matcher's index.
pub fn current_names(db: &dyn Sql) -> Result<Vec<NameRecord>> {
    db.map(
        "SELECT e.id, n.name, e.entity_type, e.country, e.dates_of_birth FROM entry_name n
         JOIN list_entry e ON e.id = n.entry_id WHERE e.current = 1 ORDER BY n.id",
        &[],
        |r| {
            Ok(NameRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                schema: Schema::from_entity_type(&r.get::<String>(2)?),
                country: r.get(3)?,
                dob: r.get(4)?,
            })
        },
    )
}

/// Entries (current ones) whose normalized name or alias contains `norm_query`, shortest
/// names first.
pub fn substring_matches(
    db: &dyn Sql,
    norm_query: &str,
    limit: usize,
) -> Result<Vec<(i64, String)>> {
    if norm_query.is_empty() {
        return Ok(Vec::new());
    }
    db.map(
        &format!(
            "SELECT e.id, n.name FROM entry_name n JOIN list_entry e ON e.id = n.entry_id
             WHERE e.current = 1 AND {} > 0 ORDER BY length(n.norm), n.id LIMIT ?2",
            db.dialect().instr("n.norm", "?1")
        ),
        args![norm_query, limit],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Other current entries of the same listing (the same OFAC entry in another dataset).
pub fn same_listing(db: &dyn Sql, id: i64) -> Result<Vec<(i64, String, String)>> {
    db.map(
        "SELECT o.id, o.list_code, s.dataset FROM list_entry e
         JOIN list_entry o ON o.listing_key = e.listing_key AND o.id <> e.id AND o.current = 1
         JOIN source s ON s.id = o.source_id
         WHERE e.id = ?1 ORDER BY o.id",
        args![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
