//! One function per subcommand.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::output::{json, thousands};
use super::progress::Bar;
use super::{Cli, Command};
use crate::bundle;
use crate::db::import::{self, ImportOptions, Input};
use crate::db::covered::Covered;
use crate::db::{
    self, asof, audit, entities, links, parties, patents, products, shipments, stats, Integrity,
};
use crate::error::Error;
use crate::matching::NameIndex;
use crate::model::RecordKind;
use crate::search;
use crate::text::{sanitize, truncate_to_width};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db_path = cli.db.clone().unwrap_or_else(db::default_path);
    let integrity = if cli.check {
        Integrity::Always
    } else {
        Integrity::Auto
    };
    let db = Db {
        path: &db_path,
        integrity,
    };
    match cli.command.unwrap_or(Command::Tui) {
        Command::Tui => Err(Error::User("the workbench is not available yet".into()).into()),
        Command::Init {
            force,
            json: as_json,
        } => cmd_init(&db_path, force, as_json),
        Command::Import {
            format,
            paths,
            as_of,
            allow_shrink,
            synthetic,
            json: as_json,
        } => cmd_import(db, format, &paths, as_of, allow_shrink, synthetic, as_json),
        Command::Search {
            query,
            limit,
            json: as_json,
        } => cmd_search(db, &query, limit, as_json),
        Command::Show {
            kind,
            id,
            json: as_json,
        } => cmd_show(db, &kind, id, as_json),
        Command::Stats { json: as_json } => cmd_stats(db, as_json),
        Command::Audit { action } => super::audit::run(db, action),
        Command::Screen(args) => super::screen::run_screen(db, args),
        Command::Intersect(args) => super::invest::run_intersect(db, args),
        Command::Trail(args) => super::invest::run_trail(db, args),
        Command::Shipments(args) => super::invest::run_shipments(db, args),
        Command::Patterns { action } => {
            super::reference::run_table(db, super::reference::Table::Patterns, action)
        }
        Command::Cet { action } => super::reference::run_table(db, super::reference::Table::Cet, action),
        Command::Covered { action } => super::reference::run_covered(db, action),
        Command::Case { action } => super::case::run(db, action),
        Command::Match(args) => super::screen::run_match(args),
    }
}

/// The database the command works on, and how much to check it on opening.
#[derive(Clone, Copy)]
pub(super) struct Db<'a> {
    path: &'a Path,
    integrity: Integrity,
}

impl Db<'_> {
    pub(super) fn open_ro(self) -> crate::error::Result<rusqlite::Connection> {
        db::open_ro_with(self.path, self.integrity)
    }
    pub(super) fn open_rw(self) -> crate::error::Result<rusqlite::Connection> {
        db::open_rw_with(self.path, self.integrity)
    }
}

fn cmd_import(
    db: Db,
    format: import::Format,
    paths: &[PathBuf],
    as_of: Option<String>,
    allow_shrink: bool,
    synthetic: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    if let Some(d) = &as_of {
        crate::db::import::fields::date(d).map_err(|m| Error::User(format!("--as-of: {m}")))?;
    }
    let inputs: Vec<Input> = paths.iter().map(Input::path).collect();
    let mut conn = db.open_rw()?;
    let bar = Bar::new(format.as_str());
    let opts = ImportOptions {
        as_of,
        allow_shrink,
        synthetic,
        note: None,
    };
    let report = import::import(&mut conn, format, &inputs, &opts, &bar);
    bar.finish();
    let report = report.with_context(|| {
        format!(
            "import {} failed; the database is unchanged",
            format.as_str()
        )
    })?;
    if as_json {
        return json(&report);
    }
    if report.already_imported {
        println!(
            "{}: already imported as source #{} (SHA-256 {}); nothing changed",
            sanitize(&report.files.join(", ")),
            report.source_id.unwrap_or_default(),
            &report.sha256[..12]
        );
        return Ok(());
    }
    println!(
        "imported {} rows from {} as source #{} ({}, as of {})",
        thousands(report.rows as i64),
        sanitize(&report.files.join(", ")),
        report.source_id.unwrap_or_default(),
        report.dataset,
        report.as_of.as_deref().unwrap_or("unknown")
    );
    if let Some(v) = &report.version {
        if !v.became_current {
            println!(
                "older than the current version of {}: kept as history",
                report.dataset
            );
        } else if let Some(old) = v.replaced {
            println!(
                "replaces source #{old}: {} added, {} removed",
                thousands(v.added as i64),
                thousands(v.removed as i64)
            );
            for n in &v.added_examples {
                println!("  + {}", sanitize(n));
            }
            for n in &v.removed_examples {
                println!("  - {}", sanitize(n));
            }
        }
    }
    for w in &report.warnings {
        eprintln!("warning: {}", sanitize(w));
    }
    println!(
        "links: {} to trade parties, {} to patent assignees",
        thousands(report.links.party_links as i64),
        thousands(report.links.assignee_links as i64)
    );
    Ok(())
}

