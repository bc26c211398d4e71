//! The in-memory GitHub of `support::github`, as the end-to-end tests of `cairn run --pr` use it:
//! loaded from a real git repository, driven through cairn-github's real client over HTTP, and
//! read back (branches, files, pull requests, comments, the request log).

mod support;

use cairn_github::{
    GitHubApi, PullRequestOutcome, PullRequestSpec, RetryPolicy, Reviewers, open_pull_request, request_reviews,
    upsert_comment,
};
use support::GitRepo;
use support::github::FakeGitHub;

const TOKEN: &str = "ghs_fake";

fn platform() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("catalog/environments.yaml", "# Developer environments\n- identifier: dev-alice\n  ttl: 5d\n");
    repo.write("catalog/old.yaml", "identifier: old\n");
    repo.commit("Alice", "the platform");
    repo
}

#[test]
fn the_fake_serves_a_real_repository_to_the_real_client_and_keeps_what_it_was_sent() {
    let repo = platform();
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    let head = fake.load_git(&repo.path, "main");
    assert_eq!(head, repo.git(&["rev-parse", "HEAD"]).trim(), "the branch is at the repository's real HEAD");
    let files = fake.files("main").expect("main's files");
    assert_eq!(files.keys().collect::<Vec<_>>(), ["catalog/environments.yaml", "catalog/old.yaml"]);

    let mut api = GitHubApi::new(&fake.url, TOKEN, RetryPolicy::default()).expect("a client");
    let spec = PullRequestSpec {
        base: "main".to_owned(),
        branch: "cairn/extend-ttl/dev-alice-0123456789ab".to_owned(),
        title: "Extend dev-alice".to_owned(),
        body: "the plan".to_owned(),
        message: "Extend dev-alice\n\nCairn-Action: extend-ttl\n".to_owned(),
        files: vec![
            (
                "catalog/environments.yaml".to_owned(),
                Some(b"# Developer environments\n- identifier: dev-alice\n  ttl: 8d\n".to_vec()),
            ),
            ("catalog/old.yaml".to_owned(), None),
        ],
        parent: Some(head.clone()),
    };
    let outcome = open_pull_request(&mut api, "acme", "platform", &spec).expect("opened");
    assert_eq!(
        outcome,
        PullRequestOutcome::Opened { number: 1, url: "https://github.com/acme/platform/pull/1".to_owned() }
    );
    let changes = fake.changes("main", &spec.branch);
    assert_eq!(changes, spec.files.iter().cloned().collect());
    let commit = fake.commit(&fake.branch(&spec.branch).expect("the branch")).expect("the commit");
    assert_eq!((commit.parents, commit.message), (vec![head], spec.message.clone()));

    // Comments and review requests on the pull request, as `cairn ci` sends them.
    upsert_comment(&mut api, "acme", "platform", 1, "<!-- marker -->\nfirst", "<!-- marker -->").expect("created");
    upsert_comment(&mut api, "acme", "platform", 1, "<!-- marker -->\nsecond", "<!-- marker -->").expect("updated");
    let comments = fake.comments(1);
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert_eq!(comments[0].body, "<!-- marker -->\nsecond");
    let mut reviewers = Reviewers::default();
    reviewers.add_owners("@acme/platform-team @alice");
    request_reviews(&mut api, "acme", "platform", 1, &reviewers).expect("asked");
    assert_eq!(fake.pulls()[0].reviewers, ["alice", "team:platform-team"]);

    // Every request was logged with its answer, and a wrong token is refused and logged too.
    assert!(fake.log().iter().all(|logged| logged.status != 401));
    let mut stranger = GitHubApi::new(&fake.url, "ghs_wrong", RetryPolicy::default()).expect("a client");
    let refused = open_pull_request(&mut stranger, "acme", "platform", &spec).expect_err("bad credentials");
    assert_eq!(refused.status(), Some(401));
    let last = fake.log().pop().expect("logged");
    assert_eq!((last.method.as_str(), last.status), ("GET", 401));
    assert_eq!(fake.pulls().len(), 1);
}
