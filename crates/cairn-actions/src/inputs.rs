//! `userInputs`: the inputs an action declares, read from Port's format, and the values a run
//! gives them (`--set`, `--values`), typed, completed with defaults and checked.
//!
//! Port's user inputs follow the structure of blueprint properties ("all of the properties
//! available for Port blueprints can also be used as user inputs, which is why they follow the
//! same structure",
//! <https://docs.port.io/actions-and-automations/create-self-service-experiences/setup-ui-for-action/user-inputs>),
//! so a value is checked against its input's schema with the JSON Schema options and the plain
//! words of cairn-validate, as entity properties are.

use std::collections::BTreeMap;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile, did_you_mean, shorten};
use cairn_model::{Catalog, Entity, Limits, Node, Spanned, TEAM_BLUEPRINT, Value, parse_file};
use serde_json::Value as Json;

use crate::action::{Action, Reader};

/// The blueprint of users, as in Port: a `format: user` input names one when any are declared.
pub const USER_BLUEPRINT: &str = "_user";

/// The JSON types an input may have: Port's property types
/// (<https://docs.port.io/actions-and-automations/create-self-service-experiences/setup-ui-for-action/user-inputs>,
/// "Supported input types"), plus JSON Schema's `integer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
}

impl InputType {
    const ALL: [(&'static str, InputType); 6] = [
        ("string", InputType::String),
        ("number", InputType::Number),
        ("integer", InputType::Integer),
        ("boolean", InputType::Boolean),
        ("array", InputType::Array),
        ("object", InputType::Object),
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, kind)| *kind == self).map_or("string", |(name, _)| name)
    }
}

/// One input an action declares.
#[derive(Clone, Debug)]
pub struct InputDef {
    pub name: String,
    pub name_span: ByteSpan,
    /// The whole definition, as JSON Schema with Port's extras (`blueprint`, `visible`, …).
    pub schema: Json,
    pub kind: InputType,
    /// `format` of the input, or of its items for an array.
    pub format: Option<String>,
    /// The blueprint a `format: entity` input (or its items) names.
    pub blueprint: Option<Spanned<String>>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The default, when it is a value (Port's `jqQuery` defaults are not evaluated).
    pub default: Option<Json>,
    /// The allowed values (`enum`), when given.
    pub options: Option<Vec<Json>>,
    pub required: bool,
}

/// `trigger.userInputs`.
#[derive(Clone, Debug, Default)]
pub struct UserInputs {
    /// In the order written.
    pub inputs: Vec<InputDef>,
    /// The names of `order`, which Port's form follows.
    pub order: Vec<String>,
}

impl UserInputs {
    /// The input named `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&InputDef> {
        self.inputs.iter().find(|input| input.name == name)
    }

    /// The inputs in the order of `order`, then the others as written.
    #[must_use]
    pub fn ordered(&self) -> Vec<&InputDef> {
        let mut ordered: Vec<&InputDef> = self.order.iter().filter_map(|name| self.get(name)).collect();
        for input in &self.inputs {
            if !self.order.contains(&input.name) {
                ordered.push(input);
            }
        }
        ordered
    }
}

