//! tradescope: a terminal workbench over a local SQLite database of watch-listed entities,
//! shipments (bills of lading) and patents, linked by name matching and drillable by keyboard.
//!
//! # Architecture map
//!
//! The workspace's crates (a crate depends only on those above it):
//!
//! - `tradescope-core` (`crates/core`): plain data: [`model`], [`country`], [`text`],
//!   [`products`] (the pure detector), [`evidence`], [`progress`]. No database engine.
//! - `tradescope-matching` (`crates/matching`): [`matching`] (normalize, score, explain) and
//!   [`typeahead`] (the Entities pane's engine over a [`typeahead::Corpus`]). No SQL.
//! - `tradescope-store` (`crates/store`, re-exported here as [`db`]): schema.sql, migrations,
//!   open/safety, importers, queries, investigations, [`error`], [`search`], [`export`], the
//!   record view builder (`db::record_view`, for `show` and the detail view) and the
//!   [`db::Store`] trait the workbench reads and writes through ([`db::SqliteStore`]). The
//!   importers stay here for now: they write through SQL transactions as they parse.
//! - `tradescope-pg` (`crates/pg`): PostgreSQL — its schema and versions, `copy` of a whole
//!   database between the engines (`tradescope copy`), `PgStore` (the `Store` trait on
//!   PostgreSQL: names and shipments so far, the rest refused in words), a throwaway server
//!   for tests. ALL PostgreSQL SQL lives here.
//! - `tradescope-tui` (`crates/tui`): [`app`], [`ui`], [`terminal`], [`osc52`].
//! - `tradescope` (this package): [`cli`], [`bundle`], [`demo`] and the product binary.
//! - `tradescope-bench` (`crates/bench`, not published, not linked into the product): the
//!   benchmark and `gen` (`cargo run -p tradescope-bench --release -- bench|gen …`).
//!
//! The modules (their historical names, re-exported below):
//!
//! - [`cli`]: the command line (clap). Thin: parses arguments, opens the database, calls the
//!   library, prints JSON or text. Maps [`error::Error`] to exit codes (0 ok, 1 user, 2 internal).
//! - [`db`]: ALL SQL lives here. `db::open_rw`/`open_ro` harden every connection and migrate by
//!   `PRAGMA user_version` (schema in `schema.sql`), and `db::safety` refuses files whose schema
//!   objects are not tradescope's and checks integrity of files from elsewhere. `db::import` has
//!   one file per real published format, reading records through `import::records` (file:line:
//!   field errors, quote/size guards); every import is one transaction. `db::link` stores
//!   matcher-made links.
//! - `tradescope_bench::gen`: synthetic trade data at scale (`tradescope-bench gen`, the
//!   benchmark); pure generation, written by `tradescope_bench::bulk`.
//! - `tradescope_bench`: the reproducible benchmark that writes BENCHMARKS.md.
//!   Investigations (docs/investigations.md): `db::intersect` (listed companies with CET
//!   patents and shipments), `db::trail` (transshipment trail), `db::asof` (screening at the
//!   ship date), `db::products` (stored brand/model detection), `db::covered` (NDAA §889 / FCC
//!   Covered List), `db::cases` (marked records with provenance), `db::audit` (hash chain).
//! - [`matching`]: name normalization, candidate generation, scoring, explanations. Pure.
//! - [`model`]: plain data structs (Entity, Party, Shipment, Patent, RecordRef);
//!   `tradescope_core::link` the typed links (`LinkTarget`: a record, a shipments scope, a
//!   patents scope); `tradescope_core::view` the record view and its pure field formatters.
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
//! action)` → `Command`s run by a worker thread against the `Store` (SQLite) / the matcher → results come back
//! as `Action`s (stale generations dropped) → `draw(&model)`.

pub mod bundle;
pub mod cli;
pub mod demo;

// The crates under their historical module names, so `tradescope::db::…` and the like keep
// naming what they named before the workspace split.
pub use tradescope_core::{country, evidence, model, products, progress, text};
pub use tradescope_matching as matching;
pub use tradescope_matching::typeahead;
pub use tradescope_store as db;
pub use tradescope_store::{error, export, search};
pub use tradescope_tui::{app, osc52, terminal, ui};

pub use error::{Error, Result};
