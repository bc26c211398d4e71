//! Score's schema, checked by the jsonschema crate, its findings in plain words and placed on the
//! key or value they are about.

use std::sync::LazyLock;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile, did_you_mean};
use cairn_syntax::Node;
use cairn_syntax::words::{described, expected_type, show};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::workload::see_reference;

/// cairn's JSON Schema of Score's `score.dev/v1b1`, written from Score's `score-v1b1.json`
/// (its `$comment` names the source).
pub(crate) const SCHEMA: &str = include_str!("score-v1b1.schema.json");

/// Compiled once per process: every Score file is checked by the same validator.
static VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the bundled Score schema is JSON (tested)");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .expect("the bundled Score schema compiles (tested)")
});

/// The findings of Score's schema about the document `root` of `file`.
pub(crate) fn check(file: &SourceFile, root: &Node) -> Vec<Diagnostic> {
    let instance = root.to_json();
    let mut findings = Vec::new();
    for error in VALIDATOR.iter_errors(&instance) {
        explain(file, root, &error, &mut findings);
    }
    // The validator's order follows the schema; findings follow the file.
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// The segments of a JSON pointer, unescaped.
fn segments(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|segment| segment.replace("~1", "/").replace("~0", "~")).collect()
}

/// A field named for a message: `the workload` or `` `containers.web.image` ``.
fn field(path: &[String]) -> String {
    if path.is_empty() { "the workload".to_owned() } else { format!("`{}`", path.join(".")) }
}

fn explain(file: &SourceFile, root: &Node, error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
    let path = segments(error.instance_path().as_str());
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let node = root.at_path(refs.iter().copied());
    let value_span = node.map_or(ByteSpan::at(root.span.start), |node| node.span);
    let key_span = key_span(root, &refs).unwrap_or(value_span);
    let name = field(&path);
    let (span, message, help) = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let missing = property.as_str().unwrap_or_default();
            let span = if path.is_empty() { ByteSpan::at(root.span.start) } else { key_span };
            (span, format!("{name} has no `{missing}`, which Score requires"), required_help(&refs, missing))
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let first = unexpected.first().map_or("", String::as_str);
            let span = node.and_then(|node| node.entry(first)).map_or(value_span, |entry| entry.key_span);
            let keys: Vec<String> = unexpected.iter().map(|key| format!("`{key}`")).collect();
            let allowed = allowed_keys(&refs);
            let mut help = if allowed.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = allowed.iter().map(|key| format!("`{key}`")).collect();
                format!("the keys Score allows here are {}", list.join(", "))
            };
            if let Some(near) = did_you_mean(first, allowed.iter().copied()) {
                help = format!("did you mean `{near}`? {help}");
            }
            let help = if help.is_empty() { "remove it".to_owned() } else { help };
            (span, format!("{name} has {}, which Score does not allow", keys.join(", ")), see_reference(&help))
        }
        ValidationErrorKind::PropertyNames { error: inner } => {
            let key = inner.instance().as_str().map(str::to_owned).unwrap_or_default();
            let span = node.and_then(|node| node.entry(&key)).map_or(value_span, |entry| entry.key_span);
            let why = match inner.kind() {
                ValidationErrorKind::Pattern { pattern } => format!("does not match `{pattern}`"),
                ValidationErrorKind::MinLength { limit } => format!("is shorter than {limit} characters"),
                ValidationErrorKind::MaxLength { limit } => format!("is longer than {limit} characters"),
                _ => reason(inner),
            };
            let message = format!("{name} has the key `{key}`, which {why}");
            (span, message, name_help(&refs))
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            match none_of(error, context, &name) {
                NoneOf::Branch(branch) => {
                    for inner in branch {
                        explain(file, root, inner, out);
                    }
                    return;
                }
                NoneOf::Keys(message, help) => (key_span, message, help),
                NoneOf::Shape(message, help) => (value_span, message, help),
            }
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            let set: Vec<String> = ["content", "binaryContent", "source"]
                .iter()
                .filter(|key| node.and_then(|node| node.get(key)).is_some())
                .map(|key| format!("`{key}`"))
                .collect();
            let message = if set.len() > 1 {
                format!("{name} sets {}, but Score takes exactly one of them", set.join(" and "))
            } else {
                format!("{name} matches more than one of the shapes Score allows, which takes one")
            };
            (key_span, message, see_reference("keep one of `content`, `binaryContent` and `source`"))
        }
        ValidationErrorKind::Not { .. } => {
            // Score rules out `target` inside the mapping form of `files` and `volumes`, whose
            // keys are the targets.
            let target = node.and_then(|node| node.entry("target"));
            match target {
                Some(entry) => (
                    entry.key_span,
                    format!("{name} has `target`, which only the deprecated list form takes"),
                    see_reference("in the mapping form the key is the target path: remove `target`"),
                ),
                None => (value_span, format!("{name} has a shape Score rules out"), see_reference("change it")),
            }
        }
        _ => (value_span, format!("{name} {}", reason(error)), value_help(&refs)),
    };
    out.push(Diagnostic::new(Code::ScoreSchema, message).at_span(file, span).with_help(help));
}