pub(crate) fn read_user_inputs(reader: &mut Reader<'_>, node: &Node) -> UserInputs {
    let mut inputs = UserInputs::default();
    let Some(entries) = node.as_mapping() else {
        let message = format!("`userInputs` is {}, not a mapping", node.type_name());
        reader.report(
            Code::InvalidUserInputs,
            message,
            node.span,
            "write `userInputs: {properties: {…}, required: […]}`",
        );
        return inputs;
    };
    for entry in entries {
        if !matches!(entry.key.as_str(), "properties" | "required" | "order" | "steps" | "titles") {
            let message = format!("unknown key `{}` in `userInputs`", entry.key);
            let help = "`userInputs` has `properties`, `required` and `order` (and Port's `steps` and `titles`)";
            reader.report(Code::InvalidUserInputs, message, entry.key_span, help);
        }
    }
    match node.get("properties").map(|properties| &properties.value) {
        Some(Value::Mapping(entries)) => {
            for entry in entries {
                if let Some(input) = read_input(reader, &entry.key, entry.key_span, &entry.value) {
                    inputs.inputs.push(input);
                }
            }
        }
        Some(Value::Null) | None => {}
        Some(_) => {
            let span = node.get("properties").map_or(node.span, |n| n.span);
            reader.report(
                Code::InvalidUserInputs,
                "`userInputs.properties` is not a mapping".to_owned(),
                span,
                "write one input per key",
            );
        }
    }
    // `required` may also be a jq expression (Port's dynamic required); it is kept and not
    // evaluated, so no input is required statically.
    if let Some(Node { value: Value::Sequence(items), .. }) = node.get("required") {
        for item in items {
            let Some(name) = names_input(reader, &inputs, item, "required") else { continue };
            if let Some(input) = inputs.inputs.iter_mut().find(|input| input.name == name) {
                input.required = true;
            }
        }
    }
    if let Some(Node { value: Value::Sequence(items), .. }) = node.get("order") {
        for item in items {
            if let Some(name) = names_input(reader, &inputs, item, "order") {
                inputs.order.push(name);
            }
        }
    }
    inputs
}

fn names_input(reader: &mut Reader<'_>, inputs: &UserInputs, item: &Node, key: &str) -> Option<String> {
    let name = reader.text(key, item)?.value;
    if inputs.get(&name).is_some() {
        return Some(name);
    }
    let help = match did_you_mean(&name, inputs.inputs.iter().map(|input| input.name.as_str())) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("`{key}` lists names of `userInputs.properties`"),
    };
    reader.report(Code::InvalidUserInputs, format!("`{key}` names `{name}`, which is not an input"), item.span, help);
    None
}

fn read_input(reader: &mut Reader<'_>, name: &str, name_span: ByteSpan, node: &Node) -> Option<InputDef> {
    if node.as_mapping().is_none() {
        let message = format!("the input `{name}` is {}, not a mapping", node.type_name());
        reader.report(Code::InvalidUserInputs, message, node.span, "write an input as `{type: string, title: …}`");
        return None;
    }
    let Some(kind_node) = node.get("type") else {
        let message = format!("the input `{name}` has no `type`");
        reader.report(
            Code::InvalidUserInputs,
            message,
            node.span,
            "add `type: string` (or number, boolean, array, object)",
        );
        return None;
    };
    let kind = reader.text("type", kind_node)?;
    let Some((_, kind_value)) = InputType::ALL.iter().find(|(known, _)| *known == kind.value) else {
        let help = match did_you_mean(&kind.value, InputType::ALL.iter().map(|(known, _)| *known)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "an input's type is `string`, `number`, `boolean`, `array` or `object`".to_owned(),
        };
        reader.report(
            Code::InvalidUserInputs,
            format!("the input `{name}` has the unknown type `{}`", kind.value),
            kind.span,
            help,
        );
        return None;
    };
    let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    // For an array, the entity, team or user it lists is said by its items.
    let typed = if *kind_value == InputType::Array { node.get("items").unwrap_or(node) } else { node };
    let format = typed.get("format").and_then(Node::as_str).map(str::to_owned);
    let blueprint = typed
        .get("blueprint")
        .and_then(|node| node.as_str().map(|text| Spanned { value: text.to_owned(), span: node.span }));
    if format.as_deref() == Some("entity") && blueprint.is_none() {
        let message = format!("the entity input `{name}` names no `blueprint`");
        reader.report(
            Code::InvalidUserInputs,
            message,
            typed.span,
            "add `blueprint:`, the blueprint whose entities it names",
        );
    }
    let default = node.get("default").map(Node::to_json).filter(|default| default.get("jqQuery").is_none());
    let options = match node.get("enum").map(Node::to_json) {
        Some(Json::Array(items)) => Some(items),
        Some(_) => {
            let span = node.get("enum").map_or(node.span, |n| n.span);
            reader.report(
                Code::InvalidUserInputs,
                format!("the `enum` of input `{name}` is not a list"),
                span,
                "list the allowed values",
            );
            None
        }
        None => None,
    };
    let schema = node.to_json();
    if let Err(error) = cairn_validate::schema_options().build(&schema) {
        let message = format!("the input `{name}` is not a valid schema: {error}");
        reader.report(
            Code::InvalidUserInputs,
            message,
            node.span,
            "an input follows the structure of a blueprint property",
        );
        return None;
    }
    Some(InputDef {
        name: name.to_owned(),
        name_span,
        schema,
        kind: *kind_value,
        format,
        blueprint,
        title: text("title"),
        description: text("description"),
        default,
        options,
        required: false,
    })
}

