//! The templates of a platform: the files under `templates/` (and the bundled library's),
//! grouped by folder, each folder's `template.yaml` read, and every template file compiled once
//! into one sandboxed minijinja `Environment`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Code, Diagnostic, Location, SourceFile};
use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use crate::context::{Lookup, Slot, add_functions};
use crate::filters;
use crate::spec::{SPEC_FILE, TemplateSpec, read_spec};

/// The folder of the platform repository that holds templates.
pub const TEMPLATES_FOLDER: &str = "templates";

/// Bundled files are named with this prefix in findings (as bundled blueprints and policies).
pub const BUNDLED_PREFIX: &str = "(bundled) ";

/// Fuel for one rendering of one file: about one unit per instruction minijinja runs. A loop
/// over every entity of a 100,000-entity catalog with a few lookups each fits; a template that
/// loops without end runs out (`E0945`) instead of running forever.
pub const FUEL: u64 = 50_000_000;

/// How deep includes, macros and recursive loops may nest.
pub const RECURSION_LIMIT: usize = 64;

/// The largest file one rendering may produce: 8 MiB. Writing stops there (`E0946`).
pub const MAX_OUTPUT: usize = 8 * 1024 * 1024;

/// Where a compiled template's text came from, to turn minijinja's (name, line) into a location.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// A whole file: minijinja's line is the file's line.
    File(Arc<SourceFile>),
    /// A text written as a value of a YAML file (an output path, a resource output): findings
    /// land on the value.
    Inline(Arc<SourceFile>, ByteSpan),
}

impl Origin {
    pub(crate) fn location(&self, line: Option<usize>) -> Location {
        match self {
            Origin::File(file) => match line.and_then(|line| u32::try_from(line).ok()) {
                Some(line) => {
                    let start = file.line_offset(line);
                    let end = file.text()[start as usize..]
                        .find('\n')
                        .map_or(file.text().len() as u32, |end| start + end as u32);
                    Location::new(file, ByteSpan::new(start, end))
                }
                None => Location::file(file.path()),
            },
            Origin::Inline(file, span) => Location::new(file, *span),
        }
    }
}

/// The templates of a platform, read and compiled.
#[derive(Debug)]
pub struct Templates {
    /// Sorted by folder.
    pub specs: Vec<TemplateSpec>,
    /// Every file read, `template.yaml`s included, for the report's source map.
    pub files: Vec<Arc<SourceFile>>,
    /// The findings of reading and compiling them.
    pub diagnostics: Vec<Diagnostic>,
    /// Each compiled template's name (its path) and where its text came from.
    pub(crate) origins: HashMap<String, Origin>,
    /// Template texts: (name, text), compiled once into `environment`.
    sources: Vec<(String, String)>,
    /// The templates that did not compile (each has its finding): units using them are skipped.
    pub(crate) broken: BTreeSet<String>,
    /// Every template compiled, with the filters and the catalog lookups.
    pub(crate) environment: Environment<'static>,
    /// The catalog the lookups read, set by each render.
    pub(crate) lookup: Slot,
}

/// The bundled library's template files, given as (path, text) pairs such as
/// `("templates/codeowners/template.yaml", "…")`, named as findings name them
/// (`(bundled) templates/…`). cairn-library's embedded `templates/` folder plugs in here.
#[must_use]
pub fn bundled_files(pairs: &[(&str, &str)]) -> Vec<Arc<SourceFile>> {
    pairs.iter().map(|(path, text)| Arc::new(SourceFile::new(format!("{BUNDLED_PREFIX}{path}"), *text))).collect()
}

/// `templates/<name>` of a template file's path, and the file's path within it.
fn split(path: &str) -> Option<(&str, &str)> {
    let bare = path.strip_prefix(BUNDLED_PREFIX).unwrap_or(path);
    let rest = bare.strip_prefix(TEMPLATES_FOLDER)?.strip_prefix('/')?;
    let (name, file) = rest.split_once('/')?;
    let folder_len = path.len() - bare.len() + TEMPLATES_FOLDER.len() + 1 + name.len();
    Some((&path[..folder_len], file))
}

