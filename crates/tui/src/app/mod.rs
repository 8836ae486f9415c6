//! The workbench: the state (`model`), what can happen (`action`), the pure state transition
//! (`update`), the key bindings as data (`keymap`), the back/forward stack (`nav`) and the
//! workers that run queries off the UI thread (`command`).
//!
//! The run loop: a thread reads terminal events and sends them here; the keymap turns a key
//! into an `Action`; `update` changes the model and returns `Command`s; the executor runs them
//! on worker threads, whose answers come back through the same channel as `Action::Loaded`;
//! the screen is redrawn when something changed, after draining everything already queued.

pub mod action;
pub mod command;
pub mod decide;
pub mod detail_text;
pub mod filter;
mod input;
pub mod intersect_view;
mod invest;
pub mod invest_data;
mod invest_run;
pub mod jump;
pub mod keymap;
pub(crate) mod load;
pub mod model;
pub mod nav;
pub mod places;
pub mod profile_view;
pub mod review;
pub mod screen_freq;
pub mod trail_view;
pub mod update;
pub mod views;
pub mod watch;
pub mod write;

use std::io;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crossterm::event::{self, Event};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::terminal::{self, Guard};
use tradescope_store::error::{Error, Result};
use tradescope_store::Store;

pub use action::Action;
pub use command::{Command, Executor, Worker};
pub use model::Model;
pub use update::update;

/// What the run loop reacts to.
enum Msg {
    Event(Event),
    Action(Action),
    Signal(i32),
    InputClosed(String),
}

/// How the workbench ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A signal stopped it; the CLI exits with 128 + signal.
    Signal(i32),
}

/// Run the workbench on the terminal over `store` until the user quits. Open the store first
/// (`SqliteStore::open` checks the database), so that a bad database is reported before the
/// screen switches.
pub fn run(store: Arc<dyn Store>) -> Result<Exit> {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let (tx, rx) = channel::<Msg>();
    let sig_tx = tx.clone();
    terminal::watch_signals(move |s| {
        let _ = sig_tx.send(Msg::Signal(s));
    })?;
    let guard = Guard::enter()?;
    let result = run_loop(store, color, tx, rx);
    drop(guard);
    result
}

fn run_loop(
    store: Arc<dyn Store>,
    color: bool,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
) -> Result<Exit> {
    let mut term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = term.size()?;
    let mut model = Model::new(store.label(), size.width, size.height, color);
    // The case `m` marks into and where `x` writes it (defaults: "workbench", the current
    // directory).
    if let Some(c) = std::env::var("TRADESCOPE_CASE")
        .ok()
        .filter(|c| !c.trim().is_empty())
    {
        model.case_name = c;
    }
    if let Some(d) = std::env::var_os("TRADESCOPE_EXPORT_DIR").filter(|d| !d.is_empty()) {
        model.export_dir = d.into();
    }
    // "older schema (v1): upgrading to v2 (backup at …)" from the open in `run`.
    if let Some(n) = tradescope_store::take_notices().pop() {
        model.message = Some(n);
    }

    let input_tx = tx.clone();
    thread::Builder::new()
        .name("tradescope-input".into())
        .spawn(move || loop {
            match event::read() {
                Ok(ev) => {
                    if input_tx.send(Msg::Event(ev)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = input_tx.send(Msg::InputClosed(e.to_string()));
                    return;
                }
            }
        })?;
    let hangup_tx = tx.clone();
    terminal::input::watch_hangup(move || {
        let _ = hangup_tx.send(Msg::InputClosed("the terminal hung up".into()));
    })?;
    let watch_tx = tx.clone();
    watch::spawn(Arc::clone(&store), move |a| {
        watch_tx.send(Msg::Action(a)).is_ok()
    });
    let out_tx = tx.clone();
    let executor = Executor::start(store, move |a| {
        let _ = out_tx.send(Msg::Action(a));
    });
    drop(tx);

    // The first frame goes up before anything loads (names load in the background).
    term.draw(|f| crate::ui::draw(&model, f))?;
    executor.dispatch(update(&mut model, Action::Start));
    term.draw(|f| crate::ui::draw(&model, f))?;
    test_hooks::after_first_frame();

    loop {
        let Ok(first) = rx.recv() else {
            return Err(Error::User("the workbench lost its event source".into()));
        };
        let mut dirty = false;
        let mut next = Some(first);
        // Handle everything already queued before drawing once.
        while let Some(msg) = next {
            match msg {
                Msg::Signal(s) => return Ok(Exit::Signal(s)),
                Msg::InputClosed(e) => {
                    return Err(Error::User(format!("cannot read the terminal: {e}")))
                }
                Msg::Event(Event::Key(k)) => {
                    let keys = match keymap::split_alt(&model, k) {
                        Some(plain) => vec![None, Some(plain)],
                        None => vec![Some(k)],
                    };
                    for key in keys {
                        // None: the Esc half of an Esc+key pair.
                        let action = match key {
                            None => Some(Action::Escape),
                            Some(k) => keymap::lookup(&model, k),
                        };
                        if let Some(a) = action {
                            executor.dispatch(update(&mut model, a));
                            dirty = true;
                        }
                    }
                }
                Msg::Event(Event::Resize(w, h)) => {
                    executor.dispatch(update(&mut model, Action::Resize(w, h)));
                    dirty = true;
                }
                Msg::Event(Event::Paste(text)) => {
                    executor.dispatch(update(&mut model, Action::Paste(text)));
                    dirty = true;
                }
                Msg::Event(_) => {}
                Msg::Action(a) => {
                    executor.dispatch(update(&mut model, a));
                    dirty = true;
                }
            }
            if model.quit {
                return Ok(Exit::Quit);
            }
            if let Some(text) = model.clipboard.take() {
                terminal::copy_to_clipboard(term.backend_mut(), &text)?;
            }
            next = rx.try_recv().ok();
        }
        if dirty {
            term.draw(|f| crate::ui::draw(&model, f))?;
        }
    }
}

/// Faults the end-to-end tests trigger on purpose, to check the terminal is given back.
/// Compiled only into debug builds: a release binary has no way to reach them.
mod test_hooks {
    /// `TRADESCOPE_TEST_PANIC=main` panics on the UI thread once the first frame is up;
    /// `=worker` panics on a new thread (as a worker would).
    #[cfg(debug_assertions)]
    pub fn after_first_frame() {
        match std::env::var("TRADESCOPE_TEST_PANIC").as_deref() {
            Ok("main") => panic!("test panic requested by TRADESCOPE_TEST_PANIC=main"),
            Ok("worker") => {
                let _ = std::thread::Builder::new()
                    .name("tradescope-test-worker".into())
                    .spawn(|| panic!("test panic requested by TRADESCOPE_TEST_PANIC=worker"));
            }
            _ => {}
        }
    }

    #[cfg(not(debug_assertions))]
    pub fn after_first_frame() {}
}
