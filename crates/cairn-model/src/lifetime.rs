//! When an entity expires, by the rules of the reconciler (docs/lifetimes.md), in order:
//!
//! 1. a property whose blueprint schema says `format: timer`, Port's timer properties: an RFC
//!    3339 date-time at which the entity expires
//!    (https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/timer);
//! 2. its `expiresAt` property;
//! 3. its `ttl` counted from when that `ttl` was set: the commit that created the entity or last
//!    changed its `ttl` (the commit's time, never the clock, so that the answer is the same on
//!    every run), given by the caller as `since`; where there is no history (a folder that is
//!    not a git revision), its `createdAt` property.
//!
//! A value that does not parse (a timer that is no date-time, a `ttl` that is no lifetime) gives
//! no expiry here: validation reports it where it is written.

use jiff::Timestamp;

use crate::blueprint::Blueprint;
use crate::entity::Entity;
use crate::time::{parse_timestamp, parse_ttl};

/// Which rule gave an entity's expiry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpiryRule {
    /// The timer property of this name.
    Timer(String),
    /// `expiresAt`.
    ExpiresAt,
    /// `ttl` from the commit that created the entity or last changed its `ttl`.
    TtlSinceCommit,
    /// `ttl` from `createdAt` (no history to read).
    TtlSinceCreatedAt,
}

/// When an entity expires, and by which rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expiry {
    pub at: Timestamp,
    pub rule: ExpiryRule,
}

/// The expiry of `entity` (whose blueprint is `blueprint`, when the catalog has it); `since` is
/// when its current `ttl` was set, from history. `None` when it never expires, or when the value
/// that would say does not parse.
#[must_use]
pub fn expiry(entity: &Entity, blueprint: Option<&Blueprint>, since: Option<Timestamp>) -> Option<Expiry> {
    let text = |name: &str| entity.properties.as_ref()?.get(name)?.as_str();
    if let Some(blueprint) = blueprint {
        for name in timer_properties(blueprint) {
            if let Some(value) = text(&name) {
                return parse_timestamp(value).map(|at| Expiry { at, rule: ExpiryRule::Timer(name) });
            }
        }
    }
    if let Some(value) = text("expiresAt") {
        return parse_timestamp(value).map(|at| Expiry { at, rule: ExpiryRule::ExpiresAt });
    }
    let ttl = parse_ttl(text("ttl")?)?;
    let (start, rule) = match since {
        Some(since) => (since, ExpiryRule::TtlSinceCommit),
        None => (parse_timestamp(text("createdAt")?)?, ExpiryRule::TtlSinceCreatedAt),
    };
    start.checked_add(ttl).ok().map(|at| Expiry { at, rule })
}

/// The properties of `blueprint` whose schema says `format: timer`, in the schema's order.
#[must_use]
pub fn timer_properties(blueprint: &Blueprint) -> Vec<String> {
    let Some(properties) = blueprint.schema.get("properties").and_then(serde_json::Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .filter(|(_, schema)| schema.get("format").and_then(serde_json::Value::as_str) == Some("timer"))
        .map(|(name, _)| name.clone())
        .collect()
}
