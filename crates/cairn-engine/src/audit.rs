//! The audit log (`cairn audit log`): every change to the catalog's entities through a
//! revision's history, newest first, each with its commit's people, date, pull request and
//! self-service action, and the field-by-field diff of `cairn_model::diff`, the one catalog diff.
//!
//! An entity is its blueprint and identifier, not its file: the catalogs of a commit and its
//! parent are compared whole, so a file moved, renamed or re-split is a `moved` entry (or
//! `modified` when fields changed too), never a deletion and a creation.
//!
//! Reading history is made cheap three ways: a commit whose platform tree is its parent's is
//! skipped without listing anything; a walk keeps the platform of the commit it is at and
//! changes it into its parent's by the two trees' diff (`Source::changes_since`), so a commit
//! costs the files it changed; and each entity file is parsed once per run, cached by blob and
//! path (the same bytes at the same path under the same settings read the same). A merge walked
//! with every parent, a root commit and a change to `cairn.yaml` are read whole (`Snapshot`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use cairn_diagnostics::{Diagnostic, EntityRef};
use cairn_model::{Catalog, Entity, FieldChange, FileRole, Layout, SETTINGS_FILE, Settings, Timestamp};
use cairn_source::{BlobId, CommitId, EntryKind, LogCommit, Source, TreeId};
use rayon::prelude::*;

use crate::error::EngineError;
use crate::load::{entity_file, settings_of};

/// The trailer a self-service run writes with the action it ran (cairn-actions' commit message).
pub const ACTION_TRAILER: &str = "Cairn-Action";
/// The trailer a self-service run writes with who ran it.
pub const RUN_BY_TRAILER: &str = "Cairn-Run-By";

/// How many platform snapshots a walk keeps at once: a first-parent walk needs two, a walk of
/// every parent a few more around merges.
const KEPT_SNAPSHOTS: usize = 32;

/// Which history to read and which entities to show.
#[derive(Clone, Debug, Default)]
pub struct AuditOptions {
    /// Every commit reachable, not only the first-parent history.
    pub all_parents: bool,
    pub filter: EntityFilter,
    /// Only commits committed at or after this instant.
    pub since: Option<Timestamp>,
    /// Only commits committed at or before this instant.
    pub until: Option<Timestamp>,
}

/// The entities whose changes the log shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EntityFilter {
    #[default]
    All,
    /// Every entity of one blueprint.
    Blueprint(String),
    /// One entity, by blueprint and identifier.
    Entity(EntityRef),
}

impl EntityFilter {
    fn admits(&self, entity: &Entity) -> bool {
        match self {
            EntityFilter::All => true,
            EntityFilter::Blueprint(blueprint) => entity.blueprint.value == *blueprint,
            EntityFilter::Entity(reference) => {
                entity.blueprint.value == reference.kind() && entity.identifier.value == reference.name()
            }
        }
    }
}

/// A name and an email, as a commit records a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A commit as the log shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCommit {
    pub id: CommitId,
    /// Where the walk read it: 0 for the newest commit.
    pub position: usize,
    pub parents: Vec<CommitId>,
    pub author: Person,
    pub committer: Person,
    /// The committer's date: when the change entered this history.
    pub date: Timestamp,
    pub subject: String,
    /// The pull request the subject names (`Subject (#12)`, `Merge pull request #12 from …`).
    pub pull_request: Option<u64>,
    /// The self-service action the commit's `Cairn-Action` trailer names.
    pub action: Option<String>,
    /// Who ran it (`Cairn-Run-By`).
    pub run_by: Option<String>,
}

impl AuditCommit {
    pub(crate) fn of(commit: &LogCommit, position: usize) -> AuditCommit {
        let person = |signature: &cairn_source::Signature| Person {
            name: signature.name.clone(),
            email: signature.email.clone(),
        };
        AuditCommit {
            id: commit.id,
            position,
            parents: commit.parents.clone(),
            author: person(&commit.author),
            committer: person(&commit.committer),
            // A time git can store but jiff cannot (beyond year 9999) reads as the epoch's end
            // it is nearest to; no real commit is there.
            date: Timestamp::from_second(commit.committer.time).unwrap_or(if commit.committer.time < 0 {
                Timestamp::MIN
            } else {
                Timestamp::MAX
            }),
            subject: commit.subject.clone(),
            pull_request: crate::pull_request(&commit.message),
            action: commit.trailer(ACTION_TRAILER).map(str::to_owned),
            run_by: commit.trailer(RUN_BY_TRAILER).map(str::to_owned),
        }
    }
}

