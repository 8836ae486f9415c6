//! Issuing loads for the current screen and applying what comes back. Every load takes a new
//! generation; an answer is applied only if it carries the generation the model expects.

use super::action::{Count, Loaded};
use super::command::Command;
use super::filter;
use super::invest_data::Screening;
use super::model::{Data, Model, Names};
use super::nav::{PageKey, View};
use tradescope_matching::typeahead::Results;
use tradescope_store::patents::PatentSort;
use tradescope_store::shipments::Sort;

/// Drop every pending answer (after navigating): whatever arrives for older commands is stale.
pub fn invalidate(m: &mut Model) {
    let g = m.next_generation();
    m.expect.view = g;
    m.expect.count = g;
    m.expect.jump = g;
}

/// Load the current screen's rows (and count unless `keep_count`).
pub fn load_view(m: &mut Model, keep_count: bool) -> Vec<Command> {
    let g = m.next_generation();
    m.expect.view = g;
    let mut cmds = Vec::new();
    let names_ready = matches!(m.names, Names::Ready { .. });
    let (screening, threshold) = (m.screening, m.threshold);
    let show_rejected = m.show_rejected;
    let screen = m.screen_mut();
    let route = &screen.route;
    match &route.view {
        View::Entities { query } if screening => {
            if query.trim().is_empty() {
                screen.data = Data::Screening(Screening {
                    query: String::new(),
                    threshold,
                    hits: Vec::new(),
                    notes: Vec::new(),
                });
                screen.loading = false;
                return cmds;
            }
            cmds.push(Command::Screen {
                query: query.clone(),
                threshold,
                generation: g,
            });
            screen.loading = true;
            return cmds;
        }
        View::Entities { query } => {
            if query.trim().is_empty() {
                screen.data = Data::Entities(Results::default(), Vec::new());
                screen.loading = false;
                return cmds;
            }
            if names_ready {
                cmds.push(Command::Search {
                    query: query.clone(),
                    generation: g,
                });
                screen.loading = true;
            }
            return cmds;
        }
        View::Shipments {
            base, query, sort, ..
        } => {
            let typed = match filter::parse_shipments(query) {
                Ok(f) => f,
                Err(e) => {
                    screen.data = Data::Failed(e);
                    return cmds;
                }
            };
            let f = filter::merge_shipments(base, typed);
            let after = match route.page_starts.get(route.page) {
                Some(Some(PageKey::Shipment(c))) => Some(c.clone()),
                _ => None,
            };
            // Counted from the end: the reversed sort, turned back by the worker.
            let reverse = route.from_end;
            cmds.push(Command::Shipments {
                filter: f.clone(),
                sort: Sort {
                    desc: sort.desc != reverse,
                    ..*sort
                },
                after,
                reverse,
                generation: g,
            });
            if !keep_count {
                cmds.push(Command::CountShipments {
                    filter: f,
                    generation: g,
                });
            }
        }
        View::Patents {
            base, query, sort, ..
        } => {
            let typed = match filter::parse_patents(query) {
                Ok(f) => f,
                Err(e) => {
                    screen.data = Data::Failed(e);
                    return cmds;
                }
            };
            let f = filter::merge_patents(base, typed);
            let after = match route.page_starts.get(route.page) {
                Some(Some(PageKey::Patent(c))) => Some(c.clone()),
                _ => None,
            };
            let reverse = route.from_end;
            cmds.push(Command::Patents {
                filter: f.clone(),
                sort: PatentSort {
                    desc: sort.desc != reverse,
                    ..*sort
                },
                after,
                reverse,
                generation: g,
            });
            if !keep_count {
                cmds.push(Command::CountPatents {
                    filter: f,
                    generation: g,
                });
            }
        }
        View::Detail { record } => cmds.push(Command::Detail {
            record: *record,
            rejected: show_rejected == Some(*record),
            generation: g,
        }),
        View::Intersect { sort, .. } => cmds.push(Command::Intersect {
            sort: *sort,
            generation: g,
        }),
        View::Trail { entity_id, .. } => cmds.push(Command::Trail {
            entity_id: *entity_id,
            generation: g,
        }),
        View::Audit => cmds.push(Command::Audit { generation: g }),
        View::Frequency {
            column,
            screening: Some(s),
            ..
        } => {
            // The hits on screen, counted here.
            screen.data = Data::Frequency(Box::new(super::screen_freq::table(&s.hits, *column)));
            screen.loading = false;
            return cmds;
        }
        View::Hits { screening } => {
            screen.data = super::screen_freq::hits_data(screening);
            screen.loading = false;
            return cmds;
        }
        View::Frequency {
            base,
            column,
            patents,
            ..
        } => cmds.push(Command::Frequency {
            filter: (**base).clone(),
            column: *column,
            patents: patents.as_deref().cloned(),
            generation: g,
        }),
        View::Profile { subject, .. } => cmds.push(Command::Profile {
            subject: *subject,
            generation: g,
        }),
    }
    screen.loading = true;
    if !keep_count {
        m.expect.count = g;
        // A new filter: the old count no longer applies.
        match &mut m.screen_mut().data {
            Data::Shipments { count, .. } | Data::Patents { count, .. } => *count = None,
            _ => {}
        }
    }
    cmds
}

