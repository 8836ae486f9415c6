//! Shipments on PostgreSQL: one filter → one WHERE, keyset pages in (sort value, id) order
//! and capped counts, giving the rows SQLite's queries give (tradescope_store::shipments).
//!
//! SQLite needs index runs merged by hand to read a party's shipments newest first; the
//! PostgreSQL planner does that itself (a merge append over the composite indexes and the
//! year partitions), so the query here is the plain statement of the filter.

use tradescope_store::error::Result as StoreResult;
use tradescope_store::shipments::{Cursor, Page, ShipmentFilter, ShipmentRow, Sort, SortKey};
use tradescope_store::sql::{Row, Sql, Value};

use tradescope_store::asof::listed_ranges_json;

/// WHERE clauses and their parameters (?1, ?2…, numbered `$N` when run).
#[derive(Default)]
pub(super) struct Conditions {
    pub(super) clauses: Vec<String>,
    pub(super) params: Vec<Value>,
    /// A party filter's OR clause (at this index of `clauses`) as its single-column
    /// alternatives (`s.shipper_id = 7`, `s.consignee_id = 7`…): a page newest first is the
    /// merge of one index run per alternative ([`page`]).
    fan: Option<(usize, Vec<String>)>,
}

impl Conditions {
    /// Add a parameter; its placeholder.
    fn bind(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }

