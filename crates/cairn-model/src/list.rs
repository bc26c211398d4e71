//! Files that hold their blueprints or entities as a list under one key, `{"blueprints": [...]}`
//! or `{"entities": [...]}`, as Port's integrations and exports keep them (issue 10: seen on the
//! blueprints of Port's open-source integrations; no Port page describes the shape as a file
//! format). Each item is read as a document of its own, located at the item. A bare list (a
//! YAML or JSON file whose top is an array) is split by `cairn_syntax::parse_file` already.

use cairn_diagnostics::{Code, Diagnostic, SourceFile};
use cairn_syntax::{Node, Value};

/// What a file holds, by the folder it is in: the key its list is under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOf {
    Blueprints,
    Entities,
}

impl ListOf {
    fn key(self) -> &'static str {
        match self {
            ListOf::Blueprints => "blueprints",
            ListOf::Entities => "entities",
        }
    }

    fn other(self) -> ListOf {
        match self {
            ListOf::Blueprints => ListOf::Entities,
            ListOf::Entities => ListOf::Blueprints,
        }
    }
}

/// The documents `document` holds: its list's items when it is a list under `blueprints` or
/// `entities` (a mapping without `identifier` whose key holds a list), else `document` itself.
/// A list of the other kind, an item that is not a mapping, and any other key beside the list
/// are findings, located at what they name.
#[must_use]
pub fn list_items(file: &SourceFile, document: Node, holds: ListOf) -> (Vec<Node>, Vec<Diagnostic>) {
    if !is_list(&document) {
        return (vec![document], Vec::new());
    }
    let Value::Mapping(entries) = document.value else { return (Vec::new(), Vec::new()) };
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in entries {
        match (entry.key.as_str(), entry.value.value) {
            (key, Value::Sequence(list)) if key == holds.key() => {
                for item in list {
                    if matches!(item.value, Value::Mapping(_)) {
                        items.push(item);
                    } else {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::NotAMapping,
                                format!("an item of `{key}` is {}, not a mapping", item.type_name()),
                            )
                            .at_span(file, item.span)
                            .with_help(format!(
                                "each item of `{key}` is one {}, a mapping of keys such as `identifier:`",
                                singular(holds)
                            )),
                        );
                    }
                }
            }
            (key, _) if key == holds.other().key() => {
                let (wanted, found) = (holds.key(), key);
                diagnostics.push(
                    Diagnostic::new(
                        Code::ListOfOtherKind,
                        format!("this file holds `{found}`, but cairn reads {wanted} from it"),
                    )
                    .at_span(file, entry.key_span)
                    .with_help(match holds {
                        ListOf::Blueprints => "move the entities to a file of the catalog folder".to_owned(),
                        ListOf::Entities => "move the blueprints to a file of the blueprints folder".to_owned(),
                    }),
                );
            }
            (key, _) => diagnostics.push(
                Diagnostic::new(
                    Code::UnreadListKey,
                    format!("`{key}` is not read: cairn reads the `{}` list of this file", holds.key()),
                )
                .at_span(file, entry.key_span)
                .with_help(format!(
                    "a file that lists {0} holds `{0}` only; remove `{key}` or keep it in another file",
                    holds.key()
                )),
            ),
        }
    }
    (items, diagnostics)
}

/// A mapping without `identifier` whose `blueprints` or `entities` holds a list. An entity or a
/// blueprint always has an `identifier` (and neither has such a key), so this cannot take one
/// for a list.
fn is_list(document: &Node) -> bool {
    document.get("identifier").is_none()
        && [ListOf::Blueprints, ListOf::Entities]
            .iter()
            .any(|holds| document.get(holds.key()).is_some_and(|value| matches!(value.value, Value::Sequence(_))))
}

fn singular(holds: ListOf) -> &'static str {
    match holds {
        ListOf::Blueprints => "blueprint",
        ListOf::Entities => "entity",
    }
}

#[cfg(test)]
mod tests {
    use cairn_syntax::{Limits, parse_file};

    use super::*;

    /// The identifiers of the documents read from `text` and the findings as `CODE line:column`.
    fn read(path: &str, text: &str, holds: ListOf) -> (Vec<String>, Vec<String>) {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        let mut identifiers = Vec::new();
        let mut findings: Vec<String> = Vec::new();
        for document in parsed.documents {
            let (items, diagnostics) = list_items(&parsed.file, document, holds);
            for item in items {
                let line = parsed.file.position(item.span.start).line;
                identifiers.push(format!("{}@{line}", item.get("identifier").and_then(Node::as_str).unwrap_or("?")));
            }
            findings.extend(diagnostics.iter().map(|finding| {
                let at = finding.location.as_ref().map(|l| format!("{}:{}", l.start.line, l.start.column));
                format!("{} {}", finding.code.as_str(), at.unwrap_or_default())
            }));
        }
        (identifiers, findings)
    }

    #[test]
    fn a_list_under_its_key_reads_as_many_located_at_each_item() {
        let json = "{\n  \"blueprints\": [\n    {\"identifier\": \"a\"},\n    {\"identifier\": \"b\"}\n  ]\n}\n";
        assert_eq!(read("b.json", json, ListOf::Blueprints), (vec!["a@3".into(), "b@4".into()], vec![]));
        let yaml = "entities:\n  - identifier: x\n    blueprint: s\n  - identifier: y\n    blueprint: s\n";
        assert_eq!(read("e.yaml", yaml, ListOf::Entities), (vec!["x@2".into(), "y@4".into()], vec![]));
    }

    #[test]
    fn other_kinds_other_keys_and_non_mappings_are_located_findings() {
        let yaml = "blueprints:\n  - identifier: a\n  - 3\nentities: []\nscorecards: []\n";
        let (identifiers, findings) = read("b.yaml", yaml, ListOf::Blueprints);
        assert_eq!(identifiers, ["a@2"]);
        assert_eq!(findings, ["E0111 3:5", "E0330 4:1", "W0330 5:1"]);
    }

    #[test]
    fn an_entity_or_blueprint_is_never_taken_for_a_list() {
        // An `identifier` makes it an entity, whatever else it holds; a key that does not hold
        // a list is a key of the document (the entity reader reports it).
        let yaml = "identifier: e\nentities: [a]\n---\nblueprints: {a: 1}\n";
        assert_eq!(read("e.yaml", yaml, ListOf::Entities), (vec!["e@1".into(), "?@4".into()], vec![]));
    }
}
