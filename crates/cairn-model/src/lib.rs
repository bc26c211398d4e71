//! The platform repository's data model: YAML and JSON parsed with spans into blueprints,
//! entities and settings.
//!
//! Invariant: parsing never fails. Every function here returns what it could read together
//! with the findings that explain what it could not.

mod blueprint;
mod catalog;
mod diff;
mod document;
mod entity;
mod identifier;
mod json;
mod layout;
mod limits;
mod node;
mod settings;
mod syntax;
mod time;
mod waiver;
mod yaml;

pub use blueprint::{Blueprint, Ownership, RelationDecl, read_blueprint, span_of};
pub use cairn_diagnostics::{EntityRef, EntityRefError};
pub use catalog::{Catalog, TEAM_BLUEPRINT};
pub use diff::{ChangeKind, EntityDiff, FieldChange, diff};
pub use document::{ParsedFile, is_data_file, parse_file, too_large};
pub use entity::{Entity, RelationValue, Spanned, read_entity};
pub use identifier::{RULE as IDENTIFIER_RULE, check_identifier};
pub use layout::{ENVIRONMENT_BLUEPRINT, FileRole, Layout};
pub use limits::Limits;
pub use node::{Entry, Node, Value};
pub use settings::{Library, LimitSettings, Paths, SETTINGS_FILE, Settings};
pub use time::{
    Date, SignedDuration, TTL_UNITS, Timestamp, parse_date, parse_now, parse_timestamp, parse_ttl, utc_date,
};
pub use waiver::{FindingRef, Selector, Waiver, read_waiver};
pub use yaml::is_valid_yaml;
