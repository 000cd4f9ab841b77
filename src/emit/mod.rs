//! Emitters: pure functions from a valid model (and its analysis) to text.
//! They never touch the file system, never read the clock, and escape
//! every user string for the format it lands in.

pub mod assessment;
pub mod assumptions;
pub mod csv;
pub mod data;
pub mod dot;
pub mod export;
pub mod findings;
pub mod html;
pub mod library;
pub mod markdown;
pub mod mermaid;
pub mod otm;
pub mod risk;
pub mod svg;
pub mod table;
pub mod text;
pub mod threat_dragon;
pub mod tracking;
