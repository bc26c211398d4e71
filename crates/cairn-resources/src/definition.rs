//! Resource definitions: the files under the platform's top-level `resources/` folder, each
//! document one definition (a file may hold several documents, or a list of definitions), read
//! from cairn-syntax's `Node`s with the span of every part.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};
use cairn_model::{Limits, Node, Value, parse_file, span_of};

/// The folder at the top of the platform that holds resource definitions.
pub const RESOURCES_FOLDER: &str = "resources";

/// The keys of a definition.
pub const DEFINITION_KEYS: &[&str] = &["id", "type", "description", "criteria", "outputs", "files"];

/// The keys of one set of matching criteria, most specific first (see `Specificity`), then
/// `class`, which is no rank but a partition: a request of one class is only ever served by a
/// definition for that class.
pub const CRITERIA_KEYS: &[&str] = &["resource-id", "environment", "component", "environment-type", "class"];

/// One set of matching criteria: every key it names must equal the request's; the keys it leaves
/// out match anything, except `class`, which when left out is `default`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Criteria {
    pub resource_id: Option<String>,
    pub environment: Option<String>,
    pub component: Option<String>,
    pub environment_type: Option<String>,
    /// `None` is the class `default`.
    pub class: Option<String>,
    /// The span of the set (the whole definition's for a definition without criteria).
    pub span: ByteSpan,
}

impl Criteria {
    /// The class the set serves.
    #[must_use]
    pub fn class(&self) -> &str {
        self.class.as_deref().unwrap_or(crate::request::DEFAULT_CLASS)
    }

    /// The set in words, for messages: `environment-type: development, class: default`.
    #[must_use]
    pub fn describe(&self) -> String {
        let named: Vec<String> = [
            ("resource-id", &self.resource_id),
            ("environment", &self.environment),
            ("component", &self.component),
            ("environment-type", &self.environment_type),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_ref().map(|value| format!("{key}: {value}")))
        .chain(std::iter::once(format!("class: {}", self.class())))
        .collect();
        named.join(", ")
    }
}

/// One resource definition: how resources of `type` are provided where its criteria match.
#[derive(Clone, Debug)]
pub struct Definition {
    pub id: String,
    pub r#type: String,
    pub description: Option<String>,
    /// Any one set matching is a match. A definition written without criteria (or with `[]`)
    /// holds one empty set: it matches every request of its type in the class `default`.
    pub criteria: Vec<Criteria>,
    /// Output name to its template text, rendered by cairn-render.
    pub outputs: BTreeMap<String, String>,
    /// Output path pattern (a template text) to the template file, relative to the platform's
    /// root (written relative to the definition's folder), in the order written.
    pub files: Vec<(String, String)>,
    /// The definition's file, relative to the platform's root.
    pub file: String,
    /// The span of the whole document.
    pub span: ByteSpan,
    pub source: Arc<SourceFile>,
    /// The document as written, for the span of any part (`span_of`).
    pub node: Node,
}

impl Definition {
    /// The span of the value at `path` (keys from the document's root), or of the nearest parent
    /// written.
    #[must_use]
    pub fn span_of(&self, path: &[&str]) -> ByteSpan {
        span_of(&self.node, path)
    }

    /// Where the definition is named: its `id`.
    #[must_use]
    pub fn location(&self) -> Location {
        Location::new(&self.source, self.span_of(&["id"]))
    }

    /// `file:line` of its `id`, for messages that name it.
    #[must_use]
    pub fn place(&self) -> String {
        format!("{}:{}", self.file, self.source.position(self.span_of(&["id"]).start).line)
    }

    /// The name of the definition as the source of what it renders: `resources/pg.yaml#pg`.
    #[must_use]
    pub fn provenance(&self) -> String {
        format!("{}#{}", self.file, self.id)
    }
}

/// Parses `bytes` read from `path` and reads every document as a definition: what fuzzing and
/// tests call; the engine parses files itself and calls `read_definition`.
#[must_use]
pub fn read_definitions(path: &str, bytes: &[u8], limits: &Limits) -> (Vec<Definition>, Vec<Diagnostic>) {
    let parsed = parse_file(path, bytes, limits);
    let mut diagnostics = parsed.diagnostics;
    let mut definitions = Vec::new();
    for document in parsed.documents {
        let (definition, found) = read_definition(&parsed.file, document);
        definitions.extend(definition);
        diagnostics.extend(found);
    }
    (definitions, diagnostics)
}

