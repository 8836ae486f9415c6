//! The two subcommands of the benchmark binary.

pub mod bench;
pub mod gen;
