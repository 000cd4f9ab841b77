//! Helpers shared by the integration tests.

pub mod crossings;
pub mod dot_labels;
pub mod files;
pub mod node;
pub mod pr;
pub mod scratch;
pub mod skip;
pub mod standin;
