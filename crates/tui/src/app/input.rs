//! `update` for the search and filter line: entering and leaving input mode, editing (the
//! Entities pane searches as you type), applying a filter (checked before it is applied), and
//! Esc's meanings (leave the line, else clear the filter, else close the help), and pastes.
//!
//! The focus rule: keys are typed into a line only while it has the focus — shown by its
//! highlighted label and the cursor; the Entities search line has it at start, `/` gives it
//! from anywhere (and is never typed itself), and Enter, Esc, going back or forward and
//! switching panes take it away.

use super::command::Command;
use super::invest;
use super::load::load_view;
use super::model::{Data, Mode, Model};
use super::nav::View;
use super::update::{open, push};

pub fn begin_input(m: &mut Model) {
    match m.route().query() {
        Some(q) => {
            m.input = q.to_string();
            m.input_error = None;
            m.mode = Mode::Input;
        }
        None => {
            m.message = Some("No filter here: press 1, 2 or 3 for a pane, ⌫ to go back".into());
        }
    }
}

pub fn escape(m: &mut Model) -> Vec<Command> {
    if m.help {
        m.help = false;
        return Vec::new();
    }
    if m.mode == Mode::Input {
        m.mode = Mode::Normal;
        m.input_error = None;
        return invest::audit_search(m);
    }
    // Clearing an applied filter is a step on the history: Backspace brings it back.
    if m.route().query().is_none_or(str::is_empty) {
        return Vec::new();
    }
    let mut route = m.route().clone();
    if let Some(q) = route.query_mut() {
        q.clear();
    }
    route.reset_position();
    push(m, route)
}

/// Longest line a paste may make (a stray paste of a whole document is cut, and says so).
pub const MAX_INPUT: usize = 1000;

/// A paste is text: it goes into the line being edited — the pane's line takes the focus if
/// it has one — with line breaks and tabs as spaces; it never runs as keys.
pub fn paste(m: &mut Model, text: &str) -> Vec<Command> {
    if m.mode != Mode::Input {
        if m.route().query().is_none() {
            m.message =
                Some("Nothing to paste into here: / edits a pane's search or filter".into());
            return Vec::new();
        }
        begin_input(m);
    }
    let room = MAX_INPUT.saturating_sub(m.input.chars().count());
    let clean = paste_text(text);
    let cut = clean.chars().count() > room;
    let cmds = edit(m, |s| s.extend(clean.chars().take(room)));
    if cut {
        m.message = Some(format!("The paste was cut to {MAX_INPUT} characters"));
    }
    cmds
}

/// Pasted text as one line: each line break (CR LF, LF or CR) and tab becomes a space; other
/// control characters are dropped.
pub fn paste_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A typed character. The `/` that asks for the focus is not typed into an empty line
/// (`/name` at start, or `/` on a line that already has the focus, searches for "name").
pub fn insert(m: &mut Model, c: char) -> Vec<Command> {
    if c == '/' && m.input.is_empty() {
        return Vec::new();
    }
    if m.input.chars().count() >= MAX_INPUT {
        return Vec::new();
    }
    edit(m, |s| s.push(c))
}

pub fn edit(m: &mut Model, f: impl FnOnce(&mut String)) -> Vec<Command> {
    if m.mode != Mode::Input {
        return Vec::new();
    }
    f(&mut m.input);
    m.input_error = None;
    // The Entities pane searches as you type; the others apply the filter on Enter.
    let input = m.input.clone();
    if let View::Entities { query } = &mut m.screen_mut().route.view {
        if *query != input {
            *query = input;
            m.screen_mut().route.reset_position();
            return load_view(m, false);
        }
    }
    Vec::new()
}

/// Whether the Entities results on screen are not yet those of the typed query (a search is
/// running, or the names are still loading).
pub fn results_pending(m: &Model) -> bool {
    let View::Entities { query } = &m.route().view else {
        return false;
    };
    if query.trim().is_empty() {
        return false;
    }
    m.screen().loading
        || match &m.screen().data {
            Data::Entities(r, _) => r.query != *query,
            Data::Screening(s) => s.query != *query,
            _ => true,
        }
}

/// The results a pending Enter waited for arrived: audit the search and open the top result.
pub fn open_pending(m: &mut Model) -> Vec<Command> {
    if !m.pending_open || results_pending(m) {
        return Vec::new();
    }
    m.pending_open = false;
    let mut cmds = invest::audit_search(m);
    cmds.extend(open(m));
    cmds
}

pub fn submit(m: &mut Model) -> Vec<Command> {
    if m.mode != Mode::Input {
        return open(m);
    }
    let input = m.input.clone();
    let check = match &m.route().view {
        View::Shipments { .. } => super::filter::parse_shipments(&input).map(|_| ()),
        View::Patents { .. } => super::filter::parse_patents(&input).map(|_| ()),
        View::Entities { .. } => {
            m.mode = Mode::Normal;
            if results_pending(m) {
                // Keys typed ahead act on what they were meant for: open the top result of
                // the whole query once it arrives, not what is on screen now.
                m.pending_open = true;
                return Vec::new();
            }
            let mut cmds = invest::audit_search(m);
            cmds.extend(open(m));
            return cmds;
        }
        _ => Ok(()),
    };
    if let Err(e) = check {
        m.input_error = Some(e);
        return Vec::new();
    }
    m.mode = Mode::Normal;
    let r = &mut m.screen_mut().route;
    match r.query_mut() {
        Some(q) if *q != input => *q = input,
        _ => return Vec::new(),
    }
    r.reset_position();
    load_view(m, false)
}
