//! tradescope: a terminal workbench over a local SQLite database of watch-listed entities,
//! shipments (bills of lading) and patents, linked by name matching and drillable by keyboard.
//!
//! # Architecture map
//!
//! - [`cli`]: the command line (clap). Thin: parses arguments, opens the database, calls the
//!   library, prints JSON or text. Maps [`error::Error`] to exit codes (0 ok, 1 user, 2 internal).
//! - [`db`]: ALL SQL lives here. `db::open_rw`/`open_ro` harden every connection and migrate by
//!   `PRAGMA user_version` (schema in `schema.sql`), and `db::safety` refuses files whose schema
//!   objects are not tradescope's and checks integrity of files from elsewhere. `db::import` has
//!   one file per real published format, reading records through `import::records` (file:line:
//!   field errors, quote/size guards); every import is one transaction. `db::link` stores
//!   matcher-made links.
//! - [`gen`]: synthetic trade data at scale (`tradescope gen`, the benchmark); pure generation,
//!   written by `db::bulk`.
//! - [`bench`](mod@bench): `tradescope bench`, the reproducible benchmark that writes BENCHMARKS.md.
//!   Investigations (docs/investigations.md): `db::intersect` (listed companies with CET
//!   patents and shipments), `db::trail` (transshipment trail), `db::asof` (screening at the
//!   ship date), `db::products` (stored brand/model detection), `db::covered` (NDAA §889 / FCC
//!   Covered List), `db::cases` (marked records with provenance), `db::audit` (hash chain).
//! - [`matching`]: name normalization, candidate generation, scoring, explanations. Pure.
//! - [`model`]: plain data structs (Entity, Party, Shipment, Patent, LinkItem, RecordRef).
//! - [`bundle`]: the real lists and demo data embedded in the binary, and `init`, which builds the
//!   default database from them.
//! - [`demo`]: the deterministic demo shipments generator (seeded; every row synthetic), writing
//!   through `db::import::trade::TradeWriter` like the shipment importers.
//! - [`country`]: country names → ISO codes. [`progress`]: progress reporting without a terminal.
//! - [`app`]: the workbench's brain, no terminal I/O: `model` (state), `action` (what can
//!   happen), `update` (the pure transition), `keymap` (bindings as data; the help is generated
//!   from it), `nav` (History of routes: back/forward restore the exact position), `command`
//!   (worker threads with their own read-only connections; answers carry a generation and
//!   stale ones are dropped), `write` (the TUI's audit records, case marks and exports on a
//!   write lane), `intersect_view`/`trail_view` (the investigation views' cells and tree lines,
//!   pure), `invest` (their `update` handlers).
//! - [`ui`]: `draw(&Model, &mut Frame)`, one file per pane, `theme` (NO_COLOR respected).
//! - [`typeahead`]: the one ranked name search of the program: the Entities pane's
//!   search-as-you-type over every name (character masks, a quick byte pass, skim scoring of
//!   the best candidates, rayon, cancellable, narrowing the previous matches as the query
//!   grows), also what `bench` measures (with nucleo-matcher side by side).
//! - [`terminal`]: raw mode + alternate screen, restored on drop, panic and signals.
//! - [`products`]: brand and model-number patterns (pure detector); [`evidence`]: do two
//!   shipments carry the same goods; [`export`]: case exports as CSV/JSON/Markdown;
//!   [`osc52`]: clipboard copy through the terminal (works over SSH and in tmux).
//! - [`text`]: sanitizing untrusted text before it reaches the terminal (escape sequences,
//!   controls, bidi and zero-width characters removed with a visible marker), display widths
//!   and grapheme-safe truncation. See docs/hardening.md.
//!
//! A keystroke in the TUI flows: crossterm event → keymap → `Action` → pure `update(model,
//! action)` → `Command`s run by a worker thread against SQLite / the matcher → results come back
//! as `Action`s (stale generations dropped) → `draw(&model)`.

pub mod app;
pub mod bench;
pub mod bundle;
pub mod cli;
pub mod country;
pub mod db;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod export;
pub mod gen;
pub mod matching;
pub mod model;
pub mod osc52;
pub mod products;
pub mod progress;
pub mod search;
pub mod terminal;
pub mod text;
pub mod typeahead;
pub mod ui;

pub use error::{Error, Result};
