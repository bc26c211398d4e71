//! Score workloads (https://score.dev, `apiVersion: score.dev/v1b1`): a Score file's document read
//! with spans into a typed `Workload`, checked against Score's schema (cairn's own JSON Schema,
//! written from Score's `score-v1b1.json`, `score-v1b1.schema.json` beside this file), and its
//! `${metadata.…}` and `${resources.NAME.OUTPUT}` placeholders substituted as Score's reference
//! implementations do (`$${` and `$$` escape).
//!
//! Boundary: this crate knows nothing of templates, of resource definitions or of the catalog.
//! Resources' outputs come in through the `Outputs` trait; which component a workload belongs to
//! is the engine's business.
//!
//! Invariant: reading never fails. It returns what it could read and findings, never an `Err`.

mod placeholder;
mod schema;
mod workload;

pub use placeholder::{Outputs, Problem, check_placeholders, substitute, substitute_text};
pub use workload::{Container, Port, Resource, Workload, read, read_workload};

/// The `apiVersion` cairn reads.
pub const API_VERSION: &str = "score.dev/v1b1";

/// Score's reference of the workload file, which the help of every finding points to.
pub const REFERENCE: &str = "https://docs.score.dev/docs/score-specification/score-spec-reference/";