/// How an entity changed in a commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuditChange {
    Created,
    /// A field changed (and perhaps the file too).
    Modified,
    /// Only its file (or its place among a file's documents) changed.
    Moved,
    Deleted,
}

impl AuditChange {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AuditChange::Created => "created",
            AuditChange::Modified => "modified",
            AuditChange::Moved => "moved",
            AuditChange::Deleted => "deleted",
        }
    }
}

/// One change to one entity in one commit.
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub commit: Arc<AuditCommit>,
    pub entity: EntityRef,
    pub change: AuditChange,
    /// The file that declared it before the commit, and after; one is `None` for a creation or
    /// a deletion.
    pub file_before: Option<String>,
    pub file_after: Option<String>,
    /// Field by field, old → new (`title`, `team`, `properties.tier`, `relations.system`); empty
    /// for created, deleted and moved entities.
    pub fields: Vec<FieldChange>,
    /// The entity as the commit left it (as its parent had it, for a deletion), as read from its
    /// file: without the blueprints, so without inherited owners.
    pub(crate) declared: Arc<Entity>,
}

/// A finding about a file a commit changed, which the walk read past.
#[derive(Clone, Debug)]
pub struct CommitFinding {
    pub commit: Arc<AuditCommit>,
    pub diagnostic: Diagnostic,
}

/// The log of a history.
#[derive(Clone, Debug)]
pub struct AuditLog {
    /// The commit the walk started from.
    pub head: Option<String>,
    /// Where the platform is in its git repository (`Source::prefix`): the paths here are the
    /// platform's own.
    pub prefix: String,
    /// The changes, newest commit first; within a commit, by blueprint then identifier.
    pub entries: Vec<LogEntry>,
    /// The findings about entity files that commits added or changed (unreadable, too large,
    /// not YAML, not an entity), each once, at the commit that wrote that file's bytes.
    pub findings: Vec<CommitFinding>,
    /// How many commits of the window were read.
    pub commits: usize,
}

/// The log of `source`'s history (a git revision) as `options` asks: every change to the
/// entities it admits, newest first. The platform's files at each commit are read as `load`
/// reads them, under that commit's `cairn.yaml`.
///
/// A merge commit of a first-parent walk shows what the merge brought, compared with its first
/// parent. In a walk of every parent (`all_parents`), each branch commit shows its own changes
/// and a merge shows only what differs from every one of its parents (what the merge itself
/// decided), so that no change is listed twice.
pub fn audit_log(source: &Source, options: &AuditOptions) -> Result<AuditLog, EngineError> {
    walk(source, options, true)
}

