//! Platform analytics from history alone (`cairn audit stats`): self-service runs per action,
//! changes, the lead time of merged branches and the environments created and their lifetimes,
//! each grouped by owning team or by month.
//!
//! Everything is built on `audit_log`, the one walk of history, read with every parent so that a
//! self-service run's commit is seen on the branch it was made on and a merge counts only what
//! it decided itself. The owners of an entity are those of `Entity::owners` in the catalog of
//! the commit that changed it (of its first parent, for a deletion), with the commit's
//! blueprints, so Port's inherited ownership applies as the platform had it then.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use cairn_diagnostics::{EntityRef, Severity};
use cairn_model::{Catalog, ENVIRONMENT_BLUEPRINT, FileRole, Layout, SETTINGS_FILE, Settings, Timestamp};
use cairn_source::{CommitId, LogCommit, Source};

use crate::audit::{AuditChange, AuditOptions, LogEntry, audit_log};
use crate::error::EngineError;
use crate::load::{Loaded, Reuse, load_with};

/// The group an entity with no owner counts under.
pub const NO_TEAM: &str = "(no team)";

/// What the statistics are grouped by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatsBy {
    /// The owning teams of the entities a commit changed.
    #[default]
    Team,
    /// The month (UTC) of the commit: `2026-11`.
    Month,
}

impl StatsBy {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            StatsBy::Team => "team",
            StatsBy::Month => "month",
        }
    }
}

/// Which history to read and how to group it.
#[derive(Clone, Debug, Default)]
pub struct StatsOptions {
    /// Only commits committed at or after this instant.
    pub since: Option<Timestamp>,
    /// Only commits committed at or before this instant.
    pub until: Option<Timestamp>,
    pub by: StatsBy,
}

/// Self-service runs of one action in one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCount {
    pub group: String,
    pub action: String,
    /// Commits with this `Cairn-Action` trailer.
    pub runs: usize,
}

/// The changes to entities in one group, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeCount {
    pub group: String,
    pub created: usize,
    pub modified: usize,
    pub moved: usize,
    pub deleted: usize,
}

impl ChangeCount {
    #[must_use]
    pub fn total(&self) -> usize {
        self.created + self.modified + self.moved + self.deleted
    }
}

/// One merge commit of the first-parent history and how long its branch waited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeLead {
    pub merge: CommitId,
    /// The merge's committer date.
    pub merged: Timestamp,
    /// The author date of the oldest commit of the branch it merges (reachable from its second
    /// parent, not from its first).
    pub first_commit: Timestamp,
    /// How many commits the branch had.
    pub branch_commits: usize,
    /// The groups of the merge: owning teams of the entities it brought, or its month.
    pub groups: Vec<String>,
}

impl MergeLead {
    /// Seconds from the branch's first commit to the merge.
    #[must_use]
    pub fn seconds(&self) -> i64 {
        self.merged.as_second() - self.first_commit.as_second()
    }
}

/// The lead times of one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadTime {
    pub group: String,
    pub merges: usize,
    /// The median in seconds (the lower of the two middle values for an even count, so that it
    /// is one merge's lead time).
    pub median_seconds: i64,
    pub max_seconds: i64,
}

/// One environment's life in the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvironmentLife {
    pub entity: EntityRef,
    pub groups: Vec<String>,
    pub created: Timestamp,
    /// `None` while it is still alive at the end of the window.
    pub deleted: Option<Timestamp>,
}

impl EnvironmentLife {
    /// Seconds from creation to deletion, `None` while it lives.
    #[must_use]
    pub fn lifetime_seconds(&self) -> Option<i64> {
        self.deleted.map(|deleted| deleted.as_second() - self.created.as_second())
    }
}

/// The platform as it stood at the end of one month of the window (the newest first-parent
/// commit by then), judged as of that instant: its findings and its scorecard levels per team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSample {
    pub month: String,
    /// The commit sampled.
    pub commit: Option<String>,
    /// The instant judged: the month's last second, or the window's end or the newest commit's
    /// date when either comes first.
    pub at: Timestamp,
    pub errors: usize,
    pub warnings: usize,
    /// By scorecard, team, then level (lowest first).
    pub levels: Vec<LevelCount>,
}

