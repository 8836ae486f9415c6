//! `tradescope intersect`, `trail` and `shipments`: the investigations. Each run is recorded in
//! the audit log with what it showed.

mod intersect;
mod shipments;
mod trail;

pub use intersect::{run_intersect, IntersectArgs};
pub use shipments::{run_shipments, ShipmentsArgs};
pub use trail::{run_trail, TrailArgs};