/// What a failed `oneOf` or `anyOf` comes to.
enum NoneOf<'e> {
    /// The one branch written for the value's type (the list or the mapping form of `files`):
    /// its own findings say what is wrong inside it.
    Branch(&'e [ValidationError<'static>]),
    /// Branches that each need one key: which keys (a file's `content`, a probe's `httpGet`).
    Keys(String, String),
    Shape(String, String),
}

fn none_of<'e>(error: &ValidationError<'_>, context: &'e [Vec<ValidationError<'static>>], name: &str) -> NoneOf<'e> {
    let fitting: Vec<&Vec<ValidationError<'static>>> = context
        .iter()
        .filter(|branch| {
            !branch.iter().any(|inner| {
                matches!(inner.kind(), ValidationErrorKind::Type { .. })
                    && inner.instance_path().as_str() == error.instance_path().as_str()
            })
        })
        .collect();
    if let [branch] = fitting.as_slice() {
        return NoneOf::Branch(branch);
    }
    let keys: Option<Vec<String>> = context
        .iter()
        .map(|branch| match branch.as_slice() {
            [only] => match only.kind() {
                ValidationErrorKind::Required { property } => Some(format!("`{}`", property.as_str()?)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let how = if matches!(error.kind(), ValidationErrorKind::AnyOf { .. }) { "at least one" } else { "one" };
    match keys {
        Some(keys) => NoneOf::Keys(
            format!("{name} has none of {}, and Score requires {how}", keys.join(", ")),
            see_reference(&format!("set {how} of {}", keys.join(", "))),
        ),
        None => NoneOf::Shape(
            format!("{name} is {}, which has none of the shapes Score allows", described(error.instance())),
            see_reference("see the shapes this field takes"),
        ),
    }
}

/// The span of the key (or list item) that `path` ends at.
fn key_span(root: &Node, path: &[&str]) -> Option<ByteSpan> {
    let (last, parent) = path.split_last()?;
    let parent = root.at_path(parent.iter().copied())?;
    match parent.entry(last) {
        Some(entry) => Some(entry.key_span),
        None => parent.at_path([*last]).map(|item| item.span),
    }
}

/// What is wrong with the error's value, as the rest of a sentence whose subject is the field.
fn reason(error: &ValidationError<'_>) -> String {
    let value = error.instance();
    let shown = show(value);
    match error.kind() {
        ValidationErrorKind::Type { kind } => format!("is {}, not {}", described(value), expected(kind)),
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options.as_array().map(|all| all.iter().map(show).collect()).unwrap_or_default();
            format!("is {shown}, which is not one of {}", options.join(", "))
        }
        ValidationErrorKind::Pattern { pattern } => format!("is {shown}, which does not match `{pattern}`"),
        ValidationErrorKind::MinLength { limit } => {
            format!("is {shown}, shorter than the minimum of {limit} characters")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("is {shown}, longer than the maximum of {limit} characters")
        }
        ValidationErrorKind::Minimum { limit } => format!("is {shown}, below the minimum of {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("is {shown}, above the maximum of {limit}"),
        ValidationErrorKind::MinProperties { limit } => format!("has fewer than {limit} entries"),
        ValidationErrorKind::Required { property } => format!("has no `{}`", property.as_str().unwrap_or_default()),
        _ => format!("is invalid: {error}"),
    }
}

fn expected(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(single) => expected_type(&single.to_string(), false),
        TypeKind::Multiple(set) => {
            set.iter().map(|single| expected_type(&single.to_string(), false)).collect::<Vec<_>>().join(" or ")
        }
    }
}

/// Which of Score's mappings `path` is, by its shape.
fn mapping_at(path: &[&str]) -> Option<&'static str> {
    Some(match path {
        [] => "workload",
        ["service"] => "service",
        ["service", "ports", _] => "port",
        ["containers", _] => "container",
        ["containers", _, "resources"] => "compute",
        ["containers", _, "resources", _] => "limits",
        ["containers", _, "files", _] => "file",
        ["containers", _, "volumes", _] => "volume",
        ["containers", _, "before", _] => "before",
        ["containers", _, "livenessProbe" | "readinessProbe"] => "probe",
        ["containers", _, "livenessProbe" | "readinessProbe", "httpGet"] => "httpGet",
        ["containers", _, "livenessProbe" | "readinessProbe", "exec"] => "exec",
        ["containers", _, "livenessProbe" | "readinessProbe", "httpGet", "httpHeaders", _] => "header",
        ["resources", _] => "resource",
        _ => return None,
    })
}

/// The keys Score's schema allows in the mapping at `path` (when it allows only some).
fn allowed_keys(path: &[&str]) -> &'static [&'static str] {
    match mapping_at(path) {
        Some("workload") => &["apiVersion", "metadata", "service", "containers", "resources"],
        Some("service") => &["ports"],
        Some("port") => &["port", "protocol", "targetPort"],
        Some("container") => &[
            "image",
            "command",
            "args",
            "variables",
            "files",
            "volumes",
            "before",
            "resources",
            "livenessProbe",
            "readinessProbe",
        ],
        Some("compute") => &["limits", "requests"],
        Some("limits") => &["memory", "cpu"],
        Some("file") => &["mode", "source", "content", "binaryContent", "noExpand", "target"],
        Some("volume") => &["source", "path", "readOnly", "target"],
        Some("before") => &["ready"],
        Some("probe") => &["httpGet", "exec"],
        Some("httpGet") => &["host", "scheme", "path", "port", "httpHeaders"],
        Some("exec") => &["command"],
        Some("header") => &["name", "value"],
        Some("resource") => &["type", "class", "id", "metadata", "params"],
        _ => &[],
    }
}

