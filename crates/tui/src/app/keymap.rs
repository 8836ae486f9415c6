//! The keymap as data: each binding is keys → action, a description and the context where it
//! applies. The help overlay, the help bar and the README's key table are generated from it.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Follow, Pane};
use super::model::{Mode, Model};
use super::nav::View;
use tradescope_store::link_review::Verdict;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere outside text input.
    Global,
    /// The Entities, Shipments and Patents lists.
    Lists,
    Shipments,
    Patents,
    /// The Entities pane, not typing (screening mode keys).
    Entities,
    /// The intersection view (column cursor, cell drill).
    Intersect,
    /// The transshipment trail tree.
    Trail,
    /// A frequency table (F).
    Frequency,
    /// A party's or list entry's profile (P).
    Profile,
    Detail,
    /// Typing into the search or filter line.
    Input,
    /// Typing the reason of a decision on a screening hit (`d`).
    Prompt,
    /// Typing the reason of a link review (c, r, u in the detail view).
    Review,
    /// The help overlay is open.
    Help,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Browsing (not typing)",
            Ctx::Lists => "In lists",
            Ctx::Shipments => "Shipments pane",
            Ctx::Patents => "Patents pane",
            Ctx::Entities => "Entities pane",
            Ctx::Intersect => "Intersection (i)",
            Ctx::Trail => "Transshipment trail (t)",
            Ctx::Frequency => "Frequency table (F)",
            Ctx::Profile => "Profile (P)",
            Ctx::Detail => "Detail view",
            Ctx::Input => "Typing a search or filter",
            Ctx::Prompt => "Typing a decision's reason (d)",
            Ctx::Review => "Typing a review reason",
            Ctx::Help => "Help",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}
const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    pub ctx: Ctx,
    /// Short label for the help bar, if the binding belongs there.
    pub bar: Option<&'static str>,
}

const fn b(
    ctx: Ctx,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    bar: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        help,
        ctx,
        bar,
    }
}

use Ctx::*;
use KeyCode::*;

