//! Reading one action document in Port's format, with the spans of its parts, and the `cairn`
//! key that says what a run changes. Port's action format is described on
//! <https://docs.port.io/actions-and-automations/create-self-service-experiences/setup-ui-for-action/>
//! (identifier, title, icon, description, `trigger` with `type`, `operation`,
//! `blueprintIdentifier` and `userInputs`); the keys cairn does not use (`invocationMethod`,
//! `requiredApproval`, …) are kept by name in `Action::unused_keys`.

use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, SourceFile, did_you_mean};
use cairn_model::{Node, Spanned, Value, is_data_file};

use crate::automation::Automation;
use crate::inputs::{UserInputs, read_user_inputs};

/// The folder of the platform repository that holds actions, at any depth.
pub const ACTIONS_FOLDER: &str = "actions";

/// Whether `path` (platform-relative) is an action file: YAML or JSON under `actions/`.
#[must_use]
pub fn is_action_file(path: &str) -> bool {
    path.strip_prefix(ACTIONS_FOLDER).is_some_and(|rest| rest.starts_with('/')) && is_data_file(path)
}

/// Whether `path` (platform-relative) is a file under `actions/` that is not an action: a
/// template an action may name (`files[].template`), read as text.
#[must_use]
pub fn is_action_template(path: &str) -> bool {
    path.strip_prefix(ACTIONS_FOLDER).is_some_and(|rest| rest.starts_with('/')) && !is_data_file(path)
}

/// What a self-service action does to its blueprint's entities, as Port names it
/// (`trigger.operation` on the page cited at the top of this module).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Operation {
    #[serde(rename = "CREATE")]
    Create,
    #[serde(rename = "DAY-2")]
    Day2,
    #[serde(rename = "DELETE")]
    Delete,
}

impl Operation {
    const ALL: [(&'static str, Operation); 3] =
        [("CREATE", Operation::Create), ("DAY-2", Operation::Day2), ("DELETE", Operation::Delete)];

    /// Port's name: `CREATE`, `DAY-2` or `DELETE`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Day2 => "DAY-2",
            Operation::Delete => "DELETE",
        }
    }

    /// Whether a run acts on an existing entity (`--entity`).
    #[must_use]
    pub fn needs_target(self) -> bool {
        !matches!(self, Operation::Create)
    }
}

/// How an action is started. Port's automations (`type: automation`) are not run by `cairn run`:
/// the reconciler fires them (`cairn_engine::due`, docs/reconcile.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerType {
    SelfService,
    Automation,
}

/// One edit of a DAY-2 action, as written under `cairn.edits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditOp {
    /// Sets the value at the path.
    Set,
    /// Removes the key at the path.
    Unset,
    /// Appends the value to the list at the path unless an equal item is there; creates the list.
    Add,
    /// Removes every item equal to the value from the list at the path.
    Remove,
    /// Appends the value to the list at the path, always; creates the list.
    Append,
}

impl EditOp {
    const ALL: [(&'static str, EditOp); 5] = [
        ("set", EditOp::Set),
        ("unset", EditOp::Unset),
        ("add", EditOp::Add),
        ("remove", EditOp::Remove),
        ("append", EditOp::Append),
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            EditOp::Set => "set",
            EditOp::Unset => "unset",
            EditOp::Add => "add",
            EditOp::Remove => "remove",
            EditOp::Append => "append",
        }
    }
}

/// An edit: the operation, the dot-separated path in the entity (`properties.ttl`) and the value
/// (absent for `unset`), whose strings are templates.
#[derive(Clone, Debug)]
pub struct EditSpec {
    pub op: EditOp,
    pub path: Spanned<String>,
    pub value: Option<Node>,
    pub span: ByteSpan,
}

impl EditSpec {
    /// The path's segments.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.path.value.split('.')
    }
}

