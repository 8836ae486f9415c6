//! `update`: the only place the model changes. Pure: no I/O, no clock, no threads; anything slow
//! becomes a `Command` for the workers.

use tradescope_store::patents::PatentSortKey;
use tradescope_store::shipments::SortKey;

use super::action::{Action, Follow, Pane};
use super::command::Command;
use super::detail_text;
use super::input::{begin_input, edit, escape, insert, paste, submit};
use super::invest;
use super::jump;
use super::load::{self, ensure_loaded, load_view};
use super::model::{Data, Mode, Model, Names};
use super::nav::{PageKey, Route, View};
use super::review;

pub fn update(m: &mut Model, a: Action) -> Vec<Command> {
    if is_key(&a) {
        m.message = None;
        // Another key after a pending Enter: the Enter no longer waits for the results.
        if a != Action::Submit {
            m.pending_open = false;
        }
    }
    // The review prompt takes the keys while it is open.
    if m.mode == Mode::Review && is_key(&a) && !matches!(a, Action::Resize(..)) {
        return review::prompt_key(m, &a);
    }
    if m.help
        && is_key(&a)
        && !matches!(
            a,
            Action::ToggleHelp | Action::Quit | Action::Escape | Action::ScrollHelp(_)
        )
    {
        return Vec::new();
    }
    // The decision prompt takes the keys it knows (typing, Tab, Enter, Esc).
    if let Some(cmds) = super::decide::on_prompt(m, &a) {
        return cmds;
    }
    match a {
        Action::Start => start(m),
        Action::Quit => {
            m.quit = true;
            Vec::new()
        }
        Action::ToggleHelp => {
            m.help = !m.help;
            m.help_scroll = 0;
            Vec::new()
        }
        Action::ScrollHelp(n) => {
            let max = super::keymap::help_sections()
                .iter()
                .map(|(_, rows)| rows.len() + 2)
                .sum::<usize>();
            m.help_scroll = (m.help_scroll as i64 + n as i64).clamp(0, max as i64) as usize;
            Vec::new()
        }
        Action::Resize(w, h) => {
            m.width = w;
            m.height = h;
            let v = m.visible_rows();
            fix_scroll(&mut m.screen_mut().route, v);
            Vec::new()
        }
        Action::Up => move_by(m, -1),
        Action::Down => move_by(m, 1),
        Action::PageUp => {
            let v = m.visible_rows() as isize;
            move_by(m, -v)
        }
        Action::PageDown => {
            let v = m.visible_rows() as isize;
            move_by(m, v)
        }
        Action::Top => top(m),
        Action::Bottom => bottom(m),
        Action::Open => open(m),
        Action::Back => {
            m.mode = Mode::Normal;
            let was_loading = m.screen().loading;
            if m.history.back() {
                {
                    let cmds = ensure_loaded(m);
                    cancel_left(m, was_loading, cmds)
                }
            } else {
                m.message = Some("This is where you started: nothing to go back to".into());
                Vec::new()
            }
        }
        Action::Forward => {
            m.mode = Mode::Normal;
            let was_loading = m.screen().loading;
            if m.history.forward() {
                {
                    let cmds = ensure_loaded(m);
                    cancel_left(m, was_loading, cmds)
                }
            } else {
                Vec::new()
            }
        }
        Action::Pane(p) => switch_pane(m, p),
        Action::NextPane => switch_pane(m, Pane::ALL[(m.pane().index() + 1) % Pane::ALL.len()]),
        Action::PrevPane => switch_pane(
            m,
            Pane::ALL[(m.pane().index() + Pane::ALL.len() - 1) % Pane::ALL.len()],
        ),
        // Already typing: the line keeps the focus (and its text).
        Action::EditFilter if m.mode == Mode::Input => Vec::new(),
        Action::EditFilter => {
            begin_input(m);
            Vec::new()
        }
        Action::Escape => escape(m),
        Action::Follow(f) => follow(m, f),
        Action::SortNext | Action::SortReverse => sort(m, a == Action::SortReverse),
        Action::ScrollFields(n) => {
            scroll_fields(m, n);
            Vec::new()
        }
        Action::Insert(c) => insert(m, c),
        Action::Paste(text) => paste(m, &text),
        Action::DeleteChar => edit(m, |s| {
            s.pop();
        }),
        Action::DeleteWord => edit(m, |s| {
            let t = s.trim_end().len();
            s.truncate(t);
            let cut = s.rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0);
            s.truncate(cut);
        }),
        Action::ClearInput => edit(m, String::clear),
        Action::Submit => submit(m),
        Action::NamesReady { names, records } => {
            m.names = Names::Ready { names, records };
            if matches!(m.route().view, View::Entities { .. }) {
                load_view(m, false)
            } else {
                Vec::new()
            }
        }
        Action::NamesFailed(msg) => {
            m.names = Names::Failed(msg);
            Vec::new()
        }
        Action::Loaded { generation, data } => load::apply(m, generation, data),
        Action::Intersect => invest::intersect(m),
        Action::Trail => invest::trail(m),
        Action::AuditLog => invest::audit_log(m),
        Action::Frequency => super::views::open_frequency(m),
        Action::Profile => super::views::open_profile(m),
        Action::Left | Action::Right => {
            let right = a == Action::Right;
            match super::views::horizontal(m, right) {
                Some(cmds) => cmds,
                None => invest::horizontal(m, right),
            }
        }
        Action::Toggle => invest::toggle(m),
        Action::Mark => invest::mark(m),
        Action::ExportCase => invest::export_case(m),
        Action::Copy => invest::copy(m),
        Action::ToggleScreening => invest::toggle_screening(m),
        Action::Threshold(n) => invest::threshold(m, n),
        Action::ListsUpdated(now) => {
            lists_updated(m, now);
            Vec::new()
        }
        Action::Reload => reload(m),
        Action::ReviewLink(v) => review::begin(m, v),
        Action::LinkReviewed(r) => review::reviewed(m, r),
        Action::Decide => super::decide::open(m),
        // Only the open prompt takes Tab as a verdict change (above).
        Action::CycleVerdict => Vec::new(),
        Action::Decided(r) => super::decide::decided(m, r),
        Action::Written(r) => {
            match r {
                Ok(msg) if msg.is_empty() => {}
                Ok(msg) | Err(msg) => m.message = Some(msg),
            }
            Vec::new()
        }
    }
}

