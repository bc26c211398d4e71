//! Loading: list the repository, read `cairn.yaml`, then read and parse every blueprint, entity,
//! policy, waiver and resource definition file in parallel. Files that cannot be read or parsed become findings.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use cairn_actions::Action;
use cairn_diagnostics::{Code, Diagnostic, Location, SourceFile};
use cairn_model::{
    Blueprint, ENVIRONMENT_BLUEPRINT, Entity, FileRole, Layout, Limits, ListOf, SETTINGS_FILE, Settings, Waiver,
    is_data_file, list_items, parse_file, read_blueprint, read_entity, read_waiver, too_large,
};
use cairn_render::Templates;
use cairn_resources::{Definition, check_definitions, read_definition};
use cairn_score::Workload;
use cairn_scorecards::Scorecard;
use cairn_source::{BlobId, Contents, EntryKind, FileEntry, Reader, Source};
use rayon::prelude::*;

use crate::error::EngineError;

/// Bundled files are named with this prefix in findings, to tell them from the repository's.
pub const BUNDLED_PREFIX: &str = "(bundled) ";

/// What loading read: the settings, every file's text, the blueprints (the repository's and the
/// bundled ones that apply) and the entities, with the findings of reading them.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub settings: Settings,
    pub files: Vec<Arc<SourceFile>>,
    pub declared_blueprints: Vec<Blueprint>,
    pub bundled_blueprints: Vec<Blueprint>,
    pub entities: Vec<Arc<Entity>>,
    /// The Score workloads of the catalog folder (`score.yaml`, `*.score.yaml`), each checked
    /// against Score's schema as it was read; those without a `metadata.name` are left out.
    pub workloads: Vec<Arc<Workload>>,
    /// The repository's policies (`policies/**/*.rego`, tests left out).
    pub policies: Vec<Arc<SourceFile>>,
    /// The waivers of `exceptions/`.
    pub waivers: Vec<Waiver>,
    /// The golden-path templates (`templates/**`, and the bundled ones when
    /// `library.templates` is on), read and compiled once; their findings are in `diagnostics`.
    pub templates: Option<Arc<Templates>>,
    /// The resource definitions of `resources/`, sorted by file and position. Like blueprints,
    /// they are rules: a change is matched against its base's.
    pub resource_definitions: Vec<Definition>,
    /// The other files of `resources/`, as text: the templates definitions' `files` name.
    pub resource_templates: Vec<Arc<SourceFile>>,
    /// The self-service actions of `actions/` (cairn-actions), sorted by file and position.
    pub actions: Vec<Action>,
    /// The other files of `actions/`, as text: the templates actions' `files` name.
    pub action_templates: Vec<Arc<SourceFile>>,
    /// The committed workflows `cairn actions workflows` writes (`.github/workflows/cairn-action-*.yml`
    /// under the platform's root), as text, for the stale-workflow findings.
    pub action_workflows: Vec<Arc<SourceFile>>,
    /// The scorecards of `scorecards/` and of the blueprints' `scorecards` keys (and the bundled
    /// ones when `library.scorecards` is on), sorted by file and position.
    pub scorecards: Vec<Scorecard>,
    /// Where the platform is in its git repository (`Source::prefix`).
    pub prefix: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Paths not read because they are outside the known folders, or not YAML or JSON.
    pub ignored: Vec<String>,
    /// Every path of the repository, with its blob id when read from git.
    pub listing: Arc<[FileEntry]>,
    /// The files read from git, by path and blob, when `Reuse::Keep` asked for them: a
    /// load of another revision reuses every file the two share instead of reading it again.
    /// By blob (the bytes), then path (which decides the role), so that a lookup allocates nothing.
    parsed: HashMap<BlobId, Vec<(String, Arc<FileResult>)>>,
}

impl Loaded {
    /// A copy to judge (which consumes what it judges), without the files kept for a later
    /// load: copying them would copy an entry per entity file for nothing.
    pub(crate) fn copy_to_judge(&mut self) -> Loaded {
        let parsed = std::mem::take(&mut self.parsed);
        let copy = self.clone();
        self.parsed = parsed;
        copy
    }
}