/// Every binding, in the order the help shows them. The first match wins.
#[rustfmt::skip]
pub static KEYMAP: &[Binding] = &[
    // Typing a search or filter.
    b(Input, &[key(Enter)], Action::Submit, "apply the filter (Entities: open the selected result)", Some("apply/open")),
    b(Input, &[key(Esc)], Action::Escape, "stop typing (keeps the search)", Some("done")),
    b(Input, &[key(Down)], Action::Down, "move the selection down", Some("select")),
    b(Input, &[key(Up)], Action::Up, "move the selection up", None),
    b(Input, &[key(PageUp)], Action::PageUp, "page up", None),
    b(Input, &[key(PageDown)], Action::PageDown, "page down", None),
    b(Input, &[key(Backspace)], Action::DeleteChar, "delete a character", None),
    b(Input, &[ctrl('w')], Action::DeleteWord, "delete a word", None),
    b(Input, &[ctrl('u')], Action::ClearInput, "clear the line", Some("clear")),
    b(Input, &[key(Tab)], Action::NextPane, "next pane", None),
    b(Input, &[key(BackTab)], Action::PrevPane, "previous pane", None),
    b(Input, &[alt(Left)], Action::Back, "back", None),
    b(Input, &[alt(Right)], Action::Forward, "forward", None),
    b(Input, &[ctrl('s')], Action::ToggleScreening, "Entities: screening mode on/off", None),
    b(Input, &[ctrl('c')], Action::Quit, "quit", Some("quit")),
    // The decision prompt (d in screening mode).
    b(Prompt, &[key(Enter)], Action::Submit, "record the decision (with its audit record)", Some("record")),
    b(Prompt, &[key(Tab)], Action::CycleVerdict, "next verdict: false-positive, match, escalate", Some("verdict")),
    b(Prompt, &[key(Esc)], Action::Escape, "cancel: nothing is recorded", Some("cancel")),
    b(Prompt, &[key(Backspace)], Action::DeleteChar, "delete a character", None),
    b(Prompt, &[ctrl('u')], Action::ClearInput, "clear the reason", None),
    b(Prompt, &[ctrl('c')], Action::Quit, "quit", None),
    // The reason prompt of a link review (c, r, u in the detail view).
    b(Review, &[key(Enter)], Action::Submit, "record the review with this reason (audited)", Some("record")),
    b(Review, &[key(Esc)], Action::Escape, "cancel: nothing is recorded", Some("cancel")),
    b(Review, &[key(Backspace)], Action::DeleteChar, "delete a character", None),
    b(Review, &[ctrl('u')], Action::ClearInput, "clear the reason", None),
    b(Review, &[ctrl('c')], Action::Quit, "quit", None),
    // The help overlay.
    b(Help, &[ch('?'), key(Esc), ch('q')], Action::ToggleHelp, "close help", Some("close")),
    b(Help, &[ch('j'), key(Down)], Action::ScrollHelp(1), "scroll down", Some("scroll")),
    b(Help, &[ch('k'), key(Up)], Action::ScrollHelp(-1), "scroll up", None),
    b(Help, &[key(PageDown), ch(' ')], Action::ScrollHelp(10), "page down", None),
    b(Help, &[key(PageUp)], Action::ScrollHelp(-10), "page up", None),
    b(Help, &[ctrl('c')], Action::Quit, "quit", None),
    // Detail view.
    b(Detail, &[key(Enter), ch('l')], Action::Open, "follow the selected link", Some("follow")),
    b(Detail, &[ch('c')], Action::ReviewLink(Verdict::Confirmed), "confirm the selected matcher link (asks a reason; marked ✓)", None),
    b(Detail, &[ch('r')], Action::ReviewLink(Verdict::Rejected), "reject the selected matcher link (asks a reason; it leaves drills, counts, intersection, trails)", None),
    b(Detail, &[ch('u')], Action::ReviewLink(Verdict::Auto), "reset a reviewed link to the matcher's verdict (asks a reason)", None),
    b(Detail, &[ch('J'), ctrl('d')], Action::ScrollFields(5), "scroll the fields down", None),
    b(Detail, &[ch('K'), ctrl('u')], Action::ScrollFields(-5), "scroll the fields up", None),
    b(Detail, &[ch('h')], Action::Back, "back", None),
    // Intersection.
    b(Intersect, &[key(Right)], Action::Right, "next column", Some("column")),
    b(Intersect, &[key(Left)], Action::Left, "previous column", None),
    b(Intersect, &[key(Enter), ch('l')], Action::Open, "drill into the cell (detail, patents, shipments)", Some("drill")),
    b(Intersect, &[ch('o')], Action::SortNext, "sort: shipments, patents, areas, listed, dates, name", Some("sort")),
    // Trail.
    b(Trail, &[key(Right)], Action::Right, "expand (again: to the first line below)", Some("expand")),
    b(Trail, &[key(Left), ch('h')], Action::Left, "collapse (again: to the parent)", Some("collapse")),
    b(Trail, &[ch(' ')], Action::Toggle, "expand / collapse", None),
    b(Trail, &[key(Enter), ch('l')], Action::Open, "open the party or the evidence shipment; on an \"N more → …\" line: list the hop's shipments", Some("open")),
    // Frequency table.
    b(Frequency, &[key(Enter), ch('l')], Action::Open, "the rows with the selected value (a Shipments, Patents or screening-hits list)", Some("rows")),
    b(Frequency, &[key(Right)], Action::Right, "count the next column", Some("column")),
    b(Frequency, &[key(Left)], Action::Left, "count the previous column", None),
    b(Frequency, &[key(Esc), ch('h')], Action::Back, "close the table (cancels it while it loads)", Some("close")),
    // Profile.
    b(Profile, &[key(Enter), ch('l')], Action::Open, "the shipments behind the selected figure", Some("shipments")),
    b(Profile, &[key(Right)], Action::Right, "chart: next month", Some("month")),
    b(Profile, &[key(Left)], Action::Left, "chart: previous month", None),
    b(Profile, &[key(Esc), ch('h')], Action::Back, "close the profile", Some("close")),
    // Entities pane.
    b(Entities, &[ch('S'), ctrl('s')], Action::ToggleScreening, "screening mode on/off (score, explanation)", Some("screening")),
    b(Entities, &[ch('+'), ch('=')], Action::Threshold(1), "screening threshold up by 0.05", None),
    b(Entities, &[ch('-')], Action::Threshold(-1), "screening threshold down by 0.05", None),
    b(Entities, &[ch('F')], Action::Frequency, "screening: frequency table of the hits (list, source, type, country, program, score band; ← → change)", None),
    b(Entities, &[ch('d')], Action::Decide, "screening: decide on the selected hit (false positive, match, escalate) with a reason", Some("decide")),
    // Shipments pane.
    b(Shipments, &[ch('o')], Action::SortNext, "sort by the next column", Some("sort")),
    b(Shipments, &[ch('O')], Action::SortReverse, "reverse the sort order", None),
    b(Shipments, &[ch('F')], Action::Frequency, "frequency table of the sort column over the filter (value → count, share)", Some("freq")),
    // Patents pane.
    b(Patents, &[ch('o')], Action::SortNext, "sort by date / number", Some("sort")),
    b(Patents, &[ch('O')], Action::SortReverse, "reverse the sort order", None),
    b(Patents, &[ch('F')], Action::Frequency, "frequency table over the filter (assignee, CET, CPC, year; ← → change)", Some("freq")),
    // Lists.
    b(Lists, &[key(Enter), ch('l')], Action::Open, "open the selected record", Some("open")),
    b(Lists, &[ch('h')], Action::Back, "back", None),
    // Everywhere.
    b(Global, &[ch('s')], Action::Follow(Follow::Shipments), "linked shipments of the selected record", Some("shipments")),
    b(Global, &[ch('p')], Action::Follow(Follow::Patents), "linked patents of the selected record", Some("patents")),
    b(Global, &[ch('e')], Action::Follow(Follow::Entries), "linked list entries / trade parties", Some("entries")),
    b(Global, &[ch('/')], Action::EditFilter, "focus the search or filter line, from anywhere (not typed)", Some("filter")),
    b(Global, &[key(Esc)], Action::Escape, "clear the filter (Backspace brings it back)", None),
    b(Global, &[key(Backspace), alt(Left)], Action::Back, "back (restores the exact position)", Some("back")),
    b(Global, &[ch('P')], Action::Profile, "profile of the selected trade party or list entry (totals, counterparties, months)", Some("profile")),
    b(Global, &[alt(Right)], Action::Forward, "forward", None),
    b(Global, &[ch('j'), key(Down)], Action::Down, "down (past the last row: next page)", None),
    b(Global, &[ch('k'), key(Up)], Action::Up, "up (past the first row: previous page)", None),
    b(Global, &[key(PageDown), ctrl('f')], Action::PageDown, "page down", None),
    b(Global, &[key(PageUp), ctrl('b')], Action::PageUp, "page up", None),
    b(Global, &[ch('g'), key(Home)], Action::Top, "first row (first page)", None),
    b(Global, &[ch('G'), key(End)], Action::Bottom, "last row of the whole list (loads the last page)", None),
    b(Global, &[ch('1')], Action::Pane(Pane::Entities), "Entities pane (search names)", None),
    b(Global, &[ch('2')], Action::Pane(Pane::Shipments), "Shipments pane (again: all shipments)", None),
    b(Global, &[ch('3')], Action::Pane(Pane::Patents), "Patents pane (again: all patents)", None),
    b(Global, &[key(Tab)], Action::NextPane, "next pane", None),
    b(Global, &[key(BackTab)], Action::PrevPane, "previous pane", None),
    b(Global, &[ch('i')], Action::Intersect, "intersection: listed + CET patents + shipments", Some("intersect")),
    b(Global, &[ch('t')], Action::Trail, "transshipment trail of the selected list entry", None),
    b(Global, &[ch('A')], Action::AuditLog, "audit log (newest first, chain verified)", None),
    b(Global, &[ch('m')], Action::Mark, "mark the selected record into the current case", None),
    b(Global, &[ch('x')], Action::ExportCase, "export the case (Markdown, provenance) to a file", None),
    b(Global, &[ch('y')], Action::Copy, "copy the selected value (OSC 52 clipboard)", None),
    b(Global, &[ch('4')], Action::Pane(Pane::Investigate), "Investigate pane (intersection, trails, audit)", None),
    b(Global, &[ch('R')], Action::Reload, "reload the lists (after another process imported some)", None),
    b(Global, &[ch('?')], Action::ToggleHelp, "help (this screen)", Some("help")),
    b(Global, &[ch('q'), ctrl('c')], Action::Quit, "quit", Some("quit")),
];

