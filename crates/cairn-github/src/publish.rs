//! Publishing a plan: one sticky comment on the pull request, found again by a hidden marker,
//! and a check run whose annotations go 50 to a request.

use std::collections::BTreeSet;

use crate::annotations::{ANNOTATIONS_PER_REQUEST, Annotation};
use crate::api::{Api, ApiError};
use crate::request::{
    COMMENTS_PER_PAGE, CheckRunUpdate, CommentBody, Conclusion, NewCheckRun, Operation, Output, Request, ReviewRequest,
    Status,
};

/// The longest body a pull-request comment may have: 65,536 characters ("body is too long
/// (maximum is 65536 characters)", the REST API's answer to a longer one).
/// https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
pub const COMMENT_LIMIT: usize = 65_536;

/// The longest `output.summary` a check run may have: 65,535 characters.
/// https://docs.github.com/en/rest/checks/runs#create-a-check-run
pub const CHECK_RUN_SUMMARY_LIMIT: usize = 65_535;

/// The most a step may write to `$GITHUB_STEP_SUMMARY`: 1,024 KiB; GitHub drops a larger
/// summary whole ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k").
/// https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// `body` if it holds at most `limit` bytes; otherwise its first whole lines that fit, the
/// collapsed section they stop in closed, and a note that the report is cut there, which ends
/// with `pointer`: where the full report is.
///
/// Lengths are counted in UTF-8 bytes: a text within `limit` bytes is within `limit` characters
/// however GitHub counts them (code points, UTF-16 units or bytes).
#[must_use]
pub fn fit(body: &str, limit: usize, pointer: &str) -> String {
    if body.len() <= limit {
        return body.to_owned();
    }
    let note = format!(
        "\n> [!NOTE]\n> The report is cut here: it is {} bytes, more than GitHub shows here ({limit}). {pointer}\n",
        body.len()
    );
    let closing = "\n</details>\n";
    let budget = limit.saturating_sub(note.len() + closing.len());
    let mut kept = String::new();
    let mut open = 0_usize;
    for line in body.split_inclusive('\n') {
        if kept.len() + line.len() > budget {
            break;
        }
        kept.push_str(line);
        if line.trim_start().starts_with("<details") {
            open += 1;
        }
        if line.contains("</details>") {
            open = open.saturating_sub(1);
        }
    }
    if open > 0 {
        kept.push_str(closing);
    }
    kept.push_str(&note);
    kept
}

/// What was published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub comment_id: Option<u64>,
    pub check_run_id: Option<u64>,
}

/// Builds the requests for one repository.
pub(crate) struct Repository<'a> {
    pub(crate) owner: &'a str,
    pub(crate) repo: &'a str,
}

impl Repository<'_> {
    pub(crate) fn request(&self, operation: Operation) -> Request {
        Request { owner: self.owner.to_owned(), repo: self.repo.to_owned(), operation }
    }
}

/// The id of every comment of the pull request with `marker` in its body, oldest first.
pub(crate) fn marked_comments(
    api: &mut dyn Api,
    at: &Repository<'_>,
    number: u64,
    marker: &str,
) -> Result<Vec<u64>, ApiError> {
    let mut found = Vec::new();
    for page in 1.. {
        let comments = api.send(&at.request(Operation::ListComments { issue: number, page }))?.into_comments();
        found.extend(comments.iter().filter(|comment| comment.body.contains(marker)).map(|comment| comment.id));
        // A short page is the last; GitHub's `Link` header would say the same, but a dry run has
        // no header to read.
        if comments.len() < usize::from(COMMENTS_PER_PAGE) {
            break;
        }
    }
    Ok(found)
}

/// Creates or updates the one comment that carries `marker`. Never leaves two: when two runs
/// race and both create one, the newer ones are deleted and the oldest holds the body.
pub fn upsert_comment(
    api: &mut dyn Api,
    owner: &str,
    repo: &str,
    number: u64,
    body: &str,
    marker: &str,
) -> Result<u64, ApiError> {
    let at = Repository { owner, repo };
    let body = CommentBody { body: body.to_owned() };
    // Updates the oldest of `comments` and deletes the others.
    let keep_oldest = |api: &mut dyn Api, oldest: u64, others: &[u64]| {
        api.send(&at.request(Operation::UpdateComment { comment: oldest, body: body.clone() }))?;
        for &other in others {
            api.send(&at.request(Operation::DeleteComment { comment: other }))?;
        }
        Ok::<u64, ApiError>(oldest)
    };
    let existing = marked_comments(api, &at, number, marker)?;
    if let Some((&oldest, others)) = existing.split_first() {
        return keep_oldest(api, oldest, others);
    }
    let created = api.send(&at.request(Operation::CreateComment { issue: number, body: body.clone() }))?.created_id();
    // Another run may have created one at the same time: keep the oldest.
    let now = marked_comments(api, &at, number, marker)?;
    match now.split_first() {
        Some((&oldest, others)) if oldest != created && now.contains(&created) => keep_oldest(api, oldest, others),
        _ => Ok(created),
    }
}

/// Whom a pull request asks for review: GitHub users by login and teams of the repository's
/// organisation by slug, sorted and without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reviewers {
    pub users: BTreeSet<String>,
    pub teams: BTreeSet<String>,
}