/// A kept file of a git revision: its blob and its path.
type FileKey = (BlobId, String);

/// Whether a load keeps what it parsed for a later load, or reuses an earlier load's.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Reuse<'a> {
    #[default]
    Nothing,
    /// Keep the parsed files, for a later load of another revision of the repository.
    Keep,
    /// Take the files this earlier load parsed, where path, blob and settings agree.
    From(&'a Loaded),
    /// Both: take what this earlier load kept, and keep every file for the next load, so that
    /// a walk through many revisions (`audit_report`, `audit_stats`) parses each file once per
    /// chain.
    Chain(&'a Loaded),
}

/// Reads the platform repository at `source`.
pub fn load(source: &Source) -> Result<Loaded, EngineError> {
    load_with(source, None, Reuse::Nothing)
}

/// Reads the platform repository at `source`, with `settings` instead of its own `cairn.yaml`
/// when given (a change's head is read with its base's settings), keeping or reusing parsed
/// files as `reuse` says.
pub(crate) fn load_with(source: &Source, settings: Option<&Settings>, reuse: Reuse<'_>) -> Result<Loaded, EngineError> {
    let entries = source.files()?;
    let mut loaded = Loaded { prefix: source.prefix().to_owned(), ..Loaded::default() };
    let reader = source.reader();
    match settings {
        Some(settings) => loaded.settings = settings.clone(),
        None => {
            if let Some(entry) = entries.iter().find(|entry| entry.path == SETTINGS_FILE) {
                read_settings(&reader, entry, &mut loaded);
            }
        }
    }
    let layout = Layout::new(&loaded.settings);
    let limits = loaded.settings.limits();

    let mut work = Vec::new();
    for entry in entries.iter() {
        match (entry.kind, layout.role(&entry.path)) {
            (EntryKind::Symlink, _) if layout.reads(&entry.path) => loaded.diagnostics.push(symlink(&entry.path)),
            (EntryKind::Symlink, _) => loaded.ignored.push(format!("{} (a symbolic link)", entry.path)),
            (EntryKind::Submodule, _) => loaded.ignored.push(format!("{} (a git submodule)", entry.path)),
            (
                EntryKind::File,
                FileRole::Blueprint
                | FileRole::Entity(_)
                | FileRole::Policy
                | FileRole::Waiver
                | FileRole::Template
                | FileRole::Workload
                | FileRole::ResourceDefinition
                | FileRole::ResourceTemplate,
            ) => {
                work.push(entry);
            }
            // Reserved folders are read by the part of cairn that owns them: `actions/` and the
            // action workflows by cairn-actions' rules.
            (EntryKind::File, FileRole::Reserved) if ActionFile::of(&entry.path).is_some() => work.push(entry),
            (EntryKind::File, FileRole::Reserved) if cairn_scorecards::is_scorecard_file(&entry.path) => {
                work.push(entry);
            }
            (EntryKind::File, FileRole::Ignored) => loaded.ignored.push(entry.path.clone()),
            (EntryKind::File, FileRole::Settings | FileRole::Reserved | FileRole::PolicyTest) => {}
        }
    }

    // A file parsed by an earlier load under the same settings is the same file: same path (so
    // the same role), same blob (so the same bytes), same limits.
    let earlier = match reuse {
        Reuse::From(earlier) | Reuse::Chain(earlier) if earlier.settings == loaded.settings => Some(&earlier.parsed),
        _ => None,
    };
    let keep = matches!(reuse, Reuse::Keep | Reuse::Chain(_));
    let mut template_files = Vec::new();
    let results: Vec<(Option<FileKey>, Arc<FileResult>)> = work
        .par_iter()
        .map_init(
            || None,
            |reader, entry| {
                let role = layout.role(&entry.path);
                // Only files of git revisions are kept or reused (what a file holds depends on
                // its path, bytes and the settings alone); a plain check asks for neither and
                // pays nothing.
                let blob = entry.blob_id();
                if let Some(found) =
                    blob.and_then(|blob| earlier?.get(&blob)?.iter().find(|(path, _)| *path == entry.path))
                {
                    return (blob.filter(|_| keep).map(|blob| (blob, entry.path.clone())), Arc::clone(&found.1));
                }
                let reader = reader.get_or_insert_with(|| source.reader());
                let result = Arc::new(load_file(reader, entry, role, &limits));
                (blob.filter(|_| keep).map(|blob| (blob, entry.path.clone())), result)
            },
        )
        .collect();
    for (key, result) in results {
        if let Some((blob, path)) = key {
            loaded.parsed.entry(blob).or_default().push((path, Arc::clone(&result)));
        }
        absorb(&mut loaded, &mut template_files, result);
    }
    loaded.diagnostics.extend(crate::shape::findings(&entries, &layout, &loaded.settings, loaded.entities.len()));
    if !loaded.resource_definitions.is_empty() {
        loaded.resource_definitions.sort_by(|a, b| (&a.file, a.span.start).cmp(&(&b.file, b.span.start)));
        let files: HashSet<&str> =
            entries.iter().filter(|entry| entry.kind == EntryKind::File).map(|entry| entry.path.as_str()).collect();
        loaded.diagnostics.extend(check_definitions(&loaded.resource_definitions, |path| files.contains(path)));
    }
    loaded.listing = entries;
    loaded.actions.sort_by(|a, b| (a.file.path(), a.span.start).cmp(&(b.file.path(), b.span.start)));
    loaded.action_templates.sort_by(|a, b| a.path().cmp(b.path()));
    loaded.action_workflows.sort_by(|a, b| a.path().cmp(b.path()));

    add_libraries(&mut loaded, template_files);
    loaded.scorecards.sort_by(|a, b| (a.file.path(), a.span.start).cmp(&(b.file.path(), b.span.start)));
    Ok(loaded)
}

/// Adds what one file held to `loaded` (templates to `template_files`, compiled later).
fn absorb(loaded: &mut Loaded, template_files: &mut Vec<Arc<SourceFile>>, result: Arc<FileResult>) {
    // Moved when this load alone holds it; a shared file's parts are `Arc`s, cheap to clone.
    let result = Arc::try_unwrap(result).unwrap_or_else(|shared| (*shared).clone());
    loaded.files.extend(result.file);
    loaded.declared_blueprints.extend(result.blueprints);
    loaded.entities.extend(result.entities);
    loaded.workloads.extend(result.workloads);
    loaded.waivers.extend(result.waivers);
    loaded.resource_definitions.extend(result.definitions);
    if let Some(policy) = result.policy {
        loaded.files.push(Arc::clone(&policy));
        loaded.policies.push(policy);
    }
    template_files.extend(result.template);
    if let Some(file) = &result.resource_template {
        loaded.files.push(Arc::clone(file));
        loaded.resource_templates.push(Arc::clone(file));
    }
    loaded.actions.extend(result.actions);
    loaded.scorecards.extend(result.scorecards);
    if let Some((kind, file)) = &result.action_text {
        loaded.files.push(Arc::clone(file));
        match kind {
            ActionFile::Template => loaded.action_templates.push(Arc::clone(file)),
            ActionFile::Workflow => loaded.action_workflows.push(Arc::clone(file)),
            ActionFile::Action => {}
        }
    }
    loaded.diagnostics.extend(result.diagnostics);
}

/// The bundled blueprints, policies and templates the settings turn on, and the templates
/// (the repository's `template_files` with the bundled ones) read and compiled once.
fn add_libraries(loaded: &mut Loaded, mut template_files: Vec<Arc<SourceFile>>) {
    // The bundled files are the same in every load: parsed once per process (a walk through
    // history loads thousands of revisions).
    static BLUEPRINTS: OnceLock<Vec<FileResult>> = OnceLock::new();
    static SCORECARDS: OnceLock<Vec<FileResult>> = OnceLock::new();
    if loaded.settings.library.blueprints {
        let bundled = BLUEPRINTS.get_or_init(|| {
            let files = cairn_library::blueprints().filter(|file| is_data_file(file.path));
            files
                .map(|bundled| {
                    let path = format!("{BUNDLED_PREFIX}{}", bundled.path);
                    parse_documents(&path, bundled.contents.as_bytes(), FileRole::Blueprint, &Limits::default())
                })
                .collect()
        });
        for result in bundled {
            loaded.files.extend(result.file.iter().cloned());
            loaded.bundled_blueprints.extend(result.blueprints.iter().cloned());
            loaded.scorecards.extend(result.scorecards.iter().cloned());
            loaded.diagnostics.extend(result.diagnostics.iter().cloned());
        }
    }
    if loaded.settings.library.scorecards {
        let bundled = SCORECARDS.get_or_init(|| {
            let files = cairn_library::scorecards().filter(|file| is_data_file(file.path));
            files
                .map(|bundled| {
                    let path = format!("{BUNDLED_PREFIX}{}", bundled.path);
                    read_scorecard_file(&path, bundled.contents.as_bytes(), &Limits::default())
                })
                .collect()
        });
        for result in bundled {
            loaded.files.extend(result.file.iter().cloned());
            loaded.scorecards.extend(result.scorecards.iter().cloned());
            loaded.diagnostics.extend(result.diagnostics.iter().cloned());
        }
    }
    if loaded.settings.library.policies {
        let bundled = cairn_library::policies();
        for file in bundled {
            let file = Arc::new(SourceFile::new(format!("{BUNDLED_PREFIX}{}", file.path), file.contents));
            loaded.files.push(Arc::clone(&file));
            loaded.policies.push(file);
        }
    }
    loaded.policies.sort_by(|a, b| a.path().cmp(b.path()));
    // The bundled default automation and the action it runs, unless the platform replaces them
    // (docs/reconcile.md); after the platform's own, which the replacement rule reads.
    for action in cairn_actions::bundled(BUNDLED_PREFIX, &Limits::default()) {
        if !cairn_actions::replaced(&action.identifier.value, &loaded.actions) {
            if !loaded.files.iter().any(|file| file.path() == action.file.path()) {
                loaded.files.push(Arc::clone(&action.file));
            }
            loaded.actions.push(action);
        }
    }
    let bundled = cairn_render::bundled_files(bundled_templates(&loaded.settings));
    if !template_files.is_empty() || !bundled.is_empty() {
        template_files.sort_by(|a: &Arc<SourceFile>, b| a.path().cmp(b.path()));
        let templates = Templates::read(template_files, bundled);
        loaded.files.extend(templates.files.iter().cloned());
        loaded.diagnostics.extend(templates.diagnostics.iter().cloned());
        loaded.templates = Some(Arc::new(templates));
    }
}

/// The bundled golden-path templates as (path, text) pairs (`templates/<name>/…`), when
/// `library.templates` turns them on.
fn bundled_templates(settings: &Settings) -> &'static [(&'static str, &'static str)] {
    if settings.library.templates { cairn_library::templates() } else { &[] }
}

