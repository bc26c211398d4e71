//! Score's placeholders: `${metadata.KEY…}` and `${resources.NAME.OUTPUT…}` replaced in the
//! fields Score substitutes, `$${` written for a literal `${` and `$$` for a literal `$`.
//!
//! The rules follow Score's reference implementations, whose substitution is shared in
//! score-spec/score-go `framework/substitution.go` (`SubstituteString`, `SplitRefParts`,
//! `BuildSubstitutionFunction`) and read by score-k8s and score-compose:
//! - `${…}` runs to the first `}`; `$${…}` is kept as `${…}` and `$$` as `$`; any other `$` is
//!   itself; a `${` without a `}` is kept as written (cairn warns, W0909).
//! - The reference splits on `.`; `\.` is a dot inside a key (`${metadata.annotations.a\.b/c}`).
//! - `metadata.KEY…` walks the workload's `metadata` mapping; `resources.NAME.OUTPUT…` the outputs
//!   of the workload's resource `NAME`; anything else is an error, escaped with `$$`.
//! - A value that is not text is written as JSON.
//!
//! Fields substituted, as score-k8s and score-compose do and Score's reference says ("can be
//! used in the container variable values, container files, and resource params",
//! https://docs.score.dev/docs/score-specification/score-spec-reference/): containers'
//! `variables` values, `files` `content` (unless `noExpand: true`; never `binaryContent`),
//! `volumes` `source` (where `${resources.NAME}` alone names the resource itself, as in
//! score-k8s `internal/convert/workloads.go`), and every text inside resources' `params`.
//! `image`, `command` and `args` are not substituted, as in score-k8s.

use cairn_diagnostics::{Code, Diagnostic, did_you_mean};
use cairn_syntax::{Node, Value};

use crate::workload::Workload;

/// The outputs of the resources a workload's placeholders read.
pub trait Outputs {
    /// Whether `${resources.NAME…}` may name resource `name`.
    fn has_resource(&self, name: &str) -> bool;
    /// The value of output `output` of resource `resource`, if it has one.
    fn output(&self, resource: &str, output: &str) -> Option<serde_json::Value>;
    /// The names of the outputs of `resource`, for "did you mean" help.
    fn output_names(&self, _resource: &str) -> Vec<String> {
        Vec::new()
    }
}

