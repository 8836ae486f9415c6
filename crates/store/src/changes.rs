//! `tradescope stats --changes`: what each current list version added, removed and changed
//! against the version it replaced (`list_change`, `list_edit`), in full.

use serde::Serialize;

use crate::args;
use crate::error::Result;
use crate::sql::Sql;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChangedEntry {
    pub listing_key: String,
    pub name: String,
    pub list: String,
    /// What changed (changed entries only): name, aliases, addresses, programs, dates, ids,
    /// notice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionChanges {
    pub source_id: i64,
    pub replaced_id: i64,
    pub dataset: String,
    pub added: Vec<ChangedEntry>,
    pub removed: Vec<ChangedEntry>,
    pub changed: Vec<ChangedEntry>,
}

/// The changes of every current list version that replaced an older one (either engine).
pub fn changes(conn: &dyn Sql) -> Result<Vec<VersionChanges>> {
    let versions: Vec<(i64, String, Option<i64>)> = conn.map(
        "SELECT s.id, s.dataset, coalesce(
           (SELECT replaced_id FROM list_change c WHERE c.source_id = s.id LIMIT 1),
           (SELECT replaced_id FROM list_edit e WHERE e.source_id = s.id LIMIT 1))
         FROM source s WHERE s.current = 1 ORDER BY s.id",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out = Vec::new();
    for (source_id, dataset, replaced) in versions {
        let Some(replaced_id) = replaced else {
            continue;
        };
        let kind = |k: &str| -> Result<Vec<ChangedEntry>> {
            conn.map(
                "SELECT listing_key, name, list_code FROM list_change
                 WHERE source_id = ?1 AND change = ?2 ORDER BY name, listing_key",
                args![source_id, k],
                |r| {
                    Ok(ChangedEntry {
                        listing_key: r.get(0)?,
                        name: r.get(1)?,
                        list: r.get(2)?,
                        fields: Vec::new(),
                    })
                },
            )
        };
        let (added, removed) = (kind("added")?, kind("removed")?);
        let changed = conn.map(
            "SELECT listing_key, name, list_code, fields FROM list_edit
             WHERE source_id = ?1 ORDER BY name, listing_key",
            args![source_id],
            |r| {
                Ok(ChangedEntry {
                    listing_key: r.get(0)?,
                    name: r.get(1)?,
                    list: r.get(2)?,
                    fields: r
                        .get::<String>(3)?
                        .split(", ")
                        .map(str::to_string)
                        .collect(),
                })
            },
        )?;
        out.push(VersionChanges {
            source_id,
            replaced_id,
            dataset,
            added,
            removed,
            changed,
        });
    }
    Ok(out)
}
