//! `open_pull_request` against an in-memory GitHub over HTTP, through the real octocrab client:
//! the requests a first run sends, what a second run finds, and runs that stopped halfway.
//!
//! The fake is the one the CLI's tests use (crates/cairn/tests/support), included by path so
//! that both suites hold GitHub to the same rules.

#[path = "../../cairn/tests/support/http.rs"]
#[allow(dead_code)]
mod http;

#[path = "../../cairn/tests/support/github.rs"]
mod github;

use cairn_github::{
    ApiError, DryRun, GitHubApi, PullRequestOutcome, PullRequestSpec, RetryPolicy, default_branch, open_pull_request,
};
use github::FakeGitHub;

const TOKEN: &str = "ghs_test_token";
const BRANCH: &str = "cairn/extend-ttl/dev-alice-1a2b3c4d5e6f";

/// A repository whose `main` holds three entity files.
fn repository() -> FakeGitHub {
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    fake.commit_files(
        "main",
        &[
            ("catalog/dev-alice.yaml", b"identifier: dev-alice\nproperties:\n  ttl: 5d # keep short\n"),
            ("catalog/dev-bob.yaml", b"identifier: dev-bob\n"),
            ("catalog/old.yaml", b"identifier: old\n"),
        ],
        "the platform",
    );
    fake
}

/// The run: one file changed, one added, one deleted.
fn spec() -> PullRequestSpec {
    PullRequestSpec {
        base: "main".to_owned(),
        branch: BRANCH.to_owned(),
        title: "Extend dev-alice by 3 days".to_owned(),
        body: "cairn ran `extend-ttl`".to_owned(),
        message: "Extend dev-alice by 3 days\n\nCairn-Action: extend-ttl\n".to_owned(),
        files: vec![
            (
                "catalog/dev-alice.yaml".to_owned(),
                Some(b"identifier: dev-alice\nproperties:\n  ttl: 8d # keep short\n".to_vec()),
            ),
            ("catalog/new/dev-carol.yaml".to_owned(), Some(vec![0xff, 0x00, b'\n'])),
            ("catalog/old.yaml".to_owned(), None),
        ],
        parent: None,
    }
}

fn client(fake: &FakeGitHub, token: &str) -> GitHubApi {
    GitHubApi::new(&fake.url, token, RetryPolicy::default()).expect("a client")
}

fn run(fake: &FakeGitHub, spec: &PullRequestSpec) -> Result<PullRequestOutcome, ApiError> {
    open_pull_request(&mut client(fake, TOKEN), "acme", "platform", spec)
}

const LIST: &str = "GET /repos/acme/platform/pulls?state=all&head=acme%3Acairn%2Fextend-ttl%2Fdev-alice-1a2b3c4d5e6f&per_page=100&page=1";

