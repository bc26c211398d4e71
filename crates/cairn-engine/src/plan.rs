//! `plan`: what a change does to the platform. Entities added, removed, modified (property by
//! property, relation by relation) and moved; environments created, changed and destroyed with
//! their expiry; and the findings of the change judged by its base's rules, split into those the
//! change introduces and those already there.
//!
//! Like `check_change`, a plan judges the head merged into the base's tip when the base moved on
//! since the merge base: the changes listed are then the head's own, applied onto the base.

use std::collections::BTreeSet;
use std::sync::Arc;

use cairn_compute::Computed;
use cairn_diagnostics::{Diagnostic, Severity};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, Entity, EntityDiff, EntityRef, Timestamp, diff};
pub use cairn_model::{ChangeKind, FieldChange};
use cairn_source::{Merge, Origin, Source};

use crate::change::{Judgement, Sides, check_change_loaded};
use crate::check::{Known, Outcome, findings, judge_catalog};
use crate::error::EngineError;
use crate::level_changes::{LevelChange, Standings, level_changes};
use crate::load::{Loaded, Reuse, load_with};
use crate::render::RenderOptions;
use crate::rendered_diff::{RenderedDiff, rendered_diff};
use crate::verdict::Verdict;

/// What a change does, and what it breaks.
#[derive(Debug)]
pub struct Plan {
    /// The head judged by the base's rules: every finding, the files, the head catalog.
    pub outcome: Outcome,
    /// The base judged against, such as the revision `main` (the merge base when the head does
    /// not merge cleanly into the base's tip).
    pub base: Origin,
    /// The base's, the head's and their merge base's commits.
    pub commits: Commits,
    /// Which of `commits` the diff starts from: the base's tip, or the merge base when the head
    /// does not merge cleanly into it.
    pub judged_base: JudgedBase,
    /// Files of the judged head whose content is the base's tip's, not the head's: in the head
    /// merged into a base that moved on, the files only the base changed. Links to them name
    /// `base_commit()`; the head's commit has another version of them, or none.
    pub from_base: BTreeSet<String>,
    /// Indices into `outcome.diagnostics` of the findings this change introduces; the others
    /// were already there at the base.
    pub introduced: BTreeSet<usize>,
    pub entities: Vec<EntityChange>,
    pub environments: Vec<EnvironmentChange>,
    /// The entities whose level on a scorecard the change moves: the base's scorecards over the
    /// base's catalog compared with the same scorecards over the head's (a change's own
    /// scorecard edits judge nothing until merged). Regressions first, then rises, then entities
    /// that entered or left a scorecard.
    pub scorecards: Vec<LevelChange>,
    /// When the change edits rules (scorecards, blueprints, settings), what they would do once
    /// merged: the head's scorecards over the head's catalog compared with the base's over it,
    /// in the same order. Empty when nothing would move.
    pub scorecard_impact: Vec<LevelChange>,
    /// What the change does to the rendered output: the files `cairn render` writes at the base
    /// compared with those it writes at the head (`rendered_diff`). `None` when the plan did not
    /// render (`plan` itself leaves it `None`: the caller renders both sides and sets it, so that
    /// a plan of a platform without templates costs nothing more); `Some` with no files when
    /// both sides render the same bytes.
    pub rendered: Option<RenderedDiff>,
}

impl Plan {
    /// The head's commit, for links.
    #[must_use]
    pub fn head_commit(&self) -> Option<&str> {
        self.commits.head.as_deref()
    }

    /// The commit the diff starts from (the base's tip, or the merge base when the merge
    /// conflicts), for links to what the change removes.
    #[must_use]
    pub fn base_commit(&self) -> Option<&str> {
        match self.judged_base {
            JudgedBase::Tip => self.commits.base.as_deref(),
            JudgedBase::MergeBase => self.commits.merge_base.as_deref(),
        }
    }

    /// The findings this change introduces, in report order.
    pub fn introduced(&self) -> impl Iterator<Item = &Diagnostic> {
        self.outcome.diagnostics.iter().enumerate().filter(|(i, _)| self.introduced.contains(i)).map(|(_, d)| d)
    }

    /// The findings already there at the base.
    pub fn existing(&self) -> impl Iterator<Item = &Diagnostic> {
        self.outcome.diagnostics.iter().enumerate().filter(|(i, _)| !self.introduced.contains(i)).map(|(_, d)| d)
    }

