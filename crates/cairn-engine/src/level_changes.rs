//! Level changes: where entities stand on scorecards on one side of a change compared with the
//! other. A plan compares two such sides twice: the base's scorecards over the base's catalog
//! with the same scorecards over the head's catalog (what the change's data does to levels,
//! `Plan::scorecards`), and, when the change edits rules, the base's scorecards over the head's
//! catalog with the head's scorecards over it (what the change's rules would do once merged,
//! `Plan::scorecard_impact`).

use std::collections::{BTreeSet, HashMap};

use cairn_model::{Catalog, EntityRef};
use cairn_scorecards::Scorecard;

use crate::Score;

/// Which way an entity moves on a scorecard. The order is the order of a plan's list: what a
/// reviewer must see first comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LevelShift {
    /// A lower level than before: a regression.
    Down,
    /// A higher level than before.
    Up,
    /// Scored on this side only: the entity is new, the scorecard's filter now admits it, or the
    /// scorecard itself is new.
    Entered,
    /// Scored on the other side only: the entity is gone, the filter no longer admits it, or the
    /// scorecard is gone.
    Left,
}

/// One entity whose level on one scorecard differs between two sides.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelChange {
    pub shift: LevelShift,
    /// The scorecard's identifier; with `blueprint`, what names it (Port's identifiers are
    /// unique per blueprint).
    pub scorecard: String,
    pub scorecard_title: Option<String>,
    pub blueprint: String,
    pub entity: EntityRef,
    /// The entity's owning teams (on the side that scores it last).
    pub teams: Vec<String>,
    /// The level's title before and after; `None` on the side that does not score the entity.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The level's index in the scorecard's levels (0 is the base level), on each side.
    pub rank_before: Option<usize>,
    pub rank_after: Option<usize>,
    /// The rules (by identifier, in the scorecard's order) that fail after and did not before:
    /// they passed, or were not there. For an entity that entered, every rule it fails.
    pub newly_failing: Vec<String>,
    /// The rules that failed before and do not after: they pass, or are gone.
    pub no_longer_failing: Vec<String>,
}

impl LevelChange {
    /// The scorecard as a person names it: its title, else its identifier.
    #[must_use]
    pub fn scorecard_name(&self) -> &str {
        self.scorecard_title.as_deref().unwrap_or(&self.scorecard)
    }
}

/// One side of a comparison: scorecards, the scores they gave, and the catalog whose positions
/// the scores hold.
#[derive(Clone, Copy)]
pub(crate) struct Standings<'a> {
    pub scorecards: &'a [Scorecard],
    pub scores: &'a [Score],
    pub catalog: &'a Catalog,
}

/// A score's place across sides: the scorecard's identifier and blueprint, and the entity's
/// identifier (its blueprint is the scorecard's).
type Key<'a> = (&'a str, &'a str, &'a str);

impl<'a> Standings<'a> {
    /// Each score by its key. Two scorecards with one identifier on one blueprint are a finding
    /// (E1107) and two entities with one identifier another: the first of each is kept, as
    /// `data.cairn.scorecards` keeps it (scores are sorted by scorecard, then entity).
    fn by_key(&self) -> HashMap<Key<'a>, (&'a Scorecard, &'a Score)> {
        let mut keyed = HashMap::with_capacity(self.scores.len());
        for score in self.scores {
            let (Some(scorecard), Some(entity)) =
                (self.scorecards.get(score.scorecard), self.catalog.entities.get(score.entity))
            else {
                continue;
            };
            let key = (scorecard.identifier.as_str(), scorecard.blueprint.as_str(), entity.identifier.value.as_str());
            keyed.entry(key).or_insert((scorecard, score));
        }
        keyed
    }

    fn entity(&self, score: &Score) -> Option<&'a cairn_model::Entity> {
        self.catalog.entities.get(score.entity).map(|entity| &**entity)
    }
}

