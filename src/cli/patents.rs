//! `tradescope patents`: the Patents pane's query for scripts, newest first.

use clap::Args;
use serde::Serialize;

use super::open::{Db, On};
use super::output::{json, thousands};
use tradescope_core::text::{sanitize, truncate_to_width};
use tradescope_store::error::Error;
use tradescope_store::patents::{self, PatentFilter, PatentPage, PatentSort};
use tradescope_store::Store;

#[derive(Debug, Args)]
pub struct PatentsArgs {
    /// Words of the title, abstract or an assignee's name (`neur*` for a prefix), or a
    /// publication number (US11321963)
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// Only patents in this critical and emerging technology area (`tradescope cet export`)
    #[arg(long, value_name = "AREA")]
    pub cet: Option<String>,
    /// Patents of this assignee: its exact name (any case or punctuation), else the assignee
    /// with the most patents whose name contains it
    #[arg(long, value_name = "NAME")]
    pub assignee: Option<String>,
    /// Patents of the assignees linked to this list entry
    #[arg(long, value_name = "ID")]
    pub entity: Option<i64>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// One patent as `--json` prints it.
#[derive(Serialize)]
struct PatentOut {
    id: i64,
    number: String,
    date: Option<String>,
    title: Option<String>,
    assignees: Vec<String>,
    cpc: Vec<String>,
    cet: Vec<String>,
}

fn split(s: Option<String>, sep: &str) -> Vec<String> {
    s.map(|s| s.split(sep).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The assignee `name` stands for (see `PatentsArgs::assignee`).
fn resolve_assignee(
    conn: &dyn tradescope_store::sql::Sql,
    name: &str,
) -> anyhow::Result<(i64, String)> {
    let norm = tradescope_matching::normalize_key(name);
    let found = patents::search_assignees(conn, &norm, 200)?;
    let exact = found
        .iter()
        .find(|(_, n, _)| tradescope_matching::normalize_key(n) == norm);
    match exact.or(found.first()) {
        Some((id, n, _)) => Ok((*id, n.clone())),
        None => Err(Error::User(format!("no patent assignee is named like {name:?}")).into()),
    }
}

pub fn run(db: Db, args: PatentsArgs) -> anyhow::Result<()> {
    run_on(On::Lite(db), args)
}

/// The first page of `f` (newest first) and, when there is more, the capped count.
fn first_page(
    on: On,
    f: &PatentFilter,
    limit: usize,
) -> anyhow::Result<(PatentPage, Option<std::result::Result<i64, i64>>)> {
    let sort = PatentSort::default();
    let (page, total) = match on {
        On::Lite(db) => {
            let conn = db.open_ro()?;
            let page = patents::page(&conn, f, sort, None, limit)?;
            let total = match page.next {
                Some(_) => Some(patents::count(&conn, f, 100_000)?),
                None => None,
            };
            (page, total)
        }
        On::Pg(store) => {
            let page = store.patents_page(f, sort, None, limit)?;
            let total = match page.next {
                Some(_) => Some(store.count_patents(f, 100_000)?),
                None => None,
            };
            (page, total)
        }
    };
    Ok((page, total))
}

/// `tradescope patents` on either engine.
pub(super) fn run_on(on: On, args: PatentsArgs) -> anyhow::Result<()> {
    let assignee = match &args.assignee {
        Some(name) => Some(on.read(|conn| resolve_assignee(conn, name))?),
        None => None,
    };
    let f = PatentFilter {
        text: args.query.clone(),
        assignee_id: assignee.as_ref().map(|a| a.0),
        entity_id: args.entity,
        cet: args.cet.clone(),
        ..Default::default()
    };
    let (page, total) = first_page(on, &f, args.limit)?;
    if args.json {
        let out: Vec<PatentOut> = page
            .rows
            .into_iter()
            .map(|r| PatentOut {
                id: r.id,
                number: r.number,
                date: r.publication_date,
                title: r.title,
                assignees: split(r.assignee, "; "),
                cpc: split(r.cpc, "; "),
                cet: split(r.cet, ","),
            })
            .collect();
        return json(&out);
    }
    if let Some((id, name)) = &assignee {
        outln!("assignee #{id} {}", sanitize(name));
    }
    if page.rows.is_empty() {
        outln!("no patent matches");
        return Ok(());
    }
    for r in &page.rows {
        outln!(
            "#{:<7} {:<15} {}  {}  [{}]  {}",
            r.id,
            sanitize(&r.number),
            r.publication_date.as_deref().unwrap_or("undated   "),
            sanitize(&truncate_to_width(
                r.title.as_deref().unwrap_or("(no title)"),
                60
            )),
            r.cet.as_deref().unwrap_or(""),
            sanitize(&truncate_to_width(r.assignee.as_deref().unwrap_or(""), 40)),
        );
    }
    if let Some(total) = total {
        outln!(
            "({} shown of {}: raise --limit)",
            page.rows.len(),
            match total {
                Ok(n) => thousands(n),
                Err(n) => format!("≥ {}", thousands(n)),
            }
        );
    }
    Ok(())
}