    /// Broken when the rules could not be evaluated, failed when an error counts (one the change
    /// introduces, or with `strict` any) or when the head holds no entity (`W0701`, unless the
    /// settings allow an empty platform).
    #[must_use]
    pub fn verdict(&self, strict: bool) -> Verdict {
        Verdict::of(self.outcome.rules_broken(), self.failing_errors(strict) + usize::from(self.outcome.read_nothing()))
    }

    /// Errors that count: introduced ones, or with `strict` every one.
    #[must_use]
    pub fn failing_errors(&self, strict: bool) -> usize {
        let counts = |d: &&Diagnostic| d.severity == Severity::Error && d.counts();
        if strict {
            self.outcome.diagnostics.iter().filter(counts).count()
        } else {
            self.introduced().filter(counts).count()
        }
    }
}

/// The commits of a change, as full hexadecimal ids (`None` for a directory).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Commits {
    /// The base's tip: `pull_request.base.sha`, or `--base`.
    pub base: Option<String>,
    pub head: Option<String>,
    /// The best common ancestor of base and head; the base's own commit when the head's history
    /// contains it.
    pub merge_base: Option<String>,
}

/// Which commit a change is judged from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JudgedBase {
    /// The base's tip: the head merges cleanly into it (or either side is a directory).
    #[default]
    Tip,
    /// The merge base: the head conflicts with the base's tip.
    MergeBase,
}

/// One entity the change touches.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EntityChange {
    pub kind: ChangeKind,
    pub entity: EntityRef,
    /// Where it is written at the head (at the base, when removed).
    pub file: String,
    pub line: u32,
    /// Where it was written at the base, when it moved.
    pub moved_from: Option<String>,
    pub teams: Vec<String>,
    /// Field by field: `title`, `team`, `properties.tier`, `relations.system`.
    pub fields: Vec<FieldChange>,
}

/// One environment the change creates, changes or destroys.
#[derive(Clone, Debug, serde::Serialize)]
pub struct EnvironmentChange {
    pub kind: ChangeKind,
    pub identifier: String,
    /// `development`, `preview`, …
    pub kind_of_environment: Option<String>,
    /// When it expires, from `expiresAt` or `createdAt` plus `ttl`, at the head.
    pub expires: Option<Timestamp>,
    /// When it expired at the base.
    pub expired_before: Option<Timestamp>,
}

