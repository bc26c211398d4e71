//! The auditor's report (`cairn audit report`): every change merged into a branch in a period
//! (each commit of its first-parent history), oldest first, with its people, pull request and
//! action (`AuditCommit`, as `audit log` reads them), the entities and rule files it changed,
//! whether it passed the rules in force when it merged (its first parent's), the errors it
//! introduced, how long each error stayed, and whether the commit is signed.
//!
//! A commit is judged three ways, each as of its own commit time: its first parent by the
//! parent's rules (what was already wrong), the commit by its parent's rules (what the change
//! brought in, under the rules it merged under), and the commit by its own rules (what stays
//! wrong afterwards, for the lifetimes). Judging the parent as of the commit's time too means a
//! waiver that expired between the two commits is not blamed on the change.
//!
//! Findings are compared across commits by `FindingKey`: code, the entity (or, for a finding
//! about no entity, the file) and the message. Lines and columns are left out on purpose: an
//! unrelated edit above an entity moves its finding without changing what is wrong, and an
//! entity moved to another file is still the same entity with the same problem.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use cairn_diagnostics::{Diagnostic, EntityRef, Severity};
use cairn_model::{Catalog, ChangeKind, Entity, FileRole, Layout, Timestamp};
use cairn_source::{ChangedFile, CommitId, Source};

use crate::audit::AuditCommit;
use crate::change::{Sides, check_change_loaded};
use crate::check::{Known, Lifetimes, Outcome, check_loaded};
use crate::error::EngineError;
use crate::load::{Loaded, Reuse, load_with};

/// Which commits the report covers.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions {
    /// Only commits committed at or after this instant.
    pub since: Option<Timestamp>,
    /// Only commits committed at or before this instant.
    pub until: Option<Timestamp>,
}

/// What kind of rule a file holds, by the platform's layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// `cairn.yaml`.
    Settings,
    Blueprint,
    /// A Rego policy or its tests.
    Policy,
    Waiver,
    Template,
    /// A resource definition or one of its templates.
    Resource,
    Scorecard,
    Action,
}

impl RuleKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Settings => "settings",
            RuleKind::Blueprint => "blueprint",
            RuleKind::Policy => "policy",
            RuleKind::Waiver => "waiver",
            RuleKind::Template => "template",
            RuleKind::Resource => "resource",
            RuleKind::Scorecard => "scorecard",
            RuleKind::Action => "action",
        }
    }

    /// The kind of rule at `path` under `layout`; `None` for entity files and files cairn does
    /// not read.
    #[must_use]
    pub fn of(layout: &Layout, path: &str) -> Option<RuleKind> {
        match layout.role(path) {
            FileRole::Settings => Some(RuleKind::Settings),
            FileRole::Blueprint => Some(RuleKind::Blueprint),
            FileRole::Policy | FileRole::PolicyTest => Some(RuleKind::Policy),
            FileRole::Waiver => Some(RuleKind::Waiver),
            FileRole::Template => Some(RuleKind::Template),
            FileRole::ResourceDefinition | FileRole::ResourceTemplate => Some(RuleKind::Resource),
            FileRole::Reserved if cairn_scorecards::is_scorecard_file(path) => Some(RuleKind::Scorecard),
            FileRole::Reserved if path.starts_with("actions/") => Some(RuleKind::Action),
            FileRole::Reserved | FileRole::Entity(_) | FileRole::Workload | FileRole::Ignored => None,
        }
    }
}

/// How a commit changed a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edit {
    Added,
    Modified,
    Deleted,
}

impl Edit {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Edit::Added => "added",
            Edit::Modified => "modified",
            Edit::Deleted => "deleted",
        }
    }
}

/// A rule file a commit changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFileChange {
    /// The platform's path of the file.
    pub path: String,
    pub kind: RuleKind,
    pub edit: Edit,
}

/// How many entities a commit added, modified (fields changed, or only moved to another file)
/// and removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntityCounts {
    pub added: usize,
    pub modified: usize,
    pub removed: usize,
}