fn cmd_search(db: Db, query: &str, limit: usize, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let index = NameIndex::build(entities::current_names(&conn)?);
    let hits = search::search(&conn, &index, query, limit)?;
    super::audit::record(
        db,
        &audit::NewRecord {
            action: "search".into(),
            query: Some(query.to_string()),
            normalized_query: Some(crate::matching::normalize_key(query)),
            matcher_version: Some(crate::matching::MATCHER_VERSION.into()),
            threshold: Some(search::SEARCH_THRESHOLD),
            results: serde_json::json!(hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score}))
                .collect::<Vec<_>>()),
        },
    );
    let checks = Covered::load(&conn)?.check(&index, query);
    if as_json {
        // The JSON stays an array of hits; a covered maker that is on no list is said on stderr
        // (and by `tradescope covered check NAME --json`).
        for c in &checks {
            if let Some(n) = &c.note {
                eprintln!("note: {}", sanitize(n));
            }
        }
        return json(&hits);
    }
    for c in &checks {
        if c.note.is_some() {
            super::reference::print_check(c);
        }
    }
    if hits.is_empty() {
        println!("no list entry matches {:?}", sanitize(query));
        return Ok(());
    }
    for h in &hits {
        println!(
            "{:>6}  {:<6} {:.2}  {}{}  [{}]",
            h.id,
            sanitize(&h.list),
            h.score,
            sanitize(&h.name),
            h.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default(),
            h.programs.as_deref().map(sanitize).unwrap_or_default(),
        );
        if let Some(c) = &h.covered {
            println!(
                "        covered equipment: {} ({}) — {}",
                sanitize(&c.group),
                sanitize(&c.relation),
                sanitize(&c.basis)
            );
        }
    }
    Ok(())
}

fn cmd_init(db_path: &Path, force: bool, as_json: bool) -> anyhow::Result<()> {
    let bar = Bar::new("init");
    let report = bundle::init(db_path, force, &bar);
    bar.finish();
    let report = report?;
    if as_json {
        return json(&report);
    }
    println!("built {}", report.path.display());
    for (t, n) in &report.stats.tables {
        if *n > 0 {
            println!("  {t:<14} {:>10}", thousands(*n));
        }
    }
    Ok(())
}

fn cmd_show(db: Db, kind: &str, id: i64, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let kind = RecordKind::parse(kind)
        .ok_or_else(|| Error::User(format!("unknown record kind {kind}")))?;
    let record = match kind {
        RecordKind::Entity => serde_json::to_value(entities::get(&conn, id)?)?,
        RecordKind::Party => serde_json::to_value(parties::get(&conn, id)?)?,
        RecordKind::Shipment => serde_json::to_value(shipments::get(&conn, id)?)?,
        RecordKind::Patent => serde_json::to_value(patents::get(&conn, id)?)?,
        RecordKind::Assignee => serde_json::to_value(patents::get_assignee(&conn, id)?)?,
    };
    let mut links = links::links(&conn, kind, id)?;
    let extra = investigation(&conn, kind, id, &mut links)?;
    if as_json {
        let mut out = serde_json::json!({ "record": record, "links": links });
        if let (Some(o), serde_json::Value::Object(x)) = (out.as_object_mut(), extra.clone()) {
            o.extend(x);
        }
        return json(&out);
    }
    println!("{} #{id}", kind.as_str());
    if let Some(obj) = record.as_object() {
        for (k, v) in obj {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) if a.is_empty() => continue,
                other => other.to_string(),
            };
            println!("  {k:<24} {}", sanitize(&text));
        }
    }
    print_investigation(&extra);
    if !links.is_empty() {
        println!("links:");
        for l in &links {
            let count = l
                .count
                .map(|n| format!(" ({})", thousands(n)))
                .unwrap_or_default();
            let target = match (l.id, &l.filter) {
                (Some(id), _) => format!("{} #{id}", l.kind),
                (None, Some(f)) => format!("{} {f}", l.kind),
                (None, None) => l.kind.clone(),
            };
            println!("  {}{count}  → {target}", sanitize(&l.label));
        }
    }
    Ok(())
}

