//! The tradescope workbench: state and pure update (`app`), drawing (`ui`), the terminal.

pub mod app;
pub mod osc52;
pub mod terminal;
pub mod ui;
