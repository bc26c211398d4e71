//! Resource definitions and the requests matched to them, like a platform orchestrator
//! (Humanitec's resource definitions with matching criteria, score-k8s' provisioners): the
//! platform team declares under `resources/` how each resource type is provided in which
//! context; environments (and, through the engine, Score workloads) request resources by type;
//! `resolve` picks, for each requested instance, the most specific definition whose criteria
//! match, and says where no definition or two equally specific ones do.
//!
//! It knows nothing of minijinja: a definition's `outputs` and `files` are template texts and
//! paths that cairn-render renders.
//!
//! Invariant: reading never fails. Every function returns what it could read together with the
//! findings that explain what it could not.

mod definition;
mod request;
mod resolve;

pub use definition::{
    CRITERIA_KEYS, Criteria, DEFINITION_KEYS, Definition, RESOURCES_FOLDER, check_definitions, read_definition,
    read_definitions,
};
pub use request::{DEFAULT_CLASS, Request, environment_requests};
pub use resolve::{Instance, Resolution, Specificity, resolve};