fn cmd_stats(db: Db, as_json: bool) -> anyhow::Result<()> {
    let conn = db.open_ro()?;
    let s = stats::stats(&conn)?;
    if as_json {
        return json(&s);
    }
    // Everything below comes from the database file, which may come from elsewhere.
    println!("database: {}", sanitize(&db.path.display().to_string()));
    for (t, n) in &s.tables {
        println!("  {t:<14} {:>12}", thousands(*n));
    }
    println!("current list entries:");
    for (l, n) in &s.lists {
        println!("  {:<8} {:>8}", sanitize(l), thousands(*n));
    }
    println!("sources:");
    for src in &s.sources {
        println!(
            "  #{:<3} {:<16} {:>9} rows  as of {:<10} {}{}  {}",
            src.id,
            sanitize(&src.dataset),
            thousands(src.rows),
            sanitize(src.as_of.as_deref().unwrap_or("unknown")),
            if src.current { "" } else { "(replaced) " },
            if src.synthetic { "SYNTHETIC " } else { "" },
            // Not sliced by bytes: a crafted file may hold any text here.
            truncate_to_width(&src.sha256, 16)
        );
    }
    Ok(())
}

/// What `show` adds for investigations: the covered-equipment flag (entity, party, shipment's
/// parties), the as-of screening and detected products (shipment), with links to the listed
/// makers whose products a shipment carries.
fn investigation(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    id: i64,
    links: &mut Vec<crate::model::LinkItem>,
) -> anyhow::Result<serde_json::Value> {
    let covered = Covered::load(conn)?;
    Ok(match kind {
        RecordKind::Entity => serde_json::json!({ "covered": covered.entity(conn, id)? }),
        RecordKind::Party => serde_json::json!({ "covered": covered.party(conn, id)? }),
        RecordKind::Shipment => {
            let s = shipments::get(conn, id)?;
            let prods = products::of_shipment(conn, id)?;
            let listed = products::listed_makers_summary(&prods);
            let mut seen = Vec::new();
            for p in &prods {
                for l in &p.listed {
                    if !seen.contains(&&l.listing_key) {
                        seen.push(&l.listing_key);
                        links.push(crate::model::LinkItem {
                            kind: "entity".into(),
                            id: Some(l.entity_id),
                            label: format!(
                                "Carries products of listed maker: {} — {} {}",
                                p.group, l.list, l.name
                            ),
                            count: None,
                            filter: None,
                            score: None,
                            explanation: None,
                        });
                    }
                }
            }
            serde_json::json!({
                "as_of": asof::shipment(conn, id)?,
                "products": prods,
                "carries_products_of_listed_makers": listed,
                "covered": {
                    "shipper": s.shipper_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                    "consignee": s.consignee_id.map(|p| covered.party(conn, p)).transpose()?.flatten(),
                },
            })
        }
        RecordKind::Patent | RecordKind::Assignee => serde_json::json!({}),
    })
}

fn print_investigation(extra: &serde_json::Value) {
    let flag = |v: &serde_json::Value| {
        v.as_object().map(|c| {
            format!(
                "{} ({}) — {}",
                c.get("group").and_then(|x| x.as_str()).unwrap_or("?"),
                c.get("relation").and_then(|x| x.as_str()).unwrap_or("?"),
                c.get("basis").and_then(|x| x.as_str()).unwrap_or("?")
            )
        })
    };
    match extra.get("covered") {
        Some(c) if c.get("group").is_some() => {
            if let Some(f) = flag(c) {
                println!("  covered equipment        {}", sanitize(&f));
            }
        }
        Some(c) => {
            for role in ["shipper", "consignee"] {
                if let Some(f) = c.get(role).and_then(flag) {
                    println!("  {role} covered equipment {}", sanitize(&f));
                }
            }
        }
        None => {}
    }
    if let Some(a) = extra.get("as_of") {
        if let Some(s) = a.get("summary").and_then(|s| s.as_str()) {
            println!("  as of ship date          {}", sanitize(s));
        }
        for role in ["shipper", "consignee", "notify"] {
            for f in a.get(role).and_then(|v| v.as_array()).into_iter().flatten() {
                println!(
                    "    {role}: {} #{} {} — {} ({})",
                    f["lists"]
                        .as_array()
                        .map(|l| l.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default(),
                    f["entity_id"],
                    sanitize(f["name"].as_str().unwrap_or("")),
                    f["label"].as_str().unwrap_or(""),
                    sanitize(f["reason"].as_str().unwrap_or(""))
                );
            }
        }
    }
    if let Some(l) = extra
        .get("carries_products_of_listed_makers")
        .and_then(|v| v.as_array())
    {
        for g in l.iter().filter_map(|x| x.as_str()) {
            println!("  carries products of listed maker: {}", sanitize(g));
        }
    }
    if let Some(p) = extra.get("products").and_then(|v| v.as_array()) {
        let found: Vec<String> = p
            .iter()
            .map(|x| {
                format!(
                    "{} {} ({})",
                    x["kind"].as_str().unwrap_or(""),
                    x["matched"].as_str().unwrap_or(""),
                    x["group"].as_str().unwrap_or("")
                )
            })
            .collect();
        if !found.is_empty() {
            println!("  products found           {}", sanitize(&found.join("; ")));
        }
    }
}