/// How many entities of one team stood at one level of one scorecard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelCount {
    pub scorecard: String,
    pub team: String,
    pub level: String,
    pub entities: usize,
}

/// The statistics of a history.
#[derive(Clone, Debug)]
pub struct AuditStats {
    /// The commit the walk started from.
    pub head: Option<String>,
    pub by: StatsBy,
    /// How many commits of the window were read.
    pub commits: usize,
    /// How many changes to entities the window holds.
    pub changes_total: usize,
    /// By group then action.
    pub runs: Vec<RunCount>,
    /// By group.
    pub changes: Vec<ChangeCount>,
    /// The merges of the first-parent history in the window, oldest first.
    pub merges: Vec<MergeLead>,
    /// By group.
    pub lead_times: Vec<LeadTime>,
    /// First-parent commits with one parent whose subject names a pull request (`Subject (#12)`):
    /// squash or rebase merges, whose branch history is gone, so they have no lead time.
    pub squash_merges: usize,
    /// Environments created in the window, by creation then identifier.
    pub environments: Vec<EnvironmentLife>,
    /// Each month of the window with a first-parent commit, oldest first.
    pub months: Vec<MonthSample>,
}

/// The statistics of `source`'s history (a git revision) in the window `options` gives.
pub fn audit_stats(source: &Source, options: &StatsOptions) -> Result<AuditStats, EngineError> {
    let log = audit_log(
        source,
        &AuditOptions { all_parents: true, since: options.since, until: options.until, ..AuditOptions::default() },
    )?;
    let Some(commits) = source.log(true) else {
        return Err(EngineError::NoHistory(format!("{} has no git history to read", source.describe())));
    };
    let commits = commits?;
    let mut owners = Owners::new(source);
    // Oldest first, so that an environment's creation comes before its deletion.
    let mut entries: Vec<&LogEntry> = log.entries.iter().collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.commit.position));

    let mut runs: BTreeMap<(String, String), BTreeSet<CommitId>> = BTreeMap::new();
    let mut changes: BTreeMap<String, ChangeCount> = BTreeMap::new();
    let mut groups_of_commit: HashMap<CommitId, BTreeSet<String>> = HashMap::new();
    let mut alive: BTreeMap<EntityRef, usize> = BTreeMap::new();
    let mut environments: Vec<EnvironmentLife> = Vec::new();
    for entry in &entries {
        let groups = match options.by {
            StatsBy::Team => owners.of(entry)?,
            StatsBy::Month => vec![month(entry.commit.date)],
        };
        groups_of_commit.entry(entry.commit.id).or_default().extend(groups.iter().cloned());
        for group in &groups {
            let count = changes
                .entry(group.clone())
                .or_insert_with(|| ChangeCount { group: group.clone(), ..ChangeCount::default() });
            match entry.change {
                AuditChange::Created => count.created += 1,
                AuditChange::Modified => count.modified += 1,
                AuditChange::Moved => count.moved += 1,
                AuditChange::Deleted => count.deleted += 1,
            }
            if let Some(action) = &entry.commit.action {
                runs.entry((group.clone(), action.clone())).or_default().insert(entry.commit.id);
            }
        }
        if entry.entity.kind() == ENVIRONMENT_BLUEPRINT {
            match entry.change {
                AuditChange::Created => {
                    alive.insert(entry.entity.clone(), environments.len());
                    environments.push(EnvironmentLife {
                        entity: entry.entity.clone(),
                        groups: groups.clone(),
                        created: entry.commit.date,
                        deleted: None,
                    });
                }
                AuditChange::Deleted => {
                    if let Some(index) = alive.remove(&entry.entity) {
                        environments[index].deleted = Some(entry.commit.date);
                    }
                }
                AuditChange::Modified | AuditChange::Moved => {}
            }
        }
    }
    environments.sort_by(|a, b| (a.created, &a.entity).cmp(&(b.created, &b.entity)));
    runs_without_entities(&commits, options, &groups_of_commit, &mut runs);

    let (merges, squash_merges) = merges(&commits, options, &groups_of_commit);
    let mut lead: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for merge in &merges {
        for group in &merge.groups {
            lead.entry(group.clone()).or_default().push(merge.seconds());
        }
    }
    let lead_times = lead
        .into_iter()
        .map(|(group, mut seconds)| {
            seconds.sort_unstable();
            LeadTime {
                group,
                merges: seconds.len(),
                median_seconds: seconds[(seconds.len() - 1) / 2],
                max_seconds: seconds[seconds.len() - 1],
            }
        })
        .collect();
    Ok(AuditStats {
        head: log.head,
        by: options.by,
        commits: log.commits,
        changes_total: log.entries.len(),
        runs: runs
            .into_iter()
            .map(|((group, action), commits)| RunCount { group, action, runs: commits.len() })
            .collect(),
        changes: changes.into_values().collect(),
        merges,
        lead_times,
        squash_merges,
        environments,
        months: samples(source, &commits, options)?,
    })
}