/// `audit_log`, with `incremental` off reading every commit's platform whole: the slow answer
/// the tests hold the incremental one to.
pub(crate) fn walk(source: &Source, options: &AuditOptions, incremental: bool) -> Result<AuditLog, EngineError> {
    let Some(log) = source.log(options.all_parents) else {
        return Err(EngineError::NoHistory(format!("{} has no git history to read", source.describe())));
    };
    let log = log?;
    let mut walker = Walker::new(source);
    // A first-parent walk keeps the platform of the commit it is at and changes it into its
    // parent's by what the two trees' diff says changed.
    let mut linear: Option<Linear> = None;
    let mut audit = AuditLog {
        head: source.commit(),
        prefix: source.prefix().to_owned(),
        entries: Vec::new(),
        findings: Vec::new(),
        commits: 0,
    };
    for (position, commit) in log.iter().enumerate() {
        let time = commit.committer.time;
        let after_since = options.since.is_none_or(|since| time >= since.as_second());
        let before_until = options.until.is_none_or(|until| time <= until.as_second());
        if !(after_since && before_until) {
            continue;
        }
        audit.commits += 1;
        let meta = Arc::new(AuditCommit::of(commit, position));
        let parents: &[CommitId] =
            if options.all_parents { &commit.parents } else { &commit.parents[..commit.parents.len().min(1)] };
        let tree = walker.tree(commit.id)?;
        let mut parent_trees = Vec::with_capacity(parents.len().max(1));
        for parent in parents {
            parent_trees.push((Some(*parent), walker.tree(*parent)?));
        }
        if parent_trees.is_empty() {
            parent_trees.push((None, None));
        }
        // The platform as some parent left it: nothing of the catalog changed there.
        if parent_trees.iter().any(|(_, parent)| *parent == tree) {
            if let (Some(state), Some(parent)) = (&mut linear, parents.first())
                && parent_trees[0].1 == tree
            {
                state.pass(commit.id, *parent, &mut walker)?;
            }
            continue;
        }
        // A merge read with every parent needs each parent's whole platform.
        if incremental
            && parents.len() <= 1
            && let Some(changes) = walker.step(
                &mut linear,
                commit.id,
                parents.first().copied(),
                &options.filter,
                &meta,
                &mut audit.findings,
            )?
        {
            audit.entries.extend(changes);
            continue;
        }
        let after = walker.snapshot(commit.id, tree)?;
        let mut befores = Vec::with_capacity(parent_trees.len());
        for (parent, parent_tree) in parent_trees {
            befores.push(match parent {
                Some(parent) => walker.snapshot(parent, parent_tree)?,
                None => Arc::new(Snapshot::default()),
            });
        }
        record_findings(&mut audit.findings, &meta, &befores[0], &after);
        let mut changes = changes(&befores[0].catalog, &after.catalog, &options.filter, &meta);
        // A merge read with every parent: only what differs from all of them.
        for other in &befores[1..] {
            let theirs: BTreeSet<EntityRef> =
                changes_keys(&cairn_model::diff(&other.catalog, &after.catalog), &options.filter);
            changes.retain(|entry| theirs.contains(&entry.entity));
        }
        audit.entries.extend(changes);
    }
    Ok(audit)
}

/// The entries of `before` → `after` that `filter` admits, made in `commit`.
fn changes(before: &Catalog, after: &Catalog, filter: &EntityFilter, commit: &Arc<AuditCommit>) -> Vec<LogEntry> {
    cairn_model::diff(before, after)
        .into_iter()
        .filter(|change| filter.admits(change.entity))
        .map(|change| LogEntry {
            commit: Arc::clone(commit),
            entity: change.entity.reference(),
            change: match change.kind {
                cairn_model::ChangeKind::Added => AuditChange::Created,
                cairn_model::ChangeKind::Modified => AuditChange::Modified,
                cairn_model::ChangeKind::Moved => AuditChange::Moved,
                cairn_model::ChangeKind::Removed => AuditChange::Deleted,
            },
            file_before: change.before.map(|entity| entity.file.path().to_owned()),
            file_after: change.after.map(|entity| entity.file.path().to_owned()),
            fields: change.fields,
            declared: Arc::clone(change.entity),
        })
        .collect()
}

fn changes_keys(diff: &[cairn_model::EntityDiff<'_>], filter: &EntityFilter) -> BTreeSet<EntityRef> {
    diff.iter().filter(|change| filter.admits(change.entity)).map(|change| change.entity.reference()).collect()
}

/// The findings of the entity files `after` holds with other bytes than `before` (or that
/// `before` lacks): the commit wrote them.
fn record_findings(findings: &mut Vec<CommitFinding>, commit: &Arc<AuditCommit>, before: &Snapshot, after: &Snapshot) {
    for (path, parsed) in &after.files {
        let same = before.files.get(path).is_some_and(|earlier| Arc::ptr_eq(earlier, parsed));
        if !same {
            findings.extend(
                parsed
                    .diagnostics
                    .iter()
                    .map(|diagnostic| CommitFinding { commit: Arc::clone(commit), diagnostic: diagnostic.clone() }),
            );
        }
    }
}

/// An entity file as read at some commit.
#[derive(Debug, Default)]
struct Parsed {
    entities: Vec<Arc<Entity>>,
    diagnostics: Vec<Diagnostic>,
}

/// The platform's entities at one commit: each entity file, and the catalog of them all.
#[derive(Debug)]
struct Snapshot {
    files: BTreeMap<String, Arc<Parsed>>,
    catalog: Catalog,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot { files: BTreeMap::new(), catalog: Catalog::build(Vec::new(), Vec::new(), Vec::new()).0 }
    }
}