impl Templates {
    /// Reads the repository's template files (`templates/**`) and the bundled ones
    /// (`bundled_files`); a repository folder replaces the bundled folder of the same name.
    #[must_use]
    pub fn read(files: Vec<Arc<SourceFile>>, bundled: Vec<Arc<SourceFile>>) -> Templates {
        let mut templates = Templates {
            specs: Vec::new(),
            files: Vec::new(),
            diagnostics: Vec::new(),
            origins: HashMap::new(),
            sources: Vec::new(),
            broken: BTreeSet::new(),
            environment: Environment::empty(),
            lookup: Slot::default(),
        };
        let mut folders: BTreeMap<String, Vec<(String, Arc<SourceFile>)>> = BTreeMap::new();
        let local: BTreeSet<String> =
            files.iter().filter_map(|file| split(file.path()).map(|(folder, _)| folder.to_owned())).collect();
        for file in files.into_iter().chain(bundled) {
            let Some((folder, inner)) = split(file.path()) else {
                templates.diagnostics.push(
                    Diagnostic::new(
                        Code::TemplateWithoutSpec,
                        format!("`{}` is not inside a template's folder", file.path()),
                    )
                    .at(Location::file(file.path()))
                    .with_help("a template is a folder `templates/<name>/` with a `template.yaml`"),
                );
                templates.files.push(file);
                continue;
            };
            let bundled_replaced = folder.strip_prefix(BUNDLED_PREFIX).is_some_and(|bare| local.contains(bare));
            if bundled_replaced {
                continue;
            }
            let (folder, inner) = (folder.to_owned(), inner.to_owned());
            folders.entry(folder).or_default().push((inner, Arc::clone(&file)));
            templates.files.push(file);
        }
        for (folder, files) in folders {
            let names: BTreeSet<&str> = files.iter().map(|(inner, _)| inner.as_str()).collect();
            let Some((_, spec_file)) = files.iter().find(|(inner, _)| inner == SPEC_FILE) else {
                templates.diagnostics.push(
                    Diagnostic::new(Code::TemplateWithoutSpec, format!("`{folder}/` has no `{SPEC_FILE}`"))
                        .at(Location::file(files[0].1.path()))
                        .with_help(format!(
                            "add `{folder}/{SPEC_FILE}` saying what the template renders for and where each output goes"
                        )),
                );
                continue;
            };
            let (spec, findings) = read_spec(&folder, spec_file, &|name| names.contains(name));
            templates.diagnostics.extend(findings);
            for (inner, file) in &files {
                if inner != SPEC_FILE {
                    let name = file.path().to_owned();
                    templates.origins.insert(name.clone(), Origin::File(Arc::clone(file)));
                    templates.sources.push((name, file.text().to_owned()));
                }
            }
            if let Some(spec) = spec {
                for (index, output) in spec.outputs.iter().enumerate() {
                    let name = path_template(&spec.folder, index);
                    templates.origins.insert(name.clone(), Origin::Inline(Arc::clone(&spec.file), output.path_span));
                    templates.sources.push((name, output.path.clone()));
                }
                templates.specs.push(spec);
            }
        }
        // Every template is compiled once, here: its syntax findings are `cairn check`'s too.
        let mut environment = sandbox();
        add_functions(&mut environment, &templates.lookup);
        for (name, text) in std::mem::take(&mut templates.sources) {
            if let Err(error) = environment.add_template_owned(name.clone(), text) {
                let finding = templates.finding(&error, &name);
                templates.diagnostics.push(finding);
                templates.broken.insert(name);
            }
        }
        templates.environment = environment;
        templates
    }

    /// Points the catalog lookups at `lookup` for the renders that follow.
    pub(crate) fn set_lookup(&self, lookup: Arc<Lookup>) {
        *self.lookup.write().unwrap_or_else(std::sync::PoisonError::into_inner) = lookup;
    }

