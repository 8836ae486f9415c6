//! Text handling for display.

pub mod sanitize;
