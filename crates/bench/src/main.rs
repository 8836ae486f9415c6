//! The `tradescope-bench` binary: `bench` (the reproducible benchmark that writes
//! BENCHMARKS.md) and `gen` (synthetic trade data at scale). Not part of the product: run it
//! with `cargo run -p tradescope-bench --release -- bench …`.

mod cmd;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tradescope_bench::gen::LinkScope;

#[derive(Debug, Parser)]
#[command(
    name = "tradescope-bench",
    version,
    about = "The tradescope benchmark and synthetic-data generator (not part of the product)"
)]
struct Cli {
    /// Database file [default: $TRADESCOPE_DB, else the XDG data dir; for `bench`, its own]
    #[arg(long, global = true, env = "TRADESCOPE_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fill the database with synthetic trade data at scale (parties, shipments, links), marked synthetic
    Gen {
        /// Number of shipments to generate
        #[arg(long, value_name = "N", required_unless_present = "patents")]
        shipments: Option<u64>,
        /// Number of trade parties to generate
        #[arg(long, value_name = "M", required_unless_present = "patents")]
        parties: Option<u64>,
        /// Instead: write N synthetic patents as PatentsView bulk tables (g_patent,
        /// g_assignee_disambiguated, g_cpc_current) into --out, for `import patentsview --synthetic`
        #[arg(long, value_name = "N", conflicts_with_all = ["shipments", "parties"])]
        patents: Option<u64>,
        /// With --patents: the directory to write the tables to
        #[arg(
            long,
            value_name = "DIR",
            requires = "patents",
            default_value = "patentsview-synthetic"
        )]
        out: PathBuf,
        /// Random seed: the same seed and sizes give the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Do not link the new parties to list entries (linking a million parties takes a while)
        #[arg(long, conflicts_with = "link_busiest")]
        no_link: bool,
        /// Link only the N most active new parties to list entries
        #[arg(long, value_name = "N")]
        link_busiest: Option<usize>,
        #[arg(long)]
        json: bool,
    },
    /// Measure every scale figure against its naive baseline and write BENCHMARKS.md
    ///
    /// Builds a 10M-shipment / 1M-name database on first run (once; about 10 minutes and
    /// 9.5 GiB on 2 cores) under $TRADESCOPE_BENCH_DIR or the temp dir, unless --db names one.
    Bench {
        /// Scaled down (200K shipments, 100K names): about a minute
        #[arg(long)]
        quick: bool,
        /// Where to write the report [default: BENCHMARKS.md; with --quick: stdout only]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Skip cold-cache timings (they evict the database file from the page cache)
        #[arg(long)]
        no_cold: bool,
        /// Another database size, for growth measurements: shipments (names = shipments / 10)
        #[arg(long, value_name = "N")]
        shipments: Option<u64>,
        /// Only the name-search figures, over the lists + N generated party names (no shipments)
        #[arg(long, value_name = "N")]
        search_names: Option<u64>,
        /// Internal: measure memory in this fresh process and print it as JSON
        #[arg(long, hide = true)]
        probe_rss: bool,
        /// Only build (or check) the benchmark database, measure nothing: the one-time build of
        /// the 10M database takes about 10 minutes, best started on its own
        #[arg(long)]
        build_only: bool,
        /// Only the import figure: import N generated shipments from a CSV (for profiling)
        #[arg(long, value_name = "N")]
        import_only: Option<u64>,
        /// Only the workbench figures (keystroke → frame, first frame, memory, bytes per move)
        /// on the database given by --db, whatever its size
        #[arg(long)]
        workbench_only: bool,
        /// Only the frequency-table figures (the workbench's F) on the database given by --db,
        /// whatever its size
        #[arg(long)]
        frequency_only: bool,
        /// Only the list-update figure: update a generated N-entry list (against the naive
        /// baseline up to 100K entries), in the benchmark directory
        #[arg(long, value_name = "N")]
        list_update_only: Option<u64>,
        /// With --list-update-only: the list's format
        #[arg(
            long,
            value_enum,
            default_value = "ofac",
            requires = "list_update_only"
        )]
        list_format: cmd::bench::ListFormatArg,
        /// With --list-update-only: generated trade parties the list is linked against
        #[arg(
            long,
            value_name = "N",
            default_value_t = 20_000,
            requires = "list_update_only"
        )]
        list_parties: u64,
        /// Only the patents figures (issue 16): N synthetic patents as PatentsView tables,
        /// imported, then the Patents queries against the naive ones, in the benchmark directory
        #[arg(long, value_name = "N")]
        patents: Option<u64>,
        /// With --list-update-only: skip the naive baseline (for profiling)
        #[arg(long)]
        no_baseline: bool,
        /// Only the rescreen figure: re-screen a watch set of N PatentsView assignee names
        /// against the bundled lists, against the naive per-name loop
        #[arg(long, value_name = "N")]
        rescreen_only: Option<usize>,
        /// With --rescreen-only: lists of about N names (the bundled OFAC non-SDN list replaced
        /// by a SYNTHETIC one in its layout; the real SDN, CSL and DPL kept)
        #[arg(long, value_name = "N")]
        list_names: Option<usize>,
        /// Only the batch-screening figure: N PatentsView assignee names screened against the
        /// bundled lists as `screen --file` screens them (3 runs), against a naive scan of 20
        /// of them
        #[arg(long, value_name = "N")]
        screen_only: Option<usize>,
        /// Only SQLite and PostgreSQL side by side (issue 19): the benchmark database (of
        /// --shipments N, or --quick) copied into a new database on the server at URL, then the
        /// same queries on both engines. The report goes to --out, else stdout
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let db_path = cli
        .db
        .clone()
        .unwrap_or_else(tradescope_store::default_path);
    match cli.command {
        Command::Bench {
            quick,
            out,
            no_cold,
            shipments,
            search_names,
            probe_rss,
            build_only,
            import_only,
            workbench_only,
            frequency_only,
            list_update_only,
            list_format,
            list_parties,
            no_baseline,
            patents,
            rescreen_only,
            list_names,
            screen_only,
            postgres,
        } => {
            if let Some(n) = screen_only {
                return cmd::bench::cmd_screen_only(n);
            }
            if let Some(n) = patents {
                return cmd::bench::cmd_patents(n);
            }
            if let Some(n) = rescreen_only {
                return cmd::bench::cmd_rescreen_only(n, !no_baseline, list_names);
            }
            if let Some(n) = list_update_only {
                let baseline = !no_baseline && n <= 100_000;
                return cmd::bench::cmd_list_update_only(n, list_format, list_parties, baseline);
            }
            if workbench_only {
                return cmd::bench::cmd_workbench_only(&db_path);
            }
            if frequency_only {
                return cmd::bench::cmd_frequency_only(&db_path);
            }
            if let Some(n) = search_names {
                return cmd::bench::cmd_search_names(&db_path, n);
            }
            if let Some(n) = import_only {
                return cmd::bench::cmd_import_only(n);
            }
            let what = cmd::bench::What {
                probe_rss,
                build_only,
                postgres,
            };
            cmd::bench::cmd_bench(cli.db.clone(), quick, out, no_cold, shipments, what)
        }
        Command::Gen {
            patents: Some(n),
            out,
            seed,
            json: as_json,
            ..
        } => cmd::gen::cmd_gen_patents(&out, n, seed, as_json),
        Command::Gen {
            shipments,
            parties,
            seed,
            no_link,
            link_busiest,
            json: as_json,
            ..
        } => {
            let scope = match (no_link, link_busiest) {
                (true, _) => LinkScope::None,
                (false, Some(n)) => LinkScope::Busiest(n),
                (false, None) => LinkScope::All,
            };
            let (shipments, parties) = (shipments.unwrap_or(0), parties.unwrap_or(0));
            cmd::gen::cmd_gen(&db_path, shipments, parties, seed, scope, as_json)
        }
    }
}

fn main() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(tradescope::cli::main_with(run));
}
