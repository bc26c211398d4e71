//! OPA's `# METADATA` blocks: YAML in comments before a `package` or a rule. regorus does not
//! read them, so cairn does: `title`, `description`, `custom.code`, `custom.severity` and
//! `custom.input` shape the findings of the package or rule that follows the block.

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Severity, SourceFile};
use serde_yaml::Value as Yaml;

/// What a block annotates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Package,
    Rule(String),
}

/// How a package is evaluated: once per entity, or once over the whole catalog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    Entity,
    Catalog,
}

/// One `# METADATA` block, read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub title: Option<String>,
    pub description: Option<String>,
    pub code: Option<String>,
    pub severity: Option<Severity>,
    pub scope: Option<Scope>,
}

impl Annotation {
    /// This annotation, with what it leaves out taken from `outer` (the package's).
    pub fn or(&self, outer: &Annotation) -> Annotation {
        Annotation {
            title: self.title.clone().or_else(|| outer.title.clone()),
            description: self.description.clone().or_else(|| outer.description.clone()),
            code: self.code.clone().or_else(|| outer.code.clone()),
            severity: self.severity.or(outer.severity),
            scope: self.scope.or(outer.scope),
        }
    }
}

/// Every block of `file` with its target, and a finding for each block that cannot be read.
pub(crate) fn read_annotations(file: &SourceFile) -> (Vec<(Target, Annotation)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut diagnostics = Vec::new();
    let lines: Vec<(usize, &str)> = line_offsets(file.text()).collect();
    let mut index = 0;
    while index < lines.len() {
        let (start, line) = lines[index];
        index += 1;
        if line.trim() != "# METADATA" {
            continue;
        }
        let mut yaml = String::new();
        let mut end = start + line.len();
        while let Some(&(offset, line)) = lines.get(index) {
            let Some(comment) = line.trim_start().strip_prefix('#') else { break };
            yaml.push_str(comment.strip_prefix(' ').unwrap_or(comment));
            yaml.push('\n');
            end = offset + line.len();
            index += 1;
        }
        let span = ByteSpan::new(start as u32, end as u32);
        let invalid = |message: String| {
            Diagnostic::new(Code::PolicyMetadata, message).at_span(file, span).with_help(
                "a METADATA block is YAML in `# ` comments directly above a `package` or rule; cairn reads \
                 `title`, `description` and `custom.code`, `custom.severity` (error or warning), `custom.input` \
                 (entity or catalog)",
            )
        };
        let target = lines.get(index).map(|(_, line)| line.trim_start()).and_then(|line| {
            if line.starts_with("package ") || line.starts_with("package\t") {
                Some(Target::Package)
            } else {
                let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                (!name.is_empty()).then_some(Target::Rule(name))
            }
        });
        let Some(target) = target else {
            diagnostics.push(invalid("the METADATA block is not directly followed by a `package` or a rule".into()));
            continue;
        };
        match parse_block(&yaml) {
            Ok(annotation) => found.push((target, annotation)),
            Err(message) => diagnostics.push(invalid(message)),
        }
    }
    (found, diagnostics)
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

fn parse_block(yaml: &str) -> Result<Annotation, String> {
    let value: Yaml = serde_yaml::from_str(yaml).map_err(|error| format!("the METADATA block is not YAML: {error}"))?;
    let Yaml::Mapping(map) = value else {
        return Err("the METADATA block is not a mapping of keys such as `title` and `custom`".into());
    };
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Yaml::Null) => Ok(None),
            Some(Yaml::String(text)) => Ok(Some(text.trim().to_owned())),
            Some(_) => Err(format!("`{key}` in a METADATA block must be text")),
        }
    };
    let mut annotation =
        Annotation { title: text("title")?, description: text("description")?, ..Annotation::default() };
    let custom = match map.get("custom") {
        None | Some(Yaml::Null) => return Ok(annotation),
        Some(Yaml::Mapping(custom)) => custom,
        Some(_) => return Err("`custom` in a METADATA block must be a mapping".into()),
    };
    annotation.code = match custom.get("code") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(code)) if !code.trim().is_empty() && !code.contains(char::is_whitespace) => {
            Some(code.clone())
        }
        Some(Yaml::Number(number)) => Some(number.to_string()),
        Some(_) => return Err("`custom.code` must be one word, such as `ACME001`".into()),
    };
    annotation.severity = match custom.get("severity") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(severity)) => match severity.as_str() {
            "error" | "deny" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            other => return Err(format!("`custom.severity` is `{other}`; write `error` or `warning`")),
        },
        Some(_) => return Err("`custom.severity` must be `error` or `warning`".into()),
    };
    annotation.scope = match custom.get("input") {
        None | Some(Yaml::Null) => None,
        Some(Yaml::String(scope)) => match scope.as_str() {
            "entity" => Some(Scope::Entity),
            "catalog" => Some(Scope::Catalog),
            other => return Err(format!("`custom.input` is `{other}`; write `entity` or `catalog`")),
        },
        Some(_) => return Err("`custom.input` must be `entity` or `catalog`".into()),
    };
    Ok(annotation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<(Target, Annotation)>, Vec<Diagnostic>) {
        read_annotations(&SourceFile::new("policies/a.rego", text))
    }

    #[test]
    fn reads_package_and_rule_blocks() {
        let (found, diagnostics) = read(
            "# METADATA\n# title: Readiness\n# custom:\n#   code: ACME001\n#   input: catalog\npackage acme\n\n\
             # METADATA\n# description: Needs a tier.\n# custom:\n#  severity: warning\ndeny_tier contains msg if {\n}\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, Target::Package);
        assert_eq!(found[0].1.title.as_deref(), Some("Readiness"));
        assert_eq!(found[0].1.code.as_deref(), Some("ACME001"));
        assert_eq!(found[0].1.scope, Some(Scope::Catalog));
        assert_eq!(found[1].0, Target::Rule("deny_tier".into()));
        assert_eq!(found[1].1.severity, Some(Severity::Warning));
        let merged = found[1].1.or(&found[0].1);
        assert_eq!(merged.code.as_deref(), Some("ACME001"));
        assert_eq!(merged.description.as_deref(), Some("Needs a tier."));
    }

    #[test]
    fn reports_bad_blocks_at_the_block() {
        let (found, diagnostics) =
            read("package a\n\n# METADATA\n# custom:\n#   severity: fatal\ndeny contains 1 if true\n");
        assert!(found.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::PolicyMetadata);
        assert!(diagnostics[0].message.contains("`fatal`"), "{}", diagnostics[0].message);
        assert_eq!(diagnostics[0].location.as_ref().map(|l| l.start.line), Some(3));
    }

    #[test]
    fn a_block_needs_a_target() {
        let (_, diagnostics) = read("package a\n# METADATA\n# title: x\n\ndeny contains 1 if true\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("not directly followed"));
    }

    #[test]
    fn bad_yaml_is_a_finding() {
        let (_, diagnostics) = read("# METADATA\n# title: [unclosed\npackage a\n");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("not YAML"));
    }
}
