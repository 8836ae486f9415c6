//! The upgrade steps, one per schema version. Each runs inside the upgrade's transaction, with
//! foreign-key enforcement off (a table rebuilt keeps its rows and its children's references;
//! `PRAGMA foreign_key_check` runs before the commit), and must leave the file with exactly the
//! objects of the next version's schema.

use rusqlite::Connection;

use super::{test_hooks, Released};
use crate::error::Result;

/// Version 2 is version 1 with `shipment_fts` in its contentless, date-keyed form (commit
/// cba897f). A database of the later v1 form already has it: nothing changes but the version.
/// One of the earlier form has an external-content index keyed by shipment id: it is dropped
/// and rebuilt from `shipment` (a derived structure; no user row is touched), in date-key order,
/// so the new index is written in order (no segment per backward step).
pub(super) fn v1_to_v2(conn: &Connection, _form: &Released) -> Result<()> {
    let sql: Option<String> = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'shipment_fts'",
        [],
        |r| r.get(0),
    )?;
    let external = sql.as_deref().is_some_and(|s| s.contains("content_rowid"));
    if !external {
        return Ok(());
    }
    conn.execute_batch(
        "DROP TABLE shipment_fts;
         CREATE VIRTUAL TABLE shipment_fts USING fts5(
             description, content='', tokenize='trigram'
         );",
    )?;
    test_hooks::mid_migration()?;
    conn.execute(
        &format!(
            "INSERT INTO shipment_fts (rowid, description)
             SELECT {key} AS k, description FROM shipment WHERE description IS NOT NULL
             ORDER BY k",
            key = crate::fts::key_sql("")
        ),
        [],
    )?;
    conn.execute(
        "INSERT INTO shipment_fts (shipment_fts) VALUES ('optimize')",
        [],
    )?;
    Ok(())
}

/// Version 3, as the release of commit 24411e0 wrote it: screening decisions, monitored sets
/// and link reviews (issue 17), the shipment column table and port codes (issue 15). New
/// tables only; no existing row is touched.
pub(super) fn v2_to_v3(conn: &Connection, _form: &Released) -> Result<()> {
    conn.execute_batch(include_str!("v3_tables.sql"))?;
    Ok(())
}

/// Version 4 completes what builds after 24411e0 added while still writing version 3 (so that
/// a file says v3 in five forms, `RELEASED`): each HS row's bill date with its index (issue
/// 20), the patents' full-text index and CET table (issue 16), extra PatentsView assignee ids
/// and list-version bookkeeping (issue 15), a monitored set's threshold and alert (issue 17).
/// Whatever the form already has is kept as it is; what it lacks is added, derived structures
/// are filled from the rows, and a rebuilt table keeps every row.
pub(super) fn v3_to_v4(conn: &Connection, _form: &Released) -> Result<()> {
    let v4 = Schema::v4()?;
    if !has_column(conn, "shipment_hs", "ship_date")? {
        conn.execute_batch(&format!(
            "ALTER TABLE shipment_hs RENAME TO shipment_hs_v3;
             {shipment_hs}
             INSERT INTO shipment_hs (shipment_id, seq, hs_code, ship_date)
                 SELECT h.shipment_id, h.seq, h.hs_code, s.ship_date
                 FROM shipment_hs_v3 h LEFT JOIN shipment s ON s.id = h.shipment_id
                 ORDER BY h.shipment_id, h.seq;
             DROP TABLE shipment_hs_v3;",
            shipment_hs = v4.create("shipment_hs")?
        ))?;
    }
    if !has_column(conn, "watch_set", "threshold")? {
        // A parent table (watch_party references it): its rows go through a temporary copy,
        // never a rename, so the children's REFERENCES text and rows stay exactly as they are.
        conn.execute_batch(&format!(
            "CREATE TEMP TABLE watch_set_v3 AS SELECT * FROM main.watch_set;
             DROP TABLE main.watch_set;
             {watch_set}
             INSERT INTO main.watch_set (id, name, path, sha256, created_at, created_by,
                                         screened_at, screened_versions, threshold)
                 SELECT id, name, path, sha256, created_at, created_by, screened_at,
                        screened_versions, {threshold}
                 FROM temp.watch_set_v3 ORDER BY id;
             DROP TABLE temp.watch_set_v3;",
            watch_set = v4.create("watch_set")?,
            threshold = tradescope_matching::DEFAULT_THRESHOLD
        ))?;
    }
    for name in V4_OBJECTS {
        if !has_object(conn, name)? {
            conn.execute_batch(&v4.create(name)?)?;
        }
    }
    if !has_object(conn, "patent_fts")? {
        conn.execute_batch(&v4.create("patent_fts")?)?;
        test_hooks::mid_migration()?;
        crate::patents::index::rebuild_fts_cet(conn)?;
    }
    Ok(())
}

/// Version 5 adds `assignee_patent`, each assignee's patents by date key (issue 16: the first
/// page of a giant assignee's patents is one index range). A derived structure, filled from
/// `patent_assignee` and the patents' dates; no existing row is touched.
pub(super) fn v4_to_v5(conn: &Connection, _form: &Released) -> Result<()> {
    let v5 = Schema::of(include_str!("../../schemas/v5.sql"))?;
    conn.execute_batch(&v5.create("assignee_patent")?)?;
    test_hooks::mid_migration()?;
    crate::patents::index::rebuild_assignee_patents(conn)?;
    Ok(())
}

fn has_object(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM main.sqlite_schema WHERE name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// A frozen schema (`schemas/vN.sql`; `schema.sql` moves on), from which each object a step
/// makes is taken exactly as that release writes it: comments inside a CREATE are part of the
/// stored SQL.
struct Schema(Connection);

impl Schema {
    fn v4() -> Result<Schema> {
        Schema::of(include_str!("../../schemas/v4.sql"))
    }

    fn of(sql: &str) -> Result<Schema> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(sql)?;
        Ok(Schema(conn))
    }

    /// The CREATE statement of `name`, and of the indexes on it when it is a table.
    fn create(&self, name: &str) -> Result<String> {
        let mut stmt = self.0.prepare(
            "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL
               AND (name = ?1 OR (type = 'index' AND tbl_name = ?1))
             ORDER BY type = 'index', name",
        )?;
        let sql = stmt
            .query_map([name], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(sql.join(";\n") + ";")
    }
}

/// The objects version 4 added, tables before their indexes. `patent_fts` and `patent_cet`
/// are derived: filled by `patents::index::rebuild` when the index is new.
const V4_OBJECTS: &[&str] = &[
    "shipment_hs_code",
    "patent_cet",
    "assignee_pv_id",
    "assignee_pv_id_assignee",
    "source_as_of",
    "list_edit",
    "list_edit_source",
];