/// A file a CREATE action writes: its path (a template) and the template file, relative to the
/// action file's folder.
#[derive(Clone, Debug)]
pub struct FileSpec {
    pub path: Spanned<String>,
    pub template: Spanned<String>,
    pub span: ByteSpan,
}

/// The `cairn` key of an action: what a run changes.
#[derive(Clone, Debug, Default)]
pub struct CairnPart {
    /// The pull request's and commit's title, a template.
    pub title: Option<Spanned<String>>,
    /// More lines for the pull request's and commit's body, a template.
    pub body: Option<Spanned<String>>,
    pub edits: Vec<EditSpec>,
    pub files: Vec<FileSpec>,
    pub span: ByteSpan,
}

/// The keys of the `cairn` key.
const CAIRN_KEYS: &[&str] = &["title", "body", "edits", "files"];

/// The keys of an action that cairn reads; any other key is Port's and is kept by name.
const READ_KEYS: &[&str] = &["identifier", "title", "icon", "description", "trigger", "cairn"];

/// One action, read from one document of a file under `actions/`.
#[derive(Clone, Debug)]
pub struct Action {
    pub identifier: Spanned<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub trigger: TriggerType,
    /// `None` for automations.
    pub operation: Option<Spanned<Operation>>,
    /// `trigger.blueprintIdentifier` (for automations: `trigger.event.blueprintIdentifier`).
    pub blueprint: Option<Spanned<String>>,
    pub inputs: UserInputs,
    /// The `cairn` key of a self-service action (`None` for automations, whose `cairn` key is
    /// read into `automation`).
    pub cairn: Option<CairnPart>,
    /// The event, condition and `cairn` key of an automation.
    pub automation: Option<Automation>,
    /// One of cairn's bundled items (`cairn_actions::BUNDLED`), not a file of the platform.
    pub bundled: bool,
    /// Port's keys cairn does not use (`invocationMethod`, `requiredApproval`, …), in the
    /// order written, listed at `--verbose`.
    pub unused_keys: Vec<String>,
    pub file: Arc<SourceFile>,
    /// The whole document.
    pub span: ByteSpan,
}

impl Action {
    /// The folder of the action's file, `/`-terminated (templates are relative to it).
    #[must_use]
    pub fn folder(&self) -> &str {
        let path = self.file.path();
        path.rfind('/').map_or("", |slash| &path[..=slash])
    }

    /// The platform-relative path of a template named by `files[].template`, or why it is not a
    /// path inside the platform.
    pub fn template_path(&self, template: &str) -> Result<String, &'static str> {
        if let Some(reason) = cairn_render::unsafe_path(template) {
            return Err(reason);
        }
        Ok(format!("{}{template}", self.folder()))
    }

    /// The edits of the `cairn` key (none when absent).
    #[must_use]
    pub fn edits(&self) -> &[EditSpec] {
        self.cairn.as_ref().map_or(&[], |cairn| &cairn.edits)
    }

    /// The files of the `cairn` key (none when absent).
    #[must_use]
    pub fn files(&self) -> &[FileSpec] {
        self.cairn.as_ref().map_or(&[], |cairn| &cairn.files)
    }
}

/// Reads one action document. Never fails: an action that cannot be read yields `None` and the
/// findings that say why.
#[must_use]
pub fn read_action(file: &Arc<SourceFile>, node: &Node) -> (Option<Action>, Vec<Diagnostic>) {
    let mut reader = Reader { file, diagnostics: Vec::new() };
    let action = reader.action(node);
    (action, reader.diagnostics)
}

