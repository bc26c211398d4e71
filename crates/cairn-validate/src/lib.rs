//! The checks of `cairn check` over a built catalog: blueprints (schemas compile, relations
//! target known blueprints) and entities (identifier rule, known blueprint, schema, relations,
//! teams).
//!
//! Boundary: validation reads a `Catalog` and returns findings; it never reads files. Each
//! entity is checked on its own against shared, read-only state, so callers may check entities
//! in parallel.

mod blueprints;
mod entities;
mod formats;
mod messages;

pub use blueprints::{Schemas, compile_schemas, schema_options};
pub use entities::{check_entity, looked_up};
pub use messages::violation;