#[test]
fn a_first_run_commits_the_files_on_its_branch_and_opens_one_pull_request() {
    let fake = repository();
    let main = fake.branch("main").expect("main");

    let outcome = run(&fake, &spec()).expect("the pull request");

    assert_eq!(
        outcome,
        PullRequestOutcome::Opened { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    let head = fake.branch(BRANCH).expect("the run's branch");
    let commit = fake.commit(&head).expect("the run's commit");
    let tree = fake.commit(&main).expect("main's commit").tree;
    assert_eq!(
        fake.requests(),
        [
            LIST.to_owned(),
            "GET /repos/acme/platform/git/ref/heads/main".to_owned(),
            format!("GET /repos/acme/platform/git/commits/{main}"),
            "POST /repos/acme/platform/git/blobs".to_owned(),
            "POST /repos/acme/platform/git/blobs".to_owned(),
            "POST /repos/acme/platform/git/trees".to_owned(),
            format!("GET /repos/acme/platform/git/ref/heads/{BRANCH}"),
            "POST /repos/acme/platform/git/commits".to_owned(),
            "POST /repos/acme/platform/git/refs".to_owned(),
            "POST /repos/acme/platform/pulls".to_owned(),
        ]
    );
    let log = fake.log();
    assert_eq!(log[5].body["base_tree"], tree.as_str(), "the tree is main's with the files changed");
    assert_eq!(
        log[5].body["tree"][2],
        serde_json::json!({"path": "catalog/old.yaml", "mode": "100644", "type": "blob", "sha": null})
    );
    assert_eq!(
        log[9].body,
        serde_json::json!({"title": "Extend dev-alice by 3 days", "head": BRANCH, "base": "main",
                                               "body": "cairn ran `extend-ttl`", "draft": false})
    );
    let statuses: Vec<u16> = log.iter().map(|logged| logged.status).collect();
    assert_eq!(statuses, [200, 200, 200, 201, 201, 201, 404, 201, 201, 201], "the branch did not exist yet");

    assert_eq!(commit.parents, [main]);
    assert_eq!(commit.message, spec().message);
    let changes = fake.changes("main", BRANCH);
    let expected: std::collections::BTreeMap<String, Option<Vec<u8>>> = spec().files.into_iter().collect();
    assert_eq!(changes, expected, "exactly the files of the spec change, bytes as given");
    let pulls = fake.pulls();
    assert_eq!(pulls.len(), 1);
    assert_eq!(
        (pulls[0].head.as_str(), pulls[0].base.as_str(), pulls[0].head_sha.as_str()),
        (BRANCH, "main", head.as_str())
    );
    assert_eq!(
        (pulls[0].title.as_str(), pulls[0].body.as_str(), pulls[0].draft),
        (spec().title.as_str(), spec().body.as_str(), false)
    );
}

#[test]
fn a_second_run_finds_the_open_pull_request_and_sends_nothing_else() {
    let fake = repository();
    run(&fake, &spec()).expect("the first run");
    let head = fake.branch(BRANCH);
    fake.clear_log();

    let again = run(&fake, &spec()).expect("the second run");

    assert_eq!(
        again,
        PullRequestOutcome::AlreadyOpen { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    assert_eq!(fake.requests(), [LIST]);
    assert_eq!(fake.pulls().len(), 1);
    assert_eq!(fake.branch(BRANCH), head);
}

#[test]
fn a_run_that_failed_after_creating_its_branch_is_completed_by_the_next_without_a_second_commit() {
    let fake = repository();
    fake.fail("POST", "/pulls", 500);

    let error = run(&fake, &spec()).expect_err("GitHub failed on the pull request");
    assert_eq!(error.status(), Some(500), "{error}");
    let head = fake.branch(BRANCH).expect("the branch was created before the failure");
    assert!(fake.pulls().is_empty());
    fake.clear_log();

    let outcome = run(&fake, &spec()).expect("the re-run");

    assert_eq!(
        outcome,
        PullRequestOutcome::Opened { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    assert_eq!(fake.branch(BRANCH), Some(head.clone()), "the branch already held this change: left alone");
    let requests = fake.requests();
    assert!(!requests.iter().any(|r| r.contains("/git/refs") || r.ends_with("/git/commits")), "{requests:#?}");
    assert!(requests.contains(&format!("GET /repos/acme/platform/git/commits/{head}")), "{requests:#?}");
    assert_eq!(fake.pulls().len(), 1);
}

#[test]
fn a_pull_request_opened_by_a_request_whose_answer_was_lost_is_found_again() {
    let fake = repository();
    fake.fail_after_acting("POST", "/pulls", 502);
    let error = run(&fake, &spec()).expect_err("the answer was lost");
    assert_eq!(error.status(), Some(502));
    assert_eq!(fake.pulls().len(), 1, "GitHub opened it all the same");

    let outcome = run(&fake, &spec()).expect("the re-run");

    assert_eq!(
        outcome,
        PullRequestOutcome::AlreadyOpen { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    assert_eq!(fake.pulls().len(), 1);
}

#[test]
fn a_pull_request_opened_meanwhile_by_another_run_is_the_answer_to_githubs_refusal() {
    let fake = repository();
    // The pull request is opened and GitHub answers 422, as it does when one already exists for
    // the head: the run lists again and finds it.
    fake.fail_after_acting("POST", "/pulls", 422);

    let outcome = run(&fake, &spec()).expect("the run");

    assert_eq!(
        outcome,
        PullRequestOutcome::AlreadyOpen { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    let requests = fake.requests();
    assert_eq!(requests.iter().filter(|r| *r == LIST).count(), 2, "{requests:#?}");
}

#[test]
fn another_refusal_of_the_pull_request_stays_an_error() {
    let fake = repository();
    fake.fail("POST", "/pulls", 422);

    let error = run(&fake, &spec()).expect_err("nothing to find");

    assert_eq!(error.status(), Some(422), "{error}");
    assert!(fake.pulls().is_empty());
}

#[test]
fn a_closed_pull_request_is_not_opened_again_and_a_merged_one_is_done() {
    let fake = repository();
    run(&fake, &spec()).expect("the first run");
    fake.close_pull(1, false);
    fake.clear_log();

    let closed = run(&fake, &spec()).expect("the second run");

    assert_eq!(
        closed,
        PullRequestOutcome::ClosedUnmerged { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    assert_eq!(fake.requests(), [LIST]);

    let other = PullRequestSpec { branch: "cairn/deprecate-api/orders-0123456789ab".to_owned(), ..spec() };
    run(&fake, &other).expect("another run");
    fake.close_pull(2, true);
    let merged = run(&fake, &other).expect("the other run again");
    assert_eq!(
        merged,
        PullRequestOutcome::Merged { number: 2, url: "https://github.com/acme/platform/pull/2".to_owned() }
    );
    assert_eq!(merged.number(), 2);
    assert_eq!(fake.pulls().len(), 2);
}

#[test]
fn a_branch_left_on_an_older_base_is_moved_to_a_commit_on_the_current_one() {
    let fake = repository();
    fake.fail("POST", "/pulls", 500);
    run(&fake, &spec()).expect_err("stopped before the pull request");
    let stale = fake.branch(BRANCH).expect("the branch");
    let moved = fake.commit_files(
        "main",
        &[
            ("catalog/dev-alice.yaml", b"identifier: dev-alice\nproperties:\n  ttl: 5d # keep short\n"),
            ("catalog/dev-bob.yaml", b"identifier: dev-bob\ntitle: Bob\n"),
            ("catalog/old.yaml", b"identifier: old\n"),
        ],
        "someone else's change",
    );
    fake.clear_log();

    let outcome = run(&fake, &spec()).expect("the re-run");

    assert!(matches!(outcome, PullRequestOutcome::Opened { number: 1, .. }), "{outcome:?}");
    let head = fake.branch(BRANCH).expect("the branch");
    assert_ne!(head, stale);
    assert_eq!(fake.commit(&head).expect("the commit").parents, [moved]);
    let update = fake.log().into_iter().find(|logged| logged.method == "PATCH").expect("the branch was moved");
    assert_eq!(update.path, format!("/repos/acme/platform/git/refs/heads/{BRANCH}"));
    assert_eq!(update.body, serde_json::json!({"sha": head, "force": true}));
    assert_eq!(fake.files(BRANCH).expect("files")["catalog/dev-bob.yaml"], b"identifier: dev-bob\ntitle: Bob\n");
}

#[test]
fn the_given_parent_is_the_commits_parent_even_when_the_base_moved_on() {
    let fake = repository();
    let computed_on = fake.branch("main").expect("main");
    fake.commit_files("main", &[("catalog/dev-alice.yaml", b"identifier: dev-alice\n")], "the base moved on");

    run(&fake, &PullRequestSpec { parent: Some(computed_on.clone()), ..spec() }).expect("the run");

    let head = fake.branch(BRANCH).expect("the branch");
    assert_eq!(fake.commit(&head).expect("the commit").parents, [computed_on]);
    assert!(!fake.requests().iter().any(|r| r.ends_with("/git/ref/heads/main")), "the base branch is not read");
}

#[test]
fn a_wrong_token_and_a_missing_base_are_errors_and_change_nothing() {
    let fake = repository();
    let refused =
        open_pull_request(&mut client(&fake, "ghs_wrong"), "acme", "platform", &spec()).expect_err("bad credentials");
    assert_eq!(refused.status(), Some(401));

    let missing = run(&fake, &PullRequestSpec { base: "trunk".to_owned(), ..spec() }).expect_err("no such base");
    assert_eq!(missing.to_string(), "the branch `trunk` does not exist on GitHub");

    assert_eq!(fake.branches(), ["main"]);
    assert!(fake.pulls().is_empty());
}

#[test]
fn a_dry_run_prints_every_request_of_a_first_run() {
    let mut dry = DryRun::new(Vec::new());
    let spec = PullRequestSpec {
        files: vec![
            ("catalog/dev-alice.yaml".to_owned(), Some(b"ttl: 8d\n".to_vec())),
            ("catalog/old.yaml".to_owned(), None),
        ],
        parent: Some("4b825dc642cb6eb9a060e54bf8d69288fbee4904".to_owned()),
        ..spec()
    };

    let outcome = open_pull_request(&mut dry, "acme", "platform", &spec).expect("printed");

    assert_eq!(outcome, PullRequestOutcome::Opened { number: 0, url: String::new() });
    assert_eq!(dry.sent.len(), 8);
    let printed = String::from_utf8(dry.into_output()).expect("UTF-8");
    let expected = format!(
        "would send: {LIST}
would send: GET /repos/acme/platform/git/commits/4b825dc642cb6eb9a060e54bf8d69288fbee4904
would send: POST /repos/acme/platform/git/blobs
{{
  \"content\": \"dHRsOiA4ZAo=\",
  \"encoding\": \"base64\"
}}
would send: POST /repos/acme/platform/git/trees
{{
  \"base_tree\": \"<tree of 4b825dc642cb6eb9a060e54bf8d69288fbee4904>\",
  \"tree\": [
    {{
      \"path\": \"catalog/dev-alice.yaml\",
      \"mode\": \"100644\",
      \"type\": \"blob\",
      \"sha\": \"<blob 3>\"
    }},
    {{
      \"path\": \"catalog/old.yaml\",
      \"mode\": \"100644\",
      \"type\": \"blob\",
      \"sha\": null
    }}
  ]
}}
would send: GET /repos/acme/platform/git/ref/heads/{BRANCH}
would send: POST /repos/acme/platform/git/commits
{{
  \"message\": \"Extend dev-alice by 3 days\\n\\nCairn-Action: extend-ttl\\n\",
  \"tree\": \"<tree 4>\",
  \"parents\": [
    \"4b825dc642cb6eb9a060e54bf8d69288fbee4904\"
  ]
}}
would send: POST /repos/acme/platform/git/refs
{{
  \"ref\": \"refs/heads/{BRANCH}\",
  \"sha\": \"<commit 6>\"
}}
would send: POST /repos/acme/platform/pulls
{{
  \"title\": \"Extend dev-alice by 3 days\",
  \"head\": \"{BRANCH}\",
  \"base\": \"main\",
  \"body\": \"cairn ran `extend-ttl`\",
  \"draft\": false
}}
"
    );
    assert_eq!(printed, expected);
}

#[test]
fn a_dry_run_without_a_parent_cannot_read_the_base_and_says_so() {
    let mut dry = DryRun::new(Vec::new());

    let error = open_pull_request(&mut dry, "acme", "platform", &spec()).expect_err("a dry run reads nothing");

    assert_eq!(error.to_string(), "the branch `main` does not exist on GitHub");
}

#[test]
fn the_default_branch_is_read_from_the_repository() {
    let fake = repository();

    let branch = default_branch(&mut client(&fake, TOKEN), "acme", "platform").expect("the repository");

    assert_eq!(branch, "main");
    assert_eq!(fake.requests(), ["GET /repos/acme/platform"]);
    let missing = default_branch(&mut client(&fake, TOKEN), "acme", "elsewhere").expect_err("no such repository");
    assert_eq!(missing.status(), Some(404));
    let dry = default_branch(&mut DryRun::new(Vec::new()), "acme", "platform").expect_err("a dry run reads nothing");
    assert_eq!(dry.to_string(), "the default branch of `acme/platform` does not exist on GitHub");
}