/// The platform at the end of each month of the window that has a first-parent commit.
fn samples(source: &Source, commits: &[LogCommit], options: &StatsOptions) -> Result<Vec<MonthSample>, EngineError> {
    let by_id: HashMap<CommitId, &LogCommit> = commits.iter().map(|commit| (commit.id, commit)).collect();
    let Some(head_time) = commits.first().map(|commit| commit.committer.time) else { return Ok(Vec::new()) };
    let mut months = BTreeSet::new();
    let mut next = commits.first().map(|commit| commit.id);
    while let Some(id) = next {
        let Some(commit) = by_id.get(&id) else { break };
        next = commit.parents.first().copied();
        if in_window(options, commit.committer.time) {
            months.insert(month(timestamp(commit.committer.time)));
        }
    }
    let mut samples = Vec::with_capacity(months.len());
    for name in months {
        let mut end = month_end(&name);
        if let Some(until) = options.until {
            end = end.min(until.as_second());
        }
        let at = timestamp(end.min(head_time));
        let Some(sample) = crate::revision_at(source.clone(), at)? else { continue };
        let outcome = crate::check(&sample, at)?;
        let mut levels: BTreeMap<(String, String, usize), usize> = BTreeMap::new();
        for score in &outcome.scores {
            let Some(scorecard) = outcome.scorecards.get(score.scorecard) else { continue };
            let Some(entity) = outcome.catalog.entities.get(score.entity) else { continue };
            let mut teams = entity.owner_list();
            teams.sort();
            teams.dedup();
            if teams.is_empty() {
                teams.push(NO_TEAM.to_owned());
            }
            for team in teams {
                *levels.entry((scorecard.identifier.clone(), team, score.standing.level)).or_default() += 1;
            }
        }
        let levels = levels
            .into_iter()
            .map(|((identifier, team, level), entities)| {
                let title = outcome
                    .scorecards
                    .iter()
                    .find(|scorecard| scorecard.identifier == identifier)
                    .and_then(|scorecard| scorecard.levels.get(level))
                    .map_or_else(|| level.to_string(), |level| level.title.clone());
                LevelCount { scorecard: identifier, team, level: title, entities }
            })
            .collect();
        samples.push(MonthSample {
            month: name,
            commit: sample.commit(),
            at,
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            levels,
        });
    }
    Ok(samples)
}

/// The last second of `month` (`2026-11`) in UTC.
fn month_end(month: &str) -> i64 {
    let (year, number) = month.split_once('-').unwrap_or_default();
    let (year, number): (i32, u32) = (year.parse().unwrap_or_default(), number.parse().unwrap_or_default());
    let (year, number) = if number >= 12 { (year + 1, 1) } else { (year, number + 1) };
    format!("{year:04}-{number:02}-01T00:00:00Z").parse::<Timestamp>().map_or(i64::MAX, |next| next.as_second() - 1)
}

