//! The platform repository's data model: blueprints, entities, settings and waivers, read from
//! the spanned `Node` tree that `cairn-syntax` parses, and the `Catalog` that indexes them.
//!
//! Invariant: parsing never fails. Every function here returns what it could read together
//! with the findings that explain what it could not.

mod blueprint;
mod catalog;
mod diff;
mod entity;
mod identifier;
mod layout;
mod lifetime;
mod list;
mod ownership;
mod plain;
mod settings;
mod time;
mod waiver;

pub use blueprint::{Blueprint, Ownership, RelationDecl, read_blueprint, span_of};
pub use cairn_diagnostics::{EntityRef, EntityRefError};
// The syntax tree and its parsers, re-exported so that `cairn_model::{Node, parse_file, …}` keeps
// naming them.
pub use cairn_syntax::{
    Entry, Limits, Node, ParsedFile, Value, is_data_file, is_valid_yaml, parse_file, too_large, words,
};
pub use catalog::{Catalog, TEAM_BLUEPRINT};
pub use diff::{ChangeKind, EntityDiff, FieldChange, diff};
pub use entity::{Entity, InheritedTeams, RelationValue, Spanned, read_entity};
pub use identifier::{
    BLUEPRINT_RULE as BLUEPRINT_IDENTIFIER_RULE, RULE as IDENTIFIER_RULE, check_blueprint_identifier, check_identifier,
};
pub use layout::{DEPLOYED_RELATION, ENVIRONMENT_BLUEPRINT, FileRole, Layout, PORT_FILES, is_port_file, is_score_file};
pub use lifetime::{Expiry, ExpiryRule, expiry, timer_properties};
pub use list::{ListOf, list_items};
pub use settings::{CatalogSettings, Library, LimitSettings, Paths, SETTINGS_FILE, Settings};
pub use time::{
    Date, SignedDuration, TTL_UNITS, Timestamp, parse_date, parse_now, parse_timestamp, parse_ttl, parse_until,
    utc_date,
};
pub use waiver::{FindingRef, Selector, Waiver, read_waiver};
