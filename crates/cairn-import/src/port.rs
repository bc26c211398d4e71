//! Port's export shapes: what Port's REST API returns for blueprints, entities, scorecards and
//! actions, read into items of a known kind, each with where it was in its export.
//!
//! The responses (https://docs.port.io/api-reference/port-api/, whose source is the OpenAPI
//! document `static/apispec.yaml` of github.com/port-labs/port-docs):
//!
//! - `GET /v1/blueprints` → `{ok, blueprints: [...]}`
//!   (https://docs.port.io/api-reference/get-all-blueprints/); `GET /v1/blueprints/{id}` →
//!   `{ok, blueprint: {...}}` (https://docs.port.io/api-reference/get-a-blueprint/);
//! - `GET /v1/blueprints/{id}/entities` → `{ok, entities: [...]}`
//!   (https://docs.port.io/api-reference/get-all-entities-of-a-blueprint/); `POST
//!   /v1/entities/search` → `{ok, entities, matchingBlueprints, failedBlueprints}`
//!   (https://docs.port.io/api-reference/search-entities/); one entity → `{ok, entity: {...}}`
//!   (https://docs.port.io/api-reference/get-an-entity/);
//! - `GET /v1/scorecards` → `{ok, scorecards: [...]}`
//!   (https://docs.port.io/api-reference/get-all-scorecards/), one → `{ok, scorecard: {...}}`;
//! - `GET /v1/actions` → `{ok, actions: [...]}`
//!   (https://docs.port.io/api-reference/get-actions-automations/), one → `{ok, action: {...}}`;
//! - an error → `{ok: false, error, message}` (every route's 4xx responses).
//!
//! A file may also hold a bare list of such items, or one item, as a user who saved a
//! response's `blueprints` array (or wrote Port's GitOps `port.yml`) has it. A bare item's kind
//! is told by its keys: a blueprint has a `schema`; an action a `trigger` or `invocationMethod`;
//! a scorecard `rules` or `levels`; anything else with an `identifier` is an entity.

use std::sync::Arc;

use cairn_diagnostics::{Code, Diagnostic, Location, SourceFile, SourceMap};
use cairn_model::{Limits, Node, Value, parse_file};

/// What an item of an export is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Blueprint,
    Entity,
    Scorecard,
    Action,
}

impl Kind {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Blueprint => "blueprint",
            Kind::Entity => "entity",
            Kind::Scorecard => "scorecard",
            Kind::Action => "action",
        }
    }
}

/// One blueprint, entity, scorecard or action of an export.
#[derive(Debug)]
pub(crate) struct Item {
    pub kind: Kind,
    pub node: Node,
    pub file: Arc<SourceFile>,
}

impl Item {
    pub(crate) fn location(&self) -> Location {
        Location::new(&self.file, self.node.span)
    }

    /// Where the value of `key` is, or the whole item when it has none.
    pub(crate) fn location_of(&self, key: &str) -> Location {
        Location::new(&self.file, self.node.get(key).map_or(self.node.span, |value| value.span))
    }

    /// The text value of `key`.
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        self.node.get(key).and_then(Node::as_str)
    }
}

/// The keys of a response that hold items, and the kind each holds: a list or one.
const LISTS: &[(&str, Kind)] = &[
    ("blueprints", Kind::Blueprint),
    ("entities", Kind::Entity),
    ("scorecards", Kind::Scorecard),
    ("actions", Kind::Action),
];
const SINGLES: &[(&str, Kind)] = &[
    ("blueprint", Kind::Blueprint),
    ("entity", Kind::Entity),
    ("scorecard", Kind::Scorecard),
    ("action", Kind::Action),
];

/// Keys of a response that say how the request went and hold no data to import: `ok`, and the
/// search route's `matchingBlueprints` (and `failedBlueprints` when empty).
const STATUS: &[&str] = &["ok", "matchingBlueprints"];

/// Exports are JSON files that can be large (a whole catalog); the parser's depth and alias
/// limits still hold.
fn limits() -> Limits {
    Limits { max_file_size: u64::MAX, ..Limits::default() }
}