/// After going back or forward: reload only what the cached screen lacks.
pub fn ensure_loaded(m: &mut Model) -> Vec<Command> {
    invalidate(m);
    // The Entities pane's results were made by the other mode (typeahead vs screening).
    let other_mode = matches!(
        (&m.screen().data, m.screening),
        (Data::Entities(..), true) | (Data::Screening(_), false)
    );
    let needs_view = matches!(m.screen().data, Data::Empty | Data::Failed(_))
        || m.screen().loading
        || other_mode;
    let missing_count = matches!(
        m.screen().data,
        Data::Shipments { count: None, .. } | Data::Patents { count: None, .. }
    );
    if needs_view || missing_count {
        load_view(m, !missing_count && !needs_view)
    } else {
        Vec::new()
    }
}

/// Apply a worker's answer if it is still wanted.
pub fn apply(m: &mut Model, generation: u64, data: Loaded) -> Vec<Command> {
    match data {
        Loaded::Sources(s) => {
            if generation == m.expect.sources {
                m.sources = s;
            }
        }
        Loaded::WatchAlerts(a) => m.watch_alerts = a,
        Loaded::ShipmentCount(c) | Loaded::PatentCount(c) => {
            if generation == m.expect.count {
                set_count(m, c);
            }
        }
        Loaded::Jump(r) => {
            if generation == m.expect.jump {
                match r {
                    Ok(t) => return super::update::push(m, t.into_route()),
                    Err(msg) => m.message = Some(msg),
                }
            }
        }
        Loaded::Failed(msg) => {
            if generation == m.expect.view {
                let s = m.screen_mut();
                s.data = Data::Failed(msg);
                s.loading = false;
            } else if generation == m.expect.jump || generation == m.expect.count {
                m.message = Some(msg);
            }
        }
        Loaded::Entities(r, covered) => {
            if !m.screening && set_view(m, generation, Data::Entities(r, covered)) {
                return super::input::open_pending(m);
            }
        }
        Loaded::Shipments(page, as_of) => {
            let count = old_count(m);
            set_view(m, generation, Data::Shipments { page, count, as_of });
        }
        Loaded::Intersect(rows) => {
            if set_view(m, generation, Data::Intersect(rows)) {
                return super::invest::audit_loaded(m);
            }
        }
        Loaded::Trail(t) => {
            if set_view(m, generation, Data::Trail(t)) {
                return super::invest::audit_loaded(m);
            }
        }
        Loaded::Audit(a) => {
            set_view(m, generation, Data::Audit(a));
        }
        Loaded::Frequency(t) => {
            // A partial table of a scan that goes on: shown, still loading.
            let partial = t.scanned.is_some();
            if set_view(m, generation, Data::Frequency(t)) && partial {
                m.screen_mut().loading = true;
            }
        }
        Loaded::Profile(p) => {
            set_view(m, generation, Data::Profile(p));
        }
        Loaded::Screening(s) => {
            if let Some(n) = s.notes.first().filter(|_| generation == m.expect.view) {
                m.message = Some(format!("note: {n}"));
            }
            if m.screening && set_view(m, generation, Data::Screening(s)) {
                return super::input::open_pending(m);
            }
        }
        Loaded::Patents(page) => {
            let count = old_count(m);
            set_view(m, generation, Data::Patents { page, count });
        }
        Loaded::Detail(mut d) => {
            if generation == m.expect.view {
                let crumb = short(&d.crumb, 32);
                m.screen_mut().route.crumb = crumb;
                let evidence = m.route().evidence.clone();
                d.fields.splice(0..0, evidence);
            }
            set_view(m, generation, Data::Detail(d));
        }
    }
    Vec::new()
}

fn old_count(m: &Model) -> Option<Count> {
    match &m.screen().data {
        Data::Shipments { count, .. } | Data::Patents { count, .. } => *count,
        _ => None,
    }
}

fn set_count(m: &mut Model, c: Count) {
    match &mut m.screen_mut().data {
        Data::Shipments { count, .. } | Data::Patents { count, .. } => *count = Some(c),
        // The count beat the first page: keep it until the page arrives.
        Data::Empty => {
            m.message = None;
            pending_count(m, c);
        }
        _ => {}
    }
}

/// Remember a count that arrived before its page by storing an empty page with it.
fn pending_count(m: &mut Model, c: Count) {
    let s = m.screen_mut();
    s.data = match s.route.view {
        View::Shipments { .. } => Data::Shipments {
            page: tradescope_store::shipments::Page {
                rows: Vec::new(),
                next: None,
            },
            count: Some(c),
            as_of: Vec::new(),
        },
        View::Patents { .. } => Data::Patents {
            page: tradescope_store::patents::PatentPage {
                rows: Vec::new(),
                next: None,
            },
            count: Some(c),
        },
        _ => return,
    };
}

/// Apply a view's data if it is the expected answer; true if it was applied.
fn set_view(m: &mut Model, generation: u64, data: Data) -> bool {
    if generation != m.expect.view {
        return false;
    }
    let s = m.screen_mut();
    s.data = data;
    s.loading = false;
    let n = m.row_count();
    let v = m.visible_rows();
    let r = &mut m.screen_mut().route;
    r.cursor = r.cursor.min(n.saturating_sub(1));
    super::update::fix_scroll(r, v);
    true
}

/// Cut a label to `max` characters with an ellipsis.
pub fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