/// The merges of the first-parent history from the newest commit, in the window, oldest first,
/// and how many squash merges it holds.
///
/// One pass from the oldest first-parent commit keeps every commit reachable from the one it
/// is at, so that a merge's branch (the commits of its second parent not reachable from its
/// first) is found by walking back from the second parent until that set, and a history costs
/// each commit once, not once per merge.
fn merges(
    commits: &[LogCommit],
    options: &StatsOptions,
    groups_of_commit: &HashMap<CommitId, BTreeSet<String>>,
) -> (Vec<MergeLead>, usize) {
    let by_id: HashMap<CommitId, &LogCommit> = commits.iter().map(|commit| (commit.id, commit)).collect();
    let mut mainline = Vec::new();
    let mut next = commits.first().map(|commit| commit.id);
    while let Some(commit) = next.and_then(|id| by_id.get(&id)) {
        mainline.push(*commit);
        next = commit.parents.first().copied();
    }
    let mut reached: HashSet<CommitId> = HashSet::new();
    let mut merges = Vec::new();
    let mut squash = 0;
    for commit in mainline.into_iter().rev() {
        // The commits each later parent brings, newly reachable; the second parent's are the
        // merged branch.
        let mut branch = Vec::new();
        for (index, parent) in commit.parents.iter().enumerate().skip(1) {
            let mut stack = vec![*parent];
            while let Some(id) = stack.pop() {
                if !reached.insert(id) {
                    continue;
                }
                if let Some(commit) = by_id.get(&id) {
                    if index == 1 {
                        branch.push(*commit);
                    }
                    stack.extend(commit.parents.iter().copied());
                }
            }
        }
        reached.insert(commit.id);
        if !in_window(options, commit.committer.time) {
            continue;
        }
        match commit.parents.as_slice() {
            [_, _, ..] => {
                let Some(first_time) = branch.iter().map(|commit| commit.author.time).min() else { continue };
                let date = timestamp(commit.committer.time);
                let mut groups: BTreeSet<String> = BTreeSet::new();
                match options.by {
                    StatsBy::Team => {
                        for id in branch.iter().map(|commit| commit.id).chain([commit.id]) {
                            groups.extend(groups_of_commit.get(&id).into_iter().flatten().cloned());
                        }
                        if groups.is_empty() {
                            groups.insert(NO_TEAM.to_owned());
                        }
                    }
                    StatsBy::Month => {
                        groups.insert(month(date));
                    }
                }
                merges.push(MergeLead {
                    merge: commit.id,
                    merged: date,
                    first_commit: timestamp(first_time),
                    branch_commits: branch.len(),
                    groups: groups.into_iter().collect(),
                });
            }
            [_] if crate::pull_request(&commit.subject).is_some() => squash += 1,
            _ => {}
        }
    }
    (merges, squash)
}

/// Adds to `runs` the self-service runs of the window whose commit changed no entity (it wrote
/// only other files): they ran all the same, and count under no team, or their month.
fn runs_without_entities(
    commits: &[LogCommit],
    options: &StatsOptions,
    groups_of_commit: &HashMap<CommitId, BTreeSet<String>>,
    runs: &mut BTreeMap<(String, String), BTreeSet<CommitId>>,
) {
    for commit in commits {
        let Some(action) = commit.trailer(crate::audit::ACTION_TRAILER) else { continue };
        if groups_of_commit.contains_key(&commit.id) || !in_window(options, commit.committer.time) {
            continue;
        }
        let group = match options.by {
            StatsBy::Team => NO_TEAM.to_owned(),
            StatsBy::Month => month(timestamp(commit.committer.time)),
        };
        runs.entry((group, action.to_owned())).or_default().insert(commit.id);
    }
}

/// Whether a commit made at `time` is in the window `options` gives.
fn in_window(options: &StatsOptions, time: i64) -> bool {
    options.since.is_none_or(|since| time >= since.as_second())
        && options.until.is_none_or(|until| time <= until.as_second())
}

fn timestamp(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(if seconds < 0 { Timestamp::MIN } else { Timestamp::MAX })
}

/// The month of `date` in UTC: `2026-11`.
fn month(date: Timestamp) -> String {
    date.strftime("%Y-%m").to_string()
}