/// An entity file a commit changed: its path, as the parent had it and as the commit has it.
type ChangedEntityFile = (String, Option<Arc<Parsed>>, Option<Arc<Parsed>>);

/// The platform at one commit of a first-parent walk, changed in place into its parent's.
struct Linear {
    commit: CommitId,
    source: Source,
    settings: Settings,
    files: HashMap<String, Arc<Parsed>>,
    /// Each entity (blueprint, identifier) and the files that declare it.
    declared: HashMap<(String, String), BTreeSet<String>>,
}

impl Linear {
    fn new(commit: CommitId, source: Source, settings: Settings, files: BTreeMap<String, Arc<Parsed>>) -> Self {
        let mut linear =
            Linear { commit, source, settings, files: HashMap::with_capacity(files.len()), declared: HashMap::new() };
        for (path, parsed) in files {
            linear.insert(path, parsed);
        }
        linear
    }

    fn insert(&mut self, path: String, parsed: Arc<Parsed>) {
        for entity in &parsed.entities {
            self.declared.entry(key(entity)).or_default().insert(path.clone());
        }
        self.files.insert(path, parsed);
    }

    fn remove(&mut self, path: &str) {
        if let Some(parsed) = self.files.remove(path) {
            for entity in &parsed.entities {
                if let Some(paths) = self.declared.get_mut(&key(entity)) {
                    paths.remove(path);
                    if paths.is_empty() {
                        self.declared.remove(&key(entity));
                    }
                }
            }
        }
    }

    /// Moves from `commit` to its `parent`, whose platform is the same.
    fn pass(&mut self, commit: CommitId, parent: CommitId, walker: &mut Walker<'_>) -> Result<(), EngineError> {
        if self.commit == commit
            && let Some(source) = walker.open(parent)?.cloned()
        {
            self.commit = parent;
            self.source = source;
        }
        Ok(())
    }
}

fn key(entity: &Entity) -> (String, String) {
    (entity.blueprint.value.clone(), entity.identifier.value.clone())
}

/// What a walk keeps while it reads commits.
struct Walker<'a> {
    source: &'a Source,
    /// The platform at each commit asked about: `None` before the platform's folder existed.
    opened: HashMap<CommitId, Option<Source>>,
    snapshots: HashMap<Option<TreeId>, Arc<Snapshot>>,
    /// Settings by the blob of `cairn.yaml` (`None`: the file is absent, the defaults).
    settings: HashMap<Option<BlobId>, Settings>,
    /// The settings `parsed` was read under: other settings may give a path another role.
    parsed_under: Option<Settings>,
    parsed: HashMap<(BlobId, String), Arc<Parsed>>,
}

impl<'a> Walker<'a> {
    fn new(source: &'a Source) -> Self {
        Walker {
            source,
            opened: HashMap::new(),
            snapshots: HashMap::new(),
            settings: HashMap::new(),
            parsed_under: None,
            parsed: HashMap::new(),
        }
    }

    fn open(&mut self, commit: CommitId) -> Result<Option<&Source>, EngineError> {
        if !self.opened.contains_key(&commit) {
            if self.opened.len() >= KEPT_SNAPSHOTS * 2 {
                self.opened.clear();
            }
            let opened = match self.source.at_commit(commit) {
                Some(result) => result?,
                None => return Err(EngineError::NoHistory(format!("{} has no git history", self.source.describe()))),
            };
            self.opened.insert(commit, opened);
        }
        Ok(self.opened.get(&commit).and_then(Option::as_ref))
    }

    /// The platform's tree at `commit`; `None` when the platform's folder is not there.
    fn tree(&mut self, commit: CommitId) -> Result<Option<TreeId>, EngineError> {
        Ok(self.open(commit)?.and_then(Source::tree))
    }