/// Plans the change from `base` to `head` as of `now`.
pub fn plan(base: &Source, head: &Source, now: Timestamp) -> Result<Plan, EngineError> {
    let merge = Source::merge(base, head)?;
    let commits = Commits {
        base: base.commit(),
        head: head.commit(),
        merge_base: merge.as_ref().and_then(|merge| merge.merge_base()).map_or_else(|| base.commit(), Source::commit),
    };
    // From here on, `base` and `head` are what is judged: the base's tip and the head merged
    // into it, or the merge base and the head when the merge conflicts.
    let sides = Sides::new(base, head, merge.as_ref());
    let base = sides.base;
    // The base is read and judged once: its findings are what was already there, its catalog is
    // what the diff and `data.cairn.change` start from, and its rules judge the head. The head
    // reuses every entity file the base parsed.
    let rules = load_with(base, None, Reuse::Keep)?;
    let base_revision = base.commit();
    let judged_base =
        if matches!(merge, Some(Merge::Conflicts { .. })) { JudgedBase::MergeBase } else { JudgedBase::Tip };
    let (base_catalog, built) =
        Catalog::build(rules.bundled_blueprints.clone(), rules.declared_blueprints.clone(), rules.entities.clone());
    let Judgement { outcome, entity_findings: head_findings, scorecard_impact } =
        check_change_loaded(&sides, &rules, now, Some(&base_catalog))?;
    let changes = diff(&base_catalog, &outcome.catalog);
    let environments = environment_changes(&changes, (&base_catalog, &outcome.catalog));
    let entities: Vec<EntityChange> = changes.into_iter().map(described).collect();
    // The base is judged by the same rules as the head: an entity both share keeps the head's
    // findings unless it looks up an identifier the change touches.
    let touched = entities.iter().map(|change| change.entity.name()).collect();
    let known = Known::new(&outcome.catalog, &head_findings, touched);
    let judged = judge_catalog(&rules, (base_catalog, built), base_revision.as_deref(), None, Some(&known), now);
    let mut entities = entities;
    let (head_derived, _) = cairn_compute::derive(&outcome.catalog, now);
    computed_changes(
        &mut entities,
        (&judged.catalog, &judged.derived.computed),
        (&outcome.catalog, &head_derived.computed),
    );
    // The base's scorecards judge both sides, so a level moves only because the data did.
    let scorecards = level_changes(
        Standings { scorecards: &rules.scorecards, scores: &judged.scores, catalog: &judged.catalog },
        Standings { scorecards: &outcome.scorecards, scores: &outcome.scores, catalog: &outcome.catalog },
    );
    let mut before = findings(&rules, judged.diagnostics, &judged.catalog, now);
    let mut outcome = outcome;
    let rendered = rendered(&sides, &rules, now, &mut before, &mut outcome)?;
    // A counted finding is introduced unless it counted at the base too (one the change takes out
    // of a waiver's reach is new to the verdict); a waived one unless it was there at all.
    let counted: BTreeSet<(String, Option<String>, String)> =
        before.iter().filter(|d| d.counts()).map(finding_key).collect();
    let seen: BTreeSet<(String, Option<String>, String)> = before.iter().map(finding_key).collect();
    let introduced = outcome
        .diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| !if d.counts() { &counted } else { &seen }.contains(&finding_key(d)))
        .map(|(i, _)| i)
        .collect();
    Ok(Plan {
        base: base.origin(),
        commits,
        judged_base,
        from_base: sides.head.kept_from_base().cloned().unwrap_or_default(),
        introduced,
        entities,
        environments,
        scorecards,
        scorecard_impact,
        rendered,
        outcome,
    })
}