/// An error as the report names it: what `FindingKey` compares, and where it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFinding {
    pub code: String,
    pub entity: Option<EntityRef>,
    /// The file and 1-based line and column, when the finding has a location.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// What makes two findings of two commits the same finding (see the module's note).
pub type FindingKey = (String, String, String);

impl ReportFinding {
    fn of(diagnostic: &Diagnostic) -> ReportFinding {
        let location = diagnostic.location.as_ref();
        ReportFinding {
            code: diagnostic.code_name().to_owned(),
            entity: diagnostic.entity.clone(),
            file: location.map(|location| location.file.clone()),
            line: location.map(|location| location.start.line),
            column: location.map(|location| location.start.column),
            message: diagnostic.message.clone(),
        }
    }

    /// The code, the entity (`Blueprint:identifier`) or else the file, and the message.
    #[must_use]
    pub fn key(&self) -> FindingKey {
        let subject = match (&self.entity, &self.file) {
            (Some(entity), _) => entity.to_string(),
            (None, Some(file)) => file.clone(),
            (None, None) => String::new(),
        };
        (self.code.clone(), subject, self.message.clone())
    }
}

/// One change merged into the branch.
#[derive(Clone, Debug)]
pub struct ReportChange {
    pub commit: AuditCommit,
    /// Whether the commit object carries a signature (`gpgsig`); not verified.
    pub signed: bool,
    pub entities: EntityCounts,
    /// The rule files it changed, by path.
    pub rule_files: Vec<RuleFileChange>,
    /// How many errors the platform had after the commit, judged by the rules in force (its
    /// first parent's).
    pub errors: usize,
    /// Whether the rules in force could not all be evaluated (a broken policy set): the
    /// judgement then proves nothing, and the change does not count as passed.
    pub rules_broken: bool,
    /// The errors it brought in: found after it by the rules in force, and not in its parent.
    pub introduced: Vec<ReportFinding>,
}

impl ReportChange {
    /// Whether the change passed the rules in force when it merged.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.errors == 0 && !self.rules_broken
    }

    /// Whether it changed the rules too.
    #[must_use]
    pub fn rules_changed(&self) -> bool {
        !self.rule_files.is_empty()
    }
}

/// How long one error stayed in the platform.
#[derive(Clone, Debug)]
pub struct Violation {
    /// As the commit that introduced it saw it.
    pub finding: ReportFinding,
    /// The change (a position in `AuditReport::changes`) after which it was first found.
    pub introduced: usize,
    /// The first later change after which it was gone; `None` while it is still present.
    pub removed: Option<usize>,
    /// How many commits had it: from the one that introduced it to the last before the fix.
    pub commits: usize,
    /// Seconds from the introducing commit's date to the removing one's; `None` while present.
    pub seconds: Option<i64>,
}

/// The report of a period of a branch's history.
#[derive(Clone, Debug)]
pub struct AuditReport {
    /// The commit the walk started from.
    pub head: Option<String>,
    /// Where the platform is in its git repository (`Source::prefix`).
    pub prefix: String,
    /// The period asked for.
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// The changes of the period, oldest first (commits whose tree has no platform folder are
    /// left out: they cannot change it).
    pub changes: Vec<ReportChange>,
    /// The errors that appeared during the period (judged by each commit's own rules), in the
    /// order they appeared, then by key.
    pub violations: Vec<Violation>,
}

/// The platform at one commit of the walk, read and judged: what the next change reuses.
struct Judged {
    commit: CommitId,
    source: Source,
    /// As `load` read it, keeping its parsed entity files for the next load: the next change's
    /// rules, and the files it shares with it.
    loaded: Loaded,
    /// Judged by its own rules as of its own commit time.
    outcome: Outcome,
    /// The findings of each entity of the outcome's catalog, in its order.
    entity_findings: Vec<Vec<Diagnostic>>,
}