/// The settings of the repository whose listing is `entries`: its `cairn.yaml`, or the
/// defaults when it has none or it cannot be read (findings `load` reports).
pub(crate) fn settings_of(reader: &Reader<'_>, entries: &[FileEntry]) -> Settings {
    let mut loaded = Loaded::default();
    if let Some(entry) = entries.iter().find(|entry| entry.path == SETTINGS_FILE) {
        read_settings(reader, entry, &mut loaded);
    }
    loaded.settings
}

fn read_settings(reader: &Reader<'_>, entry: &FileEntry, loaded: &mut Loaded) {
    let defaults = Limits::default();
    // A link is reported with every other link; a submodule cannot hold settings.
    if entry.kind != EntryKind::File {
        return;
    }
    match reader.read(entry, defaults.max_file_size) {
        Ok(Contents::Bytes(bytes)) => {
            let result = parse_documents(&entry.path, &bytes, FileRole::Settings, &defaults);
            loaded.diagnostics.extend(result.diagnostics);
            if let Some(file) = result.file {
                let (settings, diagnostics) = Settings::read(&file);
                loaded.settings = settings;
                loaded.diagnostics.extend(diagnostics);
                loaded.files.push(file);
            }
        }
        Ok(Contents::TooLarge { size }) => loaded.diagnostics.push(too_large(&entry.path, size, &defaults)),
        Err(error) => loaded.diagnostics.push(unreadable(&entry.path, &error)),
    }
}

