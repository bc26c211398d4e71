//! `check_change`: judge a change (a pull request) by the rules of its base. The head's entities
//! are checked against the base's settings, blueprints, policies, waivers and resource
//! definitions, so that no change
//! can weaken the rules that judge it. Every change to those rules is a finding that asks for
//! review, with a preview of what the head's rules would change: findings that appear,
//! disappear or change severity.
//!
//! A change is judged as it would merge: when the base moved on since the merge base, the head's
//! changes are applied onto the base's tip (`Source::merge`) and that merged tree is judged, so
//! that a semantic conflict with the base (it renamed a team the head uses) is a finding of the
//! change, and the base's own later changes are not taken for the head's.

use std::collections::{BTreeMap, BTreeSet};

use cairn_diagnostics::{Code, Diagnostic, Location, Severity};
use cairn_model::{Catalog, EntityRef, FileRole, Layout, SETTINGS_FILE, Timestamp};
use cairn_source::{Contents, EntryKind, FileEntry, Merge, Source};

use crate::check::{Base, Outcome, findings, finish, judge};
use crate::error::EngineError;
use crate::level_changes::{LevelChange, Standings, level_changes};
use crate::load::{BUNDLED_PREFIX, Loaded, Reuse, load_with};

/// How many entities a preview names before it says "and N more".
const PREVIEW_NAMES: usize = 20;

/// Checks the change from `base` to `head` as of `now`: the head's changes merged into the
/// base's tip (or, when they conflict, the head), judged by the base's rules.
pub fn check_change(base: &Source, head: &Source, now: Timestamp) -> Result<Outcome, EngineError> {
    let merge = Source::merge(base, head)?;
    let sides = Sides::new(base, head, merge.as_ref());
    let rules = load_with(sides.base, None, Reuse::Keep)?;
    check_change_loaded(&sides, &rules, now, None).map(|judgement| judgement.outcome)
}

/// The platform at `judged` judged by the rules (settings, blueprints, policies, waivers) of
/// another revision, `rules`, with no merge between them: what an auditor asks with `cairn audit
/// at --rules-from` ("would today's rules have passed the catalog of that day?"). Differences
/// between the two revisions' rules are reported as for a change.
pub fn check_by_rules_of(rules: &Source, judged: &Source, now: Timestamp) -> Result<Outcome, EngineError> {
    let sides = Sides::new(rules, judged, None);
    let loaded = load_with(rules, None, Reuse::Keep)?;
    check_change_loaded(&sides, &loaded, now, None).map(|judgement| judgement.outcome)
}

/// A change judged by its base's rules (`check_change_loaded`).
pub(crate) struct Judgement {
    pub outcome: Outcome,
    /// The findings of each head entity, in the order of the outcome's catalog.
    pub entity_findings: Vec<Vec<Diagnostic>>,
    /// When the change edits rules: the levels the head's scorecards would give the head's
    /// entities compared with those the base's give them (empty when nothing moves).
    pub scorecard_impact: Vec<LevelChange>,
}

/// What a change is judged between, once its merge is known.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sides<'a> {
    /// Whose rules judge the change and whose findings were already there: the base's tip, or
    /// the merge base when the head does not merge cleanly.
    pub base: &'a Source,
    /// What is judged: the head merged into the base's tip, or the head itself when the base is
    /// its merge base (or the merge conflicts, or either side is a directory).
    pub head: &'a Source,
    /// The paths both sides changed differently since the merge base.
    pub conflicts: &'a [String],
}

impl<'a> Sides<'a> {
    pub fn new(base: &'a Source, head: &'a Source, merge: Option<&'a Merge>) -> Self {
        match merge {
            None | Some(Merge::FastForward) => Sides { base, head, conflicts: &[] },
            Some(Merge::Clean { merged, .. }) => Sides { base, head: merged, conflicts: &[] },
            Some(Merge::Conflicts { merge_base, paths }) => Sides { base: merge_base, head, conflicts: paths },
        }
    }
}