    fn snapshot(&mut self, commit: CommitId, tree: Option<TreeId>) -> Result<Arc<Snapshot>, EngineError> {
        if let Some(snapshot) = self.snapshots.get(&tree) {
            return Ok(Arc::clone(snapshot));
        }
        let snapshot = Arc::new(match self.open(commit)?.cloned() {
            Some(source) => self.read(&source)?,
            None => Snapshot::default(),
        });
        if self.snapshots.len() >= KEPT_SNAPSHOTS {
            self.snapshots.clear();
        }
        self.snapshots.insert(tree, Arc::clone(&snapshot));
        Ok(snapshot)
    }

    /// One step of a first-parent walk: the changes `commit` made to its `parent`'s platform,
    /// from the files the two trees' diff names, with `linear` (the platform at `commit`, read
    /// whole when it is at another commit) then changed into the parent's. `None` when the step
    /// needs the whole platform of both (a root commit, the platform's folder added, or
    /// `cairn.yaml` changed, which may give every path another role).
    fn step(
        &mut self,
        linear: &mut Option<Linear>,
        commit: CommitId,
        parent: Option<CommitId>,
        filter: &EntityFilter,
        meta: &Arc<AuditCommit>,
        findings: &mut Vec<CommitFinding>,
    ) -> Result<Option<Vec<LogEntry>>, EngineError> {
        let here = linear.as_ref().is_some_and(|state| state.commit == commit);
        if !here {
            *linear = None;
            let Some(source) = self.open(commit)?.cloned() else { return Ok(None) };
            let snapshot = self.read(&source)?;
            let settings = self.parsed_under.clone().unwrap_or_default();
            *linear = Some(Linear::new(commit, source, settings, snapshot.files));
        }
        let (Some(parent), Some(state)) = (parent, linear.as_mut()) else { return Ok(None) };
        let Some(before) = self.open(parent)?.cloned() else { return Ok(None) };
        let Some(diff) = state.source.changes_since(&before) else { return Ok(None) };
        let diff = diff?;
        if diff.iter().any(|change| change.path == SETTINGS_FILE) {
            *linear = None;
            return Ok(None);
        }
        if self.parsed_under.as_ref() != Some(&state.settings) {
            self.parsed.clear();
            self.parsed_under = Some(state.settings.clone());
        }
        let layout = Layout::new(&state.settings);
        let limits = state.settings.limits();
        let reader = before.reader();
        // The entity files the commit changed: as the parent had them, and as the commit has them.
        let mut changed: Vec<ChangedEntityFile> = Vec::new();
        for change in &diff {
            let role @ FileRole::Entity(_) = layout.role(&change.path) else { continue };
            let old = match &change.before {
                Some(entry) if entry.kind == EntryKind::File => Some(self.parse(&reader, entry, role, &limits)),
                _ => None,
            };
            changed.push((change.path.clone(), old, state.files.get(&change.path).cloned()));
        }
        let paths: BTreeSet<&str> = changed.iter().map(|(path, _, _)| path.as_str()).collect();
        let (mut old, mut new) = (Vec::new(), Vec::new());
        let mut keys = BTreeSet::new();
        for (_, was, is) in &changed {
            for entity in was.iter().flat_map(|parsed| &parsed.entities) {
                keys.insert(key(entity));
                old.push(Arc::clone(entity));
            }
            for entity in is.iter().flat_map(|parsed| &parsed.entities) {
                keys.insert(key(entity));
                new.push(Arc::clone(entity));
            }
        }
        // The other declarations of the entities the changed files hold, in files the commit
        // left alone: with them, the first declaration the diff compares is the whole catalog's.
        for entity_key in &keys {
            for path in state.declared.get(entity_key).into_iter().flatten() {
                if paths.contains(path.as_str()) {
                    continue;
                }
                for entity in state.files.get(path).into_iter().flat_map(|parsed| &parsed.entities) {
                    if key(entity) == *entity_key {
                        old.push(Arc::clone(entity));
                        new.push(Arc::clone(entity));
                    }
                }
            }
        }
        let (old, _) = Catalog::build(Vec::new(), Vec::new(), old);
        let (new, _) = Catalog::build(Vec::new(), Vec::new(), new);
        let entries = changes(&old, &new, filter, meta);
        for (path, was, is) in changed {
            if let Some(parsed) = &is {
                findings.extend(
                    parsed
                        .diagnostics
                        .iter()
                        .map(|diagnostic| CommitFinding { commit: Arc::clone(meta), diagnostic: diagnostic.clone() }),
                );
            }
            state.remove(&path);
            if let Some(parsed) = was {
                state.insert(path, parsed);
            }
        }
        state.commit = parent;
        state.source = before;
        Ok(Some(entries))
    }

