//! The `tradescope` binary: parse the command line, hand over to the library, map errors to exit codes.

fn main() {
    std::process::exit(tradescope::cli::main());
}