fn required_help(path: &[&str], missing: &str) -> String {
    let what = match (mapping_at(path), missing) {
        (Some("workload"), "apiVersion") => "add `apiVersion: score.dev/v1b1`".to_owned(),
        (Some("workload"), "metadata") => {
            "add `metadata:` with `name:`, the identifier of the component the workload is for".to_owned()
        }
        (_, "name") if path == ["metadata"] => {
            "add `name:`, the identifier of the component the workload is for".to_owned()
        }
        (Some("workload"), "containers") => "add `containers:` with at least one container and its `image`".to_owned(),
        (Some("resource"), "type") => "add `type:`, the kind of resource, such as `postgres`".to_owned(),
        _ => format!("add `{missing}`"),
    };
    see_reference(&what)
}

/// Help for a key that breaks a `propertyNames` rule.
fn name_help(path: &[&str]) -> String {
    let what = match path {
        ["containers", _, "variables"] => "a variable's name is not empty and has no `=`",
        ["metadata", "annotations"] | ["resources", _, "metadata", "annotations"] => {
            "an annotation's name is a name of letters, digits, `-`, `_` and `.`, optionally after a DNS prefix and `/`, such as `example.com/team`"
        }
        _ => {
            "names of containers, ports and resources are RFC 1123 labels: 2 to 63 of `a-z`, `0-9` and `-`, neither first nor last `-`"
        }
    };
    see_reference(what)
}

/// Help for a value that breaks its rule, by the field it is.
fn value_help(path: &[&str]) -> String {
    let what = match path {
        ["apiVersion"] => "cairn reads Score workloads of `apiVersion: score.dev/v1b1`",
        ["metadata", "name"] => {
            "the name is an RFC 1123 label (2 to 63 of `a-z`, `0-9` and `-`, neither first nor last `-`): the identifier of the component the workload is for"
        }
        ["containers", _, "variables", _] => "a variable's value is text: quote it, such as `PORT: \"8080\"`",
        ["containers", _, "resources", _, "memory"] => "write a memory size such as `128M`, `1.5Gi` or `512Mi`",
        ["containers", _, "resources", _, "cpu"] => {
            "write whole or fractional CPUs, or milli-CPUs: `2`, `0.5` or `250m`"
        }
        ["containers", _, "files", _, "mode"] => "write the mode in octal, such as `0644`",
        ["resources", _, "type" | "class"] => "2 to 63 of `A-Z`, `a-z`, `0-9` and `-`, neither first nor last `-`",
        ["resources", _, "id"] => "labels of `a-z`, `0-9` and `-` joined by `.`, 2 to 63 characters, such as `main-db`",
        [.., "port" | "targetPort"] => "a port is a whole number from 1 to 65535",
        [.., "protocol"] => "`TCP` or `UDP`",
        _ => "correct the value",
    };
    see_reference(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schema_compiles() {
        let workload = serde_json::json!({
            "apiVersion": "score.dev/v1b1",
            "metadata": {"name": "web"},
            "containers": {"main": {"image": "nginx"}},
        });
        assert!(VALIDATOR.is_valid(&workload));
        assert!(!VALIDATOR.is_valid(&serde_json::json!({"apiVersion": "score.dev/v1b2"})));
    }
}
