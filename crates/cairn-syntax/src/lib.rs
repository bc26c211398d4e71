//! The span-keeping syntax tree: YAML and JSON parsed into `Node`s that remember the byte span
//! of every value, the split of a file into its documents, and the `Limits` that keep parsing
//! bounded whatever a file holds. It knows nothing of blueprints, entities or settings; those
//! are read from its tree by `cairn-model`.
//!
//! Invariant: parsing never fails. A parser returns a value (what it could read) and findings
//! (what it could not), never an `Err`.

mod document;
mod json;
mod limits;
mod node;
mod syntax;
pub mod words;
mod yaml;

pub use document::{ParsedFile, is_data_file, parse_file, too_large};
pub use limits::Limits;
pub use node::{Entry, Node, Value};
pub use yaml::is_valid_yaml;
