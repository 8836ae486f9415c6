//! Text from outside the program (list names, addresses, remarks, shipment descriptions) made
//! safe and measurable for the terminal. All untrusted text goes through [`sanitize()`] (one
//! line) or [`sanitize_multiline`] (detail views) before it is drawn; [`display_width`] and
//! [`truncate_to_width`] measure and cut it for table cells. [`spreadsheet`] makes CSV cells
//! safe to open in a spreadsheet, [`markdown`] makes text inert in Markdown exports.

mod escape;
mod invisible;
pub mod sanitize;
pub mod width;

pub mod markdown;
pub mod spreadsheet;

pub use sanitize::{
    sanitize, sanitize_data, sanitize_for_clipboard, sanitize_multiline, LINE_BREAK, REMOVED,
};
pub use width::{display_width, fit_to_width, truncate_to_width, ELLIPSIS};