    fn push(&mut self, clause: String) {
        self.clauses.push(clause);
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// `text` as a LIKE pattern that matches it anywhere, its wildcards escaped.
fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The filter as conditions on `shipment s`, meaning what SQLite's conditions mean.
pub(super) fn conditions(db: &dyn Sql, f: &ShipmentFilter) -> StoreResult<Conditions> {
    let mut c = Conditions::default();
    if let Some(want) = f.listed_at_date {
        // Every linked party's listed-at-date ranges, by the store's own as-of rules, as
        // SQLite's filter reads them (there through json_each).
        let (ranges, _) = listed_ranges_json(db)?;
        let p = c.bind(ranges);
        let exists = format!(
            "EXISTS (SELECT 1 FROM jsonb_array_elements(CAST({p} AS text)::jsonb) j
               WHERE (j ->> 0)::bigint IN (s.shipper_id, s.consignee_id)
                 AND (j ->> 1 IS NULL OR s.ship_date >= j ->> 1)
                 AND (j ->> 2 IS NULL OR s.ship_date < j ->> 2))"
        );
        c.push(if want {
            exists
        } else {
            format!("NOT {exists}")
        });
    }
    for (id, col) in [
        (f.shipper_id, "shipper_id"),
        (f.consignee_id, "consignee_id"),
        (f.notify_id, "notify_id"),
    ] {
        if let Some(id) = id {
            let p = c.bind(id);
            c.push(format!("s.{col} = {p}"));
        }
    }
    if let Some(id) = f.party_id {
        let p = c.bind(id);
        let alternatives = ["shipper_id", "consignee_id", "notify_id"]
            .map(|col| format!("s.{col} = {p}"))
            .to_vec();
        c.fan = Some((c.clauses.len(), alternatives.clone()));
        c.push(format!("({})", alternatives.join(" OR ")));
    }
    if let Some(eid) = f.entity_id {
        let linked: Vec<String> = db.map(
            "SELECT party_id FROM link_party WHERE entry_id = ?1 AND status <> 'rejected'
                 ORDER BY party_id",
            &[Value::Int(eid)],
            |r| Ok(r.get::<i64>(0)?.to_string()),
        )?;
        // Ids from the database, written inline.
        if linked.is_empty() {
            c.push("false".to_string());
        } else {
            let ids = linked.join(",");
            if c.fan.is_none() {
                let alternatives = ["shipper_id", "consignee_id"]
                    .iter()
                    .flat_map(|col| linked.iter().map(move |id| format!("s.{col} = {id}")))
                    .collect();
                c.fan = Some((c.clauses.len(), alternatives));
            }
            c.push(format!(
                "(s.shipper_id IN ({ids}) OR s.consignee_id IN ({ids}))"
            ));
        }
    }
    let names: Vec<String> = f
        .party_names
        .iter()
        .map(|n| tradescope_matching::normalize_key(n))
        .filter(|n| !n.is_empty())
        .collect();
    if !names.is_empty() {
        // Any of the names (OR), in any role, as on SQLite.
        let any: Vec<String> = names
            .into_iter()
            .map(|n| format!("strpos(norm, {}) > 0", c.bind(n)))
            .collect();
        let any = any.join(" OR ");
        let of = |col: &str| format!("s.{col} IN (SELECT id FROM party WHERE {any})");
        c.push(format!(
            "({} OR {} OR {})",
            of("shipper_id"),
            of("consignee_id"),
            of("notify_id")
        ));
    }
    for (v, col) in [
        (&f.origin_country, "origin_country"),
        (&f.dest_country, "dest_country"),
    ] {
        if let Some(v) = v {
            let p = c.bind(v.to_uppercase());
            c.push(format!("s.{col} = {p}"));
        }
    }
    if let Some(v) = &f.country {
        let p = c.bind(v.to_uppercase());
        c.push(format!("(s.origin_country = {p} OR s.dest_country = {p})"));
    }
    if let Some(port) = &f.port {
        let p = c.bind(contains_pattern(&port.to_lowercase()));
        c.push(format!(
            "(lower(s.port_of_lading) LIKE {p} OR lower(s.port_of_unlading) LIKE {p})"
        ));
    }
    if let Some(hs) = &f.hs_prefix {
        let digits: String = hs.chars().filter(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() {
            // Any HS code of the bill, not only the first (as on SQLite).
            let p = c.bind(format!("{digits}%"));
            c.push(format!(
                "EXISTS (SELECT 1 FROM shipment_hs h WHERE h.shipment_id = s.id AND h.hs_code LIKE {p})"
            ));
        }
    }
    if let Some(d) = &f.date_from {
        let p = c.bind(d.clone());
        c.push(format!("s.ship_date >= {p}"));
    }
    if let Some(d) = &f.date_to {
        let p = c.bind(d.clone());
        c.push(format!("s.ship_date <= {p}"));
    }
    if let Some(t) = search_text(f) {
        // The pg_trgm GIN index serves ILIKE '%…%' (SQLite: the trigram FTS5 table).
        let p = c.bind(contains_pattern(&t));
        c.push(format!("s.description ILIKE {p}"));
    }
    if let Some(syn) = f.synthetic {
        let p = c.bind(i64::from(syn));
        c.push(format!("s.synthetic = {p}"));
    }
    if f.carries_listed_products {
        c.push(tradescope_store::products::CARRIES_LISTED_SQL.to_string());
    }
    Ok(c)
}

/// The description text of `f`, trimmed, NULs dropped (as SQLite's query does).
fn search_text(f: &ShipmentFilter) -> Option<String> {
    let t = f.text.as_deref()?.replace('\0', "");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn key_sql(key: SortKey) -> &'static str {
    match key {
        SortKey::Date => "s.ship_date",
        SortKey::Shipper => "sp.name",
        SortKey::Consignee => "cp.name",
        SortKey::Origin => "s.port_of_lading",
        SortKey::Destination => "s.port_of_unlading",
        SortKey::Hs => "s.hs_code",
    }
}

const ROW_COLUMNS: &str = "s.id, s.ship_date, s.shipper_id, sp.name, s.consignee_id, cp.name,
    s.port_of_lading, s.origin_country, s.port_of_unlading, s.dest_country, s.hs_code,
    substr(s.description, 1, 300), s.synthetic";

const FROM: &str = "shipment s LEFT JOIN party sp ON sp.id = s.shipper_id
    LEFT JOIN party cp ON cp.id = s.consignee_id";

fn row(r: &Row) -> StoreResult<ShipmentRow> {
    Ok(ShipmentRow {
        id: r.get(0)?,
        ship_date: r.get(1)?,
        shipper_id: r.get(2)?,
        shipper: r.get(3)?,
        consignee_id: r.get(4)?,
        consignee: r.get(5)?,
        origin: r.get(6)?,
        origin_country: r.get(7)?,
        destination: r.get(8)?,
        dest_country: r.get(9)?,
        hs_code: r.get(10)?,
        description: r.get(11)?,
        synthetic: r.get(12)?,
    })
}

/// One page of shipments after `after`: rows in (sort value, id) order, NULL values first
/// in ascending order as in SQLite.
pub(super) fn page(
    db: &dyn Sql,
    f: &ShipmentFilter,
    sort: Sort,
    after: Option<&Cursor>,
    limit: usize,
) -> StoreResult<Page> {
    let mut c = conditions(db, f)?;
    let key = key_sql(sort.key);
    if let Some(cur) = after {
        let i = c.bind(cur.id);
        let clause = match (&cur.value, sort.desc) {
            (Some(v), false) => {
                let v = c.bind(v.clone());
                format!("({key} > {v} OR ({key} = {v} AND s.id > {i}))")
            }
            (Some(v), true) => {
                let v = c.bind(v.clone());
                format!("({key} < {v} OR {key} IS NULL OR ({key} = {v} AND s.id < {i}))")
            }
            (None, false) => format!("({key} IS NOT NULL OR s.id > {i})"),
            (None, true) => format!("({key} IS NULL AND s.id < {i})"),
        };
        c.push(clause);
    }
    let order = if sort.desc {
        format!("{key} DESC NULLS LAST, s.id DESC")
    } else {
        format!("{key} ASC NULLS FIRST, s.id ASC")
    };
    let sql = page_sql(&c, sort.key, &order, limit + 1);
    let mut rows: Vec<ShipmentRow> = db.map(&sql, &c.params, row)?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = if more {
        rows.last().map(|r| Cursor {
            value: sort_value(r, sort.key),
            id: r.id,
        })
    } else {
        None
    };
    Ok(Page { rows, next })
}

/// Shipment columns of a page before the party names are joined (`description` cut).
const INNER_COLUMNS: &str = "s.id, s.ship_date, s.shipper_id, s.consignee_id, s.port_of_lading,
    s.origin_country, s.port_of_unlading, s.dest_country, s.hs_code,
    substr(s.description, 1, 300) AS description, s.synthetic";

const OUTER_COLUMNS: &str = "s.id, s.ship_date, s.shipper_id, sp.name, s.consignee_id, cp.name,
    s.port_of_lading, s.origin_country, s.port_of_unlading, s.dest_country, s.hs_code,
    s.description, s.synthetic";

/// Most index runs a fanned-out page merges; an entity with more linked parties is read by
/// the plain query.
const MAX_FAN: usize = 64;

/// The page statement. Sorted by a party's name, the names are joined first; otherwise the
/// page's shipments are chosen first and only those rows get their names. Newest first under
/// a party filter, the page is the merge of one (party column, ship_date, id) index run per
/// party and role, each stopped after a page — what SQLite's UNION of index runs does — instead
/// of every matching shipment read and sorted.
fn page_sql(c: &Conditions, key: SortKey, order: &str, n: usize) -> String {
    if matches!(key, SortKey::Shipper | SortKey::Consignee) {
        return format!(
            "SELECT {ROW_COLUMNS} FROM {FROM} {} ORDER BY {order} LIMIT {n}",
            c.where_sql()
        );
    }
    let inner = match &c.fan {
        Some((at, alternatives)) if key == SortKey::Date && alternatives.len() <= MAX_FAN => {
            let branches: Vec<String> = alternatives
                .iter()
                .map(|alt| {
                    let mut clauses = c.clauses.clone();
                    clauses[*at] = alt.clone();
                    format!(
                        "(SELECT {INNER_COLUMNS} FROM shipment s WHERE {} ORDER BY {order} \
                         LIMIT {n})",
                        clauses.join(" AND ")
                    )
                })
                .collect();
            branches.join(" UNION ")
        }
        _ => format!(
            "SELECT {INNER_COLUMNS} FROM shipment s {} ORDER BY {order} LIMIT {n}",
            c.where_sql()
        ),
    };
    format!(
        "SELECT {OUTER_COLUMNS} FROM ({inner}) s LEFT JOIN party sp ON sp.id = s.shipper_id
         LEFT JOIN party cp ON cp.id = s.consignee_id ORDER BY {order} LIMIT {n}"
    )
}

fn sort_value(r: &ShipmentRow, key: SortKey) -> Option<String> {
    match key {
        SortKey::Date => r.ship_date.clone(),
        SortKey::Shipper => r.shipper.clone(),
        SortKey::Consignee => r.consignee.clone(),
        SortKey::Origin => r.origin.clone(),
        SortKey::Destination => r.destination.clone(),
        SortKey::Hs => r.hs_code.clone(),
    }
}

/// Number of shipments matching `f`, counting at most `cap` (Err(cap): "cap or more").
pub(super) fn count(
    db: &dyn Sql,
    f: &ShipmentFilter,
    cap: i64,
) -> StoreResult<std::result::Result<i64, i64>> {
    let c = conditions(db, f)?;
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM shipment s {} LIMIT {}) AS capped",
        c.where_sql(),
        cap.saturating_add(1)
    );
    let n: i64 = db.one(&sql, &c.params)?;
    Ok(if n > cap { Err(cap) } else { Ok(n) })
}
