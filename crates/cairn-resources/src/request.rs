//! Resource requests: what an environment (its `resources` property) or a workload (built by the
//! engine from a Score file) asks for, with where it asks.

use std::collections::HashMap;

use cairn_diagnostics::{Code, Diagnostic, EntityRef, Location};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, Entity, Node, Value};

/// The class of a request that names none. Humanitec: "Every Resource always has a class. If the
/// developer does not choose a class, the class `default` is used."
/// (<https://developer.humanitec.com/platform-orchestrator/resources/resource-classes>)
pub const DEFAULT_CLASS: &str = "default";

/// One resource request, resolved once per environment where it applies.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The environment's identifier.
    pub environment: String,
    /// The environment's `type` (`development`, `production`, …), when it has one.
    pub environment_type: Option<String>,
    /// The component whose workload requests it; `None` for an environment's own request.
    pub component: Option<String>,
    /// The request's name: in its environment's list, or in its workload's `resources`.
    pub name: String,
    pub r#type: String,
    /// `default` when the request names none.
    pub class: String,
    /// The resource's id: requests with the same environment, type, class and id are one
    /// instance. An environment request's `id` or `name`; a workload request's `id`, or
    /// `<component>.<name>` (the engine decides).
    pub id: String,
    /// `Null` when not given; otherwise an object.
    pub params: serde_json::Value,
    /// Where the request is written: its `type:` value, when it is written in a file.
    pub location: Option<Location>,
    /// The entity that writes it: the environment, or the component.
    pub entity: Option<EntityRef>,
}

impl Request {
    /// A request of `type` named `name` in `environment`: class `default`, id `name`, no params,
    /// no place. The `with_*` methods set the rest.
    #[must_use]
    pub fn new(environment: impl Into<String>, name: impl Into<String>, r#type: impl Into<String>) -> Self {
        let name = name.into();
        Request {
            environment: environment.into(),
            environment_type: None,
            component: None,
            id: name.clone(),
            name,
            r#type: r#type.into(),
            class: DEFAULT_CLASS.to_owned(),
            params: serde_json::Value::Null,
            location: None,
            entity: None,
        }
    }

    #[must_use]
    pub fn with_environment_type(mut self, environment_type: Option<String>) -> Self {
        self.environment_type = environment_type;
        self
    }

    #[must_use]
    pub fn with_component(mut self, component: impl Into<String>) -> Self {
        self.component = Some(component.into());
        self
    }

    /// Sets the class; `None` keeps `default`.
    #[must_use]
    pub fn with_class(mut self, class: Option<String>) -> Self {
        self.class = class.unwrap_or_else(|| DEFAULT_CLASS.to_owned());
        self
    }

    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    #[must_use]
    pub fn with_params(mut self, params: serde_json::Value) -> Self {
        self.params = params;
        self
    }

    #[must_use]
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    #[must_use]
    pub fn for_entity(mut self, entity: EntityRef) -> Self {
        self.entity = Some(entity);
        self
    }

    /// The request in words: "`checkout-db` (type `postgres`) in the environment `dev`", or
    /// "`db` of the component `cart` (type `postgres`) in …".
    #[must_use]
    pub fn describe(&self) -> String {
        let of =
            self.component.as_ref().map(|component| format!(" of the component `{component}`")).unwrap_or_default();
        let class = if self.class == DEFAULT_CLASS { String::new() } else { format!(", class `{}`", self.class) };
        format!("`{}`{of} (type `{}`{class}) in the environment `{}`", self.name, self.r#type, self.environment)
    }

    fn finding(&self, code: Code, message: String) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(code, message);
        if let Some(location) = &self.location {
            diagnostic = diagnostic.at(location.clone());
        }
        if let Some(entity) = &self.entity {
            diagnostic = diagnostic.with_entity(entity.clone());
        }
        diagnostic
    }

    pub(crate) fn error(&self, code: Code, message: String, help: String) -> Diagnostic {
        self.finding(code, message).with_help(help)
    }
}

