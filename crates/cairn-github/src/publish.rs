//! Publishing a plan: one sticky comment on the pull request, found again by a hidden marker,
//! and a check run whose annotations go 50 to a request.

use crate::annotations::{ANNOTATIONS_PER_REQUEST, Annotation};
use crate::api::{Api, ApiError};
use crate::request::{
    COMMENTS_PER_PAGE, CheckRunUpdate, CommentBody, Conclusion, NewCheckRun, Operation, Output, Request, ReviewRequest,
    Status,
};

/// GitHub's limit on a comment's (and a check run summary's) length, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// `body` if it fits in a comment; otherwise its head (the verdict and the summary table, before
/// the first collapsed section) and a pointer to where the rest is.
#[must_use]
pub fn fit_comment(body: &str, rest_is_in: &str) -> String {
    if body.chars().count() <= COMMENT_LIMIT {
        return body.to_owned();
    }
    let head = body.find("<details").map_or(body, |at| &body[..at]);
    let head: String = head.chars().take(COMMENT_LIMIT - 1_000).collect();
    format!(
        "{head}\n_The whole report is {} characters, more than a comment holds: {rest_is_in}._\n",
        body.chars().count()
    )
}

/// What was published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub comment_id: Option<u64>,
    pub check_run_id: Option<u64>,
}

/// Builds the requests for one repository.
struct Repository<'a> {
    owner: &'a str,
    repo: &'a str,
}

impl Repository<'_> {
    fn request(&self, operation: Operation) -> Request {
        Request { owner: self.owner.to_owned(), repo: self.repo.to_owned(), operation }
    }
}

/// The id of every comment of the pull request with `marker` in its body, oldest first.
fn marked_comments(api: &mut dyn Api, at: &Repository<'_>, number: u64, marker: &str) -> Result<Vec<u64>, ApiError> {
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

/// Asks `teams` (team slugs of the repository's organisation) to review the pull request.
pub fn request_reviews(
    api: &mut dyn Api,
    owner: &str,
    repo: &str,
    number: u64,
    teams: &[String],
) -> Result<(), ApiError> {
    if teams.is_empty() {
        return Ok(());
    }
    let request = ReviewRequest { reviewers: Vec::new(), team_reviewers: teams.to_vec() };
    api.send(&Repository { owner, repo }.request(Operation::RequestReviews { pull: number, request })).map(|_| ())
}

/// A completed check run and its annotations.
#[derive(Clone, Debug)]
pub struct CheckRun {
    pub name: String,
    pub head_sha: String,
    pub conclusion: Conclusion,
    pub title: String,
    pub summary: String,
    pub annotations: Vec<Annotation>,
}

/// Creates the check run with the first 50 annotations, then adds the others 50 at a time.
pub fn publish_check_run(api: &mut dyn Api, owner: &str, repo: &str, run: &CheckRun) -> Result<u64, ApiError> {
    let at = Repository { owner, repo };
    let summary = fit_comment(&run.summary, "see the job summary");
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
    fn a_huge_comment_keeps_its_verdict_and_summary_and_points_to_the_rest() {
        let head = "<!-- cairn-plan -->\n### ❌ cairn: this change introduces 5000 errors\n\n| | |\n| --- | --- |\n";
        let mut findings = String::new();
        for index in 0..5_000 {
            let _ =
                writeln!(findings, "- ❌ **E0309** `catalog/broken-{index}.yaml:6` relation `domain` names `nowhere`");
        }
        let body = format!(
            "{head}\n<details open><summary>Introduced by this change (5000)</summary>\n\n{findings}</details>\n"
        );
        assert!(body.chars().count() > COMMENT_LIMIT);
        let fitted = fit_comment(&body, "see the check run");
        assert!(fitted.chars().count() <= COMMENT_LIMIT);
        assert!(fitted.starts_with(head), "{fitted}");
        assert!(fitted.contains("more than a comment holds: see the check run"), "{fitted}");
        assert_eq!(fit_comment(head, "x"), head, "a comment that fits is kept whole");
    }
}
