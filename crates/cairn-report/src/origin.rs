//! What a result read (`Origin`), as reports show it: the one place its text is made.
//!
//! The wording of one origin is cairn-source's (`Origin`'s `Display`), which the engine's
//! messages share; what a report adds around it (whose rules judged, a bare commit) is here.

use cairn_engine::{Origin, Outcome};

/// What an outcome judged: "revision `main` (4b825dc642cb)", or for a change judged by its
/// base's rules (`Outcome::rules`), "… judged by the rules of …".
#[must_use]
pub fn judged(outcome: &Outcome) -> String {
    judged_by(&outcome.judged, outcome.rules.as_ref())
}

fn judged_by(judged: &Origin, rules: Option<&Origin>) -> String {
    match rules {
        Some(rules) => format!("{judged} judged by the rules of {rules}"),
        None => judged.to_string(),
    }
}

/// The revision a reconcile judged, as its report names it: the full commit id, or for a source
/// without one (a directory), its description.
#[must_use]
pub fn revision(origin: &Origin) -> String {
    origin.commit().map_or_else(|| origin.to_string(), |commit| commit.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use cairn_source::CommitId;

    use super::*;

    fn commit(digit: char) -> CommitId {
        CommitId::parse(&digit.to_string().repeat(40)).expect("a full commit id")
    }

    #[test]
    fn each_origin_reads_as_it_always_has() {
        let main = Origin::Revision { rev: "main".to_owned(), commit: commit('a'), folder: String::new() };
        let merged = Origin::Merged {
            base: "main".to_owned(),
            base_commit: commit('a'),
            head: "feature".to_owned(),
            head_commit: commit('b'),
            folder: "platform".to_owned(),
        };
        let merge_base = Origin::MergeBase {
            base: "main".to_owned(),
            head: "feature".to_owned(),
            commit: commit('c'),
            folder: "platform".to_owned(),
        };
        let cases = [
            (Origin::Directory { path: PathBuf::from("platform") }, None, "`platform`"),
            (main.clone(), None, "revision `main` (aaaaaaaaaaaa)"),
            (
                Origin::Revision { rev: "HEAD~1".to_owned(), commit: commit('a'), folder: "platform".to_owned() },
                None,
                "`platform` at revision `HEAD~1` (aaaaaaaaaaaa)",
            ),
            (merge_base, None, "`platform` at the merge base of `main` and `feature` (cccccccccccc)"),
            (
                merged,
                Some(&main),
                "`platform` in the merge of `feature` into `main` judged by the rules of revision `main` (aaaaaaaaaaaa)",
            ),
            (
                Origin::Overlay { base: Box::new(main.clone()), changed: 1 },
                Some(&main),
                "revision `main` (aaaaaaaaaaaa) with 1 changed file judged by the rules of revision `main` (aaaaaaaaaaaa)",
            ),
            (
                Origin::Overlay { base: Box::new(Origin::Directory { path: PathBuf::from("p") }), changed: 2 },
                None,
                "`p` with 2 changed files",
            ),
        ];
        for (origin, rules, expected) in cases {
            assert_eq!(judged_by(&origin, rules), expected, "{origin:?}");
        }
    }

    #[test]
    fn a_reconcile_names_the_full_commit() {
        let main = Origin::Revision { rev: "main".to_owned(), commit: commit('a'), folder: String::new() };
        assert_eq!(revision(&main), "a".repeat(40));
        let merged = Origin::Merged {
            base: "main".to_owned(),
            base_commit: commit('a'),
            head: "feature".to_owned(),
            head_commit: commit('b'),
            folder: String::new(),
        };
        assert_eq!(revision(&merged), "b".repeat(40));
        assert_eq!(revision(&Origin::Directory { path: PathBuf::from("platform") }), "`platform`");
    }
}