/// Checks the change between `sides`, whose base `load` read into `rules` (keeping what it
/// parsed, so that every file the head shares is not read again). `base_catalog` is the base's
/// catalog when the caller has built it already. Also returns the findings of each head entity
/// and the impact of the head's scorecards, for `plan`.
pub(crate) fn check_change_loaded(
    sides: &Sides<'_>,
    rules: &Loaded,
    now: Timestamp,
    base_catalog: Option<&Catalog>,
) -> Result<Judgement, EngineError> {
    let Sides { base, head, conflicts } = *sides;
    let mut data = load_with(head, Some(&rules.settings), Reuse::From(rules))?;
    let base_layout = Layout::new(&rules.settings);
    let changed = changed_rule_files(base, rules, head, &data, &base_layout);

    // Policies see `data.cairn.change`, the diff from the base's catalog; without policies no
    // base catalog is needed.
    let built;
    let base_catalog = match base_catalog {
        Some(catalog) => Some(catalog),
        None if rules.policies.is_empty() => None,
        None => {
            built = Catalog::build(
                rules.bundled_blueprints.clone(),
                rules.declared_blueprints.clone(),
                rules.entities.clone(),
            )
            .0;
            Some(&built)
        }
    };
    let (base_revision, revision) = (base.commit(), head.commit());
    let judge_base = base_catalog.map(|catalog| Base { catalog, revision: base_revision.as_deref() });
    let judged = judge(rules, std::mem::take(&mut data.entities), revision.as_deref(), judge_base, now);

    // Findings about the rules come from the base; findings about the data from the head.
    let mut diagnostics: Vec<Diagnostic> =
        rules.diagnostics.iter().filter(|d| is_rule_finding(d, &base_layout)).cloned().collect();
    diagnostics.extend(data.diagnostics.iter().filter(|d| !is_rule_finding(d, &base_layout)).cloned());
    diagnostics.extend(judged.diagnostics);
    diagnostics.extend(crate::workloads::findings(&data.workloads, &judged.catalog));
    diagnostics.extend(crate::check::resource_findings(&rules.resource_definitions, &data.workloads, &judged.catalog));
    diagnostics.extend(crate::actions::findings(&data, &judged.catalog));
    // The scorecards are rules: the base's judge the head's catalog.
    diagnostics.extend(cairn_scorecards::check(&rules.scorecards, &judged.catalog));
    crate::waivers::apply(&mut diagnostics, &rules.waivers, &judged.catalog, now);
    diagnostics.extend(conflicts.iter().map(|path| conflict(path, base)));

    let mut scorecard_impact = Vec::new();
    if !changed.is_empty() {
        diagnostics.extend(changed.iter().map(review_needed));
        let mut proposed = load_with(head, None, Reuse::From(rules))?;
        let entities = std::mem::take(&mut proposed.entities);
        let preview = judge(&proposed, entities, revision.as_deref(), judge_base, now);
        // The same entities by the head's scorecards (a scorecard file, a blueprint's
        // `scorecards` key, `library.scorecards` or what conditions see may have changed).
        scorecard_impact = level_changes(
            Standings { scorecards: &rules.scorecards, scores: &judged.scores, catalog: &judged.catalog },
            Standings { scorecards: &proposed.scorecards, scores: &preview.scores, catalog: &preview.catalog },
        );
        let preview_findings = findings(&proposed, preview.diagnostics, &preview.catalog, now);
        diagnostics.extend(impact(&diagnostics, &preview_findings, &preview.catalog));
    }

    let mut files = Loaded::default();
    files.files.extend(rules.files.iter().filter(|file| is_rule_file(file.path(), &base_layout)).cloned());
    files.files.extend(data.files.iter().filter(|file| !is_rule_file(file.path(), &base_layout)).cloned());
    files.ignored = data.ignored;
    let described =
        crate::check::Described { judged: head.origin(), rules: Some(base.origin()), prefix: head.prefix().to_owned() };
    let mut outcome = finish(described, diagnostics, files, judged.catalog, judged.policies);
    outcome.scorecards.clone_from(&rules.scorecards);
    outcome.scores = judged.scores;
    Ok(Judgement { outcome, entity_findings: judged.entity_findings, scorecard_impact })
}

/// A file whose content the change adds, removes or modifies.
#[derive(Debug)]
struct Changed {
    path: String,
    how: &'static str,
}

/// Whether `path` holds rules (settings, blueprints, policies, waivers, resource definitions)
/// rather than data.
fn is_rule_file(path: &str, layout: &Layout) -> bool {
    path.starts_with(BUNDLED_PREFIX)
        || cairn_scorecards::is_scorecard_file(path)
        || matches!(
            layout.role(path),
            FileRole::Settings
                | FileRole::Blueprint
                | FileRole::Policy
                | FileRole::PolicyTest
                | FileRole::Waiver
                | FileRole::ResourceDefinition
        )
}

fn is_rule_finding(diagnostic: &Diagnostic, layout: &Layout) -> bool {
    diagnostic.location.as_ref().is_some_and(|location| is_rule_file(&location.file, layout))
}

