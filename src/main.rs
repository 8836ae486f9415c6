//! The `tradescope` binary: parse the command line, hand over to the library, map errors to exit codes.

fn main() {
    // Like other Unix filters, end quietly when the reader of our output goes away
    // (`tradescope audit export | head`) instead of panicking on a broken pipe.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(tradescope::cli::main());
}
