//! A reminder: one comment on a pull request, or one issue, that carries a marker, posted once.
//! `cairn reconcile` reminds an environment's owners before it expires; it runs on every push and
//! every hour, so the marker (naming the entity and the expiry it warns of) is what makes the
//! reminder one per window: a later run finds it and posts nothing.

use crate::api::{Api, ApiError};
use crate::publish::{Repository, marked_comments};
use crate::request::{Answer, CommentBody, ISSUES_PER_PAGE, NewIssue, Operation, Request};

/// The label of the issues reminders open, by which a later run finds them.
pub const REMINDER_LABEL: &str = "cairn-reminder";

/// Where a reminder goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReminderTarget {
    /// A comment on this pull request (the one that created the environment).
    Pull(u64),
    /// An issue with this title, labelled `REMINDER_LABEL`, when no pull request is known.
    Issue { title: String },
}

/// One reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderSpec {
    pub target: ReminderTarget,
    /// What the comment or issue says; the marker is added when it does not hold it.
    pub body: String,
    /// What names this reminder among all others, such as an HTML comment with the entity and its
    /// expiry: `<!-- cairn-reminder Environment:dev 2026-12-05T10:00:00Z -->`.
    pub marker: String,
}

/// What `post_reminder` found or did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderOutcome {
    /// Posted now, on (or as) issue or pull request `issue`.
    Posted { issue: u64 },
    /// A reminder with this marker was there already.
    AlreadyPosted { issue: u64 },
}

/// Posts `spec` unless a reminder with its marker exists. Safe to repeat after a failure at any
/// step, and when two runs race on a pull request, the newer of two equal comments is deleted.
/// Two runs racing to open the same issue can leave two (an issue cannot be deleted through the
/// API); the reconcile workflow's `concurrency` group keeps runs apart.
pub fn post_reminder(
    api: &mut dyn Api,
    owner: &str,
    repo: &str,
    spec: &ReminderSpec,
) -> Result<ReminderOutcome, ApiError> {
    let at = Repository { owner, repo };
    let body =
        if spec.body.contains(&spec.marker) { spec.body.clone() } else { format!("{}\n{}", spec.body, spec.marker) };
    match &spec.target {
        ReminderTarget::Pull(number) => {
            if let Some(_first) = marked_comments(api, &at, *number, &spec.marker)?.first() {
                return Ok(ReminderOutcome::AlreadyPosted { issue: *number });
            }
            let comment = CommentBody { body };
            let created =
                api.send(&at.request(Operation::CreateComment { issue: *number, body: comment }))?.created_id();
            // Another run may have posted the same reminder meanwhile: the oldest stays.
            let now = marked_comments(api, &at, *number, &spec.marker)?;
            if now.first().is_some_and(|&oldest| oldest != created) && now.contains(&created) {
                api.send(&at.request(Operation::DeleteComment { comment: created }))?;
                return Ok(ReminderOutcome::AlreadyPosted { issue: *number });
            }
            Ok(ReminderOutcome::Posted { issue: *number })
        }
        ReminderTarget::Issue { title } => {
            if let Some(issue) = marked_issue(api, &at, &spec.marker)? {
                return Ok(ReminderOutcome::AlreadyPosted { issue });
            }
            let new = NewIssue { title: title.clone(), body, labels: vec![REMINDER_LABEL.to_owned()] };
            let request = at.request(Operation::CreateIssue(new));
            match api.send(&request)? {
                Answer::Issue(issue) => Ok(ReminderOutcome::Posted { issue: issue.number }),
                _ => Err(unexpected(&request)),
            }
        }
    }
}

/// The number of the reminder issue whose body holds `marker`, if there is one.
fn marked_issue(api: &mut dyn Api, at: &Repository<'_>, marker: &str) -> Result<Option<u64>, ApiError> {
    for page in 1.. {
        let request = at.request(Operation::ListIssues { label: REMINDER_LABEL.to_owned(), page });
        let Answer::Issues(issues) = api.send(&request)? else {
            return Err(unexpected(&request));
        };
        if let Some(issue) = issues.iter().find(|issue| issue.body.contains(marker)) {
            return Ok(Some(issue.number));
        }
        if issues.len() < usize::from(ISSUES_PER_PAGE) {
            break;
        }
    }
    Ok(None)
}

fn unexpected(request: &Request) -> ApiError {
    ApiError::Unexpected { request: format!("{} {}", request.method(), request.path()) }
}