/// The rule files the change touches: `cairn.yaml`, the blueprints folder (of the base's
/// settings), `policies/`, `exceptions/`, `scorecards/` and `resources/` (definitions and the templates they
/// name). Files are compared by blob id when both sides come
/// from git, otherwise by their bytes, read within the base's size limit (a file over it counts
/// as modified: it cannot be shown to be the same).
fn changed_rule_files(base: &Source, before: &Loaded, head: &Source, after: &Loaded, layout: &Layout) -> Vec<Changed> {
    fn rule_files<'a>(loaded: &'a Loaded, layout: &Layout) -> BTreeMap<&'a str, &'a FileEntry> {
        loaded
            .listing
            .iter()
            .filter(|entry| {
                entry.path == SETTINGS_FILE
                    || entry.path.starts_with("policies/")
                    || entry.path.starts_with("exceptions/")
                    || entry.path.starts_with("resources/")
                    || cairn_scorecards::is_scorecard_file(&entry.path)
                    || matches!(layout.role(&entry.path), FileRole::Blueprint)
            })
            .map(|entry| (entry.path.as_str(), entry))
            .collect()
    }
    let (old, new) = (rule_files(before, layout), rule_files(after, layout));
    let limit = before.settings.limits().max_file_size;
    let (base_reader, head_reader) = (base.reader(), head.reader());
    let same = |a: &FileEntry, b: &FileEntry| -> bool {
        if let (Some(a), Some(b)) = (a.blob_id(), b.blob_id()) {
            return a == b;
        }
        // A link is never read (it is a finding of its own), so on disk only its kind compares.
        if a.kind != EntryKind::File || b.kind != EntryKind::File {
            return a.kind == b.kind;
        }
        let read = |reader: &cairn_source::Reader<'_>, entry: &FileEntry| match reader.read(entry, limit) {
            Ok(Contents::Bytes(bytes)) => Some(bytes),
            Ok(Contents::TooLarge { .. }) | Err(_) => None,
        };
        matches!((read(&base_reader, a), read(&head_reader, b)), (Some(a), Some(b)) if a == b)
    };
    let paths: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let mut changed = Vec::new();
    for path in paths {
        let how = match (old.get(path), new.get(path)) {
            (None, Some(_)) => "adds",
            (Some(_), None) => "deletes",
            (Some(a), Some(b)) if !same(a, b) => "modifies",
            _ => continue,
        };
        changed.push(Changed { path: path.to_owned(), how });
    }
    changed
}

fn review_needed(change: &Changed) -> Diagnostic {
    Diagnostic::new(
        Code::RulesChanged,
        format!(
            "this change {} `{}`, which holds rules that judge the platform: review needed",
            change.how, change.path
        ),
    )
    .at(Location::file(&change.path))
    .with_help(
        "a change is judged by the rules of its base, so this edit takes effect only once it is merged; \
         have the rules' owners review it",
    )
}

/// A path the head and the base both changed, differently, since their merge base (`merge_base`).
fn conflict(path: &str, merge_base: &Source) -> Diagnostic {
    Diagnostic::new(
        Code::MergeConflict,
        format!("`{path}` changed on both sides since {}: the merged result was not judged", merge_base.describe()),
    )
    .at(Location::file(path))
    .with_help(
        "merge the base into this branch (or rebase onto it) and resolve the conflict; until then the change \
         is judged against the merge base, without the base's later changes",
    )
}

/// A finding about one entity, named so that the same finding under other rules compares
/// equal: by the rule (its own code, else its package, since a `warn` rule renamed `deny` is
/// the same rule raised), the entity, and the message.
type Identity = (String, EntityRef, String);

fn identity(diagnostic: &Diagnostic) -> Option<Identity> {
    let entity = diagnostic.entity.clone()?;
    let rule = match &diagnostic.rule {
        Some(rule) => rule.code.clone().unwrap_or_else(|| format!("data.{}", rule.package)),
        None => diagnostic.code_name().to_owned(),
    };
    Some((rule, entity, diagnostic.message.clone()))
}

/// How a finding differs between the base's rules and the head's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shift {
    /// Only the head's rules find it, with this severity.
    Appears(Severity),
    /// Only the base's rules find it.
    Disappears(Severity),
    /// Both find it, at another severity (and, for a `warn` rule renamed `deny`, another code).
    Becomes { now: Severity, was: Severity, was_code: String },
}