pub(crate) struct Reader<'a> {
    pub(crate) file: &'a Arc<SourceFile>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    pub(crate) fn report(&mut self, code: Code, message: String, span: ByteSpan, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(code, message).at_span(self.file, span).with_help(help));
    }

    /// A text value, or a finding saying what `key` holds instead.
    pub(crate) fn text(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        if let Value::String(text) = &node.value {
            Some(Spanned { value: text.clone(), span: node.span })
        } else {
            let message = format!("`{key}` is {}, not text", node.type_name());
            self.report(Code::InvalidAction, message, node.span, format!("write `{key}` as text"));
            None
        }
    }

    fn optional_text(&mut self, key: &str, node: Option<&Node>) -> Option<String> {
        match node {
            None | Some(Node { value: Value::Null, .. }) => None,
            Some(node) => self.text(key, node).map(|text| text.value),
        }
    }

    fn action(&mut self, node: &Node) -> Option<Action> {
        let Some(entries) = node.as_mapping() else {
            let message = format!("the action is {}, not a mapping", node.type_name());
            self.report(
                Code::InvalidAction,
                message,
                node.span,
                "an action is a mapping with `identifier` and `trigger`",
            );
            return None;
        };
        let unused_keys: Vec<String> = entries
            .iter()
            .filter(|entry| !READ_KEYS.contains(&entry.key.as_str()))
            .map(|entry| entry.key.clone())
            .collect();
        let identifier = if let Some(value) = node.get("identifier") {
            self.text("identifier", value)
        } else {
            self.report(
                Code::InvalidActionIdentifier,
                "the action has no `identifier`".to_owned(),
                ByteSpan::at(node.span.start),
                "add `identifier:`, the name `cairn run` takes",
            );
            None
        };
        if let Some(identifier) = &identifier {
            // Port's action identifiers follow its entity rule (the `identifier` of "Create an
            // action" in https://docs.port.io/api-reference/create-an-action/): cairn also puts
            // them into branch names and workflow file names, which the sanitising handles.
            if let Some(problem) = cairn_model::check_identifier(&identifier.value) {
                let message = format!("the action identifier `{}` {problem}", identifier.value);
                self.report(Code::InvalidActionIdentifier, message, identifier.span, cairn_model::IDENTIFIER_RULE);
            }
        }
        let title = self.optional_text("title", node.get("title"));
        let description = self.optional_text("description", node.get("description"));
        let icon = self.optional_text("icon", node.get("icon"));
        let (trigger, operation, blueprint, inputs, automation) = self.trigger(node)?;
        let cairn = match node.get("cairn") {
            _ if trigger == TriggerType::Automation => None,
            None | Some(Node { value: Value::Null, .. }) => None,
            Some(cairn) => self.cairn(cairn),
        };
        if let (Some(operation), Some(cairn)) = (&operation, &cairn) {
            self.coherent(operation, cairn);
        }
        Some(Action {
            identifier: identifier?,
            title,
            description,
            icon,
            trigger,
            operation,
            blueprint,
            inputs,
            cairn,
            automation,
            bundled: false,
            unused_keys,
            file: Arc::clone(self.file),
            span: node.span,
        })
    }

    #[allow(clippy::type_complexity)] // One tuple, read once by `action`.
    fn trigger(
        &mut self,
        action: &Node,
    ) -> Option<(TriggerType, Option<Spanned<Operation>>, Option<Spanned<String>>, UserInputs, Option<Automation>)>
    {
        let Some(trigger) = action.get("trigger") else {
            self.report(
                Code::InvalidTrigger,
                "the action has no `trigger`".to_owned(),
                ByteSpan::at(action.span.start),
                "add `trigger: {type: self-service, operation: DAY-2, blueprintIdentifier: …}`",
            );
            return None;
        };
        if trigger.as_mapping().is_none() {
            let message = format!("`trigger` is {}, not a mapping", trigger.type_name());
            self.report(Code::InvalidTrigger, message, trigger.span, "write `trigger` as a mapping with `type:`");
            return None;
        }
        let Some(kind) = trigger.get("type") else {
            self.report(
                Code::InvalidTrigger,
                "the trigger has no `type`".to_owned(),
                trigger.span,
                "add `type: self-service`",
            );
            return None;
        };
        let kind = self.text("trigger.type", kind)?;
        let kind = match kind.value.as_str() {
            "self-service" => TriggerType::SelfService,
            "automation" => TriggerType::Automation,
            other => {
                let help = match did_you_mean(other, ["self-service", "automation"]) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "Port's trigger types are `self-service` and `automation`".to_owned(),
                };
                self.report(Code::InvalidTrigger, format!("unknown trigger type `{other}`"), kind.span, help);
                return None;
            }
        };
        if kind == TriggerType::Automation {
            // An automation names its blueprint under `event` (Port's automation triggers,
            // https://docs.port.io/actions-and-automations/define-automations/setup-trigger/).
            let (automation, blueprint) = crate::automation::read(self, action, trigger)?;
            return Some((kind, None, blueprint, UserInputs::default(), Some(automation)));
        }
        let operation = if let Some(node) = trigger.get("operation") {
            self.operation(node)
        } else {
            self.report(
                Code::InvalidTrigger,
                "the self-service trigger has no `operation`".to_owned(),
                trigger.span,
                "add `operation: CREATE`, `DAY-2` or `DELETE`",
            );
            None
        };
        let blueprint = if let Some(node) = trigger.get("blueprintIdentifier") {
            self.text("trigger.blueprintIdentifier", node)
        } else {
            self.report(
                Code::InvalidTrigger,
                "the self-service trigger has no `blueprintIdentifier`".to_owned(),
                trigger.span,
                "cairn runs actions on a blueprint's entities: add `blueprintIdentifier:`",
            );
            None
        };
        let inputs = match trigger.get("userInputs") {
            Some(node) => read_user_inputs(self, node),
            None => UserInputs::default(),
        };
        Some((kind, Some(operation?), Some(blueprint?), inputs, None))
    }

    fn operation(&mut self, node: &Node) -> Option<Spanned<Operation>> {
        let text = self.text("trigger.operation", node)?;
        if let Some((_, operation)) = Operation::ALL.iter().find(|(name, _)| *name == text.value) {
            return Some(Spanned { value: *operation, span: text.span });
        }
        let help = match did_you_mean(&text.value, Operation::ALL.iter().map(|(name, _)| *name)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => "Port's operations are `CREATE`, `DAY-2` and `DELETE`".to_owned(),
        };
        let message = format!("unknown operation `{}`", text.value);
        self.report(Code::InvalidTrigger, message, text.span, help);
        None
    }

    fn cairn(&mut self, node: &Node) -> Option<CairnPart> {
        let Some(entries) = node.as_mapping() else {
            let message = format!("`cairn` is {}, not a mapping", node.type_name());
            self.report(Code::InvalidCairnKey, message, node.span, "write `cairn:` as a mapping (docs/actions.md)");
            return None;
        };
        let mut part = CairnPart { span: node.span, ..CairnPart::default() };
        for entry in entries {
            match entry.key.as_str() {
                "title" => part.title = self.cairn_text("cairn.title", &entry.value),
                "body" => part.body = self.cairn_text("cairn.body", &entry.value),
                "edits" => part.edits = self.list(&entry.value, "cairn.edits", Self::edit),
                "files" => part.files = self.list(&entry.value, "cairn.files", Self::file_spec),
                other => {
                    let help = match did_you_mean(other, CAIRN_KEYS.iter().copied()) {
                        Some(close) => format!("did you mean `{close}`?"),
                        None => "the `cairn` key has `title`, `body`, `edits` and `files`".to_owned(),
                    };
                    self.report(
                        Code::InvalidCairnKey,
                        format!("unknown key `{other}` in `cairn`"),
                        entry.key_span,
                        help,
                    );
                }
            }
        }
        Some(part)
    }

    fn cairn_text(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        if let Value::String(text) = &node.value {
            Some(Spanned { value: text.clone(), span: node.span })
        } else {
            let message = format!("`{key}` is {}, not text", node.type_name());
            self.report(Code::InvalidCairnKey, message, node.span, format!("write `{key}` as text (a template)"));
            None
        }
    }

    fn list<T>(&mut self, node: &Node, key: &str, item: fn(&mut Self, &Node) -> Option<T>) -> Vec<T> {
        match &node.value {
            Value::Sequence(items) => items.iter().filter_map(|node| item(self, node)).collect(),
            Value::Null => Vec::new(),
            _ => {
                let message = format!("`{key}` is {}, not a list", node.type_name());
                self.report(Code::InvalidCairnKey, message, node.span, format!("write `{key}` as a list"));
                Vec::new()
            }
        }
    }

    fn edit(&mut self, node: &Node) -> Option<EditSpec> {
        let Some(entries) = node.as_mapping() else {
            let message = format!("an edit is {}, not a mapping", node.type_name());
            self.report(
                Code::InvalidCairnKey,
                message,
                node.span,
                "write an edit as `- set: properties.x` and `value: …`",
            );
            return None;
        };
        let mut op: Option<(EditOp, &Node)> = None;
        let mut value = None;
        for entry in entries {
            if let Some((_, found)) = EditOp::ALL.iter().find(|(name, _)| *name == entry.key) {
                if op.is_some() {
                    let message = format!("the edit has two operations (`{}` and another)", entry.key);
                    self.report(Code::InvalidCairnKey, message, entry.key_span, "write one operation per edit");
                    return None;
                }
                op = Some((*found, &entry.value));
            } else if entry.key == "value" {
                value = Some(entry.value.clone());
            } else {
                let names = EditOp::ALL.iter().map(|(name, _)| *name).chain(["value"]);
                let help = match did_you_mean(&entry.key, names) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "an edit has one of `set`, `unset`, `add`, `remove`, `append`, and a `value`".to_owned(),
                };
                self.report(
                    Code::InvalidCairnKey,
                    format!("unknown key `{}` in an edit", entry.key),
                    entry.key_span,
                    help,
                );
            }
        }
        let Some((op, path)) = op else {
            self.report(
                Code::InvalidCairnKey,
                "the edit has no operation".to_owned(),
                node.span,
                "start the edit with `set:`, `unset:`, `add:`, `remove:` or `append:` and the path it changes",
            );
            return None;
        };
        let path = self.cairn_text(op.as_str(), path)?;
        if let Some(problem) = path_problem(&path.value) {
            let message = format!("the edit path `{}` {problem}", path.value);
            self.report(Code::InvalidCairnKey, message, path.span, EDIT_PATH_HELP);
            return None;
        }
        match (op, &value) {
            (EditOp::Unset, Some(_)) => {
                let message = "`unset` takes no `value`".to_owned();
                self.report(Code::InvalidCairnKey, message, node.span, "remove `value:` from the edit");
                return None;
            }
            (EditOp::Set | EditOp::Add | EditOp::Remove | EditOp::Append, None) => {
                let message = format!("`{}` needs a `value`", op.as_str());
                self.report(Code::InvalidCairnKey, message, node.span, "add `value:` to the edit");
                return None;
            }
            _ => {}
        }
        Some(EditSpec { op, path, value, span: node.span })
    }

    fn file_spec(&mut self, node: &Node) -> Option<FileSpec> {
        let (Some(path), Some(template)) = (node.get("path"), node.get("template")) else {
            self.report(
                Code::InvalidCairnKey,
                "a file needs a `path` and a `template`".to_owned(),
                node.span,
                "write `- path: catalog/{{ inputs.name }}.yaml` and `template: new/entity.yaml.j2`",
            );
            return None;
        };
        for entry in node.as_mapping().unwrap_or_default() {
            if !matches!(entry.key.as_str(), "path" | "template") {
                let message = format!("unknown key `{}` in a file", entry.key);
                self.report(Code::InvalidCairnKey, message, entry.key_span, "a file has `path` and `template`");
            }
        }
        let path = self.cairn_text("path", path)?;
        let template = self.cairn_text("template", template)?;
        if let Some(reason) = cairn_render::unsafe_path(&template.value) {
            let message = format!("the template path `{}` is not a plain relative path: {reason}", template.value);
            self.report(
                Code::InvalidCairnKey,
                message,
                template.span,
                "name a template file in the action's folder or below it",
            );
            return None;
        }
        Some(FileSpec { path, template, span: node.span })
    }

    /// Edits belong to DAY-2, files to CREATE, neither to DELETE.
    fn coherent(&mut self, operation: &Spanned<Operation>, cairn: &CairnPart) {
        let name = operation.value.as_str();
        if operation.value != Operation::Day2
            && let Some(edit) = cairn.edits.first()
        {
            let message = format!("a {name} action has no `edits`: edits change an existing entity (DAY-2)");
            self.report(Code::InvalidCairnKey, message, edit.span, "remove `edits`, or make the operation `DAY-2`");
        }
        if operation.value != Operation::Create
            && let Some(file) = cairn.files.first()
        {
            let message = format!("a {name} action has no `files`: files are written by CREATE actions");
            self.report(Code::InvalidCairnKey, message, file.span, "remove `files`, or make the operation `CREATE`");
        }
        if operation.value == Operation::Create && cairn.files.is_empty() {
            let message = "the CREATE action's `cairn` key names no `files`".to_owned();
            self.report(Code::InvalidCairnKey, message, cairn.span, "add `files: [{path: …, template: …}]`");
        }
        if operation.value == Operation::Day2 && cairn.edits.is_empty() {
            let message = "the DAY-2 action's `cairn` key names no `edits`".to_owned();
            self.report(Code::InvalidCairnKey, message, cairn.span, "add `edits: [{set: properties.x, value: …}]`");
        }
    }
}