/// The input values of a `--values` file: a mapping of input names to values, each located.
#[derive(Clone, Debug)]
pub struct Values {
    entries: Vec<(String, Json, Option<Location>)>,
}

impl Values {
    /// Reads a `--values` file (YAML or JSON by extension): one mapping. A key whose value is
    /// `null` counts as not given (its default applies): that is how a generated workflow passes
    /// a field left empty.
    pub fn read(path: &str, bytes: &[u8], limits: &Limits) -> Result<Values, Vec<Diagnostic>> {
        let parsed = parse_file(path, bytes, limits);
        if !parsed.diagnostics.is_empty() {
            return Err(parsed.diagnostics);
        }
        let [document] = parsed.documents.as_slice() else {
            let diagnostic = Diagnostic::new(Code::InvalidInput, "the values file does not hold exactly one mapping")
                .at(Location::new(&parsed.file, ByteSpan::at(0)))
                .with_help("write one mapping of input names to values, such as `days: 3`");
            return Err(vec![diagnostic]);
        };
        Ok(Values::from_node(&parsed.file, document))
    }

    /// The entries of a parsed mapping, located in `file`.
    #[must_use]
    pub fn from_node(file: &SourceFile, node: &Node) -> Values {
        let entries = node
            .as_mapping()
            .unwrap_or_default()
            .iter()
            .filter(|entry| !matches!(entry.value.value, Value::Null))
            .map(|entry| (entry.key.clone(), entry.value.to_json(), Some(Location::new(file, entry.key_span))))
            .collect();
        Values { entries }
    }

    /// Values from JSON (an object), without locations.
    #[must_use]
    pub fn from_json(value: &Json) -> Values {
        let entries = value
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, value)| !value.is_null())
            .map(|(key, value)| (key.clone(), value.clone(), None))
            .collect();
        Values { entries }
    }
}

/// The typed values of a run's inputs, defaults filled, checked against the action's inputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inputs {
    pub values: BTreeMap<String, Json>,
}

/// Where a value came from, to place its findings.
#[derive(Clone)]
enum Given {
    Set(String),
    File(Option<Location>),
    Default,
}

impl Inputs {
    /// The inputs as canonical JSON: an object with sorted keys, no spaces.
    #[must_use]
    pub fn canonical_json(&self) -> String {
        // serde_json's `Map` is sorted (no `preserve_order`), and so is the `BTreeMap`.
        serde_json::to_string(&canonical(&serde_json::to_value(&self.values).unwrap_or(Json::Null))).unwrap_or_default()
    }