/// Actions that come from the keyboard (they clear a one-off message).
fn is_key(a: &Action) -> bool {
    !matches!(
        a,
        Action::Start
            | Action::Resize(..)
            | Action::NamesReady { .. }
            | Action::NamesFailed(_)
            | Action::Loaded { .. }
            | Action::Written(_)
            | Action::LinkReviewed(_)
            | Action::Decided(_)
            | Action::ListsUpdated(_)
    )
}

/// Another process changed the lists: say which, until `R` reloads them. The names, the
/// screening index and the rows on screen are the old versions' until then.
fn lists_updated(m: &mut Model, now: Vec<(String, Option<String>)>) {
    let changed: Vec<String> = now
        .iter()
        .filter(|s| !m.sources.contains(s))
        .map(|(d, a)| format!("{d} {}", a.as_deref().unwrap_or("undated")))
        .collect();
    let gone: Vec<String> = m
        .sources
        .iter()
        .filter(|(d, _)| !now.iter().any(|(n, _)| n == d))
        .map(|(d, _)| format!("{d} removed"))
        .collect();
    let all: Vec<String> = changed.into_iter().chain(gone).collect();
    if all.is_empty() {
        return;
    }
    m.lists_updated = Some(format!("lists updated: {} — R reloads", all.join(", ")));
}

/// `R`: forget every loaded list (each worker drops its connection, names and screening index)
/// and load the names, the list versions and the current view again.
fn reload(m: &mut Model) -> Vec<Command> {
    m.lists_updated = None;
    m.names = Names::Loading;
    load::invalidate(m);
    let mut cmds = vec![Command::Reload];
    cmds.extend(start(m));
    cmds
}

fn start(m: &mut Model) -> Vec<Command> {
    let g = m.next_generation();
    m.expect.sources = g;
    let mut cmds = vec![
        Command::LoadNames,
        Command::Sources { generation: g },
        Command::WatchAlerts,
    ];
    cmds.extend(load_view(m, false));
    cmds
}

/// Push a route and load it.
pub fn push(m: &mut Model, route: Route) -> Vec<Command> {
    m.mode = Mode::Normal;
    m.history.push(super::model::Screen::new(route));
    load::invalidate(m);
    load_view(m, false)
}

/// Keep the cursor on screen.
pub fn fix_scroll(r: &mut Route, visible: usize) {
    let v = visible.max(1);
    if r.cursor < r.scroll {
        r.scroll = r.cursor;
    } else if r.cursor >= r.scroll + v {
        r.scroll = r.cursor + 1 - v;
    }
}

fn set_cursor(m: &mut Model, c: usize) {
    let v = m.visible_rows();
    let r = &mut m.screen_mut().route;
    r.cursor = c;
    fix_scroll(r, v);
}