/// A JSON object from resource name to an object of its outputs, such as the template context's
/// `resources`.
impl Outputs for serde_json::Value {
    fn has_resource(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn output(&self, resource: &str, output: &str) -> Option<serde_json::Value> {
        self.get(resource)?.get(output).cloned()
    }

    fn output_names(&self, resource: &str) -> Vec<String> {
        self.get(resource)
            .and_then(serde_json::Value::as_object)
            .map(|outputs| outputs.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// What is wrong with one placeholder, before it is placed in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub help: String,
}

/// The workload's document with every placeholder of the substituted fields replaced by its
/// value, and a finding on each text whose placeholder names an unknown resource, output or
/// metadata key (that placeholder is left as written).
#[must_use]
pub fn substitute(workload: &Workload, outputs: &dyn Outputs) -> (serde_json::Value, Vec<Diagnostic>) {
    let mut document = workload.document.clone();
    let mut diagnostics = Vec::new();
    let lookup = Lookup { workload, outputs: Some(outputs) };
    walk(workload, &mut |path, text, whole| {
        let (replaced, findings) = locate(workload, &lookup, path, text, whole);
        diagnostics.extend(findings);
        set(&mut document, path, replaced);
    });
    (document, diagnostics)
}

/// The findings about placeholders that need no resource's outputs: their spelling, the metadata
/// they read and the resources they name (which the workload must declare). `read_workload`
/// reports them.
#[must_use]
pub fn check_placeholders(workload: &Workload) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let lookup = Lookup { workload, outputs: None };
    walk(workload, &mut |path, text, whole| {
        diagnostics.extend(locate(workload, &lookup, path, text, whole).1);
    });
    diagnostics
}

/// `text` (such as a file's content read from its `source`) with its placeholders replaced as
/// in the workload's fields, and what is wrong with those that cannot be.
#[must_use]
pub fn substitute_text(workload: &Workload, text: &str, outputs: &dyn Outputs) -> (String, Vec<Problem>) {
    expand(text, &mut |reference| Lookup { workload, outputs: Some(outputs) }.resolve(reference, false))
}

/// Calls `visit` with the path, the node and whether `${resources.NAME}` alone is allowed, for
/// every text Score substitutes.
fn walk(workload: &Workload, visit: &mut dyn FnMut(&[String], &Node, bool)) {
    let root = &workload.node;
    let mut path: Vec<String> = Vec::new();
    if let Some(containers) = root.get("containers").and_then(Node::as_mapping) {
        for container in containers {
            let at = |rest: &[&str]| {
                let mut path = vec!["containers".to_owned(), container.key.clone()];
                path.extend(rest.iter().map(|part| (*part).to_owned()));
                path
            };
            if let Some(variables) = container.value.get("variables").and_then(Node::as_mapping) {
                for variable in variables {
                    if variable.value.as_str().is_some() {
                        visit(&at(&["variables", &variable.key]), &variable.value, false);
                    }
                }
            }
            for (index, key, file) in items(container.value.get("files")) {
                let no_expand = matches!(file.get("noExpand").map(|node| &node.value), Some(Value::Bool(true)));
                if no_expand || file.get("binaryContent").is_some() {
                    continue;
                }
                if let Some(content) = file.get("content").filter(|node| node.as_str().is_some()) {
                    visit(&at(&["files", key.unwrap_or(&index), "content"]), content, false);
                }
            }
            for (index, key, volume) in items(container.value.get("volumes")) {
                if let Some(source) = volume.get("source").filter(|node| node.as_str().is_some()) {
                    visit(&at(&["volumes", key.unwrap_or(&index), "source"]), source, true);
                }
            }
        }
    }
    if let Some(resources) = root.get("resources").and_then(Node::as_mapping) {
        for resource in resources {
            if let Some(params) = resource.value.get("params") {
                path.clear();
                path.extend(["resources".to_owned(), resource.key.clone(), "params".to_owned()]);
                texts(params, &mut path, visit);
            }
        }
    }
}

/// The items of the mapping or list form of `files` and `volumes`: the index as text, the key in
/// the mapping form, and the item.
fn items(node: Option<&Node>) -> Vec<(String, Option<&str>, &Node)> {
    match node.map(|node| &node.value) {
        Some(Value::Mapping(entries)) => entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (index.to_string(), Some(entry.key.as_str()), &entry.value))
            .collect(),
        Some(Value::Sequence(items)) => {
            items.iter().enumerate().map(|(index, item)| (index.to_string(), None, item)).collect()
        }
        _ => Vec::new(),
    }
}

/// Every text inside `node`, values only (keys are not substituted).
fn texts(node: &Node, path: &mut Vec<String>, visit: &mut dyn FnMut(&[String], &Node, bool)) {
    match &node.value {
        Value::String(_) => visit(path, node, false),
        Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                texts(item, path, visit);
                path.pop();
            }
        }
        Value::Mapping(entries) => {
            for entry in entries {
                path.push(entry.key.clone());
                texts(&entry.value, path, visit);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The text of `node` substituted, and its problems placed on it.
fn locate(
    workload: &Workload,
    lookup: &Lookup<'_>,
    path: &[String],
    node: &Node,
    whole: bool,
) -> (String, Vec<Diagnostic>) {
    let text = node.as_str().unwrap_or_default();
    let (replaced, problems) = expand(text, &mut |reference| lookup.resolve(reference, whole));
    let findings = problems
        .into_iter()
        .map(|problem| {
            Diagnostic::new(problem.code, format!("`{}` {}", path.join("."), problem.message))
                .at_span(&workload.file, node.span)
                .with_help(problem.help)
        })
        .collect();
    (replaced, findings)
}

/// Sets the value at `path` of `document` (whose shape `path` was read from) to `text`.
fn set(document: &mut serde_json::Value, path: &[String], text: String) {
    let mut at = document;
    for segment in path {
        let next = match at {
            serde_json::Value::Object(map) => map.get_mut(segment),
            serde_json::Value::Array(items) => segment.parse::<usize>().ok().and_then(|index| items.get_mut(index)),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return,
        }
    }
    *at = serde_json::Value::String(text);
}

/// Replaces each placeholder of `text` by what `resolve` says, as score-go's `SubstituteString`
/// does; a placeholder that does not resolve is kept as written and its problem returned.
fn expand(text: &str, resolve: &mut dyn FnMut(&str) -> Result<String, Problem>) -> (String, Vec<Problem>) {
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut unterminated = false;
    let mut rest = 0;
    while let Some(offset) = text[rest..].find('$') {
        let at = rest + offset;
        out.push_str(&text[rest..at]);
        let after = &text[at + 1..];
        if let Some(escaped) = after.strip_prefix('$') {
            // `$${…}` is `${…}` and `$$` is `$`: the first `$` is dropped, and what the escape
            // covers is not read again.
            if let Some(close) = escaped.strip_prefix('{').and_then(|inner| inner.find('}')) {
                out.push_str(&text[at + 1..at + 3 + close]);
                rest = at + 3 + close;
            } else {
                out.push('$');
                rest = at + 2;
            }
        } else if let Some(inner) = after.strip_prefix('{') {
            if let Some(close) = inner.find('}') {
                match resolve(&inner[..close]) {
                    Ok(value) => out.push_str(&value),
                    Err(problem) => {
                        problems.push(problem);
                        out.push_str(&text[at..at + 3 + close]);
                    }
                }
                rest = at + 3 + close;
            } else {
                unterminated = true;
                out.push('$');
                rest = at + 1;
            }
        } else {
            out.push('$');
            rest = at + 1;
        }
    }
    out.push_str(&text[rest..]);
    if unterminated {
        problems.push(Problem {
            code: Code::PlaceholderUnterminated,
            message: "has a `${` with no closing `}`, which Score keeps as written".to_owned(),
            help: "close the placeholder with `}`, or write `$${` for a literal `${`".to_owned(),
        });
    }
    (out, problems)
}

/// Splits a reference on `.`, with `\.` a dot inside a part, as score-go's `SplitRefParts`.
fn split(reference: &str) -> Vec<String> {
    reference.replace("\\.", "\0").split('.').map(|part| part.replace('\0', ".")).collect()
}

/// Resolves references against a workload's metadata and resources' outputs; without outputs,
/// any output of a declared resource is accepted (the check `read_workload` runs).
struct Lookup<'a> {
    workload: &'a Workload,
    outputs: Option<&'a dyn Outputs>,
}

impl Lookup<'_> {
    fn resolve(&self, reference: &str, whole: bool) -> Result<String, Problem> {
        let parts = split(reference);
        let shown = format!("`${{{reference}}}`");
        let value = match parts.first().map(String::as_str) {
            Some("metadata") if parts.len() > 1 => self.metadata(&parts[1..], &shown)?,
            Some("resources") if parts.len() > 1 => match self.resource(&parts[1..], &shown, whole)? {
                Some(value) => value,
                None => return Ok(String::new()),
            },
            Some(root @ ("metadata" | "resources")) => {
                return Err(Problem {
                    code: Code::PlaceholderInvalid,
                    message: format!("uses {shown}, which names no key of `{root}`"),
                    help: "write `${metadata.KEY}` or `${resources.NAME.OUTPUT}`".to_owned(),
                });
            }
            _ => {
                return Err(Problem {
                    code: Code::PlaceholderInvalid,
                    message: format!("uses {shown}, which reads neither `metadata` nor `resources`"),
                    help: "Score's placeholders are `${metadata.KEY}` and `${resources.NAME.OUTPUT}`; write `$${` for a literal `${`".to_owned(),
                });
            }
        };
        Ok(match value {
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        })
    }

    fn metadata(&self, keys: &[String], shown: &str) -> Result<serde_json::Value, Problem> {
        let mut at = self.workload.document.get("metadata").unwrap_or(&serde_json::Value::Null);
        for (depth, key) in keys.iter().enumerate() {
            match at.get(key) {
                Some(next) if at.is_object() => at = next,
                _ => {
                    let known: Vec<&str> =
                        at.as_object().map(|map| map.keys().map(String::as_str).collect()).unwrap_or_default();
                    let mut help = format!("`metadata.{}` has no key `{key}`", keys[..depth].join("."));
                    if depth == 0 {
                        help = format!("`metadata` has no key `{key}`");
                    }
                    if let Some(near) = did_you_mean(key, known.iter().copied()) {
                        help = format!("did you mean `{near}`? {help}");
                    }
                    return Err(Problem {
                        code: Code::PlaceholderUnknownMetadata,
                        message: format!(
                            "uses {shown}, but the workload's metadata has no `{}`",
                            keys[..=depth].join(".")
                        ),
                        help: format!("{help}; set it under `metadata:`, or write `$${{` for a literal `${{`"),
                    });
                }
            }
        }
        Ok(at.clone())
    }

    /// The value a `resources.…` reference reads; `None` when only the resource's existence could
    /// be checked (no outputs given).
    fn resource(&self, parts: &[String], shown: &str, whole: bool) -> Result<Option<serde_json::Value>, Problem> {
        let name = &parts[0];
        let declared = self.workload.resources.contains_key(name);
        let known = declared || self.outputs.is_some_and(|outputs| outputs.has_resource(name));
        if !known {
            let names = self.workload.resources.keys().map(String::as_str);
            let help = match did_you_mean(name, names) {
                Some(near) => format!("did you mean `{near}`? declare the resource under `resources:`"),
                None => format!("declare `{name}` under the workload's `resources:`, with its `type`"),
            };
            return Err(Problem {
                code: Code::PlaceholderUnknownResource,
                message: format!("uses {shown}, but the workload declares no resource `{name}`"),
                help,
            });
        }
        let Some(output) = parts.get(1) else {
            if whole {
                return Ok(Some(serde_json::Value::String(name.clone())));
            }
            return Err(Problem {
                code: Code::PlaceholderInvalid,
                message: format!("uses {shown}, which names resource `{name}` but none of its outputs"),
                help: format!("write `${{resources.{name}.OUTPUT}}`, such as `${{resources.{name}.host}}`"),
            });
        };
        let Some(outputs) = self.outputs else { return Ok(None) };
        let missing = |what: String| {
            let names = outputs.output_names(name);
            let near = did_you_mean(output, names.iter().map(String::as_str)).filter(|_| parts.len() == 2);
            let help = match near {
                Some(near) => format!("did you mean `{near}`?"),
                None if names.is_empty() => "the resource's definition declares its outputs".to_owned(),
                None => {
                    let list: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
                    format!("the outputs of `{name}` are {}", list.join(", "))
                }
            };
            Problem {
                code: Code::PlaceholderUnknownOutput,
                message: format!("uses {shown}, but resource `{name}` has no output {what}"),
                help,
            }
        };
        let mut value = outputs.output(name, output).ok_or_else(|| missing(format!("`{output}`")))?;
        for (depth, key) in parts[2..].iter().enumerate() {
            value = value.get(key).cloned().ok_or_else(|| missing(format!("`{}`", parts[1..=depth + 2].join("."))))?;
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests;
