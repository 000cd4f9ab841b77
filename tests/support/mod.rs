//! Helpers shared by the integration tests.

pub mod crossings;
pub mod skip;
