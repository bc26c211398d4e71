//! `check_change`: judge a change (a pull request) by the rules of its base. The head's entities
//! are checked against the base's settings, blueprints, policies and waivers, so that no change
//! can weaken the rules that judge it. Every change to those rules is a finding that asks for
//! review, with a preview of what the new rules would newly fail.

use std::collections::{BTreeMap, BTreeSet};

use cairn_diagnostics::{Code, Diagnostic, Location, Severity};
use cairn_model::{Catalog, EntityRef, FileRole, Layout, SETTINGS_FILE, Timestamp};
use cairn_source::{Contents, EntryKind, FileEntry, Source};

use crate::check::{Base, Outcome, findings, finish, judge};
use crate::error::EngineError;
use crate::load::{BUNDLED_PREFIX, Loaded, Reuse, load_with};

/// How many entities a preview names before it says "and N more".
const PREVIEW_NAMES: usize = 20;

/// Checks the change from `base` to `head` as of `now`: the head's catalog, judged by the base's
/// rules.
pub fn check_change(base: &Source, head: &Source, now: Timestamp) -> Result<Outcome, EngineError> {
    let rules = load_with(base, None, Reuse::Keep)?;
    check_change_loaded(base, &rules, head, now, None).map(|(outcome, _)| outcome)
}

/// Checks the change from `base`, whose files `load` read into `rules` (keeping what it parsed,
/// so that every file the head shares is not read again), to `head`. `base_catalog` is the
/// base's catalog when the caller has built it already. Also returns the findings of each head
/// entity, in the order of the outcome's catalog.
pub(crate) fn check_change_loaded(
    base: &Source,
    rules: &Loaded,
    head: &Source,
    now: Timestamp,
    base_catalog: Option<&Catalog>,
) -> Result<(Outcome, Vec<Vec<Diagnostic>>), EngineError> {
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
    let judged = judge(rules, std::mem::take(&mut data.entities), revision.as_deref(), judge_base);

    // Findings about the rules come from the base; findings about the data from the head.
    let mut diagnostics: Vec<Diagnostic> =
        rules.diagnostics.iter().filter(|d| is_rule_finding(d, &base_layout)).cloned().collect();
    diagnostics.extend(data.diagnostics.iter().filter(|d| !is_rule_finding(d, &base_layout)).cloned());
    diagnostics.extend(judged.diagnostics);
    crate::waivers::apply(&mut diagnostics, &rules.waivers, &judged.catalog, now);

    if !changed.is_empty() {
        diagnostics.extend(changed.iter().map(review_needed));
        let mut proposed = load_with(head, None, Reuse::From(rules))?;
        let entities = std::mem::take(&mut proposed.entities);
        let preview = judge(&proposed, entities, revision.as_deref(), judge_base);
        let preview_findings = findings(&proposed, preview.diagnostics, &preview.catalog, now);
        diagnostics.extend(impact(&diagnostics, &preview_findings, &preview.catalog));
    }

    let mut files = Loaded::default();
    files.files.extend(rules.files.iter().filter(|file| is_rule_file(file.path(), &base_layout)).cloned());
    files.files.extend(data.files.iter().filter(|file| !is_rule_file(file.path(), &base_layout)).cloned());
    files.ignored = data.ignored;
    let source = format!("{} judged by the rules of {}", head.describe(), base.describe());
    let described = (source, head.prefix().to_owned());
    Ok((finish(described, diagnostics, files, judged.catalog, judged.policies), judged.entity_findings))
}

/// A file whose content the change adds, removes or modifies.
#[derive(Debug)]
struct Changed {
    path: String,
    how: &'static str,
}

/// Whether `path` holds rules (settings, blueprints, policies, waivers) rather than data.
fn is_rule_file(path: &str, layout: &Layout) -> bool {
    path.starts_with(BUNDLED_PREFIX)
        || matches!(
            layout.role(path),
            FileRole::Settings | FileRole::Blueprint | FileRole::Policy | FileRole::PolicyTest | FileRole::Waiver
        )
}

fn is_rule_finding(diagnostic: &Diagnostic, layout: &Layout) -> bool {
    diagnostic.location.as_ref().is_some_and(|location| is_rule_file(&location.file, layout))
}

/// The rule files the change touches: `cairn.yaml`, the blueprints folder (of the base's
/// settings), `policies/` and `exceptions/`. Files are compared by blob id when both sides come
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

/// What the change's own rules would newly fail, by rule: the blast radius of the rule change.
fn impact(judged: &[Diagnostic], proposed: &[Diagnostic], catalog: &Catalog) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.code_name().to_owned(), d.entity.clone(), d.message.clone());
    let now: BTreeSet<_> = judged.iter().filter(|d| d.counts()).map(key).collect();
    let mut by_rule: BTreeMap<String, (Option<String>, BTreeSet<EntityRef>)> = BTreeMap::new();
    let mut broken = Vec::new();
    for diagnostic in proposed.iter().filter(|d| d.counts() && d.severity == Severity::Error) {
        if diagnostic.code.breaks_rules() {
            broken.push(diagnostic);
            continue;
        }
        if now.contains(&key(diagnostic)) {
            continue;
        }
        let Some(entity) = &diagnostic.entity else { continue };
        let entry = by_rule.entry(diagnostic.code_name().to_owned()).or_default();
        entry.0 = diagnostic.rule.as_ref().and_then(|rule| rule.title.clone());
        entry.1.insert(entity.clone());
    }
    let mut out = Vec::new();
    if let Some(first) = broken.first() {
        let place = first.location.as_ref().map(|l| format!(" ({}:{}:{})", l.file, l.start.line, l.start.column));
        out.push(
            Diagnostic::new(
                Code::RulesChanged,
                format!(
                    "with this change's own rules, the policies could not be evaluated: {}{}",
                    first.message,
                    place.unwrap_or_default()
                ),
            )
            .with_help("fix the policy before it is merged: a broken policy set fails every later check"),
        );
    }
    for (rule, (title, entities)) in by_rule {
        let teams: BTreeSet<&str> = entities
            .iter()
            .filter_map(|entity| catalog.get(entity))
            .flat_map(|entity| entity.teams.iter().map(|team| team.value.as_str()))
            .collect();
        let named = title.map_or_else(|| format!("`{rule}`"), |title| format!("`{rule}` ({title})"));
        let mut list: Vec<String> = entities.iter().take(PREVIEW_NAMES).map(|e| format!("`{e}`")).collect();
        if entities.len() > PREVIEW_NAMES {
            list.push(format!("and {} more", entities.len() - PREVIEW_NAMES));
        }
        out.push(
            Diagnostic::new(
                Code::RulesChanged,
                format!(
                    "with this change's rules, {named} newly fails {} owned by {}",
                    plural(entities.len(), "entity", "entities"),
                    plural(teams.len(), "team", "teams"),
                ),
            )
            .with_help(format!(
                "newly failing: {}; teams: {}",
                list.join(", "),
                if teams.is_empty() {
                    "none".to_owned()
                } else {
                    teams.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                }
            )),
        );
    }
    out
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests;