/// The requests of every `Environment` entity of `catalog` (the first of two with one
/// identifier; the second is a finding of its own), in catalog order, each located at its item's
/// `type:` value; and the findings of items that cannot be read as requests, and of two requests
/// of one environment with the same name.
#[must_use]
pub fn environment_requests(catalog: &Catalog) -> (Vec<Request>, Vec<Diagnostic>) {
    let mut requests = Vec::new();
    let mut diagnostics = Vec::new();
    for entity in catalog.entities_of(ENVIRONMENT_BLUEPRINT) {
        if catalog
            .entity(ENVIRONMENT_BLUEPRINT, &entity.identifier.value)
            .is_some_and(|first| !std::ptr::eq(first, std::sync::Arc::as_ptr(entity)))
        {
            continue;
        }
        read_environment(entity, &mut requests, &mut diagnostics);
    }
    (requests, diagnostics)
}

fn read_environment(entity: &Entity, requests: &mut Vec<Request>, diagnostics: &mut Vec<Diagnostic>) {
    let Some(properties) = &entity.properties else { return };
    let Some(resources) = properties.get("resources") else { return };
    let environment_type = properties.get("type").and_then(Node::as_str).map(str::to_owned);
    let unreadable = |node: &Node, message: String| {
        Diagnostic::new(Code::InvalidResourceRequest, message)
            .at(Location::new(&entity.file, node.span))
            .with_entity(entity.reference())
            .with_help("a request is a mapping with a text `name` and `type`, and optionally `class`, `id` (texts) and `params` (a mapping)")
    };
    let items = match &resources.value {
        Value::Null => return,
        Value::Sequence(items) => items,
        _ => {
            diagnostics.push(unreadable(
                resources,
                format!("`resources` is {}, not a list of requests", resources.type_name()),
            ));
            return;
        }
    };
    let mut names: HashMap<&str, &Node> = HashMap::new();
    for item in items {
        let text = |key: &str| item.get(key).and_then(Node::as_str);
        let (Some(name), Some(r#type)) = (text("name"), text("type")) else {
            let missing = if text("name").is_none() { "name" } else { "type" };
            let problem = match item.get(missing) {
                Some(value) => format!("its `{missing}` is {}, not a text", value.type_name()),
                None if item.as_mapping().is_some() => format!("it has no `{missing}`"),
                None => format!("it is {}, not a mapping", item.type_name()),
            };
            diagnostics.push(unreadable(
                item.get(missing).unwrap_or(item),
                format!("a resource request of `{}` cannot be read: {problem}", entity.identifier.value),
            ));
            continue;
        };
        let optional = |key: &str| -> Result<Option<String>, Box<Diagnostic>> {
            match item.get(key) {
                None => Ok(None),
                Some(value) => match value.as_str() {
                    Some(text) if !text.is_empty() => Ok(Some(text.to_owned())),
                    _ => Err(Box::new(unreadable(
                        value,
                        format!(
                            "the `{key}` of the resource request `{name}` is {}, not a non-empty text",
                            value.type_name()
                        ),
                    ))),
                },
            }
        };
        let (class, id) = match (optional("class"), optional("id")) {
            (Ok(class), Ok(id)) => (class, id),
            (class, id) => {
                diagnostics.extend(class.err().map(|diagnostic| *diagnostic));
                diagnostics.extend(id.err().map(|diagnostic| *diagnostic));
                continue;
            }
        };
        let params = match item.get("params") {
            None => serde_json::Value::Null,
            Some(value) if value.as_mapping().is_some() || value.value == Value::Null => value.to_json(),
            Some(value) => {
                diagnostics.push(unreadable(
                    value,
                    format!("the `params` of the resource request `{name}` is {}, not a mapping", value.type_name()),
                ));
                continue;
            }
        };
        if let Some(first) = names.get(name) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateResourceRequest,
                    format!("`{}` requests two resources named `{name}`", entity.identifier.value),
                )
                .at(Location::new(&entity.file, item.get("name").map_or(item.span, |node| node.span)))
                .with_entity(entity.reference())
                .with_related("first requested here", Location::new(&entity.file, first.span))
                .with_help("a request's name is how templates read its outputs (`resources.NAME`): give each request of an environment its own name"),
            );
            continue;
        }
        names.insert(name, item.get("name").unwrap_or(item));
        let type_span = item.get("type").map_or(item.span, |node| node.span);
        let mut request = Request::new(&entity.identifier.value, name, r#type)
            .with_environment_type(environment_type.clone())
            .with_class(class)
            .with_params(params)
            .at(Location::new(&entity.file, type_span))
            .for_entity(entity.reference());
        if let Some(id) = id {
            request = request.with_id(id);
        }
        requests.push(request);
    }
}
