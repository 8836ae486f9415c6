//! Which entries are one company, and what each entry holds: CET patents through its linked
//! assignees, trade parties with shipments — each party and assignee counted for the entries
//! that claim it best.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::args;
use crate::error::Result;
use crate::sql::Sql;

/// Links at or above this score are exact-name links: two entries linked this way to the same
/// party or assignee are the same company.
const SAME_COMPANY_SCORE: f64 = 0.99;

/// Union-find over entry ids.
struct Groups {
    parent: HashMap<i64, i64>,
}

impl Groups {
    fn find(&mut self, x: i64) -> i64 {
        let p = *self.parent.entry(x).or_insert(x);
        if p == x {
            return x;
        }
        let root = self.find(p);
        self.parent.insert(x, root);
        root
    }
    fn union(&mut self, a: i64, b: i64) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }
}

/// entry → (area → patents), and entry → assignees, for current entries with CET patents.
pub(super) type CetByEntry = BTreeMap<i64, (BTreeMap<String, BTreeSet<i64>>, BTreeSet<i64>)>;

/// A link counts for the entries that claim its target best: confirmed by an analyst, or
/// scored highest among the target's links. A trade party or assignee is one company, so
/// "HUAWEI TECHNOLOGIES CO., LTD." belongs to the Huawei Technologies listings that match it
/// exactly, not also to every Huawei affiliate that scores above the link threshold.
fn best_claim(table: &str, col: &str, l: &str) -> String {
    format!(
        "{l}.status <> 'rejected' AND ({l}.status = 'confirmed' OR {l}.score >= (
           SELECT max(b.score) FROM {table} b JOIN list_entry be ON be.id = b.entry_id AND be.current = 1
           WHERE b.{col} = {l}.{col} AND b.status <> 'rejected') - 1e-9)"
    )
}

pub(super) fn cet_by_entry(conn: &dyn Sql) -> Result<CetByEntry> {
    let sql = format!(
        "SELECT la.entry_id, la.assignee_id, c.area_code, pa.patent_id
         FROM link_assignee la
         JOIN list_entry e ON e.id = la.entry_id AND e.current = 1
         JOIN patent_assignee pa ON pa.assignee_id = la.assignee_id
         JOIN patent p ON p.id = pa.patent_id
         JOIN cet_area a ON true
         JOIN patent_cet c ON c.area_code = a.code AND c.patent_key = {}
         WHERE {}",
        crate::patents::index::key_sql_in(conn.dialect(), "p"),
        best_claim("link_assignee", "assignee_id", "la")
    );
    let mut out: CetByEntry = BTreeMap::new();
    let rows = conn.map(&sql, &[], |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<i64>(1)?,
            r.get::<String>(2)?,
            r.get::<i64>(3)?,
        ))
    })?;
    for (entry, assignee, area, patent) in rows {
        let slot = out.entry(entry).or_default();
        slot.0.entry(area).or_default().insert(patent);
        slot.1.insert(assignee);
    }
    Ok(out)
}

/// entry → trade parties that have shipments, for current entries.
pub(super) fn parties_by_entry(conn: &dyn Sql) -> Result<BTreeMap<i64, BTreeSet<i64>>> {
    let sql = format!(
        "SELECT l.entry_id, l.party_id FROM link_party l
         JOIN list_entry e ON e.id = l.entry_id AND e.current = 1
         JOIN party p ON p.id = l.party_id
         WHERE p.n_shipped + p.n_received > 0 AND {}",
        best_claim("link_party", "party_id", "l")
    );
    let mut out: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let rows = conn.map(&sql, &[], |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))?;
    for (e, p) in rows {
        out.entry(e).or_default().insert(p);
    }
    Ok(out)
}

/// Group entries into companies: the same listing, the same normalized primary name, or the
/// same exact-name link target.
pub(super) fn group_entries(conn: &dyn Sql, entries: &[i64]) -> Result<BTreeMap<i64, Vec<i64>>> {
    let mut g = Groups {
        parent: HashMap::new(),
    };
    let mut by_key: HashMap<String, i64> = HashMap::new();
    let mut by_norm: HashMap<String, i64> = HashMap::new();
    let mut by_target: HashMap<(i64, i64), i64> = HashMap::new();
    for &e in entries {
        g.find(e);
        let keys: Vec<(String, String)> = conn.map(
            "SELECT e.listing_key, n.norm FROM list_entry e
             JOIN entry_name n ON n.entry_id = e.id AND n.name_type = 'primary' WHERE e.id = ?1",
            args![e],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (key, norm) in keys {
            if let Some(&o) = by_key.get(&key) {
                g.union(e, o);
            } else {
                by_key.insert(key, e);
            }
            if let Some(&o) = by_norm.get(&norm) {
                g.union(e, o);
            } else {
                by_norm.insert(norm, e);
            }
        }
        let targets: Vec<(i64, i64)> = conn.map(
            "SELECT 0, party_id FROM link_party WHERE entry_id = ?1 AND score >= ?2 AND status <> 'rejected'
             UNION ALL
             SELECT 1, assignee_id FROM link_assignee WHERE entry_id = ?1 AND score >= ?2 AND status <> 'rejected'",
            args![e, SAME_COMPANY_SCORE],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for t in targets {
            if let Some(&o) = by_target.get(&t) {
                g.union(e, o);
            } else {
                by_target.insert(t, e);
            }
        }
    }
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for &e in entries {
        let root = g.find(e);
        out.entry(root).or_default().push(e);
    }
    Ok(out)
}
