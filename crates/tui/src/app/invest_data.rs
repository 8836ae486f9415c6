//! What the investigation views hold once loaded: the audit log with its verification, and
//! the screening matcher's hits for the Entities pane's screening mode.

use tradescope_store::audit::{Record, Verification};
use tradescope_store::search::ListingHit;

/// Rows of the audit log shown (newest first).
pub const AUDIT_ROWS: usize = 500;
/// Step of the screening threshold keys (`+` / `-`).
pub const THRESHOLD_STEP: f64 = 0.05;
/// The case `m` marks into when none is named (TRADESCOPE_CASE sets another).
pub const DEFAULT_CASE: &str = "workbench";

#[derive(Debug, Clone, PartialEq)]
pub struct AuditData {
    pub rows: Vec<Record>,
    pub verification: Verification,
}

/// The screening matcher's answer for one name at one threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub query: String,
    pub threshold: f64,
    pub hits: Vec<ListingHit>,
    /// "ZTE Corporation is a covered equipment maker but is not on a screening list".
    pub notes: Vec<String>,
}