/// What one file held, and the findings of reading it.
#[derive(Clone, Debug, Default)]
struct FileResult {
    file: Option<Arc<SourceFile>>,
    blueprints: Vec<Blueprint>,
    entities: Vec<Arc<Entity>>,
    workloads: Vec<Arc<Workload>>,
    policy: Option<Arc<SourceFile>>,
    template: Option<Arc<SourceFile>>,
    resource_template: Option<Arc<SourceFile>>,
    waivers: Vec<Waiver>,
    definitions: Vec<Definition>,
    actions: Vec<Action>,
    scorecards: Vec<Scorecard>,
    /// A template beside the actions, or a committed action workflow.
    action_text: Option<(ActionFile, Arc<SourceFile>)>,
    diagnostics: Vec<Diagnostic>,
}

/// What a file of a reserved folder is to the self-service actions, by cairn-actions' rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ActionFile {
    /// YAML or JSON under `actions/`: actions.
    Action,
    /// Any other file under `actions/`: a template an action may name.
    Template,
    /// `.github/workflows/cairn-action-*.yml`: a workflow `cairn actions workflows` wrote.
    Workflow,
}

impl ActionFile {
    fn of(path: &str) -> Option<ActionFile> {
        if cairn_actions::is_action_file(path) {
            Some(ActionFile::Action)
        } else if cairn_actions::is_action_template(path) {
            Some(ActionFile::Template)
        } else if cairn_actions::is_action_workflow(path) {
            Some(ActionFile::Workflow)
        } else {
            None
        }
    }
}