    /// A minijinja error as a finding, located in the template (file and line) it names, or
    /// in `fallback` (a template name) when it names none.
    pub(crate) fn finding(&self, error: &minijinja::Error, fallback: &str) -> Diagnostic {
        let name = error.name().unwrap_or(fallback);
        let location = self
            .origins
            .get(name)
            .or_else(|| self.origins.get(fallback))
            .map_or_else(|| Location::file(name), |origin| origin.location(error.line()));
        let (code, help) = match error.kind() {
            ErrorKind::SyntaxError | ErrorKind::BadEscape | ErrorKind::UnknownBlock => {
                (Code::TemplateSyntax, "fix the template's syntax (minijinja reads Jinja2's language)")
            }
            ErrorKind::UndefinedError => (
                Code::TemplateUndefined,
                "templates run with strict undefined: check the name against the context in docs/golden-paths.md, \
                 or test for it first (`{% if x is defined %}`, `x | default(…)`)",
            ),
            ErrorKind::OutOfFuel => {
                (Code::TemplateLimit, "the template ran too long: look for a loop that does not end")
            }
            ErrorKind::WriteFailure => (Code::OutputTooLarge, "render less into one file, or split the output"),
            ErrorKind::InvalidOperation if error.detail().is_some_and(|detail| detail.contains("recursion limit")) => (
                Code::TemplateLimit,
                "includes, macros or recursive loops nest too deep: look for one that calls itself",
            ),
            ErrorKind::TemplateNotFound => (
                Code::TemplateFailed,
                "a template includes or imports only files of its own folder, by a path relative to the file",
            ),
            _ => (Code::TemplateFailed, "see the filters and functions in docs/golden-paths.md"),
        };
        let message = match error.kind() {
            ErrorKind::WriteFailure => format!("the rendered file is larger than {MAX_OUTPUT} bytes"),
            _ => error.detail().map_or_else(|| error.kind().to_string(), str::to_owned),
        };
        Diagnostic::new(code, message).at(location).with_help(help)
    }
}

/// The name under which an output's path pattern is compiled.
pub(crate) fn path_template(folder: &str, index: usize) -> String {
    format!("{folder}/{SPEC_FILE}#outputs/{index}/path")
}

/// minijinja as cairn runs it: strict undefined, fuel, a recursion limit, Jinja2's whitespace
/// defaults, no loader (every template is given as text, so nothing reads the file system), and
/// includes resolved only within the including file's template folder. Public so that other
/// crates (cairn-actions' expressions) run their templates under the same limits and filters.
#[must_use]
pub fn sandbox() -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.set_fuel(Some(FUEL));
    environment.set_recursion_limit(RECURSION_LIMIT);
    // Output is files, not HTML: nothing is escaped.
    environment.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    environment.set_path_join_callback(|name, parent| join(name, parent).into());
    environment.add_filter("to_yaml", filters::to_yaml);
    environment.add_filter("to_json", filters::to_json);
    environment.add_filter("quote", filters::quote);
    environment.add_filter("slug", filters::slug);
    environment.add_filter("indent", filters::indent);
    environment
}

/// The template `name` included or imported from `parent`: a path relative to the parent's
/// folder that stays inside the parent's template folder (`templates/<name>/`); anything else
/// is given a name no template has, so the include fails with "template not found".
fn join(name: &str, parent: &str) -> String {
    let Some((folder, _)) = split(parent) else {
        return format!("<outside any template>/{name}");
    };
    let mut parts: Vec<&str> = parent[folder.len() + 1..].split('/').collect();
    parts.pop();
    for segment in name.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return format!("<outside {folder}/>/{name}");
                }
            }
            other => parts.push(other),
        }
    }
    if name.starts_with('/') || name.contains('\\') {
        return format!("<outside {folder}/>/{name}");
    }
    format!("{folder}/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_stay_in_the_template_folder() {
        assert_eq!(join("part.j2", "templates/a/main.j2"), "templates/a/part.j2");
        assert_eq!(join("../x.j2", "templates/a/sub/main.j2"), "templates/a/x.j2");
        assert!(join("../b/x.j2", "templates/a/main.j2").starts_with("<outside"));
        assert!(join("/etc/passwd", "templates/a/main.j2").starts_with("<outside"));
        assert_eq!(join("part.j2", "(bundled) templates/a/main.j2"), "(bundled) templates/a/part.j2");
    }
}
