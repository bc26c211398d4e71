//! `post_reminder` against the in-memory GitHub over HTTP, through the real octocrab client: a
//! reminder is posted once, on the pull request that created the environment or as a labelled
//! issue, and a run repeated after any failure posts nothing twice.

#[path = "../../cairn/tests/support/http.rs"]
#[allow(dead_code)]
mod http;

#[path = "../../cairn/tests/support/github.rs"]
mod github;

use std::time::Duration;

use cairn_github::{
    GitHubApi, REMINDER_LABEL, ReminderOutcome, ReminderSpec, ReminderTarget, RetryPolicy, post_reminder,
};
use github::FakeGitHub;

const TOKEN: &str = "ghs_test_token";
const MARKER: &str = "<!-- cairn-reminder Environment:dev-alice 2026-12-05T10:00:00Z -->";

fn client(fake: &FakeGitHub) -> GitHubApi {
    // No retries: a failure the fake injects reaches the caller.
    GitHubApi::new(&fake.url, TOKEN, RetryPolicy { attempts: 1, base: Duration::ZERO }).expect("a client")
}

fn spec(target: ReminderTarget) -> ReminderSpec {
    ReminderSpec { target, body: "@acme/payments: `dev-alice` expires in 1 day.".to_owned(), marker: MARKER.to_owned() }
}

#[test]
fn a_reminder_on_a_pull_request_is_posted_once() {
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    let number = fake.merged_pull("Create dev-alice", "cairn/create-dev-environment/dev-alice");
    let mut api = client(&fake);
    let spec = spec(ReminderTarget::Pull(number));

    let outcome = post_reminder(&mut api, "acme", "platform", &spec).expect("posted");
    assert_eq!(outcome, ReminderOutcome::Posted { issue: number });
    let comments = fake.comments(number);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].body.starts_with("@acme/payments: `dev-alice` expires in 1 day.\n"), "{}", comments[0].body);
    assert!(comments[0].body.ends_with(MARKER));

    fake.clear_log();
    let again = post_reminder(&mut api, "acme", "platform", &spec).expect("looked up");
    assert_eq!(again, ReminderOutcome::AlreadyPosted { issue: number });
    assert_eq!(fake.comments(number).len(), 1);
    assert!(fake.requests().iter().all(|request| request.starts_with("GET ")), "{:?}", fake.requests());

    // A later expiry (the environment was extended) is another reminder.
    let extended = ReminderSpec { marker: MARKER.replace("2026-12-05", "2026-12-08"), ..spec.clone() };
    post_reminder(&mut api, "acme", "platform", &extended).expect("posted");
    assert_eq!(fake.comments(number).len(), 2);
}

#[test]
fn without_a_pull_request_the_reminder_is_one_labelled_issue() {
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    let mut api = client(&fake);
    let spec = spec(ReminderTarget::Issue { title: "Environment dev-alice expires on 2026-12-05".to_owned() });

    let ReminderOutcome::Posted { issue } = post_reminder(&mut api, "acme", "platform", &spec).expect("posted") else {
        panic!("a first run posts");
    };
    let issues = fake.issues();
    assert_eq!(issues.len(), 1);
    assert_eq!((issues[0].number, issues[0].title.as_str()), (issue, "Environment dev-alice expires on 2026-12-05"));
    assert_eq!(issues[0].labels, [REMINDER_LABEL]);
    assert!(issues[0].body.contains(MARKER));

    assert_eq!(
        post_reminder(&mut api, "acme", "platform", &spec).expect("found"),
        ReminderOutcome::AlreadyPosted { issue }
    );
    assert_eq!(fake.issues().len(), 1);
}

/// GitHub answers 500 after creating the comment: the run fails, and the next run finds the
/// comment and posts nothing more.
#[test]
fn a_run_that_failed_after_github_acted_is_completed_without_a_second_comment() {
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    let number = fake.merged_pull("Create dev-alice", "cairn/create-dev-environment/dev-alice");
    let mut api = client(&fake);
    let spec = spec(ReminderTarget::Pull(number));
    fake.fail_after_acting("POST", "/comments", 500);
    assert!(post_reminder(&mut api, "acme", "platform", &spec).is_err(), "the 500 reaches the caller");
    assert_eq!(fake.comments(number).len(), 1, "GitHub did post it");
    assert_eq!(
        post_reminder(&mut api, "acme", "platform", &spec).expect("found"),
        ReminderOutcome::AlreadyPosted { issue: number }
    );
    assert_eq!(fake.comments(number).len(), 1);

    fake.fail("POST", "/issues", 502);
    let issue = spec_issue();
    assert!(post_reminder(&mut api, "acme", "platform", &issue).is_err());
    assert!(fake.issues().is_empty());
    assert!(matches!(post_reminder(&mut api, "acme", "platform", &issue), Ok(ReminderOutcome::Posted { .. })));
    assert_eq!(fake.issues().len(), 1);
}

fn spec_issue() -> ReminderSpec {
    spec(ReminderTarget::Issue { title: "Environment dev-alice expires soon".to_owned() })
}