    /// Types the `--set` pairs by their inputs' types, merges them over the `--values` file,
    /// fills defaults and checks every value: against its input's schema, and, for entity,
    /// team and user inputs, against the catalog. One located finding per wrong field.
    pub fn resolve(
        action: &Action,
        given: &[(String, String)],
        values: Option<&Values>,
        catalog: &Catalog,
        target: Option<&Entity>,
    ) -> Result<Inputs, Vec<Diagnostic>> {
        let _ = target; // Reserved: inputs do not read the target entity today.
        let mut findings = Vec::new();
        let mut resolved: BTreeMap<String, (Json, Given)> = BTreeMap::new();
        let known = || action.inputs.inputs.iter().map(|input| input.name.as_str());
        for (name, value, location) in values.map_or(&[][..], |values| &values.entries) {
            if action.inputs.get(name).is_none() {
                let mut diagnostic = unknown_input(action, name, known());
                if let Some(location) = location {
                    diagnostic = diagnostic.at(location.clone());
                }
                findings.push(diagnostic);
                continue;
            }
            resolved.insert(name.clone(), (value.clone(), Given::File(location.clone())));
        }
        for (name, text) in given {
            let Some(input) = action.inputs.get(name) else {
                findings.push(unknown_input(action, name, known()));
                continue;
            };
            match typed(input.kind, text) {
                Ok(value) => {
                    resolved.insert(name.clone(), (value, Given::Set(text.clone())));
                }
                Err(expected) => findings.push(
                    Diagnostic::new(
                        Code::InvalidInput,
                        format!("`--set {name}={}`: `{}` is not {expected}", shorten(text), shorten(text)),
                    )
                    .at_span(&action.file, input.name_span)
                    .with_help(format!("the input `{name}` is of type `{}`", input.kind.as_str())),
                ),
            }
        }
        for input in &action.inputs.inputs {
            if resolved.contains_key(&input.name) {
                continue;
            }
            if let Some(default) = &input.default {
                resolved.insert(input.name.clone(), (default.clone(), Given::Default));
            } else if input.required {
                findings.push(
                    Diagnostic::new(Code::MissingInput, format!("the required input `{}` has no value", input.name))
                        .at_span(&action.file, input.name_span)
                        .with_help(format!("give it with `--set {}=…` or in a `--values` file", input.name)),
                );
            }
        }
        for (name, (value, given)) in &resolved {
            let Some(input) = action.inputs.get(name) else { continue };
            if let Some(finding) = check_value(action, input, value, given, catalog) {
                findings.push(finding);
            }
        }
        if findings.is_empty() {
            Ok(Inputs { values: resolved.into_iter().map(|(name, (value, _))| (name, value)).collect() })
        } else {
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            Err(findings)
        }
    }
}

/// `value` with every object's keys sorted, at any depth (serde_json's map is sorted already;
/// this keeps the promise should its `preserve_order` feature ever be enabled by a dependency).
fn canonical(value: &Json) -> Json {
    match value {
        Json::Object(map) => {
            let sorted: BTreeMap<&String, Json> = map.iter().map(|(key, value)| (key, canonical(value))).collect();
            Json::Object(sorted.into_iter().map(|(key, value)| (key.clone(), value)).collect())
        }
        Json::Array(items) => Json::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn unknown_input<'a>(action: &Action, name: &str, known: impl Iterator<Item = &'a str> + Clone) -> Diagnostic {
    let names: Vec<String> = known.clone().map(|name| format!("`{name}`")).collect();
    let help = match did_you_mean(name, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None if names.is_empty() => "the action takes no inputs".to_owned(),
        None => format!("the action's inputs are {}", names.join(", ")),
    };
    Diagnostic::new(Code::UnknownInput, format!("the action `{}` has no input `{name}`", action.identifier.value))
        .at_span(&action.file, action.identifier.span)
        .with_help(help)
}

/// A `--set` text as a value of `kind`, or what it should have been.
fn typed(kind: InputType, text: &str) -> Result<Json, &'static str> {
    match kind {
        InputType::String => Ok(Json::String(text.to_owned())),
        InputType::Integer => text.trim().parse::<i64>().map(Json::from).map_err(|_| "a whole number"),
        InputType::Number => {
            if let Ok(integer) = text.trim().parse::<i64>() {
                return Ok(Json::from(integer));
            }
            text.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Json::Number).ok_or("a number")
        }
        InputType::Boolean => match text.trim() {
            "true" => Ok(Json::Bool(true)),
            "false" => Ok(Json::Bool(false)),
            _ => Err("`true` or `false`"),
        },
        InputType::Array => match serde_json::from_str(text) {
            Ok(value @ Json::Array(_)) => Ok(value),
            _ => Err("a JSON list such as `[\"a\", \"b\"]`"),
        },
        InputType::Object => match serde_json::from_str(text) {
            Ok(value @ Json::Object(_)) => Ok(value),
            _ => Err("a JSON object such as `{\"a\": 1}`"),
        },
    }
}

