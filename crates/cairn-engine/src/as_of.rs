//! The platform as it stood at an earlier instant, for auditors (`cairn audit at`): the revision
//! that was the tip of a branch's first-parent history then.

use cairn_model::Timestamp;
use cairn_source::Source;

use crate::error::EngineError;

/// The newest first-parent ancestor of `source` (itself included) committed at or before `at`:
/// the revision the branch's tip was then, on a history whose commits are in time order.
/// `Ok(None)` when the first commit came after `at`, or when `source` is not a git revision (a
/// directory has no history). A shallow clone whose history ends before `at` is reached is an
/// error naming the missing commit.
pub fn revision_at(source: Source, at: Timestamp) -> Result<Option<Source>, EngineError> {
    let at = at.as_second();
    let mut current = source;
    loop {
        match current.commit_time() {
            None => return Ok(None),
            Some(time) if time <= at => return Ok(Some(current)),
            Some(_) => {}
        }
        match current.first_parent() {
            None | Some(Ok(None)) => return Ok(None),
            Some(Ok(Some(parent))) => current = parent,
            Some(Err(error)) => return Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{FIRST_COMMIT_TIME, Repo};

    #[test]
    fn the_revision_at_an_instant_is_the_newest_commit_made_by_then() {
        // The builder commits a minute apart from FIRST_COMMIT_TIME.
        let repo = Repo::with(&[("cairn.yaml", "{}\n")]);
        let first = repo.commit("first");
        repo.write("catalog/a.yaml", "identifier: a\nblueprint: Component\n");
        let second = repo.commit("second");
        repo.write("catalog/b.yaml", "identifier: b\nblueprint: Component\n");
        let third = repo.commit("third");
        let at = |seconds: i64| {
            let at = Timestamp::from_second(FIRST_COMMIT_TIME + seconds).expect("an instant");
            let head = Source::git(repo.path(), "HEAD").expect("HEAD");
            revision_at(head, at).expect("walked").and_then(|found| found.commit())
        };
        assert_eq!(at(60), Some(second.clone()));
        assert_eq!(at(119), Some(second));
        assert_eq!(at(0), Some(first));
        assert_eq!(at(-1), None);
        assert_eq!(at(86_400), Some(third));
        // A directory has no history.
        assert!(revision_at(repo.directory(), Timestamp::from_second(0).expect("epoch")).expect("no walk").is_none());
    }
}