/// Reads one definition document. Never fails: a definition that cannot be read yields `None`
/// and the findings that say why; one whose optional parts are wrong is read without them.
#[must_use]
pub fn read_definition(file: &Arc<SourceFile>, node: Node) -> (Option<Definition>, Vec<Diagnostic>) {
    let mut reader = Reader { file, diagnostics: Vec::new() };
    let Some(entries) = node.as_mapping() else {
        reader.invalid(node.span, format!("a resource definition is {}, not a mapping", node.type_name()));
        return (None, reader.diagnostics);
    };
    for entry in entries {
        if !DEFINITION_KEYS.contains(&entry.key.as_str()) {
            reader.unknown_key(&entry.key, entry.key_span, DEFINITION_KEYS, "a resource definition");
        }
    }
    let id = reader.required_text(&node, "id");
    let r#type = reader.required_text(&node, "type");
    let description = node.get("description").and_then(|value| reader.text(value, "description"));
    let criteria = reader.criteria(&node);
    let outputs = reader.outputs(&node);
    let files = reader.files(&node);
    if id.is_none() && r#type.is_none() {
        // A template file named `.yaml` beside its definition is read as a definition too.
        if let Some(last) = reader.diagnostics.last_mut() {
            last.help = Some(
                "a resource definition has `id:` and `type:`; a template file under `resources/` must not end in \
                 `.yaml`, `.yml` or `.json` (name it `.j2`), or it is read as a definition"
                    .to_owned(),
            );
        }
    }
    let (Some(id), Some(r#type)) = (id, r#type) else {
        return (None, reader.diagnostics);
    };
    let definition = Definition {
        id,
        r#type,
        description,
        criteria,
        outputs,
        files,
        file: file.path().to_owned(),
        span: node.span,
        source: Arc::clone(file),
        node,
    };
    (Some(definition), reader.diagnostics)
}

/// What the definitions of a platform get wrong together: two with the same id (both places
/// named), and `files` naming a template that `exists` says is not in the platform.
#[must_use]
pub fn check_definitions(definitions: &[Definition], exists: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut first: HashMap<&str, &Definition> = HashMap::new();
    let mut ordered: Vec<&Definition> = definitions.iter().collect();
    ordered.sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
    for definition in ordered {
        if let Some(earlier) = first.get(definition.id.as_str()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateResourceDefinition,
                    format!(
                        "the resource definition `{}` is declared twice (first at {})",
                        definition.id,
                        earlier.place()
                    ),
                )
                .at(definition.location())
                .with_related("first declared here", earlier.location())
                .with_help("give each resource definition its own `id`"),
            );
        } else {
            first.insert(&definition.id, definition);
        }
        for (index, (_, template)) in definition.files.iter().enumerate() {
            if !exists(template) {
                let pattern = &definition.files[index].0;
                diagnostics.push(
                    Diagnostic::new(
                        Code::MissingResourceTemplate,
                        format!("the template file `{template}` of the resource definition `{}` does not exist", definition.id),
                    )
                    .at(Location::new(&definition.source, definition.span_of(&["files", pattern])))
                    .with_help("a template file is written relative to the definition's folder; add the file or correct the path"),
                );
            }
        }
    }
    diagnostics
}