/// One entity file (`role` is `FileRole::Entity`) read and parsed exactly as `load` reads it:
/// its entities and the findings of reading it. The audit of history reads each changed file
/// of each commit with it.
pub(crate) fn entity_file(
    reader: &Reader<'_>,
    entry: &FileEntry,
    role: FileRole,
    limits: &Limits,
) -> (Vec<Arc<Entity>>, Vec<Diagnostic>) {
    let result = load_file(reader, entry, role, limits);
    (result.entities, result.diagnostics)
}

fn load_file(reader: &Reader<'_>, entry: &FileEntry, role: FileRole, limits: &Limits) -> FileResult {
    let diagnostic = match reader.read(entry, limits.max_file_size) {
        Ok(Contents::Bytes(bytes)) if role == FileRole::Policy => return read_text(&entry.path, bytes),
        Ok(Contents::Bytes(bytes)) if role == FileRole::Template => {
            return match text_file(&entry.path, bytes) {
                Ok(file) => FileResult { template: Some(file), ..FileResult::default() },
                Err(diagnostic) => FileResult { diagnostics: vec![*diagnostic], ..FileResult::default() },
            };
        }
        Ok(Contents::Bytes(bytes)) if role == FileRole::ResourceTemplate => {
            return match text_file(&entry.path, bytes) {
                Ok(file) => FileResult { resource_template: Some(file), ..FileResult::default() },
                Err(diagnostic) => FileResult { diagnostics: vec![*diagnostic], ..FileResult::default() },
            };
        }
        Ok(Contents::Bytes(bytes))
            if role == FileRole::Reserved && cairn_scorecards::is_scorecard_file(&entry.path) =>
        {
            return read_scorecard_file(&entry.path, &bytes, limits);
        }
        Ok(Contents::Bytes(bytes)) if role == FileRole::Reserved => {
            return read_action_file(&entry.path, bytes, limits);
        }
        Ok(Contents::Bytes(bytes)) => return parse_documents(&entry.path, &bytes, role, limits),
        Ok(Contents::TooLarge { size }) => too_large(&entry.path, size, limits),
        Err(error) => unreadable(&entry.path, &error),
    };
    FileResult { diagnostics: vec![diagnostic], ..FileResult::default() }
}