/// Every entity whose level on a scorecard differs from `before` to `after`, matched by the
/// scorecard's identifier and blueprint and the entity's identifier; entities scored on one side
/// only are changes too. Regressions first, then rises, then entities that entered and left a
/// scorecard; within each, by scorecard and entity.
pub(crate) fn level_changes(before: Standings<'_>, after: Standings<'_>) -> Vec<LevelChange> {
    if before.scores.is_empty() && after.scores.is_empty() {
        return Vec::new();
    }
    let (old, new) = (before.by_key(), after.by_key());
    let mut changes: Vec<LevelChange> = Vec::new();
    for (key, &(scorecard, score)) in &new {
        let Some(entity) = after.entity(score) else { continue };
        let was = old.get(key).copied();
        let Some(shift) = shift(was, (scorecard, score)) else { continue };
        let (newly_failing, no_longer_failing) = rule_changes(was, (scorecard, score));
        changes.push(LevelChange {
            shift,
            scorecard: scorecard.identifier.clone(),
            scorecard_title: scorecard.title.clone(),
            blueprint: scorecard.blueprint.clone(),
            entity: entity.reference(),
            teams: entity.owner_list(),
            before: was.and_then(|(scorecard, score)| level(scorecard, score)),
            after: level(scorecard, score),
            rank_before: was.map(|(_, score)| score.standing.level),
            rank_after: Some(score.standing.level),
            newly_failing,
            no_longer_failing,
        });
    }
    for (key, &(scorecard, score)) in &old {
        if new.contains_key(key) {
            continue;
        }
        let Some(entity) = before.entity(score) else { continue };
        changes.push(LevelChange {
            shift: LevelShift::Left,
            scorecard: scorecard.identifier.clone(),
            scorecard_title: scorecard.title.clone(),
            blueprint: scorecard.blueprint.clone(),
            entity: entity.reference(),
            teams: entity.owner_list(),
            before: level(scorecard, score),
            after: None,
            rank_before: Some(score.standing.level),
            rank_after: None,
            newly_failing: Vec::new(),
            no_longer_failing: Vec::new(),
        });
    }
    // The key is unique per change, so the order is total and the output deterministic, whatever
    // order the maps gave.
    changes.sort_by(|a, b| {
        (a.shift, &a.scorecard, &a.blueprint, &a.entity).cmp(&(b.shift, &b.scorecard, &b.blueprint, &b.entity))
    });
    changes
}

fn level(scorecard: &Scorecard, score: &Score) -> Option<String> {
    scorecard.levels.get(score.standing.level).map(|level| level.title.clone())
}

/// How an entity moved, or `None` when it stands where it stood. When the scorecard itself
/// changed (an impact preview), levels are compared by title where the after side still has the
/// level the entity was at, so that a level inserted below it is no move and a renamed level at
/// the same rank none either; otherwise by rank.
fn shift(was: Option<(&Scorecard, &Score)>, (scorecard, score): (&Scorecard, &Score)) -> Option<LevelShift> {
    let Some((old_scorecard, old)) = was else { return Some(LevelShift::Entered) };
    let old_title = old_scorecard.levels.get(old.standing.level).map(|level| level.title.as_str());
    let comparable = old_title
        .and_then(|title| scorecard.levels.iter().position(|level| level.title == title))
        .unwrap_or(old.standing.level);
    match score.standing.level.cmp(&comparable) {
        std::cmp::Ordering::Less => Some(LevelShift::Down),
        std::cmp::Ordering::Greater => Some(LevelShift::Up),
        std::cmp::Ordering::Equal => None,
    }
}

/// The rules newly failing after and no longer failing, by identifier, in each scorecard's order.
fn rule_changes(was: Option<(&Scorecard, &Score)>, now: (&Scorecard, &Score)) -> (Vec<String>, Vec<String>) {
    fn failing<'a>((scorecard, score): (&'a Scorecard, &Score)) -> Vec<&'a str> {
        scorecard.rules_where(&score.standing, false)
    }
    let failing_now = failing(now);
    let failing_before = was.map(failing).unwrap_or_default();
    let (now_set, before_set): (BTreeSet<&str>, BTreeSet<&str>) =
        (failing_now.iter().copied().collect(), failing_before.iter().copied().collect());
    // Two rules with one identifier are a finding (E1106); each identifier is named once.
    let only = |rules: Vec<&str>, other: &BTreeSet<&str>| {
        let mut named = BTreeSet::new();
        rules.into_iter().filter(|rule| !other.contains(rule) && named.insert(*rule)).map(str::to_owned).collect()
    };
    (only(failing_now, &before_set), only(failing_before, &now_set))
}