fn check_value(
    action: &Action,
    input: &InputDef,
    value: &Json,
    given: &Given,
    catalog: &Catalog,
) -> Option<Diagnostic> {
    let place = |diagnostic: Diagnostic| match given {
        Given::File(Some(location)) => diagnostic.at(location.clone()),
        _ => diagnostic.at_span(&action.file, input.name_span),
    };
    let field = match given {
        Given::Set(text) => format!("--set {}={}", input.name, shorten(text)),
        Given::File(_) => input.name.clone(),
        Given::Default => format!("the default of {}", input.name),
    };
    // Port's own formats are checked against the catalog below, not as text.
    let options = cairn_validate::schema_options()
        .with_format("entity", |_: &str| true)
        .with_format("user", |_: &str| true)
        .with_format("multi-line", |_: &str| true);
    let validator = options.build(&input.schema).ok()?;
    if let Some(error) = validator.iter_errors(value).next() {
        let message = cairn_validate::violation(&field, &error);
        let help = match &input.options {
            Some(options) => {
                let shown: Vec<String> = options.iter().map(|option| format!("`{}`", plain(option))).collect();
                format!("the allowed values are {}", shown.join(", "))
            }
            None => format!("the input `{}` is of type `{}`", input.name, input.kind.as_str()),
        };
        return Some(place(Diagnostic::new(Code::InvalidInput, message)).with_help(help));
    }
    let items: Vec<&str> = match value {
        Json::String(text) => vec![text.as_str()],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    };
    let (blueprint, what) = match input.format.as_deref() {
        Some("entity") => (input.blueprint.as_ref()?.value.as_str(), "entity"),
        Some("team") => (TEAM_BLUEPRINT, "team"),
        Some("user") if !catalog.entities_of(USER_BLUEPRINT).is_empty() => (USER_BLUEPRINT, "user"),
        _ => return None,
    };
    let missing = items.into_iter().find(|identifier| catalog.entity(blueprint, identifier).is_none())?;
    let existing = catalog.entities_of(blueprint);
    let help = match did_you_mean(missing, existing.iter().map(|entity| entity.identifier.value.as_str())) {
        Some(close) => format!("did you mean `{close}`?"),
        None if existing.is_empty() => format!("the catalog has no `{blueprint}` entity yet"),
        None => {
            format!("name one of the {} `{blueprint}` entities (`cairn actions list` shows the inputs)", existing.len())
        }
    };
    let message = format!("`{field}` names the {what} `{}`, which is not a `{blueprint}` entity", shorten(missing));
    Some(place(Diagnostic::new(Code::InputUnknownEntity, message)).with_help(help))
}

