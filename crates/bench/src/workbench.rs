//! The workbench figures of `bench` (keystroke → frame, first frame, memory, bytes per move)
//! on any database; the measuring itself is in `tui`.

use std::path::Path;

use super::report::Figure;
use super::timing::Stat;
use super::*;
use crate::baseline as q;
use tradescope_core::progress::Progress;
use tradescope_store as db;
use tradescope_store::error::Result;

/// The workbench's own figures on the database `db`: keystroke → frame while a search runs,
/// first frame, memory, bytes per selection move.
pub fn workbench_figures(db: &Path, quick: bool, progress: &dyn Progress) -> Result<Vec<Figure>> {
    let conn = db::open_ro(db)?;
    let scale = q::scale(&conn)?;
    drop(conn);
    let mut figures = Vec::new();
    progress.stage("workbench: keystrokes", None);
    let words: &[&str] = if quick {
        &["hikvision", "aero"]
    } else {
        &[
            "hikvision digital",
            "shenzhen huaxin",
            "aero",
            "pacific trading",
        ]
    };
    let k = tui::keystrokes(db, words, std::time::Duration::from_millis(25))?;
    let mut keystroke = Figure::new("keystroke → frame while a search runs", "p99 ≤ 16 ms", "ms");
    let n_keys = k.latencies.len();
    keystroke.ours = Some(Stat::of(k.latencies));
    keystroke.met = keystroke.ours.map(|s| s.p99 <= 16.0);
    keystroke.note = format!(
        "the workbench's own loop: its executor (worker threads) with every name loaded ({:.0} \
         ms in the background), keys typed every 25 ms through the keymap into `update`, \
         commands dispatched, the frame drawn by `ui::draw` (CrosstermBackend, {}×{}); {n_keys} \
         keys typing {}, {} of them while the previous search was still running on the \
         typeahead worker (it uses both cores).",
        k.names_ms,
        tui::WIDTH,
        tui::HEIGHT,
        words.join(", "),
        k.while_busy
    );
    figures.push(keystroke);
    progress.stage("workbench: first frame", None);
    let mut first = Figure::new(
        &format!("first frame on the {} database", millions(scale.shipments)),
        "≤ 200 ms",
        "ms",
    );
    first.ours = Some(Stat::of(tui::first_frame(db, if quick { 5 } else { 20 })?));
    first.met = first.ours.map(|s| s.p99 <= 200.0);
    first.note = "as `app::run`: open the database read-only (schema and safety checks), make \
                  the model, draw the first frame (names and data load in the background \
                  after it); warm page cache, a fresh connection and terminal each time."
        .into();
    figures.push(first);
    progress.stage("memory", None);
    let mut rss = Figure::new(
        &format!(
            "RSS with {} names + {} shipments open",
            scale.parties + scale.entry_names,
            scale.shipments
        ),
        "≤ 300 MB",
        "MiB",
    );
    if let Some(p) = probe_rss(db)? {
        rss.ours = Some(Stat::one(p.peak_mib));
        rss.met = Some(p.peak_mib <= 300.0);
        rss.note = format!(
            "peak (VmHWM) of a fresh process that does what the workbench does: its worker \
             opens the database and loads all {} names into the typeahead engine, a search is \
             typed, the Shipments screen's first page is loaded and a frame drawn; VmRSS then, \
             with all of it still in memory: {:.0} MiB.",
            p.names, p.rss_mib
        );
    }
    figures.push(rss);

    progress.stage("terminal bytes", None);
    let (per_move, full) = tui::selection_move_bytes(db, 200)?;
    let mut bytes = Figure::new(
        "bytes written to the terminal per selection move",
        "≤ 1 KB",
        "B",
    );
    bytes.ours = Some(Stat::of(per_move));
    bytes.baseline_name = "full redraw (clear + draw)".into();
    bytes.baseline = Some(Stat::of(full));
    bytes.met = bytes.ours.map(|s| s.p99 <= 1024.0);
    bytes.note = format!(
        "the workbench's Shipments screen (every shipment, newest first) drawn by `ui::draw` \
         through ratatui's CrosstermBackend into a counting writer, {}×{}; 200 selection moves \
         (Down/Up through `update`); ratatui diffs frames, so a move rewrites the rows and \
         status that changed.",
        tui::WIDTH,
        tui::HEIGHT
    );
    figures.push(bytes);
    Ok(figures)
}