impl Judged {
    /// Reads and judges `source` (at `commit`) as of `now`, taking from `earlier` every entity
    /// file the two share, and, when `same_rules` says the two have the same rule files, the
    /// findings of every entity the two share that looks up nothing that changed.
    fn read(
        commit: CommitId,
        source: Source,
        now: Timestamp,
        earlier: Option<&Judged>,
        same_rules: bool,
    ) -> Result<Judged, EngineError> {
        let reuse = earlier.map_or(Reuse::Keep, |earlier| Reuse::Chain(&earlier.loaded));
        let mut loaded = load_with(&source, None, reuse)?;
        let touched;
        let known = match earlier {
            Some(earlier) if same_rules && earlier.loaded.settings == loaded.settings => {
                touched = changed_identifiers(&earlier.outcome.catalog, &loaded.entities);
                Some(Known::new(
                    &earlier.outcome.catalog,
                    &earlier.entity_findings,
                    touched.iter().map(String::as_str).collect(),
                ))
            }
            _ => None,
        };
        let (outcome, entity_findings) =
            check_loaded(&source, loaded.copy_to_judge(), now, Lifetimes::Skip, known.as_ref());
        Ok(Judged { commit, source, loaded, outcome, entity_findings })
    }
}

/// The identifiers of the entities that differ between `catalog` and `entities` (another
/// revision's, sharing the `Arc` of every entity whose file did not change): added, removed or
/// changed. An entity that looks one of them up is judged again.
fn changed_identifiers(catalog: &Catalog, entities: &[Arc<Entity>]) -> HashSet<String> {
    let address = |entity: &Arc<Entity>| Arc::as_ptr(entity).addr();
    let before: HashSet<usize> = catalog.entities.iter().map(address).collect();
    let after: HashSet<usize> = entities.iter().map(address).collect();
    let added = entities.iter().filter(|entity| !before.contains(&address(entity)));
    let removed = catalog.entities.iter().filter(|entity| !after.contains(&address(entity)));
    added.chain(removed).map(|entity| entity.identifier.value.clone()).collect()
}

/// The report of `source`'s first-parent history (a git revision) over `options`' period.
///
/// The walk goes forward, keeping the platform it judged last: a change is read by the files
/// it changed (each entity file parsed once per version), judged once by its own rules, and
/// judged again by its parent's only when it changed a rule file (or the platform has
/// policies, which see the change itself in `data.cairn.change`); its parent, judged again as
/// of the change's time, only when the change seems to bring an error in, to tell an error
/// the change brought from one the passing of time did (a waiver that expired).
pub fn audit_report(source: &Source, options: &ReportOptions) -> Result<AuditReport, EngineError> {
    let Some(log) = source.log(false) else {
        return Err(EngineError::NoHistory(format!("{} has no git history to read", source.describe())));
    };
    let log = log?;
    let open = |commit| match source.at_commit(commit) {
        Some(result) => result.map_err(EngineError::from),
        None => Err(EngineError::NoHistory(format!("{} has no git history", source.describe()))),
    };
    let mut report = AuditReport {
        head: source.commit(),
        prefix: source.prefix().to_owned(),
        since: options.since,
        until: options.until,
        changes: Vec::new(),
        violations: Vec::new(),
    };
    // Each error present after the previous change (by its own rules), and the violation it is.
    let mut open_violations: BTreeMap<FindingKey, usize> = BTreeMap::new();
    // The errors present before the period's first change: they were introduced earlier, and
    // are not the period's violations (`None` until the first change is read).
    let mut inherited: Option<BTreeSet<FindingKey>> = None;
    // The platform as the last commit read left it.
    let mut last: Option<Judged> = None;
    for (position, commit) in log.iter().enumerate().rev() {
        let time = commit.committer.time;
        let in_period = options.since.is_none_or(|since| time >= since.as_second())
            && options.until.is_none_or(|until| time <= until.as_second());
        if !in_period {
            continue;
        }
        let Some(after) = open(commit.id)? else {
            last = None;
            continue;
        };
        let meta = AuditCommit::of(commit, position);
        let now = meta.date;
        let parent = commit.parents.first().copied();
        let before = match (parent, last.take()) {
            (Some(parent), Some(judged)) if judged.commit == parent => Some(judged),
            (Some(parent), earlier) => match open(parent)? {
                Some(source) => {
                    // Judged at its own time, as the walk judges every commit it reads.
                    let at = log
                        .get(position + 1)
                        .filter(|commit| commit.id == parent)
                        .map_or(now, |commit| AuditCommit::of(commit, position + 1).date);
                    Some(Judged::read(parent, source, at, earlier.as_ref(), false)?)
                }
                None => None,
            },
            (None, _) => None,
        };
        // A commit that left the platform's tree as it was changed nothing in it: it is not
        // one of the platform's changes (a merge of other folders of a monorepo, say).
        let before = match before {
            Some(mut judged) if judged.source.tree() == after.tree() => {
                judged.commit = commit.id;
                judged.source = after;
                last = Some(judged);
                continue;
            }
            before => before,
        };
        let (change, own) = if let Some(before) = &before {
            let rule_files = rule_files(before, &after)?;
            let own = Judged::read(commit.id, after, now, Some(before), rule_files.is_empty())?;
            inherited.get_or_insert_with(|| keys(&before.outcome));
            (judge_change(before, &own, now, rule_files)?, own)
        } else {
            let own = Judged::read(commit.id, after, now, None, false)?;
            inherited.get_or_insert_with(BTreeSet::new);
            (judge_first(&own), own)
        };
        let index = report.changes.len();
        report.changes.push(change.into_change(meta, commit.signed));
        track(&mut report, &mut open_violations, inherited.get_or_insert_with(BTreeSet::new), &own.outcome, index);
        last = Some(own);
    }
    Ok(report)
}