/// A JSON value as text for messages: strings without quotes.
pub(crate) fn plain(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{catalog, read_one};

    const ACTION: &str = "identifier: new-env\ntrigger:\n  type: self-service\n  operation: CREATE\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      name: {type: string, pattern: '^[a-z-]+$'}\n      days: {type: number, minimum: 1, maximum: 30, default: 3}\n      size: {type: string, enum: [small, large]}\n      postgres: {type: boolean}\n      system: {type: string, format: entity, blueprint: System}\n      owners: {type: array, items: {type: string, format: entity, blueprint: System}}\n      team: {type: string, format: team}\n    required: [name]\ncairn:\n  files: [{path: \"environments/{{ inputs.name }}.yaml\", template: env.yaml.j2}]\n";

    fn resolve(set: &[(&str, &str)], values: Option<&Values>) -> Result<Inputs, Vec<Diagnostic>> {
        let (action, diagnostics) = read_one("actions/new-env.yaml", ACTION);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let action = action.expect("read");
        let given: Vec<(String, String)> = set.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Inputs::resolve(&action, &given, values, &catalog(), None)
    }

    fn messages(result: Result<Inputs, Vec<Diagnostic>>) -> Vec<(Code, String)> {
        result.expect_err("refused").into_iter().map(|d| (d.code, d.message)).collect()
    }

    #[test]
    fn types_set_values_and_fills_defaults() {
        let inputs = resolve(
            &[
                ("name", "dev-bob"),
                ("postgres", "true"),
                ("system", "checkout"),
                ("owners", "[\"checkout\"]"),
                ("team", "payments"),
            ],
            None,
        )
        .expect("valid");
        assert_eq!(
            inputs.canonical_json(),
            r#"{"days":3,"name":"dev-bob","owners":["checkout"],"postgres":true,"system":"checkout","team":"payments"}"#
        );
    }

    #[test]
    fn each_wrong_field_is_one_finding() {
        let found = messages(resolve(
            &[("days", "x"), ("size", "medium"), ("nmae", "a"), ("system", "checkuot"), ("team", "nobody")],
            None,
        ));
        assert_eq!(
            found,
            [
                (Code::UnknownInput, "the action `new-env` has no input `nmae`".to_owned()),
                (Code::MissingInput, "the required input `name` has no value".to_owned()),
                (Code::InvalidInput, "`--set days=x`: `x` is not a number".to_owned()),
                (
                    Code::InvalidInput,
                    "`--set size=medium` is `medium`, which is not one of the allowed values: `small`, `large`"
                        .to_owned()
                ),
                (
                    Code::InputUnknownEntity,
                    "`--set system=checkuot` names the entity `checkuot`, which is not a `System` entity".to_owned()
                ),
                (
                    Code::InputUnknownEntity,
                    "`--set team=nobody` names the team `nobody`, which is not a `_team` entity".to_owned()
                ),
            ],
        );
    }

    #[test]
    fn values_files_place_findings_on_their_keys() {
        let parsed = parse_file("values.yaml", b"name: dev-bob\ndays: 90\n", &Limits::default());
        let values = Values::from_node(&parsed.file, &parsed.documents[0]);
        let found = resolve(&[], Some(&values)).expect_err("refused");
        // `null` is not given: the default applies, as when a workflow's field is left empty.
        let empty = Values::from_json(&serde_json::json!({"name": "dev-bob", "days": null, "size": null}));
        assert_eq!(resolve(&[], Some(&empty)).expect("valid").values["days"], Json::from(3));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message, "`days` is `90`, above the maximum of `30`");
        let location = found[0].location.as_ref().expect("located");
        assert_eq!((location.file.as_str(), location.start.line), ("values.yaml", 2));
        // `--set` wins over the file.
        let inputs = resolve(&[("days", "5")], Some(&values)).expect("valid");
        assert_eq!(inputs.values["days"], Json::from(5));
    }

    #[test]
    fn user_inputs_naming_nothing_are_findings() {
        let (_, diagnostics) = read_one(
            "actions/a.yaml",
            "identifier: a\ntrigger:\n  type: self-service\n  operation: DELETE\n  blueprintIdentifier: X\n  userInputs:\n    properties:\n      a: {type: text}\n      b: {type: string, format: entity}\n    required: [c]\n    order: [b, d]\n",
        );
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the input `a` has the unknown type `text`",
                "the entity input `b` names no `blueprint`",
                "`required` names `c`, which is not an input",
                "`order` names `d`, which is not an input",
            ]
        );
        assert!(diagnostics.iter().all(|d| d.code == Code::InvalidUserInputs));
    }
}
