//! `Workload`: the one document of a Score file, read into the parts cairn uses, each with the
//! span it came from, plus the whole document as JSON for templates.

use std::collections::BTreeMap;
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile};
use cairn_syntax::{Limits, Node, Value, parse_file};

use crate::REFERENCE;

/// A Score workload.
#[derive(Clone, Debug)]
pub struct Workload {
    pub file: Arc<SourceFile>,
    /// `metadata.name`: in cairn, the identifier of the `Component` entity the workload is for.
    pub name: String,
    /// The span of `metadata.name`'s value.
    pub name_span: ByteSpan,
    /// By container name.
    pub containers: BTreeMap<String, Container>,
    /// `service.ports`, by port name.
    pub ports: BTreeMap<String, Port>,
    /// The resources the workload depends on, by resource name.
    pub resources: BTreeMap<String, Resource>,
    /// The whole document, as written (before placeholder substitution).
    pub document: serde_json::Value,
    /// Whether the document follows Score's schema: a workload that does not is still read (so
    /// that its name is checked against the catalog), but should not be rendered.
    pub valid: bool,
    /// The document with its spans, to place findings about placeholders.
    pub(crate) node: Node,
}

/// A container of `containers`.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    /// The span of the container's name (its key).
    pub span: ByteSpan,
    pub image: Option<String>,
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// The environment variables, as written (placeholders not substituted).
    pub variables: BTreeMap<String, String>,
}

/// A port of `service.ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// The span of the port's name (its key).
    pub span: ByteSpan,
    pub port: u16,
    /// `targetPort`, or `port` when it is not set (Score: "defaults to `port`").
    pub target_port: u16,
    /// `TCP` (Score's default) or `UDP`.
    pub protocol: String,
}

/// A resource of `resources`: what the workload asks for, which the platform's resource
/// definitions provide.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub r#type: String,
    pub class: Option<String>,
    pub id: Option<String>,
    /// `params`, or an empty object.
    pub params: serde_json::Value,
    /// The span of the `type:` value, where a request that nothing matches is reported.
    pub span: ByteSpan,
    /// The span of the resource's name (its key).
    pub name_span: ByteSpan,
}

/// Parses `bytes` read from `path` and reads its workload: the file (for snippets), the workload
/// when the document has a `metadata.name`, and every finding.
#[must_use]
pub fn read(path: &str, bytes: &[u8], limits: &Limits) -> (Arc<SourceFile>, Option<Workload>, Vec<Diagnostic>) {
    let parsed = parse_file(path, bytes, limits);
    let mut diagnostics = parsed.diagnostics;
    let (workload, found) = read_workload(&parsed.file, parsed.documents);
    diagnostics.extend(found);
    (parsed.file, workload, diagnostics)
}

/// Reads the documents `cairn_syntax::parse_file` found in a Score file: Score's schema, the
/// placeholders, then the typed parts. A Score file holds one workload; a second document is a
/// finding and is not read.
#[must_use]
pub fn read_workload(file: &Arc<SourceFile>, documents: Vec<Node>) -> (Option<Workload>, Vec<Diagnostic>) {
    let mut documents = documents.into_iter();
    let Some(node) = documents.next() else { return (None, Vec::new()) };
    let mut diagnostics: Vec<Diagnostic> = documents
        .map(|extra| {
            Diagnostic::new(Code::ScoreDocuments, "the Score file holds a second document, which is not read")
                .at_span(file, ByteSpan::at(extra.span.start))
                .with_help("a Score file describes one workload: move this one to a file of its own")
        })
        .collect();
    let schema_findings = crate::schema::check(file, &node);
    let valid = schema_findings.is_empty();
    diagnostics.extend(schema_findings);
    let Some(name) = node.at_path(["metadata", "name"]) else { return (None, diagnostics) };
    let Some(text) = name.as_str() else { return (None, diagnostics) };
    let workload = Workload {
        file: Arc::clone(file),
        name: text.to_owned(),
        name_span: name.span,
        containers: each(&node, "containers", container),
        ports: node.get("service").map(|service| each(service, "ports", port)).unwrap_or_default(),
        resources: each(&node, "resources", resource),
        document: node.to_json(),
        valid,
        node,
    };
    diagnostics.extend(crate::placeholder::check_placeholders(&workload));
    (Some(workload), diagnostics)
}

/// The entries of the mapping at `key` that `read` makes sense of.
fn each<T>(node: &Node, key: &str, read: fn(&cairn_syntax::Entry) -> Option<T>) -> BTreeMap<String, T> {
    let Some(entries) = node.get(key).and_then(Node::as_mapping) else { return BTreeMap::new() };
    entries.iter().filter_map(|entry| Some((entry.key.clone(), read(entry)?))).collect()
}

fn strings(node: Option<&Node>) -> Vec<String> {
    match node.map(|node| &node.value) {
        Some(Value::Sequence(items)) => items.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

fn container(entry: &cairn_syntax::Entry) -> Option<Container> {
    let node = &entry.value;
    node.as_mapping()?;
    let variables = node
        .get("variables")
        .and_then(Node::as_mapping)
        .unwrap_or_default()
        .iter()
        .filter_map(|variable| Some((variable.key.clone(), variable.value.as_str()?.to_owned())))
        .collect();
    Some(Container {
        span: entry.key_span,
        image: node.get("image").and_then(Node::as_str).map(str::to_owned),
        command: strings(node.get("command")),
        args: strings(node.get("args")),
        variables,
    })
}

fn port(entry: &cairn_syntax::Entry) -> Option<Port> {
    let node = &entry.value;
    let number = |key: &str| {
        let Value::Number(number) = &node.get(key)?.value else { return None };
        u16::try_from(number.as_u64()?).ok().filter(|port| *port > 0)
    };
    let port = number("port")?;
    Some(Port {
        span: entry.key_span,
        port,
        target_port: number("targetPort").unwrap_or(port),
        protocol: node.get("protocol").and_then(Node::as_str).unwrap_or("TCP").to_owned(),
    })
}

fn resource(entry: &cairn_syntax::Entry) -> Option<Resource> {
    let node = &entry.value;
    let kind = node.get("type")?;
    let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    Some(Resource {
        r#type: kind.as_str()?.to_owned(),
        class: text("class"),
        id: text("id"),
        params: node
            .get("params")
            .map(Node::to_json)
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new())),
        span: kind.span,
        name_span: entry.key_span,
    })
}

/// The help every schema finding ends with.
pub(crate) fn see_reference(what: &str) -> String {
    format!("{what}; see Score's reference, {REFERENCE}")
}

#[cfg(test)]
pub(crate) mod tests;