/// What the report says of one change: what it changed, and how the rules in force judged it.
struct Assessed {
    entities: EntityCounts,
    rule_files: Vec<RuleFileChange>,
    errors: usize,
    rules_broken: bool,
    introduced: Vec<ReportFinding>,
}

impl Assessed {
    fn into_change(self, commit: AuditCommit, signed: bool) -> ReportChange {
        let Assessed { entities, rule_files, errors, rules_broken, introduced } = self;
        ReportChange { commit, signed, entities, rule_files, errors, rules_broken, introduced }
    }
}

/// The change from `before` (its first parent) to `after`, judged by `before`'s rules as of
/// `now` (the change's time).
fn judge_change(
    before: &Judged,
    after: &Judged,
    now: Timestamp,
    rule_files: Vec<RuleFileChange>,
) -> Result<Assessed, EngineError> {
    // The same rules judge the same catalog the same way, unless policies see the change itself.
    let by_its_parents_rules = if rule_files.is_empty() && before.loaded.policies.is_empty() {
        None
    } else {
        let sides = Sides { base: &before.source, head: &after.source, conflicts: &[] };
        Some(check_change_loaded(&sides, &before.loaded, now, Some(&before.outcome.catalog))?.outcome)
    };
    let judged = by_its_parents_rules.as_ref().unwrap_or(&after.outcome);
    // What the parent had, at its own time, and each introduced finding once.
    let mut seen = keys(&before.outcome);
    let mut introduced: Vec<ReportFinding> = errors(judged).filter(|finding| seen.insert(finding.key())).collect();
    if !introduced.is_empty() {
        // What the parent had at the change's time is not the change's doing either.
        let mut loaded = before.loaded.clone();
        let (was, _) = check_loaded(&before.source, loaded.copy_to_judge(), now, Lifetimes::Skip, None);
        let was = keys(&was);
        introduced.retain(|finding| !was.contains(&finding.key()));
    }
    let (errors, rules_broken) = tally(judged);
    Ok(Assessed {
        entities: entity_counts(&before.outcome.catalog, &after.outcome.catalog),
        rule_files,
        errors,
        rules_broken,
        introduced,
    })
}

/// A root commit (or the one that added the platform's folder): nothing was in force before
/// it, so it is judged by its own rules, and everything in it is new.
fn judge_first(own: &Judged) -> Assessed {
    let empty = Catalog::build(Vec::new(), Vec::new(), Vec::new()).0;
    let mut seen = BTreeSet::new();
    let introduced: Vec<ReportFinding> = errors(&own.outcome).filter(|finding| seen.insert(finding.key())).collect();
    let (errors, rules_broken) = tally(&own.outcome);
    Assessed {
        entities: entity_counts(&empty, &own.outcome.catalog),
        rule_files: all_rule_files(own),
        errors,
        rules_broken,
        introduced,
    }
}