/// The keyset key where the page after the current one starts, if there is one.
fn next_page_key(m: &Model) -> Option<PageKey> {
    match &m.screen().data {
        Data::Shipments { page, .. } => page.next.clone().map(PageKey::Shipment),
        Data::Patents { page, .. } => page.next.clone().map(PageKey::Patent),
        _ => None,
    }
}

fn move_by(m: &mut Model, delta: isize) -> Vec<Command> {
    let n = m.row_count();
    let cur = m.route().cursor as isize;
    let target = cur + delta;
    if m.route().from_end {
        return move_from_end(m, n, cur, target);
    }
    if n > 0 && target >= n as isize && cur == n as isize - 1 {
        // Past the last row: the next keyset page, if any.
        if let Some(key) = next_page_key(m) {
            let r = &mut m.screen_mut().route;
            r.page_starts.truncate(r.page + 1);
            r.page_starts.push(Some(key));
            r.page += 1;
            r.cursor = 0;
            r.scroll = 0;
            return load_view(m, true);
        }
    }
    if target < 0 && cur == 0 && m.route().page > 0 {
        let r = &mut m.screen_mut().route;
        r.page -= 1;
        // The last row of a full page; clamped (and scrolled into view) when the page arrives.
        r.cursor = super::model::PAGE_SIZE - 1;
        r.scroll = 0;
        return load_view(m, true);
    }
    if n == 0 {
        return Vec::new();
    }
    set_cursor(m, target.clamp(0, n as isize - 1) as usize);
    Vec::new()
}

/// `move_by` on pages counted from the end (after `G`): down past the last row goes to the
/// page after (one nearer the end), up past the first to the page before, whose start is the
/// reversed sort's next page.
fn move_from_end(m: &mut Model, n: usize, cur: isize, target: isize) -> Vec<Command> {
    if n > 0 && target >= n as isize && cur == n as isize - 1 && m.route().page > 0 {
        let r = &mut m.screen_mut().route;
        r.page -= 1;
        r.cursor = 0;
        r.scroll = 0;
        return load_view(m, true);
    }
    if target < 0 && cur == 0 {
        if let Some(key) = next_page_key(m) {
            let r = &mut m.screen_mut().route;
            r.page_starts.truncate(r.page + 1);
            r.page_starts.push(Some(key));
            r.page += 1;
            // The page's last row; clamped (and scrolled into view) when the page arrives.
            r.cursor = super::model::PAGE_SIZE - 1;
            r.scroll = 0;
            return load_view(m, true);
        }
    }
    if n == 0 {
        return Vec::new();
    }
    set_cursor(m, target.clamp(0, n as isize - 1) as usize);
    Vec::new()
}

/// `G`: the last row of the whole list. A Shipments or Patents list not already on its last
/// page loads the last page (the reversed sort's first, shown in the list's order); other
/// lists are all on screen.
fn bottom(m: &mut Model) -> Vec<Command> {
    let paged = matches!(
        m.route().view,
        View::Shipments { .. } | View::Patents { .. }
    );
    let loaded = !m.screen().loading
        && matches!(
            m.screen().data,
            Data::Shipments { .. } | Data::Patents { .. }
        );
    let on_last = loaded
        && if m.route().from_end {
            m.route().page == 0
        } else {
            next_page_key(m).is_none()
        };
    if paged && !on_last {
        let r = &mut m.screen_mut().route;
        r.reset_position();
        r.from_end = true;
        // The last row; clamped (and scrolled into view) when the page arrives.
        r.cursor = super::model::PAGE_SIZE - 1;
        return load_view(m, true);
    }
    let n = m.row_count();
    set_cursor(m, n.saturating_sub(1));
    Vec::new()
}

fn top(m: &mut Model) -> Vec<Command> {
    if m.route().page > 0 || m.route().from_end {
        m.screen_mut().route.reset_position();
        return load_view(m, true);
    }
    set_cursor(m, 0);
    Vec::new()
}

pub(super) fn open(m: &mut Model) -> Vec<Command> {
    if let Some(cmds) = super::views::open(m) {
        return cmds;
    }
    if let Some(cmds) = invest::open_cell(m) {
        return cmds;
    }
    if let Some(cmds) = invest::open_more(m) {
        return cmds;
    }
    if let Data::Audit(a) = &m.screen().data {
        // The whole record, on its own screen (Backspace returns to the log at the same row).
        let Some(r) = a.rows.get(m.route().cursor) else {
            return Vec::new();
        };
        if !m.route().evidence.is_empty() {
            return Vec::new();
        }
        let mut route = Route::audit();
        route.crumb = format!("Record #{}", r.id);
        route.evidence = invest::audit_fields(r);
        let screen = super::model::Screen {
            route,
            data: Data::Audit(a.clone()),
            loading: false,
        };
        m.mode = Mode::Normal;
        m.history.push(screen);
        return Vec::new();
    }
    if let Some(cmds) = review::open_rejected(m) {
        return cmds;
    }
    if let Data::Detail(d) = &m.screen().data {
        let Some(link) = d.links.get(m.route().cursor) else {
            return Vec::new();
        };
        let route = jump::from_link(link).into_route();
        return push(m, route);
    }
    match m.selected_record() {
        Some((record, label)) if !m.is_detail() => {
            let mut route = Route::detail(record, load::short(&label, 32));
            if let Data::Screening(s) = &m.screen().data {
                if let Some(h) = s.hits.get(m.route().cursor) {
                    route.evidence = invest::hit_evidence(&s.query, h);
                }
            }
            push(m, route)
        }
        _ => Vec::new(),
    }
}