/// The first segments an edit path may start with: the parts of an entity an action may change.
pub(crate) const EDIT_ROOTS: &[&str] = &["properties", "relations", "title", "team", "icon"];

pub(crate) const EDIT_PATH_HELP: &str = "an edit path is dot-separated and starts with `properties`, \
    `relations`, `title`, `team` or `icon`, such as `properties.ttl` or `relations.components`";

/// What is wrong with the shape of an edit path, if anything.
fn path_problem(path: &str) -> Option<String> {
    let mut segments = path.split('.');
    let first = segments.next().unwrap_or_default();
    if path.split('.').any(str::is_empty) {
        return Some("has an empty segment".to_owned());
    }
    if !EDIT_ROOTS.contains(&first) {
        return Some(format!("starts with `{first}`"));
    }
    let rest: Vec<&str> = segments.collect();
    match first {
        "properties" | "relations" if rest.is_empty() => Some(format!("names all of `{first}`, not one field")),
        "properties" | "relations" if rest[0].parse::<usize>().is_ok() => Some(format!("names `{first}` by an index")),
        "title" | "icon" if !rest.is_empty() => Some(format!("goes inside `{first}`, which is text")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::read_one;

    #[test]
    fn reads_a_day_two_action_with_its_spans() {
        let (action, diagnostics) = read_one(
            "actions/extend-ttl.yaml",
            "identifier: extend-ttl\ntitle: Extend\ntrigger:\n  type: self-service\n  operation: DAY-2\n  blueprintIdentifier: Environment\n  userInputs:\n    properties:\n      days: {type: number, default: 3}\n    required: [days]\ninvocationMethod: {type: GITHUB}\nrequiredApproval: false\ncairn:\n  edits:\n    - set: properties.ttl\n      value: \"{{ inputs.days }}d\"\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let action = action.expect("read");
        assert_eq!(action.identifier.value, "extend-ttl");
        assert_eq!(action.operation.map(|op| op.value), Some(Operation::Day2));
        assert_eq!(action.blueprint.map(|b| b.value).as_deref(), Some("Environment"));
        assert_eq!(action.unused_keys, ["invocationMethod", "requiredApproval"]);
        let edits = action.cairn.expect("cairn").edits;
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].path.value, "properties.ttl");
        assert_eq!(action.inputs.inputs[0].name, "days");
    }

    #[test]
    fn reports_bad_shapes_where_they_are_written() {
        let cases: &[(&str, Code, &str)] = &[
            (
                "trigger: {type: self-service, operation: DAY-2, blueprintIdentifier: X}\n",
                Code::InvalidActionIdentifier,
                "no `identifier`",
            ),
            (
                "identifier: a b\ntrigger: {type: self-service, operation: DELETE, blueprintIdentifier: X}\n",
                Code::InvalidActionIdentifier,
                "character ` `",
            ),
            (
                "identifier: a\ntrigger: {type: selfservice, operation: DAY-2}\n",
                Code::InvalidTrigger,
                "unknown trigger type `selfservice`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: DAY2, blueprintIdentifier: X}\n",
                Code::InvalidTrigger,
                "unknown operation `DAY2`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: CREATE, blueprintIdentifier: X}\ncairn: {edits: [{set: properties.a, value: 1}]}\n",
                Code::InvalidCairnKey,
                "a CREATE action has no `edits`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: DAY-2, blueprintIdentifier: X}\ncairn: {edit: []}\n",
                Code::InvalidCairnKey,
                "unknown key `edit` in `cairn`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: DAY-2, blueprintIdentifier: X}\ncairn: {edits: [{set: spec.a, value: 1}]}\n",
                Code::InvalidCairnKey,
                "starts with `spec`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: DAY-2, blueprintIdentifier: X}\ncairn: {edits: [{unset: properties.a, value: 1}]}\n",
                Code::InvalidCairnKey,
                "`unset` takes no `value`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: DAY-2, blueprintIdentifier: X}\ncairn: {edits: [{set: properties.a}]}\n",
                Code::InvalidCairnKey,
                "`set` needs a `value`",
            ),
            (
                "identifier: a\ntrigger: {type: self-service, operation: CREATE, blueprintIdentifier: X}\ncairn: {files: [{path: a.yaml, template: ../x.j2}]}\n",
                Code::InvalidCairnKey,
                "not a plain relative path",
            ),
        ];
        for (text, code, message) in cases {
            let (_, diagnostics) = read_one("actions/a.yaml", text);
            assert!(
                diagnostics.iter().any(|d| d.code == *code && d.message.contains(message)),
                "{text}: {diagnostics:#?}"
            );
            assert!(diagnostics.iter().all(|d| d.location.is_some() && d.help.is_some()), "{diagnostics:#?}");
        }
    }

    #[test]
    fn automations_are_read_and_not_runnable_by_shape() {
        let (action, diagnostics) = read_one(
            "actions/a.json",
            r#"{"identifier": "on-create", "trigger": {"type": "automation", "event": {"type": "ENTITY_CREATED", "blueprintIdentifier": "Service"}}}"#,
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let action = action.expect("read");
        assert_eq!(action.trigger, TriggerType::Automation);
        assert_eq!(action.blueprint.map(|b| b.value).as_deref(), Some("Service"));
    }

    #[test]
    fn action_files_are_data_files_under_actions() {
        assert!(is_action_file("actions/a.yaml"));
        assert!(is_action_file("actions/deep/b.json"));
        assert!(!is_action_file("actions/a/component.yaml.j2"));
        assert!(!is_action_file("actionsx/a.yaml"));
        assert!(!is_action_file("catalog/a.yaml"));
        assert!(is_action_template("actions/a/component.yaml.j2"));
        assert!(!is_action_template("actions/a.yaml"));
        assert!(!is_action_template("templates/a/x.j2"));
    }
}