/// The keys of the errors of an outcome.
fn keys(outcome: &Outcome) -> BTreeSet<FindingKey> {
    errors(outcome).map(|finding| finding.key()).collect()
}

/// Updates the violations with the errors present after change `index`, by its own rules.
/// An error in `inherited` (present before the period) is no violation of the period, until
/// it is gone once.
fn track(
    report: &mut AuditReport,
    open: &mut BTreeMap<FindingKey, usize>,
    inherited: &mut BTreeSet<FindingKey>,
    own: &Outcome,
    index: usize,
) {
    let mut present: BTreeMap<FindingKey, ReportFinding> = BTreeMap::new();
    for finding in errors(own) {
        present.entry(finding.key()).or_insert(finding);
    }
    inherited.retain(|key| present.contains_key(key));
    present.retain(|key, _| !inherited.contains(key));
    let date = report.changes[index].commit.date;
    open.retain(|key, violation| {
        if present.contains_key(key) {
            report.violations[*violation].commits += 1;
            return true;
        }
        let violation = &mut report.violations[*violation];
        violation.removed = Some(index);
        let since = report.changes[violation.introduced].commit.date;
        violation.seconds = Some(date.as_second() - since.as_second());
        false
    });
    for (key, finding) in present {
        if let std::collections::btree_map::Entry::Vacant(slot) = open.entry(key) {
            slot.insert(report.violations.len());
            report.violations.push(Violation { finding, introduced: index, removed: None, commits: 1, seconds: None });
        }
    }
}

/// The errors of an outcome that count (not waived), as findings, in the outcome's order.
/// The findings about the rules themselves (`W0510`) are warnings and never here.
fn errors(outcome: &Outcome) -> impl Iterator<Item = ReportFinding> + '_ {
    outcome
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error && diagnostic.counts())
        .map(ReportFinding::of)
}

/// How many errors count, and whether the rules could not all be evaluated.
fn tally(outcome: &Outcome) -> (usize, bool) {
    (outcome.count(Severity::Error), outcome.rules_broken())
}

fn entity_counts(before: &Catalog, after: &Catalog) -> EntityCounts {
    let mut counts = EntityCounts::default();
    for change in cairn_model::diff(before, after) {
        match change.kind {
            ChangeKind::Added => counts.added += 1,
            ChangeKind::Modified | ChangeKind::Moved => counts.modified += 1,
            ChangeKind::Removed => counts.removed += 1,
        }
    }
    counts
}

/// The rule files changed between `before` and `after`, classified by the layout of the
/// settings in force (`before`'s); a changed `cairn.yaml` is always one.
fn rule_files(before: &Judged, after: &Source) -> Result<Vec<RuleFileChange>, EngineError> {
    let layout = Layout::new(&before.loaded.settings);
    let Some(diff) = after.changes_since(&before.source) else { return Ok(Vec::new()) };
    let diff: Vec<ChangedFile> = diff?;
    Ok(diff
        .into_iter()
        .filter_map(|change| {
            let kind = RuleKind::of(&layout, &change.path)?;
            let edit = match (&change.before, &change.after) {
                (None, _) => Edit::Added,
                (_, None) => Edit::Deleted,
                _ => Edit::Modified,
            };
            Some(RuleFileChange { path: change.path, kind, edit })
        })
        .collect())
}

/// Every rule file of a platform's first commit, all added.
fn all_rule_files(after: &Judged) -> Vec<RuleFileChange> {
    let layout = Layout::new(&after.loaded.settings);
    let mut files: Vec<RuleFileChange> = after
        .loaded
        .listing
        .iter()
        .filter_map(|entry| {
            let kind = RuleKind::of(&layout, &entry.path)?;
            Some(RuleFileChange { path: entry.path.clone(), kind, edit: Edit::Added })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests;
