//! `EntityRef`: the name of one entity of the catalog, whatever format declared it. It lives
//! beside `Diagnostic` because every finding about an entity carries one; `cairn-model` re-exports
//! it as the catalog's key.
//!
//! Port names an entity by its blueprint and identifier (`Component:cart`); Backstage by its
//! kind, namespace and name (`component:default/cart`). One type holds both, is parsed in one
//! place (`EntityRef::parse`, `EntityRef::split`) and displayed in one (`Display`).

use std::fmt;

/// An entity's name: its kind (a Port blueprint, a Backstage kind), an optional namespace and
/// its name (a Port identifier). Orders by kind, namespace, then name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntityRef {
    kind: String,
    namespace: Option<String>,
    name: String,
}

/// Why a text is not an entity reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityRefError {
    /// No `:` between a kind and a name.
    NoKind(String),
    /// The kind or the name is empty.
    Empty(String),
}

impl fmt::Display for EntityRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntityRefError::NoKind(text) => write!(f, "`{text}` names no blueprint: write `Blueprint:identifier`"),
            EntityRefError::Empty(text) => write!(f, "`{text}` has an empty blueprint or identifier"),
        }
    }
}

impl std::error::Error for EntityRefError {}

impl EntityRef {
    /// The entity `name` of `kind` (in Port: the identifier of a blueprint), without namespace.
    #[must_use]
    pub fn new(kind: impl Into<String>, name: impl Into<String>) -> Self {
        EntityRef { kind: kind.into(), namespace: None, name: name.into() }
    }

    /// The entity `name` of `kind` in `namespace`, as Backstage names entities.
    #[must_use]
    pub fn namespaced(kind: impl Into<String>, namespace: impl Into<String>, name: impl Into<String>) -> Self {
        EntityRef { kind: kind.into(), namespace: Some(namespace.into()), name: name.into() }
    }

    /// Splits a written reference into its kind, if it names one, and the rest: everything up to
    /// the first `:` is the kind. Port entity identifiers often hold a `:` (ARNs), so the rest is
    /// the identifier whole: `cart` is `(None, "cart")`; `Component:arn:aws:s3:::b` is
    /// `(Some("Component"), "arn:aws:s3:::b")`. Port allows a `:` in blueprint identifiers too, but
    /// rarely uses one; such a blueprint cannot be named in this text form (it reads as a shorter
    /// kind), and waivers name it with their `blueprint` field instead.
    #[must_use]
    pub fn split(text: &str) -> (Option<&str>, &str) {
        match text.split_once(':') {
            Some((kind, rest)) => (Some(kind), rest),
            None => (None, text),
        }
    }

    /// Reads `Kind:name`, as findings, waivers and policy results write an entity.
    pub fn parse(text: &str) -> Result<EntityRef, EntityRefError> {
        match EntityRef::split(text) {
            (None, _) => Err(EntityRefError::NoKind(text.to_owned())),
            (Some(kind), name) if kind.is_empty() || name.is_empty() => Err(EntityRefError::Empty(text.to_owned())),
            (Some(kind), name) => Ok(EntityRef::new(kind, name)),
        }
    }

    /// The blueprint (Port) or kind (Backstage).
    #[must_use]
    pub fn kind(&self) -> &str {
        &self.kind
    }

    #[must_use]
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The identifier (Port) or name (Backstage).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// `Kind:name`, or `Kind:namespace/name` when namespaced.
impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(namespace) => write!(f, "{}:{namespace}/{}", self.kind, self.name),
            None => write!(f, "{}:{}", self.kind, self.name),
        }
    }
}

/// As its text, so that JSON output names entities as people write them.
impl serde::Serialize for EntityRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays_ports_names() {
        let cases = [
            ("Component:cart", "Component", "cart"),
            ("Service:arn:aws:s3:::bucket", "Service", "arn:aws:s3:::bucket"),
            ("Repo:org/repo", "Repo", "org/repo"),
            ("_team:payments", "_team", "payments"),
        ];
        for (text, kind, name) in cases {
            let parsed = EntityRef::parse(text).expect(text);
            assert_eq!((parsed.kind(), parsed.namespace(), parsed.name()), (kind, None, name));
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(EntityRef::parse("cart"), Err(EntityRefError::NoKind("cart".into())));
        assert_eq!(EntityRef::parse(":cart"), Err(EntityRefError::Empty(":cart".into())));
        assert_eq!(EntityRef::parse("Component:"), Err(EntityRefError::Empty("Component:".into())));
        assert_eq!(EntityRef::split("cart-*"), (None, "cart-*"));
        assert_eq!(EntityRef::split("arn:aws:s3:::b"), (Some("arn"), "aws:s3:::b"), "the first `:` always splits");
    }

    #[test]
    fn a_namespaced_name_displays_as_backstage_writes_it() {
        let reference = EntityRef::namespaced("component", "default", "cart");
        assert_eq!(reference.to_string(), "component:default/cart");
        assert_eq!((reference.namespace(), reference.name()), (Some("default"), "cart"));
    }
}