struct Reader<'a> {
    file: &'a SourceFile,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn invalid(&mut self, span: ByteSpan, message: String) {
        self.diagnostics.push(
            Diagnostic::new(Code::InvalidResourceDefinition, message)
                .at_span(self.file, span)
                .with_help("a resource definition has `id`, `type`, and optionally `description`, `criteria` (a list of mappings), `outputs` (name: template text) and `files` (path pattern: template file)"),
        );
    }

    fn unknown_key(&mut self, key: &str, span: ByteSpan, known: &[&str], what: &str) {
        let mut help = format!("{what} has the keys {}", backticked(known));
        if let Some(near) = cairn_diagnostics::did_you_mean(key, known.iter().copied()) {
            help = format!("did you mean `{near}`? {help}");
        }
        self.diagnostics.push(
            Diagnostic::new(Code::UnknownResourceDefinitionKey, format!("unknown key `{key}` in {what}"))
                .at_span(self.file, span)
                .with_help(help),
        );
    }

    /// A non-empty text, or a finding.
    fn text(&mut self, value: &Node, key: &str) -> Option<String> {
        match value.as_str() {
            Some("") => {
                self.invalid(value.span, format!("`{key}` is empty"));
                None
            }
            Some(text) => Some(text.to_owned()),
            None => {
                self.invalid(value.span, format!("`{key}` is {}, not a text", value.type_name()));
                None
            }
        }
    }

    fn required_text(&mut self, node: &Node, key: &str) -> Option<String> {
        if let Some(value) = node.get(key) {
            self.text(value, key)
        } else {
            self.invalid(ByteSpan::at(node.span.start), format!("the resource definition has no `{key}`"));
            None
        }
    }

    fn criteria(&mut self, node: &Node) -> Vec<Criteria> {
        let everything = || vec![Criteria { span: node.span, ..Criteria::default() }];
        let items = match node.get("criteria").map(|value| (value, &value.value)) {
            None | Some((_, Value::Null)) => return everything(),
            Some((_, Value::Sequence(items))) if items.is_empty() => return everything(),
            Some((_, Value::Sequence(items))) => items,
            Some((value, _)) => {
                self.invalid(value.span, format!("`criteria` is {}, not a list of mappings", value.type_name()));
                // Matching nothing is the safe reading of criteria that cannot be read.
                return Vec::new();
            }
        };
        let mut sets = Vec::new();
        for item in items {
            let Some(entries) = item.as_mapping() else {
                self.invalid(item.span, format!("an item of `criteria` is {}, not a mapping", item.type_name()));
                continue;
            };
            let mut criteria = Criteria { span: item.span, ..Criteria::default() };
            let mut readable = true;
            for entry in entries {
                let slot = match entry.key.as_str() {
                    "resource-id" => &mut criteria.resource_id,
                    "environment" => &mut criteria.environment,
                    "component" => &mut criteria.component,
                    "environment-type" => &mut criteria.environment_type,
                    "class" => &mut criteria.class,
                    _ => {
                        self.unknown_key(&entry.key, entry.key_span, CRITERIA_KEYS, "a set of matching criteria");
                        readable = false;
                        continue;
                    }
                };
                let value = self.text(&entry.value, &entry.key);
                readable &= value.is_some();
                *slot = value;
            }
            // A set with a key that could not be read would match more than was meant: left out.
            if readable {
                sets.push(criteria);
            }
        }
        sets
    }

    fn outputs(&mut self, node: &Node) -> BTreeMap<String, String> {
        let mut outputs = BTreeMap::new();
        let Some(value) = node.get("outputs").filter(|value| value.value != Value::Null) else {
            return outputs;
        };
        let Some(entries) = value.as_mapping() else {
            self.invalid(
                value.span,
                format!("`outputs` is {}, not a mapping of names to template texts", value.type_name()),
            );
            return outputs;
        };
        for entry in entries {
            // A number or a boolean is its text: `port: 5432` is the template `5432`.
            let text = match &entry.value.value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                _ => {
                    self.invalid(
                        entry.value.span,
                        format!("the output `{}` is {}, not a template text", entry.key, entry.value.type_name()),
                    );
                    continue;
                }
            };
            outputs.insert(entry.key.clone(), text);
        }
        outputs
    }

    fn files(&mut self, node: &Node) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let Some(value) = node.get("files").filter(|value| value.value != Value::Null) else {
            return files;
        };
        let Some(entries) = value.as_mapping() else {
            self.invalid(
                value.span,
                format!("`files` is {}, not a mapping of path patterns to template files", value.type_name()),
            );
            return files;
        };
        for entry in entries {
            let Some(template) = entry.value.as_str() else {
                self.invalid(
                    entry.value.span,
                    format!("the template file of `{}` is {}, not a path", entry.key, entry.value.type_name()),
                );
                continue;
            };
            match beside(self.file.path(), template) {
                Ok(path) => files.push((entry.key.clone(), path)),
                Err(problem) => self.invalid(entry.value.span, format!("the template file `{template}` {problem}")),
            }
        }
        files
    }
}

/// `relative` (written in the file at `path`) as a path from the platform's root, or why it
/// cannot be one: absolute, empty, or leading out of the platform.
fn beside(path: &str, relative: &str) -> Result<String, &'static str> {
    if relative.is_empty() {
        return Err("is empty");
    }
    if relative.starts_with('/') || relative.contains('\\') || relative.contains(':') {
        return Err("is not a relative path with `/` between its folders");
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("leads out of the platform");
                }
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return Err("names no file");
    }
    Ok(parts.join("/"))
}

fn backticked(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests;