/// Reads a file of `actions/` or an action workflow: actions parsed and read document by
/// document; templates and workflows kept as text.
fn read_action_file(path: &str, bytes: Vec<u8>, limits: &Limits) -> FileResult {
    match ActionFile::of(path) {
        Some(ActionFile::Action) => {
            let parsed = parse_file(path, &bytes, limits);
            let mut result = FileResult { diagnostics: parsed.diagnostics, ..FileResult::default() };
            for document in &parsed.documents {
                let (action, diagnostics) = cairn_actions::read_action(&parsed.file, document);
                result.actions.extend(action);
                result.diagnostics.extend(diagnostics);
            }
            result.file = Some(parsed.file);
            result
        }
        Some(kind) => match text_file(path, bytes) {
            Ok(file) => FileResult { action_text: Some((kind, file)), ..FileResult::default() },
            Err(diagnostic) => FileResult { diagnostics: vec![*diagnostic], ..FileResult::default() },
        },
        None => FileResult::default(),
    }
}

/// Reads a file of `scorecards/`: each document a scorecard or a list of them (a top-level list
/// is split into documents by `parse_file`, as entity files are).
fn read_scorecard_file(path: &str, bytes: &[u8], limits: &Limits) -> FileResult {
    let parsed = parse_file(path, bytes, limits);
    let mut result = FileResult { diagnostics: parsed.diagnostics, ..FileResult::default() };
    for document in &parsed.documents {
        let (scorecards, diagnostics) = cairn_scorecards::read(&parsed.file, document, None);
        result.scorecards.extend(scorecards);
        result.diagnostics.extend(diagnostics);
    }
    result.file = Some(parsed.file);
    result
}

/// Reads a text file, such as a policy, that cairn does not parse as data.
fn read_text(path: &str, bytes: Vec<u8>) -> FileResult {
    match text_file(path, bytes) {
        Ok(file) => FileResult { policy: Some(file), ..FileResult::default() },
        Err(diagnostic) => FileResult { diagnostics: vec![*diagnostic], ..FileResult::default() },
    }
}