/// The contexts that apply now, most specific first.
pub fn contexts(m: &Model) -> Vec<Ctx> {
    if m.help {
        return vec![Help];
    }
    if m.prompt.is_some() {
        return vec![Prompt];
    }
    if m.mode == Mode::Input {
        return vec![Input];
    }
    if m.mode == Mode::Review {
        return vec![Review];
    }
    match &m.route().view {
        View::Detail { .. } => vec![Detail, Global],
        View::Shipments { .. } => vec![Shipments, Lists, Global],
        View::Patents { .. } => vec![Patents, Lists, Global],
        View::Entities { .. } => vec![Entities, Lists, Global],
        View::Intersect { .. } => vec![Intersect, Lists, Global],
        View::Trail { .. } => vec![Trail, Lists, Global],
        View::Frequency { .. } => vec![Frequency, Global],
        View::Hits { .. } => vec![Lists, Global],
        View::Profile { .. } => vec![Profile, Global],
        _ => vec![Lists, Global],
    }
}

fn matches(k: &Key, code: KeyCode, mods: KeyModifiers) -> bool {
    k.code == code && k.mods == mods
}

/// The action for a key press in the current state, if any.
pub fn lookup(m: &Model, ev: KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let mut mods = ev.modifiers;
    if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
        // Shift is already in the character ('G'), and Shift-Tab arrives as BackTab.
        mods.remove(KeyModifiers::SHIFT);
    }
    let ctxs = contexts(m);
    for ctx in &ctxs {
        for bind in KEYMAP.iter().filter(|b| b.ctx == *ctx) {
            if bind.keys.iter().any(|k| matches(k, ev.code, mods)) {
                return Some(bind.action.clone());
            }
        }
    }
    match (ctxs.first(), ev.code) {
        (Some(Input | Prompt | Review), KeyCode::Char(c))
            if !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(Action::Insert(c))
        }
        _ => None,
    }
}

