//! `tradescope show KIND ID`: one record with every field, every link the workbench can follow
//! from it, and what investigations add: the covered-equipment flag, the as-of screening and
//! the products detected in a shipment's description. The view comes from
//! `tradescope_store::record_view`, the builder of the workbench's detail view too.

use super::output::{json, thousands};
use tradescope_core::model::{RecordKind, RecordRef};
use tradescope_core::text::sanitize;
use tradescope_core::view::RecordView;
use tradescope_store::error::{Error, Result};
use tradescope_store::Store;

/// `show` on either engine.
pub fn cmd_show(
    store: &dyn Store,
    kind: &str,
    id: i64,
    rejected: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    let view = |r| store.record_view(r);
    let rejected_of = |r| store.rejected_links(r);
    show(&view, &rejected_of, kind, id, rejected, as_json)
}

type Links = Vec<tradescope_core::link::LinkItem>;

fn show(
    load: &dyn Fn(RecordRef) -> Result<RecordView>,
    rejected_of: &dyn Fn(RecordRef) -> Result<Links>,
    kind: &str,
    id: i64,
    rejected: bool,
    as_json: bool,
) -> anyhow::Result<()> {
    let kind = RecordKind::parse(kind)
        .ok_or_else(|| Error::User(format!("unknown record kind {kind}")))?;
    let mut view = load(RecordRef::new(kind, id))?;
    if rejected {
        view.links.extend(rejected_of(RecordRef::new(kind, id))?);
    }
    if as_json {
        let mut out = serde_json::json!({ "record": view.stored, "links": view.links });
        if let (Some(o), serde_json::Value::Object(x)) = (out.as_object_mut(), view.investigation) {
            o.extend(x);
        }
        return json(&out);
    }
    outln!("{} #{id}", kind.as_str());
    if let Some(obj) = view.stored.as_object() {
        for (k, v) in obj {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) if a.is_empty() => continue,
                other => other.to_string(),
            };
            outln!("  {k:<24} {}", sanitize(&text));
        }
    }
    print_investigation(&view.investigation);
    if !view.links.is_empty() {
        outln!("links:");
        for l in &view.links {
            let count = l
                .count
                .map(|n| format!(" ({})", thousands(n)))
                .unwrap_or_default();
            let kind = l.target.kind();
            let target = match (l.target.record(), l.target.filter_json()) {
                (Some(r), _) => format!("{kind} #{}", r.id),
                (None, Some(f)) => format!("{kind} {f}"),
                (None, None) => kind.to_string(),
            };
            outln!("  {}{count}  → {target}", sanitize(&l.label));
        }
    }
    Ok(())
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
                outln!("  covered equipment        {}", sanitize(&f));
            }
        }
        Some(c) => {
            for role in ["shipper", "consignee"] {
                if let Some(f) = c.get(role).and_then(flag) {
                    outln!("  {role} covered equipment {}", sanitize(&f));
                }
            }
        }
        None => {}
    }
    if let Some(a) = extra.get("as_of") {
        if let Some(s) = a.get("summary").and_then(|s| s.as_str()) {
            outln!("  as of ship date          {}", sanitize(s));
        }
        for role in ["shipper", "consignee", "notify"] {
            for f in a.get(role).and_then(|v| v.as_array()).into_iter().flatten() {
                outln!(
                    "    {role}: {} #{} {} — {} ({})",
                    f["lists"]
                        .as_array()
                        .map(|l| l
                            .iter()
                            .filter_map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", "))
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
            outln!("  carries products of listed maker: {}", sanitize(g));
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
            outln!("  products found           {}", sanitize(&found.join("; ")));
        }
    }
}