/// The items of the export `path`, and what is wrong with it.
pub(crate) fn read(path: &str, bytes: &[u8], sources: &mut SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Vec<Item> {
    let parsed = parse_file(path, bytes, &limits());
    sources.insert(Arc::clone(&parsed.file));
    diagnostics.extend(parsed.diagnostics);
    let mut items = Vec::new();
    for document in parsed.documents {
        if document.get("identifier").is_some() {
            items.push(Item { kind: kind_of(&document), node: document, file: Arc::clone(&parsed.file) });
        } else {
            response(document, &parsed.file, &mut items, diagnostics);
        }
    }
    items
}

/// A bare item's kind, by its keys.
fn kind_of(node: &Node) -> Kind {
    if node.get("schema").is_some() {
        Kind::Blueprint
    } else if node.get("trigger").is_some() || node.get("invocationMethod").is_some() {
        Kind::Action
    } else if node.get("rules").is_some() || node.get("levels").is_some() {
        Kind::Scorecard
    } else {
        Kind::Entity
    }
}

/// A response object: its lists and single items, its status, and keys not imported.
fn response(document: Node, file: &Arc<SourceFile>, items: &mut Vec<Item>, diagnostics: &mut Vec<Diagnostic>) {
    let span = document.span;
    let Value::Mapping(entries) = document.value else { return };
    let mut any = false;
    for entry in entries {
        let key = entry.key.as_str();
        if let Some(&(_, kind)) = LISTS.iter().find(|(name, _)| *name == key) {
            any = true;
            match entry.value.value {
                Value::Sequence(list) => {
                    for node in list {
                        if node.as_mapping().is_some() {
                            items.push(Item { kind, node, file: Arc::clone(file) });
                        } else {
                            diagnostics.push(not_an_item(file, &node, kind));
                        }
                    }
                }
                _ => diagnostics.push(
                    Diagnostic::new(
                        Code::ExportItemUnknown,
                        format!("`{key}` is {}, not a list of {key}", entry.value.type_name()),
                    )
                    .at_span(file, entry.value.span)
                    .with_help(format!("Port returns `{key}` as a list of objects; export it again")),
                ),
            }
        } else if let Some(&(_, kind)) = SINGLES.iter().find(|(name, _)| *name == key) {
            any = true;
            if entry.value.as_mapping().is_some() {
                items.push(Item { kind, node: entry.value, file: Arc::clone(file) });
            } else {
                diagnostics.push(not_an_item(file, &entry.value, kind));
            }
        } else if key == "ok" && matches!(entry.value.value, Value::Bool(false)) {
            any = true;
            diagnostics.push(error_response(file, &entry.value));
        } else if STATUS.contains(&key)
            || (key == "failedBlueprints" && matches!(&entry.value.value, Value::Sequence(list) if list.is_empty()))
        {
            // How the request went: nothing to import.
        } else {
            diagnostics.push(
                Diagnostic::new(Code::ExportKeyNotRead, format!("`{key}` is not imported"))
                    .at_span(file, entry.key_span)
                    .with_help(format!(
                        "`cairn import port` reads {}; export the catalog's data with Port's `GET` routes for \
                         blueprints, entities (teams are `_team` entities), scorecards and actions",
                        LISTS.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                    )),
            );
        }
    }
    if !any {
        diagnostics.push(
            Diagnostic::new(
                Code::ExportItemUnknown,
                "the object is neither a Port API response nor an item with an `identifier`",
            )
            .at_span(file, span)
            .with_help(
                "give the JSON that Port's API returns, such as `{\"ok\": true, \"blueprints\": [...]}`, \
                 a list of items, or one item",
            ),
        );
    }
}

fn not_an_item(file: &SourceFile, node: &Node, kind: Kind) -> Diagnostic {
    let article = if matches!(kind, Kind::Entity | Kind::Action) { "an" } else { "a" };
    let noun = kind.noun();
    Diagnostic::new(Code::ExportItemUnknown, format!("{article} {noun} is {}, not an object", node.type_name()))
        .at_span(file, node.span)
        .with_help(format!("{article} {noun} in Port's export is an object with an `identifier`"))
}

/// `{ok: false, error, message}`: the export saved an error instead of data.
fn error_response(file: &SourceFile, ok: &Node) -> Diagnostic {
    Diagnostic::new(Code::ExportUnreadable, "the export is an error response from Port (`ok: false`), not data")
        .at_span(file, ok.span)
        .with_help("export again, with a token that may read the data; the response's `error` and `message` say why")
}