/// Esc followed quickly by a key arrives as Alt+key (terminals send both as "ESC key", and a
/// fast typist, a paste or tmux can put them in one read). When Alt+char means nothing, it is
/// taken as Esc then the char: returns the char's key event.
pub fn split_alt(m: &Model, ev: KeyEvent) -> Option<KeyEvent> {
    let unbound = lookup(m, ev).is_none();
    if unbound && ev.modifiers.contains(KeyModifiers::ALT) && matches!(ev.code, KeyCode::Char(_)) {
        let mut plain = ev;
        plain.modifiers.remove(KeyModifiers::ALT);
        return Some(plain);
    }
    None
}

/// How a key is written in help texts.
pub fn key_name(k: &Key) -> String {
    let base = match k.code {
        Char(' ') => "Space".to_string(),
        Char(c) => c.to_string(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Backspace => "Backspace".into(),
        Tab => "Tab".into(),
        BackTab => "Shift-Tab".into(),
        Up => "↑".into(),
        Down => "↓".into(),
        Left => "←".into(),
        Right => "→".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Home => "Home".into(),
        End => "End".into(),
        other => format!("{other:?}"),
    };
    let mut s = String::new();
    if k.mods.contains(KeyModifiers::CONTROL) {
        s.push_str("Ctrl-");
    }
    if k.mods.contains(KeyModifiers::ALT) {
        s.push_str("Alt-");
    }
    s.push_str(&base);
    s
}

/// All keys of a binding, e.g. "j ↓".
pub fn keys_text(b: &Binding) -> String {
    b.keys.iter().map(key_name).collect::<Vec<_>>().join(" ")
}

/// (keys, label) pairs for the help bar in the current state.
pub fn bar(m: &Model) -> Vec<(String, &'static str)> {
    let mut ctxs = contexts(m);
    // Sorting is the least needed on an 80-column bar: last, so it is the one cut off.
    if let Some(i) = ctxs.iter().position(|c| *c == Shipments) {
        let c = ctxs.remove(i);
        ctxs.push(c);
    }
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for ctx in ctxs {
        for bind in KEYMAP.iter().filter(|b| b.ctx == ctx) {
            // The detail view has no filter to edit.
            if bind.action == Action::EditFilter && m.route().query().is_none() {
                continue;
            }
            // A profile is of a trade party or a list entry.
            if bind.action == Action::Profile
                && !m.selected_record().is_some_and(|(r, _)| {
                    matches!(
                        r.kind,
                        tradescope_core::model::RecordKind::Entity
                            | tradescope_core::model::RecordKind::Party
                    )
                })
            {
                continue;
            }
            // Decisions are taken on screening hits only.
            if bind.action == Action::Decide && !m.screening {
                continue;
            }
            if let Some(label) = bind.bar {
                let keys = match bind.keys.first() {
                    Some(Key {
                        code: Backspace,
                        mods,
                    }) if mods.is_empty() => "Bksp".to_string(),
                    Some(k) => key_name(k),
                    None => String::new(),
                };
                // A key already shown (Enter "drill" before the lists' Enter "open") is not
                // shown again.
                if !out.iter().any(|(k, l)| *l == label || *k == keys) {
                    out.push((keys, label));
                }
            }
        }
    }
    out
}

/// The bar's entries that fit in `width` columns ("k label  " each): `? help` and `q quit`
/// always, at the end; the others in order while they fit.
pub fn fit_bar(items: Vec<(String, &'static str)>, width: usize) -> Vec<(String, &'static str)> {
    let len = |(k, l): &(String, &str)| k.chars().count() + l.chars().count() + 3;
    let always = |l: &str| l == "help" || l == "quit";
    let (kept, rest): (Vec<_>, Vec<_>) = items.into_iter().partition(|(_, l)| always(l));
    let mut room = width.saturating_sub(kept.iter().map(len).sum());
    let mut out = Vec::new();
    for item in rest {
        if len(&item) > room {
            break;
        }
        room -= len(&item);
        out.push(item);
    }
    out.extend(kept);
    out
}

/// The help overlay's content: (section title, [(keys, description)]), generated from the
/// keymap and the filter syntax.
pub fn help_sections() -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    for ctx in [
        Global, Lists, Shipments, Patents, Entities, Intersect, Trail, Frequency, Profile, Detail,
        Input, Prompt, Review,
    ] {
        let rows = KEYMAP
            .iter()
            .filter(|b| b.ctx == ctx)
            .map(|b| (keys_text(b), b.help.to_string()))
            .collect();
        out.push((ctx.title().to_string(), rows));
    }
    let syntax = |keys: &[(&str, &str)]| {
        keys.iter()
            .map(|(k, d)| (k.to_string(), d.to_string()))
            .collect::<Vec<_>>()
    };
    out.push((
        "Shipments filter (/), e.g. party:\"phuong viet\" hs:8525 from:2020 (keys AND; repeated party: OR)".into(),
        syntax(super::filter::SHIPMENT_KEYS),
    ));
    out.push((
        "Patents filter (/), e.g. cet:AI cpc:G06V year:2022 face liveness".into(),
        syntax(super::filter::PATENT_KEYS),
    ));
    out
}

/// The key reference as Markdown table rows (for the README), context by context.
pub fn markdown_table() -> String {
    let mut s = String::from("| Keys | Where | What |\n| --- | --- | --- |\n");
    let order = [
        Global, Lists, Shipments, Patents, Entities, Intersect, Trail, Frequency, Profile, Detail,
        Input, Prompt, Review,
    ];
    for bind in order
        .iter()
        .flat_map(|c| KEYMAP.iter().filter(move |b| b.ctx == *c))
    {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            keys_text(bind).replace('|', "\\|"),
            bind.ctx.title(),
            bind.help
        ));
    }
    s
}
