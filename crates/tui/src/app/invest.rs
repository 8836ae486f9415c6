//! `update` for the investigation keys: the intersection (column cursor, cell drill, sort),
//! the trail tree (expand, collapse, walk), the audit log, cases (mark, export), copying, and
//! the Entities pane's screening mode. Pure, like `update`.

use tradescope_core::model::RecordKind;
use tradescope_matching as matching;
use tradescope_store::intersect::SortKey as IntersectSort;

use super::command::Command;
use super::intersect_view::{self, COLUMNS};
use super::invest_data::THRESHOLD_STEP;
use super::load::{self, load_view};
use super::model::{Data, Model};
use super::nav::{Route, View};
use super::trail_view::{self, Item};
use super::update::push;
use super::write::{AuditEntry, Write};

pub fn intersect(m: &mut Model) -> Vec<Command> {
    if matches!(m.route().view, View::Intersect { .. }) {
        return Vec::new();
    }
    push(m, Route::intersect())
}

pub fn audit_log(m: &mut Model) -> Vec<Command> {
    if m.route().view == View::Audit {
        // Again: reload (new records may have been written since).
        return load_view(m, false);
    }
    push(m, Route::audit())
}

pub fn trail(m: &mut Model) -> Vec<Command> {
    match m.selected_record() {
        Some((r, label)) if r.kind == RecordKind::Entity => push(
            m,
            Route::trail(r.id, format!("Trail of {}", load::short(&label, 28))),
        ),
        Some(_) => {
            m.message = Some(
                "A trail starts from a listed company: select a list entry (e shows a record's \
                 entries) or a row of the intersection (i)"
                    .into(),
            );
            Vec::new()
        }
        None => {
            m.message = Some("Nothing selected".into());
            Vec::new()
        }
    }
}

