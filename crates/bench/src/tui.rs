//! The workbench's own figures, measured on its real code: `app::Model`, `app::update`, the
//! keymap, the executor's worker threads and `ui::draw`, drawn by ratatui's CrosstermBackend
//! into a byte counter (what a terminal would receive). No stand-in table.

use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::terminal::Counter;
use tradescope_store::error::Result;
use tradescope_tui::app::action::Pane;
use tradescope_tui::app::{keymap, update, Action, Command, Executor, Model, Worker};

/// The terminal size of the measurements (a common laptop terminal).
pub const WIDTH: u16 = 160;
pub const HEIGHT: u16 = 48;

type Term = Terminal<CrosstermBackend<Counter>>;

fn terminal(counter: &Counter) -> Result<Term> {
    Ok(Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )?)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Open → first frame, as `app::run` does it: open the database (schema and safety checks),
/// make the model, draw. `reps` times, each from a fresh connection and terminal.
pub fn first_frame(db: &Path, reps: usize) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        drop(tradescope_store::SqliteStore::open(db)?);
        let model = Model::new(db.display().to_string(), WIDTH, HEIGHT, true);
        let mut term = terminal(&Counter::default())?;
        term.draw(|f| tradescope_tui::ui::draw(&model, f))?;
        out.push(ms(t));
    }
    Ok(out)
}

/// Apply every answer already queued (as the run loop does before drawing).
fn drain(m: &mut Model, ex: &Executor, rx: &Receiver<Action>) -> bool {
    let mut any = false;
    while let Ok(a) = rx.try_recv() {
        ex.dispatch(update(m, a));
        any = true;
    }
    any
}

/// What the keystroke measurement saw.
pub struct Keystrokes {
    /// Key → frame on screen, ms.
    pub latencies: Vec<f64>,
    /// Keys pressed while a search was still running on the typeahead worker.
    pub while_busy: usize,
    /// Time to load every name into the typeahead engine (the worker's LoadNames), ms.
    pub names_ms: f64,
}

/// Keystroke → frame while the typeahead worker searches every name: the real executor
/// (worker threads), keys through the keymap, `update`, dispatch, `ui::draw`. Keys come every
/// `interval`, faster than a search over a million names, so most land while one runs.
pub fn keystrokes(db: &Path, words: &[&str], interval: Duration) -> Result<Keystrokes> {
    let (tx, rx) = channel::<Action>();
    let store = std::sync::Arc::new(tradescope_store::SqliteStore::open(db)?);
    let ex = Executor::start(store, move |a| {
        let _ = tx.send(a);
    });
    let mut m = Model::new(db.display().to_string(), WIDTH, HEIGHT, true);
    let mut term = terminal(&Counter::default())?;
    term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
    let t = Instant::now();
    ex.dispatch(update(&mut m, Action::Start));
    // Wait until the names are in (the workbench shows "loading names" meanwhile).
    loop {
        let Ok(a) = rx.recv_timeout(Duration::from_secs(600)) else {
            break;
        };
        let done = matches!(a, Action::NamesReady { .. } | Action::NamesFailed(_));
        ex.dispatch(update(&mut m, a));
        if done {
            break;
        }
    }
    let names_ms = ms(t);
    drain(&mut m, &ex, &rx);
    let mut latencies = Vec::new();
    let mut while_busy = 0;
    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    for word in words {
        if !matches!(keymap::lookup(&m, key('x')), Some(Action::Insert(_))) {
            ex.dispatch(update(&mut m, Action::EditFilter));
        }
        for c in word.chars() {
            if drain(&mut m, &ex, &rx) {
                term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
            }
            let busy = m.screen().loading;
            let t = Instant::now();
            if let Some(a) = keymap::lookup(&m, key(c)) {
                ex.dispatch(update(&mut m, a));
            }
            term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
            latencies.push(ms(t));
            while_busy += usize::from(busy);
            std::thread::sleep(interval);
        }
        // Let the last search finish, then clear the query for the next word.
        std::thread::sleep(Duration::from_millis(300));
        drain(&mut m, &ex, &rx);
        ex.dispatch(update(&mut m, Action::Escape));
        ex.dispatch(update(&mut m, Action::Escape));
        drain(&mut m, &ex, &rx);
    }
    Ok(Keystrokes {
        latencies,
        while_busy,
        names_ms,
    })
}

