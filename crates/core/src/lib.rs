//! The plain data of tradescope, shared by every other crate and free of any database engine.

pub mod country;
pub mod evidence;
pub mod link;
pub mod model;
pub mod products;
pub mod progress;
pub mod text;
pub mod view;