/// What the change does to the rendered output, when either side has golden-path templates:
/// base and head rendered each by its own templates (what merging would publish), compared file
/// by file. The findings only a render makes (a template failing on the head's data, an output
/// path that escapes) are added to each side's findings, so that a change that breaks rendering
/// introduces them; those `check` made already are not repeated.
fn rendered(
    sides: &Sides<'_>,
    rules: &Loaded,
    now: Timestamp,
    before: &mut Vec<Diagnostic>,
    outcome: &mut Outcome,
) -> Result<Option<RenderedDiff>, EngineError> {
    let head_has_templates = || -> Result<bool, EngineError> {
        Ok(sides.head.files()?.iter().any(|entry| entry.path.starts_with(cairn_render::TEMPLATES_FOLDER)))
    };
    if rules.templates.is_none() && !head_has_templates()? {
        return Ok(None);
    }
    let options = RenderOptions::default();
    let base = crate::render::render(sides.base, now, &options)?;
    let head = crate::render::render(sides.head, now, &options)?;
    add_new(before, base.diagnostics);
    let known = outcome.diagnostics.len();
    add_new(&mut outcome.diagnostics, head.diagnostics);
    if outcome.diagnostics.len() > known {
        for file in head.sources.files() {
            outcome.sources.insert(Arc::clone(file));
        }
        outcome.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    Ok(Some(rendered_diff(base.rendered.contents(), head.rendered.contents())))
}

/// Adds the findings of `found` that `findings` lacks (by identity and place).
fn add_new(findings: &mut Vec<Diagnostic>, found: Vec<Diagnostic>) {
    let place = |d: &Diagnostic| d.location.as_ref().map(|l| (l.file.clone(), l.start.line, l.start.column));
    let known: BTreeSet<_> = findings.iter().map(|d| (finding_key(d), place(d))).collect();
    findings.extend(found.into_iter().filter(|d| !known.contains(&(finding_key(d), place(d)))));
}

/// A finding's identity across revisions: lines move, codes, entities and messages do not.
fn finding_key(diagnostic: &Diagnostic) -> (String, Option<String>, String) {
    // The entity by its text, so that a finding without one compares by its file instead.
    let place = if diagnostic.entity.is_some() { None } else { diagnostic.location.as_ref().map(|l| l.file.clone()) };
    (
        diagnostic.code_name().to_owned(),
        diagnostic.entity.as_ref().map(ToString::to_string).or(place),
        diagnostic.message.clone(),
    )
}

fn described(change: EntityDiff<'_>) -> EntityChange {
    let entity = change.entity;
    let moved_from = match (change.before, change.after) {
        (Some(before), Some(after)) if before.file.path() != after.file.path() => Some(before.file.path().to_owned()),
        _ => None,
    };
    EntityChange {
        kind: change.kind,
        entity: entity.reference(),
        file: entity.file.path().to_owned(),
        line: entity.file.position(entity.span.start).line,
        moved_from,
        teams: entity.owner_list(),
        fields: change.fields,
    }
}

/// Adds the computed properties whose values differ between base and head: a field change each,
/// marked computed, to the entity's change, or as a change of its own when nothing written in the
/// entity changed (a system whose count of services changes when a service is added).
fn computed_changes(entities: &mut Vec<EntityChange>, base: (&Catalog, &Computed), head: (&Catalog, &Computed)) {
    let mut added = false;
    for (position, entity) in head.0.entities.iter().enumerate() {
        if head.0.position(&entity.blueprint.value, &entity.identifier.value) != Some(position) {
            continue;
        }
        let Some(before_position) = base.0.position(&entity.blueprint.value, &entity.identifier.value) else {
            continue;
        };
        let (before, after) = (base.1.of(before_position), head.1.of(position));
        let names: BTreeSet<&String> =
            before.into_iter().flatten().chain(after.into_iter().flatten()).map(|(name, _)| name).collect();
        let fields: Vec<FieldChange> = names
            .into_iter()
            .filter_map(|name| {
                let (old, new) = (base.1.get(before_position, name), head.1.get(position, name));
                (old != new).then(|| FieldChange {
                    field: format!("properties.{name}"),
                    before: old.cloned(),
                    after: new.cloned(),
                    computed: true,
                })
            })
            .collect();
        if fields.is_empty() {
            continue;
        }
        let reference = entity.reference();
        if let Some(change) = entities.iter_mut().find(|change| change.entity == reference) {
            change.kind = ChangeKind::Modified;
            change.fields.extend(fields);
            change.fields.sort_by(|a, b| a.field.cmp(&b.field));
        } else {
            added = true;
            entities.push(EntityChange {
                kind: ChangeKind::Modified,
                entity: reference,
                file: entity.file.path().to_owned(),
                line: entity.file.position(entity.span.start).line,
                moved_from: None,
                teams: entity.owner_list(),
                fields,
            });
        }
    }
    if added {
        entities.sort_by(|a, b| (a.entity.kind(), a.entity.name()).cmp(&(b.entity.kind(), b.entity.name())));
    }
}

/// The environments the change adds, modifies or removes, each with its expiry at the base and at
/// the head by the blueprints of that side.
fn environment_changes(changes: &[EntityDiff<'_>], (base, head): (&Catalog, &Catalog)) -> Vec<EnvironmentChange> {
    let (base, head) = (base.blueprints.get(ENVIRONMENT_BLUEPRINT), head.blueprints.get(ENVIRONMENT_BLUEPRINT));
    changes
        .iter()
        .filter(|change| change.kind != ChangeKind::Moved && change.entity.blueprint.value == ENVIRONMENT_BLUEPRINT)
        .map(|change| EnvironmentChange {
            kind: change.kind,
            identifier: change.entity.identifier.value.clone(),
            kind_of_environment: property(change.entity, "type"),
            expires: change.after.and_then(|entity| expiry(entity, head)),
            expired_before: change.before.and_then(|entity| expiry(entity, base)),
        })
        .collect()
}

fn property(entity: &Entity, name: &str) -> Option<String> {
    entity.properties.as_ref()?.get(name)?.as_str().map(str::to_owned)
}

/// When an environment expires, by cairn-model's rules (docs/lifetimes.md): a timer property of
/// its blueprint, its `expiresAt`, or its `createdAt` plus its `ttl`. A plan judges a change
/// before it merges, so there is no commit yet to count a new `ttl` from: `createdAt` stands in.
#[must_use]
pub fn expiry(entity: &Entity, blueprint: Option<&cairn_model::Blueprint>) -> Option<Timestamp> {
    cairn_model::expiry(entity, blueprint, None).map(|expiry| expiry.at)
}

#[cfg(test)]
mod tests;