/// Switch panes (`1`–`4`, Tab). The search line never takes the focus here: only `/` gives
/// it (see `input`), so `1` then `/name` searches for "name".
fn switch_pane(m: &mut Model, p: Pane) -> Vec<Command> {
    m.mode = Mode::Normal;
    let here = m.pane() == p;
    if here && !m.is_detail() {
        if m.route().is_home() {
            return Vec::new();
        }
        return push(m, Route::home(p));
    }
    // The pane as the user last saw it (list views only), else its starting view.
    let last = m
        .history
        .behind()
        .find(|s| s.route.pane() == p && !matches!(s.route.view, View::Detail { .. }))
        .cloned();
    match last {
        Some(screen) => {
            m.history.push(screen);
            ensure_loaded(m)
        }
        None => push(m, Route::home(p)),
    }
}

fn follow(m: &mut Model, f: Follow) -> Vec<Command> {
    let Some((record, _)) = m.selected_record() else {
        m.message = Some("Nothing selected".into());
        return Vec::new();
    };
    let g = m.next_generation();
    m.expect.jump = g;
    vec![Command::Resolve {
        record,
        follow: f,
        generation: g,
    }]
}

fn sort(m: &mut Model, reverse: bool) -> Vec<Command> {
    if !reverse {
        if let Some(cmds) = invest::sort_intersect(m) {
            return cmds;
        }
    }
    match &mut m.screen_mut().route.view {
        View::Shipments { sort, .. } => {
            if reverse {
                sort.desc = !sort.desc;
            } else {
                sort.key = next(&SortKey::ALL, sort.key);
                // Dates read newest first; names and codes A→Z.
                sort.desc = sort.key == SortKey::Date;
            }
        }
        View::Patents { sort, .. } => {
            if reverse {
                sort.desc = !sort.desc;
            } else {
                sort.key = next(&PatentSortKey::ALL, sort.key);
                sort.desc = sort.key == PatentSortKey::Date;
            }
        }
        _ => {
            m.message = Some(
                "Sorting applies to the Shipments and Patents panes and the intersection (o)"
                    .into(),
            );
            return Vec::new();
        }
    }
    m.screen_mut().route.reset_position();
    load_view(m, false)
}

/// The key after `k` in `all`, round (the `o` keys of the sortable views).
pub(super) fn next<K: Copy + PartialEq>(all: &[K], k: K) -> K {
    let i = all.iter().position(|x| *x == k).unwrap_or(0);
    all[(i + 1) % all.len()]
}

fn scroll_fields(m: &mut Model, n: i32) {
    if matches!(m.screen().data, Data::Audit(_)) && !m.route().evidence.is_empty() {
        let total = detail_text::field_lines(&m.route().evidence, m.width).len();
        let max = total.saturating_sub(m.detail_body() as usize);
        let r = &mut m.screen_mut().route;
        r.field_scroll = (r.field_scroll as i64 + n as i64).clamp(0, max as i64) as usize;
        return;
    }
    let Data::Detail(d) = &m.screen().data else {
        return;
    };
    let total = detail_text::field_lines(&d.fields, m.width).len();
    let (fields_h, _) = super::model::detail_split(m.detail_body(), total, d.links.len());
    let max = total.saturating_sub(fields_h as usize);
    let r = &mut m.screen_mut().route;
    r.field_scroll = (r.field_scroll as i64 + n as i64).clamp(0, max as i64) as usize;
}

/// After leaving a screen that was still loading: unless the new screen loads (which
/// supersedes it), a [`Command::Cancel`] so that its work stops (a frequency table's scan
/// ends at its next chunk instead of running to the end).
fn cancel_left(m: &Model, was_loading: bool, mut cmds: Vec<Command>) -> Vec<Command> {
    if was_loading && cmds.is_empty() {
        cmds.push(Command::Cancel {
            generation: m.expect.view,
        });
    }
    cmds
}
