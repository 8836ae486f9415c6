//! Bytes written to the terminal: ratatui's CrosstermBackend over a counting writer, so the
//! figure is what a real terminal would receive.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ratatui::backend::CrosstermBackend;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Row, Table, TableState};
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::db::shipments::ShipmentRow;

/// A writer that only counts.
#[derive(Clone, Default)]
pub struct Counter(pub Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Bytes per selection move (median over `moves` moves down a shipments table of `rows`) and
/// bytes of a full redraw of the same screen, on a `width`×`height` terminal.
pub fn selection_move_bytes(
    rows: &[ShipmentRow],
    width: u16,
    height: u16,
    moves: usize,
) -> io::Result<(Vec<f64>, Vec<f64>)> {
    let counter = Counter::default();
    let backend = CrosstermBackend::new(counter.clone());
    let mut term = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        },
    )?;
    let table_rows: Vec<Row> = rows
        .iter()
        .map(|r| {
            Row::new(vec![
                r.ship_date.clone().unwrap_or_default(),
                r.shipper.clone().unwrap_or_default(),
                r.consignee.clone().unwrap_or_default(),
                r.origin.clone().unwrap_or_default(),
                r.hs_code.clone().unwrap_or_default(),
                r.description
                    .as_deref()
                    .unwrap_or_default()
                    .replace('\n', " "),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(10),
        Constraint::Percentage(22),
        Constraint::Percentage(22),
        Constraint::Length(14),
        Constraint::Length(8),
        Constraint::Fill(1),
    ];
    let table = Table::new(table_rows, widths)
        .block(Block::default().borders(Borders::ALL).title("Shipments"))
        .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(0));
    term.draw(|f| f.render_stateful_widget(table.clone(), f.area(), &mut state))?;
    let (mut per_move, mut full) = (Vec::new(), Vec::new());
    for i in 0..moves {
        let n = rows.len().max(1);
        state.select(Some((i + 1) % n));
        let before = counter.0.load(Ordering::Relaxed);
        term.draw(|f| f.render_stateful_widget(table.clone(), f.area(), &mut state))?;
        per_move.push((counter.0.load(Ordering::Relaxed) - before) as f64);
        if i % 4 == 0 {
            // The baseline: the same frame drawn from scratch — erase the screen (ESC [2J),
            // then every non-blank cell, as a fresh terminal's first draw does.
            let fresh = Counter::default();
            let mut t2 = Terminal::with_options(
                CrosstermBackend::new(fresh.clone()),
                TerminalOptions {
                    viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
                },
            )?;
            t2.draw(|f| f.render_stateful_widget(table.clone(), f.area(), &mut state))?;
            full.push((fresh.0.load(Ordering::Relaxed) + b"\x1b[2J".len()) as f64);
        }
    }
    Ok((per_move, full))
}
