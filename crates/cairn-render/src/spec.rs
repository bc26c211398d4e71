//! `template.yaml`: what a golden-path template applies to and where each output goes, read with
//! spans into a typed `TemplateSpec`. A bad shape is a located finding (`E0940`), never a panic.

use std::sync::Arc;

use cairn_compute::query::Query;
use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile, did_you_mean};
use cairn_model::{Limits, Node, Value, parse_file};

/// The file that declares a template, in its folder `templates/<name>/`.
pub const SPEC_FILE: &str = "template.yaml";

const KEYS: &[&str] = &["title", "description", "blueprint", "where", "each", "requires", "outputs"];

/// What a template renders once for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Each {
    /// Once per entity of the blueprint.
    Entity,
    /// Once per (entity, environment whose `components` relation lists it).
    Deployment,
    /// Once per `Environment` entity.
    Environment,
    /// Once for the whole catalog.
    Catalog,
}

impl Each {
    const NAMES: &'static [&'static str] = &["entity", "deployment", "environment", "catalog"];

    fn parse(text: &str) -> Option<Each> {
        Some(match text {
            "entity" => Each::Entity,
            "deployment" => Each::Deployment,
            "environment" => Each::Environment,
            "catalog" => Each::Catalog,
            _ => return None,
        })
    }

    /// The name written in `template.yaml`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        Each::NAMES[self as usize]
    }
}

/// One output of a template: a path pattern and the template file that renders its content.
#[derive(Clone, Debug)]
pub struct OutputSpec {
    /// The path pattern, a template text rendered with the unit's context.
    pub path: String,
    pub path_span: ByteSpan,
    /// The template file's full name (`templates/<name>/<file>`, bundled ones prefixed).
    pub template: String,
    pub template_span: ByteSpan,
}

/// A template's `template.yaml`, read.
#[derive(Clone, Debug)]
pub struct TemplateSpec {
    /// The folder's name: `kubernetes-service` for `templates/kubernetes-service/`.
    pub name: String,
    /// The folder, as findings name it: `templates/<name>` (bundled ones prefixed).
    pub folder: String,
    /// `template.yaml` itself.
    pub file: Arc<SourceFile>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The blueprint of the entities it applies to (for `entity` and `deployment`).
    pub blueprint: Option<String>,
    /// A Port search query over the entity (for `entity` and `deployment`).
    pub filter: Option<Query>,
    pub each: Each,
    /// `requires: [workload]`: only entities with a Score workload.
    pub requires_workload: bool,
    pub outputs: Vec<OutputSpec>,
}

/// Reads `template.yaml` of the folder `folder` (`templates/<name>`, bundled ones prefixed);
/// `exists` says whether a file of the folder exists (by its name relative to the folder), so
/// that an output naming a missing template file is a finding on its line.
#[must_use]
pub fn read_spec(
    folder: &str,
    file: &Arc<SourceFile>,
    exists: &dyn Fn(&str) -> bool,
) -> (Option<TemplateSpec>, Vec<Diagnostic>) {
    let parsed = parse_file(file.path(), file.text().as_bytes(), &Limits::default());
    let mut reader = Reader { file, findings: parsed.diagnostics };
    let mut documents = parsed.documents.into_iter();
    let Some(document) = documents.next() else {
        reader.findings.push(invalid(
            file,
            ByteSpan::at(0),
            "`template.yaml` is empty",
            "declare `each` and `outputs`",
        ));
        return (None, reader.findings);
    };
    if let Some(extra) = documents.next() {
        reader.bad(extra.span, "`template.yaml` holds more than one document", "keep one document per template");
    }
    let spec = reader.spec(folder, &document, exists);
    let findings = reader.findings;
    let failed = findings.iter().any(|finding| finding.severity == cairn_diagnostics::Severity::Error);
    (spec.filter(|_| !failed), findings)
}

fn invalid(file: &SourceFile, span: ByteSpan, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::InvalidTemplate, message).at_span(file, span).with_help(help)
}

struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    findings: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn bad(&mut self, span: ByteSpan, message: impl Into<String>, help: impl Into<String>) {
        self.findings.push(invalid(self.file, span, message, help));
    }

    fn text(&mut self, key: &str, node: &Node) -> Option<String> {
        if let Some(text) = node.as_str() {
            return Some(text.to_owned());
        }
        self.bad(node.span, format!("`{key}` is {}, not text", node.type_name()), format!("write `{key}` as text"));
        None
    }

    fn spec(&mut self, folder: &str, document: &Node, exists: &dyn Fn(&str) -> bool) -> Option<TemplateSpec> {
        let span = document.span;
        let Value::Mapping(entries) = &document.value else {
            self.bad(
                span,
                format!("`template.yaml` is {}, not a mapping", document.type_name()),
                "declare the template as a mapping with `each` and `outputs`",
            );
            return None;
        };
        let name = folder.rsplit('/').next().unwrap_or(folder).to_owned();
        let mut spec = TemplateSpec {
            name,
            folder: folder.to_owned(),
            file: Arc::clone(self.file),
            title: None,
            description: None,
            blueprint: None,
            filter: None,
            each: Each::Entity,
            requires_workload: false,
            outputs: Vec::new(),
        };
        let mut each = None;
        let mut each_written = false;
        let mut outputs = None;
        for entry in entries {
            let node = &entry.value;
            match entry.key.as_str() {
                "title" => spec.title = self.text("title", node),
                "description" => spec.description = self.text("description", node),
                "blueprint" => spec.blueprint = self.text("blueprint", node),
                "where" => {
                    let (query, findings) = Query::parse(self.file, node);
                    self.findings.extend(findings);
                    spec.filter = query;
                }
                "each" => {
                    each_written = true;
                    let text = self.text("each", node);
                    match text.as_deref().map(|text| (text, Each::parse(text))) {
                        Some((_, Some(found))) => each = Some(found),
                        Some((text, None)) => {
                            let near = near(did_you_mean(text, Each::NAMES.iter().copied()));
                            self.bad(
                                node.span,
                                format!("`each: {text}` is not a kind of unit"),
                                format!("`each` is one of `entity`, `deployment`, `environment`, `catalog`{near}"),
                            );
                        }
                        None => {}
                    }
                }
                "requires" => self.requires(node, &mut spec),
                "outputs" => outputs = Some(node),
                other => {
                    let near = near(did_you_mean(other, KEYS.iter().copied()));
                    self.bad(
                        entry.key_span,
                        format!("unknown key `{other}` in `template.yaml`"),
                        format!("a template has the keys `title`, `description`, `blueprint`, `where`, `each`, `requires` and `outputs`{near}"),
                    );
                }
            }
        }
        match each {
            Some(each) => spec.each = each,
            None if each_written => {}
            None => self.bad(
                ByteSpan::at(span.start),
                "`template.yaml` does not say what it renders for",
                "add `each: entity`, `deployment`, `environment` or `catalog`",
            ),
        }
        if matches!(spec.each, Each::Entity | Each::Deployment) && spec.blueprint.is_none() && each.is_some() {
            self.bad(
                ByteSpan::at(span.start),
                format!("`each: {}` needs the `blueprint` of the entities it renders", spec.each.as_str()),
                "add `blueprint: Component` (or the blueprint it applies to)",
            );
        }
        match outputs {
            Some(node) => self.outputs(node, folder, exists, &mut spec),
            None => self.bad(
                ByteSpan::at(span.start),
                "`template.yaml` has no `outputs`",
                "list the files it renders: `outputs: [{path: …, template: …}]`",
            ),
        }
        Some(spec)
    }

    fn requires(&mut self, node: &Node, spec: &mut TemplateSpec) {
        let Value::Sequence(items) = &node.value else {
            self.bad(
                node.span,
                format!("`requires` is {}, not a list", node.type_name()),
                "write `requires: [workload]`",
            );
            return;
        };
        for item in items {
            match item.as_str() {
                Some("workload") => spec.requires_workload = true,
                _ => self.bad(
                    item.span,
                    format!("`requires` lists `{}`, which cairn does not know", compact(item)),
                    "`requires` may list `workload` (only entities with a Score workload)",
                ),
            }
        }
    }

    fn outputs(&mut self, node: &Node, folder: &str, exists: &dyn Fn(&str) -> bool, spec: &mut TemplateSpec) {
        let Value::Sequence(items) = &node.value else {
            self.bad(
                node.span,
                format!("`outputs` is {}, not a list", node.type_name()),
                "list the files it renders: `outputs: [{path: …, template: …}]`",
            );
            return;
        };
        if items.is_empty() {
            self.bad(node.span, "`outputs` is empty", "list at least one file the template renders");
        }
        for item in items {
            let (Some(path), Some(template)) = (item.get("path"), item.get("template")) else {
                self.bad(item.span, "an output needs `path` and `template`", "write `{path: …, template: file.j2}`");
                continue;
            };
            if let Some(mapping) = item.as_mapping() {
                for entry in mapping.iter().filter(|entry| !matches!(entry.key.as_str(), "path" | "template")) {
                    self.bad(
                        entry.key_span,
                        format!("unknown key `{}` in an output", entry.key),
                        "an output has the keys `path` and `template`",
                    );
                }
            }
            let (Some(path_text), Some(template_text)) = (self.text("path", path), self.text("template", template))
            else {
                continue;
            };
            let plain = !template_text.is_empty()
                && template_text.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
                && !template_text.contains(['\\', '\0']);
            if !plain {
                self.bad(
                    template.span,
                    format!("`{template_text}` is not a file of the template's folder"),
                    format!("name a file under `{folder}/`, relative to it, without `..`"),
                );
                continue;
            }
            if template_text == SPEC_FILE || !exists(&template_text) {
                self.findings.push(
                    Diagnostic::new(
                        Code::TemplateFileMissing,
                        format!("the template file `{folder}/{template_text}` does not exist"),
                    )
                    .at_span(self.file, template.span)
                    .with_help(format!("add `{template_text}` beside `template.yaml`, or name a file that is there")),
                );
                continue;
            }
            spec.outputs.push(OutputSpec {
                path: path_text,
                path_span: path.span,
                template: format!("{folder}/{template_text}"),
                template_span: template.span,
            });
        }
    }
}

/// A short rendering of a value for a message.
fn compact(node: &Node) -> String {
    node.as_str().map_or_else(|| node.to_json().to_string(), str::to_owned)
}

/// `; did you mean `x`?` when a near name exists.
fn near(found: Option<&str>) -> String {
    found.map(|name| format!("; did you mean `{name}`?")).unwrap_or_default()
}