/// Run commands on `w` (and the commands their answers lead to) until nothing is pending,
/// skipping the name load (not needed to browse shipments).
fn settle(m: &mut Model, w: &mut Worker, cmds: Vec<Command>) {
    let mut queue: std::collections::VecDeque<Command> = cmds.into();
    let mut steps = 0;
    while let Some(cmd) = queue.pop_front() {
        steps += 1;
        if steps > 1000 {
            return;
        }
        if matches!(cmd, Command::LoadNames) {
            continue;
        }
        if let Some(a) = w.run(cmd, &|| false) {
            queue.extend(update(m, a));
        }
    }
}

/// Bytes the workbench writes per selection move on its Shipments screen (every shipment,
/// newest first), and bytes of a full redraw of the same frame (clear + every cell).
pub fn selection_move_bytes(db: &Path, moves: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut m = Model::new(db.display().to_string(), WIDTH, HEIGHT, true);
    let mut w = Worker::new(db);
    let cmds = update(&mut m, Action::Start);
    settle(&mut m, &mut w, cmds);
    let cmds = update(&mut m, Action::Pane(Pane::Shipments));
    settle(&mut m, &mut w, cmds);
    let counter = Counter::default();
    let mut term = terminal(&counter)?;
    term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
    let (mut per_move, mut full) = (Vec::new(), Vec::new());
    for i in 0..moves {
        // Down through the first page, then back up, so every move changes the selection.
        let a = if (i / 40) % 2 == 0 {
            Action::Down
        } else {
            Action::Up
        };
        let cmds = update(&mut m, a);
        settle(&mut m, &mut w, cmds);
        let before = counter.0.load(std::sync::atomic::Ordering::Relaxed);
        term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
        per_move.push((counter.0.load(std::sync::atomic::Ordering::Relaxed) - before) as f64);
        if i % 4 == 0 {
            let fresh = Counter::default();
            let mut t2 = terminal(&fresh)?;
            t2.draw(|f| tradescope_tui::ui::draw(&m, f))?;
            full.push(
                (fresh.0.load(std::sync::atomic::Ordering::Relaxed) + b"\x1b[2J".len()) as f64,
            );
        }
    }
    Ok((per_move, full))
}

/// The workbench's own structures in this process: a worker with every name loaded into the
/// typeahead engine, one search, the Shipments screen's first page, one frame drawn.
/// `measure` runs while all of it is still alive (the worker holds the names), and gets the
/// number of names loaded.
pub fn open_like_the_workbench<T>(db: &Path, measure: impl FnOnce(usize) -> T) -> Result<T> {
    let mut m = Model::new(db.display().to_string(), WIDTH, HEIGHT, true);
    let mut w = Worker::new(db);
    let mut names = 0;
    for cmd in update(&mut m, Action::Start) {
        if let Some(a) = w.run(cmd, &|| false) {
            if let Action::NamesReady { names: n, .. } = a {
                names = n;
            }
            let more = update(&mut m, a);
            settle(&mut m, &mut w, more);
        }
    }
    for c in "hikvision".chars() {
        let cmds = update(&mut m, Action::Insert(c));
        settle(&mut m, &mut w, cmds);
    }
    let cmds = update(&mut m, Action::Pane(Pane::Shipments));
    settle(&mut m, &mut w, cmds);
    let mut term = terminal(&Counter::default())?;
    term.draw(|f| tradescope_tui::ui::draw(&m, f))?;
    let out = measure(names);
    // Dropped only now: measured with the engine, the model and the frame in memory.
    drop((m, w, term));
    Ok(out)
}