/// A file's bytes as text, or the finding that they are not UTF-8.
pub(crate) fn text_file(path: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Box<Diagnostic>> {
    String::from_utf8(bytes).map(|text| Arc::new(SourceFile::new(path, text))).map_err(|error| {
        Box::new(
            Diagnostic::new(Code::NotUtf8, format!("the file is not UTF-8 text: {}", error.utf8_error()))
                .at(Location::file(path))
                .with_help("save the file as UTF-8"),
        )
    })
}

/// Parses a file and reads each document as what the file's role says it holds.
fn parse_documents(path: &str, bytes: &[u8], role: FileRole, limits: &Limits) -> FileResult {
    let parsed = parse_file(path, bytes, limits);
    let mut result = FileResult { diagnostics: parsed.diagnostics, ..FileResult::default() };
    if role == FileRole::Workload {
        let (workload, diagnostics) = cairn_score::read_workload(&parsed.file, parsed.documents);
        result.workloads.extend(workload.map(Arc::new));
        result.diagnostics.extend(diagnostics);
        result.file = Some(parsed.file);
        return result;
    }
    // A list under `blueprints` or `entities` is read item by item, as a bare list is.
    let holds = match role {
        FileRole::Blueprint => Some(ListOf::Blueprints),
        FileRole::Entity(_) => Some(ListOf::Entities),
        _ => None,
    };
    let mut documents = Vec::new();
    for document in parsed.documents {
        if let Some(holds) = holds {
            let (items, diagnostics) = list_items(&parsed.file, document, holds);
            documents.extend(items);
            result.diagnostics.extend(diagnostics);
        } else {
            documents.push(document);
        }
    }
    for document in documents {
        match role {
            FileRole::Blueprint => {
                let (blueprint, diagnostics) = read_blueprint(&parsed.file, document);
                result.diagnostics.extend(diagnostics);
                // Scorecards nested under the blueprint belong to it.
                if let Some(blueprint) = &blueprint
                    && let Some(nested) = blueprint.node.get("scorecards")
                {
                    let (scorecards, diagnostics) = read_nested_scorecards(&parsed.file, nested, &blueprint.identifier);
                    result.scorecards.extend(scorecards);
                    result.diagnostics.extend(diagnostics);
                }
                result.blueprints.extend(blueprint);
            }
            FileRole::Entity(implied) => {
                let (entity, diagnostics) = read_entity(&parsed.file, document, implied);
                result.diagnostics.extend(diagnostics);
                if let Some(entity) = entity {
                    if implied.is_some_and(|implied| implied != entity.blueprint.value) {
                        result.diagnostics.push(wrong_folder(&parsed.file, &entity));
                    }
                    result.entities.push(Arc::new(entity));
                }
            }
            FileRole::Waiver => {
                let (waiver, diagnostics) = read_waiver(&parsed.file, document);
                result.waivers.extend(waiver);
                result.diagnostics.extend(diagnostics);
            }
            FileRole::Settings
            | FileRole::Policy
            | FileRole::PolicyTest
            | FileRole::Template
            | FileRole::Workload
            | FileRole::ResourceTemplate
            | FileRole::Reserved
            | FileRole::Ignored => {}
            FileRole::ResourceDefinition => {
                let (definition, diagnostics) = read_definition(&parsed.file, document);
                result.definitions.extend(definition);
                result.diagnostics.extend(diagnostics);
            }
        }
    }
    result.file = Some(parsed.file);
    result
}

/// The scorecards under a blueprint's `scorecards` key: a list of them (Port's shape, each
/// without `blueprint`).
fn read_nested_scorecards(
    file: &Arc<SourceFile>,
    nested: &cairn_model::Node,
    blueprint: &str,
) -> (Vec<Scorecard>, Vec<Diagnostic>) {
    if let cairn_model::Value::Sequence(_) = &nested.value {
        return cairn_scorecards::read(file, nested, Some(blueprint));
    }
    let message = format!("`scorecards` is {}, not a list", nested.type_name());
    let diagnostic = Diagnostic::new(Code::InvalidScorecard, message)
        .at(Location::new(file, nested.span))
        .with_help("write the blueprint's scorecards as a list");
    (Vec::new(), vec![diagnostic])
}

fn wrong_folder(file: &SourceFile, entity: &Entity) -> Diagnostic {
    Diagnostic::new(
        Code::WrongFolder,
        format!("`{}` is a `{}` entity in the environments folder", entity.identifier.value, entity.blueprint.value),
    )
    .at(Location::new(file, entity.blueprint.span))
    .with_entity(entity.reference())
    .with_help(format!(
        "the environments folder holds `{ENVIRONMENT_BLUEPRINT}` entities; move this one to the catalog folder"
    ))
}

pub(crate) fn symlink(path: &str) -> Diagnostic {
    Diagnostic::new(Code::Symlink, format!("`{path}` is a symbolic link, which cairn never follows"))
        .at(Location::file(path))
        .with_help("replace the link with the file itself: platform data is read only from the repository's own files")
}

pub(crate) fn unreadable(path: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::new(Code::UnreadableFile, format!("the file could not be read: {error}"))
        .at(Location::file(path))
        .with_help("check the file's permissions, or that the git objects are present")
}

#[cfg(test)]
mod tests;