/// ← / →: the intersection's column cursor; in the trail, collapse / expand (or step to the
/// parent / first child).
pub fn horizontal(m: &mut Model, right: bool) -> Vec<Command> {
    let cursor = m.route().cursor;
    match &mut m.screen_mut().route.view {
        View::Intersect { col, .. } => {
            *col = if right {
                (*col + 1).min(COLUMNS.len() - 1)
            } else {
                col.saturating_sub(1)
            };
        }
        View::Trail { .. } => {
            let Some((path, open, expandable, is_node)) = trail_line(m, cursor) else {
                return Vec::new();
            };
            if right && is_node && expandable && !open {
                set_open(m, &path, true);
            } else if right && is_node && open {
                move_cursor(m, cursor + 1);
            } else if !right && is_node && open {
                set_open(m, &path, false);
            } else if !right {
                // To the parent node (an evidence line's own node; a node's parent).
                let target = if is_node {
                    path[..path.len().saturating_sub(1)].to_vec()
                } else {
                    path
                };
                if let Some(i) = node_line(m, &target) {
                    move_cursor(m, i);
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Space: expand or collapse the node under the cursor (on an evidence line: its node).
pub fn toggle(m: &mut Model) -> Vec<Command> {
    let cursor = m.route().cursor;
    let Some((path, open, _, is_node)) = trail_line(m, cursor) else {
        return Vec::new();
    };
    if is_node {
        set_open(m, &path, !open);
    } else {
        set_open(m, &path, false);
        if let Some(i) = node_line(m, &path) {
            move_cursor(m, i);
        }
    }
    Vec::new()
}

/// (path, open, expandable, is a node) of trail line `i`.
fn trail_line(m: &Model, i: usize) -> Option<(Vec<usize>, bool, bool, bool)> {
    let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
        return None;
    };
    trail_view::lines(t, open).get(i).map(|l| {
        (
            l.path.clone(),
            l.open,
            l.expandable(),
            matches!(l.item, Item::Node(_)),
        )
    })
}

fn node_line(m: &Model, path: &[usize]) -> Option<usize> {
    let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
        return None;
    };
    trail_view::lines(t, open)
        .iter()
        .position(|l| matches!(l.item, Item::Node(_)) && l.path == path)
}

fn set_open(m: &mut Model, path: &[usize], on: bool) {
    if let View::Trail { open, .. } = &mut m.screen_mut().route.view {
        if on {
            open.insert(path.to_vec());
        } else {
            open.remove(path);
        }
    }
    let n = m.row_count();
    let c = m.route().cursor.min(n.saturating_sub(1));
    move_cursor(m, c);
}

fn move_cursor(m: &mut Model, c: usize) {
    let n = m.row_count();
    let v = m.visible_rows();
    let r = &mut m.screen_mut().route;
    r.cursor = c.min(n.saturating_sub(1));
    super::update::fix_scroll(r, v);
}

/// Enter on a trail's "N more" line: the hop's shipments as a Shipments list (pushed on the
/// history). None when the cursor is not on such a line.
pub fn open_more(m: &mut Model) -> Option<Vec<Command>> {
    let (Data::Trail(t), View::Trail { open, .. }) = (&m.screen().data, &m.route().view) else {
        return None;
    };
    let lines = trail_view::lines(t, open);
    let Item::More { node, parent } = lines.get(m.route().cursor)?.item else {
        return None;
    };
    let filter = trail_view::more_filter(t.entity_id, parent, node);
    let label = format!(
        "Trail hop to {} {}…{}",
        load::short(&node.name, 28),
        node.first_date.as_deref().unwrap_or("?"),
        node.last_date.as_deref().unwrap_or("?")
    );
    let mut route = Route::shipments(filter, Some(label));
    route.crumb = format!("Hop to {}", load::short(&node.name, 24));
    Some(push(m, route))
}

/// Enter in the intersection: drill into the cell under the cursors.
pub fn open_cell(m: &mut Model) -> Option<Vec<Command>> {
    let (View::Intersect { col, .. }, Data::Intersect(rows)) = (&m.route().view, &m.screen().data)
    else {
        return None;
    };
    let row = rows.get(m.route().cursor)?;
    let target = intersect_view::drill(row, *col);
    Some(push(m, target.into_route()))
}

/// `o` in the intersection: the next sort key (rows are re-sorted in place).
pub fn sort_intersect(m: &mut Model) -> Option<Vec<Command>> {
    let View::Intersect { sort, .. } = &mut m.screen_mut().route.view else {
        return None;
    };
    *sort = super::update::next(&IntersectSort::ALL, *sort);
    let key = *sort;
    if let Data::Intersect(rows) = &mut m.screen_mut().data {
        tradescope_store::intersect::sort(rows, key);
    }
    m.screen_mut().route.cursor = 0;
    m.screen_mut().route.scroll = 0;
    m.message = Some(format!("sorted by {}", key.label()));
    Some(Vec::new())
}

pub fn mark(m: &mut Model) -> Vec<Command> {
    match m.selected_record() {
        Some((record, _)) => vec![Command::Write(Write::Mark {
            case: m.case_name.clone(),
            record,
        })],
        None => {
            m.message = Some("Nothing to mark here".into());
            Vec::new()
        }
    }
}

pub fn export_case(m: &mut Model) -> Vec<Command> {
    m.message = Some(format!("exporting case “{}”…", m.case_name));
    vec![Command::Write(Write::Export {
        case: m.case_name.clone(),
        dir: m.export_dir.clone(),
    })]
}

/// The value under the cursor: the intersection's cell, else the selected record's label.
pub fn selected_value(m: &Model) -> Option<String> {
    if let (View::Intersect { col, .. }, Data::Intersect(rows)) =
        (&m.route().view, &m.screen().data)
    {
        return rows
            .get(m.route().cursor)
            .map(|r| intersect_view::cell(r, *col));
    }
    if let Data::Audit(a) = &m.screen().data {
        return a.rows.get(m.route().cursor).map(|r| r.hash.clone());
    }
    m.selected_record().map(|(_, label)| label)
}

/// The screening hit as detail fields: everything the hit's row cuts short.
pub fn hit_evidence(
    query: &str,
    h: &tradescope_store::search::ListingHit,
) -> Vec<(String, String)> {
    let mut f = vec![
        ("Screened name".to_string(), query.trim().to_string()),
        ("Matched name".to_string(), h.matched_name.clone()),
        ("Score".to_string(), format!("{:.3}", h.score)),
        ("SLS-style score".to_string(), format!("{:.1}", h.sls_score)),
        ("Why".to_string(), h.explanation.clone()),
    ];
    if let Some(c) = &h.covered {
        f.push((
            "Covered".to_string(),
            format!("{} ({}): {}", c.group, c.relation, c.basis),
        ));
    }
    if !h.also_in.is_empty() {
        f.push(("Also in".to_string(), h.also_in.join(", ")));
    }
    f
}

/// Every column of an audit record, for its own screen (the log's row cuts them).
pub fn audit_fields(r: &tradescope_store::audit::Record) -> Vec<(String, String)> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    vec![
        ("Record".into(), format!("#{}", r.id)),
        ("At".into(), r.at.clone()),
        ("User".into(), r.user.clone()),
        ("Action".into(), r.action.clone()),
        ("Query".into(), opt(&r.query)),
        ("Normalized query".into(), opt(&r.normalized_query)),
        ("List versions".into(), r.list_versions.clone()),
        ("Matcher".into(), opt(&r.matcher_version)),
        (
            "Threshold".into(),
            r.threshold
                .map(|t| format!("{t:.2}"))
                .unwrap_or_else(|| "—".into()),
        ),
        ("Results".into(), r.results.clone()),
        ("Previous hash".into(), r.prev_hash.clone()),
        ("Hash".into(), r.hash.clone()),
    ]
}

pub fn copy(m: &mut Model) -> Vec<Command> {
    // The clipboard gets the text as the screen shows it: a listed name holding `ESC[201~`
    // and a line break would end a bracketed paste and run a command in the shell it is
    // pasted into.
    let value =
        selected_value(m).map(|s| tradescope_core::text::sanitize_for_clipboard(&s).into_owned());
    match value.filter(|s| !s.trim().is_empty()) {
        Some(text) => {
            // Short enough that the whole sentence fits an 80-column status line.
            m.message = Some(format!(
                "sent “{}” to the terminal's clipboard (OSC 52)",
                load::short(&text, 24)
            ));
            m.clipboard = Some(text);
        }
        None => m.message = Some("Nothing to copy here".into()),
    }
    Vec::new()
}

pub fn toggle_screening(m: &mut Model) -> Vec<Command> {
    if !matches!(m.route().view, View::Entities { .. }) {
        m.message = Some("Screening mode belongs to the Entities pane (press 1)".into());
        return Vec::new();
    }
    m.screening = !m.screening;
    m.message = Some(if m.screening {
        format!(
            "screening mode: the screening matcher at threshold {:.2} (+/- change it)",
            m.threshold
        )
    } else {
        "typeahead mode: fuzzy search over every name".into()
    });
    m.screen_mut().route.reset_position();
    load_view(m, false)
}

pub fn threshold(m: &mut Model, steps: i32) -> Vec<Command> {
    if !m.screening {
        m.message = Some("+/- change the screening threshold: press S for screening mode".into());
        return Vec::new();
    }
    let t = m.threshold + steps as f64 * THRESHOLD_STEP;
    // Hundredths, so repeated steps do not drift.
    m.threshold = ((t * 100.0).round() / 100.0).clamp(THRESHOLD_STEP, 1.0);
    m.message = Some(format!("screening threshold {:.2}", m.threshold));
    if matches!(m.route().view, View::Entities { .. }) {
        m.screen_mut().route.reset_position();
        return load_view(m, false);
    }
    Vec::new()
}

/// The audit record of what the Entities pane shows now (a search or a screening), written
/// when the user acts on the results: Enter, or leaving the search line — once per query, mode
/// and threshold.
pub fn audit_search(m: &mut Model) -> Vec<Command> {
    let View::Entities { query } = &m.route().view else {
        return Vec::new();
    };
    if query.trim().is_empty() {
        return Vec::new();
    }
    let (action, threshold, results) = match &m.screen().data {
        Data::Screening(s) => (
            "screen",
            Some(s.threshold),
            s.hits
                .iter()
                .map(|h| serde_json::json!({"id": h.id, "list": h.list, "name": h.name, "score": h.score}))
                .collect::<Vec<_>>(),
        ),
        Data::Entities(r, _) => (
            "search",
            None,
            r.hits
                .iter()
                .take(20)
                .map(|h| serde_json::json!({"kind": h.record.badge.to_string(), "id": h.record.id, "name": h.record.name.to_string(), "score": h.score}))
                .collect(),
        ),
        _ => return Vec::new(),
    };
    let key = format!("{action} {threshold:?} {query}");
    if m.last_audited.as_deref() == Some(key.as_str()) {
        return Vec::new();
    }
    let query = query.clone();
    m.last_audited = Some(key);
    vec![Command::Write(Write::Audit(AuditEntry {
        action: action.into(),
        query: Some(format!("workbench {action}: {query}")),
        normalized_query: Some(matching::normalize_key(&query)),
        matcher: action == "screen",
        threshold,
        results: serde_json::json!(results),
    }))]
}

/// The audit record of an intersection or trail the workbench loaded (as the CLI records).
pub fn audit_loaded(m: &Model) -> Vec<Command> {
    let entry = match (&m.route().view, &m.screen().data) {
        (View::Intersect { sort, .. }, Data::Intersect(rows)) => AuditEntry {
            action: "intersect".into(),
            query: Some(format!("workbench intersect --sort {}", sort.label())),
            matcher: true,
            results: serde_json::json!({
                "rows": rows.len(),
                "shown": rows.iter().map(|r| serde_json::json!({
                    "entity_id": r.entity_id, "lists": r.lists, "cet_patents": r.cet_patents,
                    "shipments": r.shipments})).collect::<Vec<_>>(),
            }),
            ..Default::default()
        },
        (View::Trail { entity_id, .. }, Data::Trail(t)) => AuditEntry {
            action: "trail".into(),
            query: Some(format!(
                "workbench trail {entity_id} --days {}",
                t.options.days
            )),
            results: serde_json::json!({
                "nodes": t.nodes,
                "consignees": t.children.len(),
                "onward_hops": t.walk().iter()
                    .filter(|(_, n)| n.depth >= 2)
                    .map(|(p, n)| format!("{} -> {}", p.unwrap_or_default(), n.party_id))
                    .collect::<Vec<_>>(),
                "truncated": t.truncated,
            }),
            ..Default::default()
        },
        _ => return Vec::new(),
    };
    vec![Command::Write(Write::Audit(entry))]
}