/// How many commits' catalogs are kept at once: entries come commit by commit, and a deletion
/// asks for its commit's parent, so a few are enough.
const KEPT_CATALOGS: usize = 8;

/// The owners of the entities the commits changed. An entity of a blueprint that does not
/// inherit ownership is owned by the `team` written in it; only for one that inherits is the
/// commit's whole catalog built, with its blueprints and relations. Which blueprints inherit is
/// read again only when a commit changed a blueprint or `cairn.yaml` since the one asked about
/// before (a diff of the two trees), so a walk through history costs a tree diff per commit.
struct Owners<'a> {
    source: &'a Source,
    catalogs: HashMap<CommitId, Arc<Catalog>>,
    /// The last load, whose entity files the next one takes where blob and path agree.
    previous: Option<Loaded>,
    /// The platform at the commit asked about last, its settings and the blueprints in it that
    /// inherit ownership.
    rules: Option<(Source, Settings, Arc<HashSet<String>>)>,
}

impl<'a> Owners<'a> {
    fn new(source: &'a Source) -> Self {
        Owners { source, catalogs: HashMap::new(), previous: None, rules: None }
    }

    /// The owning teams of the entity `entry` changed, after the change (before it, for a
    /// deletion); `NO_TEAM` when it has none.
    fn of(&mut self, entry: &LogEntry) -> Result<Vec<String>, EngineError> {
        let commit = if entry.change == AuditChange::Deleted {
            entry.commit.parents.first().copied()
        } else {
            Some(entry.commit.id)
        };
        let mut teams: Vec<String> = match commit {
            Some(commit) if self.inheriting(commit)?.contains(entry.entity.kind()) => {
                let catalog = self.catalog(commit)?;
                catalog.get(&entry.entity).map(cairn_model::Entity::owner_list).unwrap_or_default()
            }
            Some(_) => entry.declared.owner_list(),
            None => Vec::new(),
        };
        teams.sort();
        teams.dedup();
        if teams.is_empty() {
            teams.push(NO_TEAM.to_owned());
        }
        Ok(teams)
    }

    /// The blueprints of the platform at `commit` that inherit ownership.
    fn inheriting(&mut self, commit: CommitId) -> Result<Arc<HashSet<String>>, EngineError> {
        let Some(platform) = self.open(commit)? else { return Ok(Arc::default()) };
        if let Some((last, settings, inheriting)) = &mut self.rules
            && let Some(diff) = platform.changes_since(last)
        {
            let layout = Layout::new(settings);
            let same = diff?
                .iter()
                .all(|change| change.path != SETTINGS_FILE && layout.role(&change.path) != FileRole::Blueprint);
            if same {
                *last = platform;
                return Ok(Arc::clone(inheriting));
            }
        }
        let catalog = self.catalog(commit)?;
        let inheriting: Arc<HashSet<String>> = Arc::new(
            catalog
                .blueprints
                .values()
                .filter(|blueprint| blueprint.inherits_ownership())
                .map(|blueprint| blueprint.identifier.clone())
                .collect(),
        );
        let settings = crate::load::settings_of(&platform.reader(), &platform.files()?);
        self.rules = Some((platform, settings, Arc::clone(&inheriting)));
        Ok(inheriting)
    }

    fn open(&self, commit: CommitId) -> Result<Option<Source>, EngineError> {
        match self.source.at_commit(commit) {
            Some(result) => Ok(result?),
            None => Err(EngineError::NoHistory(format!("{} has no git history", self.source.describe()))),
        }
    }

