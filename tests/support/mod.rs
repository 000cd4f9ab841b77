//! Helpers shared by the integration tests.

pub mod crossings;
pub mod files;
pub mod pr;
pub mod skip;
pub mod standin;
