//! Publishing a plan: one sticky comment on the pull request, found again by a hidden marker,
//! and a check run whose annotations go 50 to a request.

use serde_json::{Value, json};

use crate::annotations::ANNOTATIONS_PER_REQUEST;
use crate::api::{Api, ApiError, Request};

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

fn id(value: &Value) -> u64 {
    value.get("id").and_then(Value::as_u64).unwrap_or(0)
}

/// Every comment of the pull request with `marker` in its body, oldest first, as (id, body).
fn marked_comments(api: &mut dyn Api, base: &str, number: u64, marker: &str) -> Result<Vec<u64>, ApiError> {
    let mut found = Vec::new();
    for page in 1.. {
        let request = Request {
            method: "GET",
            path: format!("{base}/issues/{number}/comments?per_page=100&page={page}"),
            body: None,
        };
        let comments = api.send(&request)?;
        let comments = comments.as_array().map_or(&[][..], Vec::as_slice);
        for comment in comments {
            if comment.get("body").and_then(Value::as_str).is_some_and(|body| body.contains(marker)) {
                found.push(id(comment));
            }
        }
        if comments.len() < 100 {
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
    let base = format!("/repos/{owner}/{repo}");
    let existing = marked_comments(api, &base, number, marker)?;
    let update = |api: &mut dyn Api, comment: u64| {
        api.send(&Request {
            method: "PATCH",
            path: format!("{base}/issues/comments/{comment}"),
            body: Some(json!({"body": body})),
        })
    };
    let delete = |api: &mut dyn Api, comment: u64| {
        api.send(&Request { method: "DELETE", path: format!("{base}/issues/comments/{comment}"), body: None })
    };
    if let Some((&first, others)) = existing.split_first() {
        update(api, first)?;
        for &other in others {
            delete(api, other)?;
        }
        return Ok(first);
    }
    let created = api.send(&Request {
        method: "POST",
        path: format!("{base}/issues/{number}/comments"),
        body: Some(json!({"body": body})),
    })?;
    let created = id(&created);
    // Another run may have created one at the same time: keep the oldest.
    let now = marked_comments(api, &base, number, marker)?;
    match now.split_first() {
        Some((&first, others)) if first != created && now.contains(&created) => {
            update(api, first)?;
            for &other in others {
                delete(api, other)?;
            }
            Ok(first)
        }
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
    api.send(&Request {
        method: "POST",
        path: format!("/repos/{owner}/{repo}/pulls/{number}/requested_reviewers"),
        body: Some(json!({"reviewers": [], "team_reviewers": teams})),
    })
    .map(|_| ())
}

/// A completed check run and its annotations.
#[derive(Clone, Debug)]
pub struct CheckRun {
    pub name: String,
    pub head_sha: String,
    /// `success`, `failure` or `neutral`.
    pub conclusion: &'static str,
    pub title: String,
    pub summary: String,
    pub annotations: Vec<Value>,
}

/// Creates the check run with the first 50 annotations, then adds the others 50 at a time.
pub fn publish_check_run(api: &mut dyn Api, owner: &str, repo: &str, run: &CheckRun) -> Result<u64, ApiError> {
    let summary = fit_comment(&run.summary, "see the job summary");
    let mut batches = run.annotations.chunks(ANNOTATIONS_PER_REQUEST);
    let first = batches.next().unwrap_or(&[]);
    let created = api.send(&Request {
        method: "POST",
        path: format!("/repos/{owner}/{repo}/check-runs"),
        body: Some(json!({
            "name": run.name,
            "head_sha": run.head_sha,
            "status": "completed",
            "conclusion": run.conclusion,
            "output": {"title": run.title, "summary": summary, "annotations": first},
        })),
    })?;
    let check_run = id(&created);
    for batch in batches {
        api.send(&Request {
            method: "PATCH",
            path: format!("/repos/{owner}/{repo}/check-runs/{check_run}"),
            body: Some(json!({"output": {"title": run.title, "summary": summary, "annotations": batch}})),
        })?;
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