impl Reviewers {
    /// Adds owners spelled as CODEOWNERS spells them, separated by spaces: `@org/team` asks the
    /// team by its slug (GitHub takes team slugs without the organisation), `@login` asks the
    /// user (logins without the `@`).
    /// https://docs.github.com/en/rest/pulls/review-requests#request-reviewers-for-a-pull-request
    pub fn add_owners(&mut self, owners: &str) {
        for handle in owners.split_whitespace() {
            let name = handle.strip_prefix('@').unwrap_or(handle);
            match name.split_once('/') {
                Some((_, slug)) if !slug.is_empty() => {
                    self.teams.insert(slug.to_owned());
                }
                None if !name.is_empty() => {
                    self.users.insert(name.to_owned());
                }
                _ => {}
            }
        }
    }

    /// Adds a team by its slug.
    pub fn add_team(&mut self, slug: &str) {
        self.teams.insert(slug.to_owned());
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.users.is_empty() && self.teams.is_empty()
    }
}

/// Asks `reviewers` to review the pull request; nothing is sent when there is nobody to ask.
pub fn request_reviews(
    api: &mut dyn Api,
    owner: &str,
    repo: &str,
    number: u64,
    reviewers: &Reviewers,
) -> Result<(), ApiError> {
    if reviewers.is_empty() {
        return Ok(());
    }
    let request = ReviewRequest {
        reviewers: reviewers.users.iter().cloned().collect(),
        team_reviewers: reviewers.teams.iter().cloned().collect(),
    };
    api.send(&Repository { owner, repo }.request(Operation::RequestReviews { pull: number, request })).map(|_| ())
}

/// A completed check run and its annotations.
#[derive(Clone, Debug)]
pub struct CheckRun {
    pub name: String,
    pub head_sha: String,
    pub conclusion: Conclusion,
    pub title: String,
    /// Cut to `CHECK_RUN_SUMMARY_LIMIT` when longer, ending with `pointer`.
    pub summary: String,
    /// Where the full report is, said when the summary is cut.
    pub pointer: String,
    pub annotations: Vec<Annotation>,
}

/// Creates the check run with the first 50 annotations, then adds the others 50 at a time.
pub fn publish_check_run(api: &mut dyn Api, owner: &str, repo: &str, run: &CheckRun) -> Result<u64, ApiError> {
    let at = Repository { owner, repo };
    let summary = fit(&run.summary, CHECK_RUN_SUMMARY_LIMIT, &run.pointer);
    let output = |annotations: &[Annotation]| Output {
        title: run.title.clone(),
        summary: summary.clone(),
        annotations: annotations.to_vec(),
    };
    let mut batches = run.annotations.chunks(ANNOTATIONS_PER_REQUEST);
    let first = batches.next().unwrap_or(&[]);
    let created = api.send(&at.request(Operation::CreateCheckRun(NewCheckRun {
        name: run.name.clone(),
        head_sha: run.head_sha.clone(),
        status: Status::Completed,
        conclusion: run.conclusion,
        output: output(first),
    })))?;
    let check_run = created.created_id();
    for batch in batches {
        let update = CheckRunUpdate { output: output(batch) };
        api.send(&at.request(Operation::UpdateCheckRun { check_run, update }))?;
    }
    Ok(check_run)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn owners_become_users_and_team_slugs() {
        let mut reviewers = Reviewers::default();
        reviewers.add_owners("@acme/payments  @alice @bob");
        reviewers.add_owners("@alice @acme/payments @other-org/search-team");
        reviewers.add_team("platform");
        reviewers.add_owners("@ @acme/ ");
        assert_eq!(reviewers.users.iter().collect::<Vec<_>>(), ["alice", "bob"]);
        assert_eq!(reviewers.teams.iter().collect::<Vec<_>>(), ["payments", "platform", "search-team"]);
        assert!(Reviewers::default().is_empty() && !reviewers.is_empty());
    }

    #[test]
    fn a_huge_report_keeps_its_verdict_and_summary_closes_its_section_and_points_to_the_rest() {
        let head = "<!-- cairn-plan -->\n### ❌ cairn: this change introduces 5000 errors\n\n| | |\n| --- | --- |\n";
        let mut findings = String::new();
        for index in 0..5_000 {
            let _ =
                writeln!(findings, "- ❌ **E0309** `catalog/broken-{index}.yaml:6` relation `domain` names `nowhere`");
        }
        let body = format!(
            "{head}\n<details open><summary>Introduced by this change (5000)</summary>\n\n{findings}\n</details>\n"
        );
        assert!(body.len() > COMMENT_LIMIT);
        let fitted = fit(&body, COMMENT_LIMIT, "The full report is in the artifact `cairn-report`.");
        assert!(fitted.len() <= COMMENT_LIMIT, "{}", fitted.len());
        assert!(fitted.len() > COMMENT_LIMIT - 1_000, "as much as fits is kept: {}", fitted.len());
        assert!(fitted.starts_with(head), "{fitted}");
        assert!(fitted.ends_with("The full report is in the artifact `cairn-report`.\n"), "{fitted}");
        assert_eq!(fitted.matches("<details").count(), fitted.matches("</details>").count(), "the section is closed");
        assert!(fitted.lines().all(|line| !line.starts_with("- ❌") || line.ends_with("`nowhere`")), "whole lines");
        assert_eq!(fit(head, 100, "x"), head, "a report that fits is kept whole");
    }
}
