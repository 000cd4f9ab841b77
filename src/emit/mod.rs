//! Emitters: pure functions from a valid model (and its analysis) to text.
//! They never touch the file system, never read the clock, and escape
//! every user string for the format it lands in.

pub mod export;
pub mod svg;
pub mod text;
