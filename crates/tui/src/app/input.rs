//! `update` for the search and filter line: entering and leaving input mode, editing (the
//! Entities pane searches as you type), applying a filter (checked before it is applied), and
//! Esc's meanings (leave the line, else clear the filter, else close the help).

use super::command::Command;
use super::invest;
use super::load::load_view;
use super::model::{Mode, Model};
use super::nav::View;
use super::update::open;

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
    let Some(q) = m.screen_mut().route.query_mut() else {
        return Vec::new();
    };
    if q.is_empty() {
        return Vec::new();
    }
    q.clear();
    m.screen_mut().route.reset_position();
    load_view(m, false)
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