    /// The entity file `entry` read from `reader`, or as an earlier commit read the same bytes
    /// at the same path.
    fn parse(
        &mut self,
        reader: &cairn_source::Reader<'_>,
        entry: &cairn_source::FileEntry,
        role: FileRole,
        limits: &cairn_model::Limits,
    ) -> Arc<Parsed> {
        let cache = entry.blob_id().map(|blob| (blob, entry.path.clone()));
        if let Some(parsed) = cache.as_ref().and_then(|cache| self.parsed.get(cache)) {
            return Arc::clone(parsed);
        }
        let (entities, diagnostics) = entity_file(reader, entry, role, limits);
        let parsed = Arc::new(Parsed { entities, diagnostics });
        if let Some(cache) = cache {
            self.parsed.insert(cache, Arc::clone(&parsed));
        }
        parsed
    }

    /// Reads the entity files of `source`, parsing only those no earlier commit had.
    fn read(&mut self, source: &Source) -> Result<Snapshot, EngineError> {
        let entries = source.files()?;
        let settings_blob =
            entries.iter().find(|entry| entry.path == SETTINGS_FILE).and_then(cairn_source::FileEntry::blob_id);
        let settings = if let Some(settings) = self.settings.get(&settings_blob) {
            settings.clone()
        } else {
            let settings = settings_of(&source.reader(), &entries);
            self.settings.insert(settings_blob, settings.clone());
            settings
        };
        if self.parsed_under.as_ref() != Some(&settings) {
            self.parsed.clear();
            self.parsed_under = Some(settings.clone());
        }
        let layout = Layout::new(&settings);
        let limits = settings.limits();
        let files: Vec<(&cairn_source::FileEntry, FileRole)> = entries
            .iter()
            .filter(|entry| entry.kind == EntryKind::File)
            .filter_map(|entry| match layout.role(&entry.path) {
                role @ FileRole::Entity(_) => Some((entry, role)),
                _ => None,
            })
            .collect();
        let missing: Vec<&(&cairn_source::FileEntry, FileRole)> = files
            .iter()
            .filter(|(entry, _)| {
                entry.blob_id().is_none_or(|blob| !self.parsed.contains_key(&(blob, entry.path.clone())))
            })
            .collect();
        let read: Vec<(String, Option<BlobId>, Arc<Parsed>)> = missing
            .par_iter()
            .map_init(
                || source.reader(),
                |reader, (entry, role)| {
                    let (entities, diagnostics) = entity_file(reader, entry, *role, &limits);
                    (entry.path.clone(), entry.blob_id(), Arc::new(Parsed { entities, diagnostics }))
                },
            )
            .collect();
        let mut fresh: HashMap<String, Arc<Parsed>> = HashMap::with_capacity(read.len());
        for (path, blob, parsed) in read {
            if let Some(blob) = blob {
                self.parsed.insert((blob, path.clone()), Arc::clone(&parsed));
            }
            fresh.insert(path, parsed);
        }
        let mut snapshot_files = BTreeMap::new();
        let mut entities = Vec::new();
        for (entry, _) in &files {
            let parsed = match fresh.get(&entry.path) {
                Some(parsed) => Arc::clone(parsed),
                None => match entry.blob_id().and_then(|blob| self.parsed.get(&(blob, entry.path.clone()))) {
                    Some(parsed) => Arc::clone(parsed),
                    None => continue,
                },
            };
            entities.extend(parsed.entities.iter().cloned());
            snapshot_files.insert(entry.path.clone(), parsed);
        }
        let (catalog, _) = Catalog::build(Vec::new(), Vec::new(), entities);
        Ok(Snapshot { files: snapshot_files, catalog })
    }
}

#[cfg(test)]
mod tests;