/// What the head's rules would change, by rule: the findings about entities that appear,
/// disappear or change severity (`judged` holds what the base's rules find, `proposed` what the
/// head's rules find in the same data), and the policies breaking, first.
fn impact(judged: &[Diagnostic], proposed: &[Diagnostic], catalog: &Catalog) -> Vec<Diagnostic> {
    fn by_identity(findings: &[Diagnostic]) -> BTreeMap<Identity, &Diagnostic> {
        findings
            .iter()
            .filter(|d| d.counts() && d.code != Code::RulesChanged && !d.code.breaks_rules())
            .filter_map(|d| identity(d).map(|key| (key, d)))
            .collect()
    }
    let (before, after) = (by_identity(judged), by_identity(proposed));
    // By the code shown and the shift: the rule's title and the entities it concerns.
    let mut shifts: BTreeMap<(String, Shift), (Option<String>, BTreeSet<EntityRef>)> = BTreeMap::new();
    let mut note = |finding: &Diagnostic, shift: Shift, entity: &EntityRef| {
        let entry = shifts.entry((finding.code_name().to_owned(), shift)).or_default();
        entry.0 = finding.rule.as_ref().and_then(|rule| rule.title.clone());
        entry.1.insert(entity.clone());
    };
    for (key, finding) in &after {
        match before.get(key) {
            None => note(finding, Shift::Appears(finding.severity), &key.1),
            Some(was) if was.severity != finding.severity => {
                let shift =
                    Shift::Becomes { now: finding.severity, was: was.severity, was_code: was.code_name().to_owned() };
                note(finding, shift, &key.1);
            }
            Some(_) => {}
        }
    }
    for (key, finding) in &before {
        if !after.contains_key(key) {
            note(finding, Shift::Disappears(finding.severity), &key.1);
        }
    }

    let mut out = Vec::new();
    let broken = proposed.iter().find(|d| d.counts() && d.severity == Severity::Error && d.code.breaks_rules());
    if let Some(first) = broken {
        let place = first.location.as_ref().map(|l| format!(" ({}:{}:{})", l.file, l.start.line, l.start.column));
        out.push(
            Diagnostic::new(
                Code::RulesChanged,
                format!(
                    "with the head's rules, the policies could not be evaluated: {}{}",
                    first.message,
                    place.unwrap_or_default()
                ),
            )
            .with_help("fix the policy before it is merged: a broken policy set fails every later check"),
        );
    }
    for ((rule, shift), (title, entities)) in shifts {
        let teams: BTreeSet<&str> =
            entities.iter().filter_map(|entity| catalog.get(entity)).flat_map(cairn_model::Entity::owners).collect();
        let named = title.map_or_else(|| format!("`{rule}`"), |title| format!("`{rule}` ({title})"));
        let owners = if teams.is_empty() { "no team".to_owned() } else { plural(teams.len(), "team", "teams") };
        let many = format!("{} owned by {owners}", plural(entities.len(), "entity", "entities"));
        let (message, listed) = match &shift {
            Shift::Appears(Severity::Error) => (format!("{named} newly fails {many}"), "newly failing"),
            Shift::Appears(Severity::Warning) => (format!("{named} newly warns about {many}"), "newly warned about"),
            Shift::Disappears(Severity::Error) => (format!("{named} no longer fails {many}"), "no longer failing"),
            Shift::Disappears(Severity::Warning) => {
                (format!("{named} no longer warns about {many}"), "no longer warned about")
            }
            Shift::Becomes { now, was, was_code } => {
                let subject = match entities.first() {
                    Some(entity) if entities.len() == 1 => format!("`{entity}` gets"),
                    _ => format!("{many} get"),
                };
                let was_code = if *was_code == rule { String::new() } else { format!(" `{was_code}`") };
                let listed = if *now == Severity::Error { "raised to error" } else { "lowered to warning" };
                (format!("{subject} {now} `{rule}` (was {was}{was_code})"), listed)
            }
        };
        let mut list: Vec<String> = entities.iter().take(PREVIEW_NAMES).map(|e| format!("`{e}`")).collect();
        if entities.len() > PREVIEW_NAMES {
            list.push(format!("and {} more", entities.len() - PREVIEW_NAMES));
        }
        let teams = if teams.is_empty() {
            "none".to_owned()
        } else {
            teams.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        };
        out.push(
            Diagnostic::new(Code::RulesChanged, format!("with the head's rules, {message}"))
                .with_help(format!("{listed}: {}; teams: {teams}", list.join(", "))),
        );
    }
    out
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests;