    fn catalog(&mut self, commit: CommitId) -> Result<Arc<Catalog>, EngineError> {
        if let Some(catalog) = self.catalogs.get(&commit) {
            return Ok(Arc::clone(catalog));
        }
        let catalog = Arc::new(match self.open(commit)? {
            Some(platform) => {
                let reuse = self.previous.as_ref().map_or(Reuse::Keep, Reuse::Chain);
                let mut loaded = load_with(&platform, None, reuse)?;
                let catalog = Catalog::build(
                    std::mem::take(&mut loaded.bundled_blueprints),
                    std::mem::take(&mut loaded.declared_blueprints),
                    std::mem::take(&mut loaded.entities),
                )
                .0;
                self.previous = Some(loaded);
                catalog
            }
            None => Catalog::default(),
        });
        if self.catalogs.len() >= KEPT_CATALOGS {
            self.catalogs.clear();
        }
        self.catalogs.insert(commit, Arc::clone(&catalog));
        Ok(catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owners come from the platform as each commit had it: a blueprint that starts inheriting
    /// ownership halfway moves its entities' later changes to the owners of what they relate to.
    #[test]
    fn owners_follow_the_blueprints_of_each_commit() {
        let blueprints = |component: &str| {
            format!(
                "identifier: system\nschema: {{properties: {{}}}}\n---\nidentifier: component\n\
                 schema: {{properties: {{n: {{type: number}}}}}}\nrelations: {{system: {{target: system}}}}\n{component}"
            )
        };
        let cart = |n: u32| {
            format!(
                "identifier: cart\nblueprint: component\nteam: web\nproperties:\n  n: {n}\nrelations:\n  system: shop\n"
            )
        };
        let repo = crate::testing::Repo::new();
        repo.write("cairn.yaml", "version: 1\nlibrary:\n  blueprints: false\ncatalog:\n  allow-empty: true\n")
            .write("blueprints/all.yaml", blueprints(""))
            .write("catalog/shop.yaml", "identifier: shop\nblueprint: system\nteam: retail\n")
            .write("catalog/cart.yaml", cart(1));
        repo.commit("Start");
        repo.write("catalog/cart.yaml", cart(2));
        repo.commit("Cart 2");
        repo.write("blueprints/all.yaml", blueprints("ownership: {type: Inherited, path: system}\n"));
        repo.commit("Components inherit their owners");
        repo.write("catalog/cart.yaml", cart(3));
        repo.commit("Cart 3");
        repo.remove("catalog/cart.yaml");
        repo.commit("Drop cart");
        let stats = audit_stats(&repo.at("HEAD"), &StatsOptions::default()).expect("statistics");
        let changes: Vec<String> = stats
            .changes
            .iter()
            .map(|count| {
                format!(
                    "{}: {} created, {} modified, {} deleted",
                    count.group, count.created, count.modified, count.deleted
                )
            })
            .collect();
        assert_eq!(changes, ["retail: 1 created, 1 modified, 1 deleted", "web: 1 created, 1 modified, 0 deleted"]);
    }

    /// A self-service run that wrote no entity (a file of another folder) is still a run.
    #[test]
    fn a_run_that_changed_no_entity_is_counted() {
        let repo = crate::testing::Repo::with(crate::testing::CLEAN);
        repo.commit("Start");
        repo.write("catalog/cart.yaml", "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: experimental\nrelations:\n  system: checkout\n");
        repo.commit("Set cart's lifecycle\n\nCairn-Action: set-lifecycle\nCairn-Run-By: ada");
        repo.write("docs/runbook.md", "# Runbook\n");
        repo.commit("Add a runbook\n\nCairn-Action: add-runbook\nCairn-Run-By: ada");
        let stats = audit_stats(&repo.at("HEAD"), &StatsOptions::default()).expect("statistics");
        let runs: Vec<String> =
            stats.runs.iter().map(|run| format!("{} {} {}", run.group, run.action, run.runs)).collect();
        assert_eq!(runs, ["(no team) add-runbook 1", "payments set-lifecycle 1"]);
    }

    #[test]
    fn a_month_is_the_utc_year_and_month() {
        let date: Timestamp = "2026-11-30T23:30:00-02:00".parse().expect("a valid date");
        assert_eq!(month(date), "2026-12");
    }

    #[test]
    fn a_month_ends_at_its_last_second() {
        let end: Timestamp = "2026-11-30T23:59:59Z".parse().expect("a valid date");
        assert_eq!(month_end("2026-11"), end.as_second());
        let end: Timestamp = "2026-12-31T23:59:59Z".parse().expect("a valid date");
        assert_eq!(month_end("2026-12"), end.as_second());
    }
}
