//! `cairn ci` against a local HTTP server that speaks the part of GitHub's REST API cairn calls
//! (list, create, update and delete issue comments; create and update check runs), with event
//! payloads shaped like GitHub's, and base and head commits in a real git repository. The server
//! checks the token on every request, as GitHub does.

mod support;

use std::collections::VecDeque;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use support::GitRepo;
use support::http::{self, Response};

/// The token every run passes in `GITHUB_TOKEN`, and the server expects.
const TOKEN: &str = "ghs_test";

/// One request the server received.
#[derive(Clone, Debug)]
struct Received {
    method: String,
    path: String,
    body: Value,
    /// The `Authorization` header, if the request had one.
    authorization: Option<String>,
}

/// The server's state: its comments, and canned failures to answer with first.
#[derive(Default)]
struct State {
    received: Vec<Received>,
    comments: Vec<(u64, String)>,
    next_id: u64,
    /// (method, path prefix, status, body): answered once, instead of the real answer.
    failures: VecDeque<(String, String, u16, Value)>,
    /// Another run creates its comment just before this one's, as when two runs race.
    race: bool,
}

struct FakeGitHub {
    url: String,
    state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    fn start() -> FakeGitHub {
        let state = Arc::new(Mutex::new(State { next_id: 1000, ..State::default() }));
        let shared = Arc::clone(&state);
        let url = http::serve(move |request| {
            let received = Received {
                method: request.method.clone(),
                path: request.path.clone(),
                body: serde_json::from_slice(&request.body).unwrap_or(Value::Null),
                authorization: request.authorization.clone(),
            };
            let (status, answer) = answer(&mut shared.lock().expect("the state"), &received);
            let response = Response::new(status, answer.to_string()).header("content-type", "application/json");
            if status == 429 { response.header("retry-after", "0") } else { response }
        });
        FakeGitHub { url, state }
    }

    fn received(&self) -> Vec<String> {
        self.state.lock().expect("the state").received.iter().map(|r| format!("{} {}", r.method, r.path)).collect()
    }

    fn bodies(&self, method: &str, prefix: &str) -> Vec<Value> {
        let state = self.state.lock().expect("the state");
        state
            .received
            .iter()
            .filter(|r| r.method == method && r.path.starts_with(prefix))
            .map(|r| r.body.clone())
            .collect()
    }

    fn fail_once(&self, method: &str, prefix: &str, status: u16, body: Value) {
        self.state.lock().expect("the state").failures.push_back((method.into(), prefix.into(), status, body));
    }

    /// The `Authorization` header of every request received.
    fn authorizations(&self) -> Vec<Option<String>> {
        self.state.lock().expect("the state").received.iter().map(|r| r.authorization.clone()).collect()
    }

    fn reset_log(&self) {
        self.state.lock().expect("the state").received.clear();
    }
}

// GitHub's objects, as its REST documentation shows them: octocrab's typed models need every field
// they do not mark optional, so an answer shaped like the real one is what a test must give.

/// A user, as GitHub embeds one (the "simple user").
fn user() -> Value {
    let api = "https://api.github.com/users/github-actions%5Bbot%5D";
    json!({
        "login": "github-actions[bot]", "id": 41_898_282, "node_id": "MDM6Qm90NDE4OTgyODI=",
        "avatar_url": "https://avatars.githubusercontent.com/in/15368?v=4", "gravatar_id": "",
        "url": api, "html_url": "https://github.com/apps/github-actions",
        "followers_url": format!("{api}/followers"), "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"), "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"), "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"), "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"), "type": "Bot", "site_admin": false
    })
}

/// An issue comment.
fn comment(id: u64, body: &str) -> Value {
    json!({
        "id": id, "node_id": "IC_kwDOABCD", "body": body, "user": user(),
        "url": format!("https://api.github.com/repos/acme/platform/issues/comments/{id}"),
        "html_url": format!("https://github.com/acme/platform/pull/7#issuecomment-{id}"),
        "issue_url": "https://api.github.com/repos/acme/platform/issues/7",
        "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z", "author_association": "NONE"
    })
}

/// A check run, after a create or update whose body was `sent`.
fn check_run(id: u64, sent: &Value) -> Value {
    let annotations = sent["output"]["annotations"].as_array().map_or(0, Vec::len);
    json!({
        "id": id, "node_id": "CR_kwDOABCD", "name": "cairn", "head_sha": sent.get("head_sha").unwrap_or(&json!("0")),
        "external_id": "", "url": format!("https://api.github.com/repos/acme/platform/check-runs/{id}"),
        "html_url": format!("https://github.com/acme/platform/runs/{id}"), "details_url": null,
        "status": "completed", "conclusion": sent.get("conclusion").unwrap_or(&json!("failure")),
        "started_at": "2026-01-05T10:00:00Z", "completed_at": "2026-01-05T10:00:01Z",
        "output": {
            "title": sent["output"]["title"], "summary": sent["output"]["summary"], "text": null,
            "annotations_count": annotations,
            "annotations_url": format!("https://api.github.com/repos/acme/platform/check-runs/{id}/annotations")
        },
        "check_suite": {"id": 5}, "pull_requests": []
    })
}

/// A pull request, as requesting reviewers answers it (the fields octocrab reads, and the teams).
fn pull(number: u64, teams: &Value) -> Value {
    json!({
        "id": 1_296_269, "node_id": "PR_kwDOABCD", "number": number, "state": "open", "title": "Add cart",
        "url": format!("https://api.github.com/repos/acme/platform/pulls/{number}"),
        "html_url": format!("https://github.com/acme/platform/pull/{number}"), "user": user(), "body": null,
        "requested_reviewers": [],
        "requested_teams": teams.as_array().map(|teams| teams.iter().map(|slug| json!({"slug": slug})).collect::<Vec<_>>()),
        "author_association": "MEMBER"
    })
}

/// GitHub's answers, shaped like its documented examples (only the fields cairn reads matter).
fn answer(state: &mut State, received: &Received) -> (u16, Value) {
    state.received.push(received.clone());
    if !http::authorized(received.authorization.as_deref(), TOKEN) {
        return (
            401,
            json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}),
        );
    }
    let (method, path, body) = (received.method.as_str(), received.path.as_str(), &received.body);
    if let Some(index) =
        state.failures.iter().position(|(m, prefix, _, _)| m == method && path.starts_with(prefix.as_str()))
    {
        let (_, _, status, body) = state.failures.remove(index).expect("a failure");
        return (status, body);
    }
    match (method, path) {
        ("GET", path) if path.starts_with("/repos/acme/platform/issues/7/comments") => {
            let page = path.split("page=").nth(1).and_then(|p| p.parse::<usize>().ok()).unwrap_or(1);
            let list: Vec<Value> =
                state.comments.iter().skip((page - 1) * 100).take(100).map(|(id, body)| comment(*id, body)).collect();
            (200, Value::Array(list))
        }
        ("POST", "/repos/acme/platform/issues/7/comments") => {
            if std::mem::take(&mut state.race) {
                state.next_id += 1;
                state.comments.push((state.next_id, "<!-- cairn-plan -->\nthe other run's".to_owned()));
            }
            state.next_id += 1;
            let text = body["body"].as_str().unwrap_or("").to_owned();
            state.comments.push((state.next_id, text.clone()));
            (201, comment(state.next_id, &text))
        }
        ("PATCH", path) if path.starts_with("/repos/acme/platform/issues/comments/") => {
            let id: u64 = path.rsplit('/').next().and_then(|id| id.parse().ok()).unwrap_or(0);
            let text = body["body"].as_str().unwrap_or("").to_owned();
            match state.comments.iter_mut().find(|(known, _)| *known == id) {
                Some(found) => {
                    found.1.clone_from(&text);
                    (200, comment(id, &text))
                }
                None => (404, json!({"message": "Not Found"})),
            }
        }
        ("DELETE", path) if path.starts_with("/repos/acme/platform/issues/comments/") => {
            let id: u64 = path.rsplit('/').next().and_then(|id| id.parse().ok()).unwrap_or(0);
            state.comments.retain(|(known, _)| *known != id);
            (204, Value::Null)
        }
        ("POST", "/repos/acme/platform/check-runs") => (201, check_run(4, body)),
        ("PATCH", "/repos/acme/platform/check-runs/4") => (200, check_run(4, body)),
        ("POST", "/repos/acme/platform/pulls/7/requested_reviewers") => (201, pull(7, &body["team_reviewers"])),
        _ => (404, json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})),
    }
}

const DOMAIN: &str = "identifier: shop\nblueprint: Domain\n";

fn system(id: &str, domain: &str) -> String {
    format!(
        "identifier: {id}\nblueprint: System\nproperties:\n  lifecycle: production\nrelations:\n  domain: {domain}\n"
    )
}

/// A repository whose branch adds `broken` systems with a relation to nothing; returns the
/// repository and the base and head commits.
fn pull_request(broken: usize) -> (GitRepo, String, String) {
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN).write("catalog/checkout.yaml", &system("checkout", "shop"));
    let base = repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    repo.write("catalog/cart.yaml", &system("cart", "shop"));
    for index in 0..broken {
        repo.write(&format!("catalog/broken-{index:03}.yaml"), &system(&format!("broken-{index:03}"), "nowhere"));
    }
    let head = repo.commit("Bob", "The change");
    (repo, base, head)
}

fn event(dir: &Path, base: &str, head: &str) -> std::path::PathBuf {
    let event = json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7, "state": "open", "title": "Add cart",
            "base": {"ref": "main", "sha": base, "repo": {"full_name": "acme/platform"}},
            "head": {"ref": "change", "sha": head, "repo": {"full_name": "acme/platform"}}
        },
        "repository": {"full_name": "acme/platform"}
    });
    let path = dir.join("event.json");
    std::fs::write(&path, event.to_string()).expect("the event");
    path
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: String,
    /// What the run wrote to `$GITHUB_STEP_SUMMARY`.
    summary: String,
}

fn cairn_ci(repo: &GitRepo, server: &str, event: &Path, extra: &[&str]) -> Run {
    cairn_ci_on(repo, server, event, extra, "pull_request")
}

fn cairn_ci_on(repo: &GitRepo, server: &str, event: &Path, extra: &[&str], event_name: &str) -> Run {
    cairn_ci_with(repo, server, event, extra, event_name, TOKEN)
}

fn cairn_ci_with(repo: &GitRepo, server: &str, event: &Path, extra: &[&str], event_name: &str, token: &str) -> Run {
    let outputs = repo.path.with_file_name("outputs");
    let summary = repo.path.with_file_name("summary.md");
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("ci")
        .args(extra)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event_name)
        .env("GITHUB_EVENT_PATH", event)
        .env("GITHUB_REPOSITORY", "acme/platform")
        .env("GITHUB_API_URL", server)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_TOKEN", token)
        .env("GITHUB_WORKSPACE", &repo.path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_RUN_ID", "4242")
        .env("CAIRN_RETRY_BASE_MS", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("cairn runs");
    Run {
        code: output.status.code().expect("an exit code"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
        outputs: std::fs::read_to_string(outputs).unwrap_or_default(),
        summary: std::fs::read_to_string(summary).unwrap_or_default(),
    }
}

#[test]
fn one_comment_is_created_then_updated_and_a_check_run_is_posted() {
    let (repo, base, head) = pull_request(1);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();

    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1, "the change introduces an error: {}{}", run.stdout, run.stderr);
    assert_eq!(
        github.received(),
        [
            "GET /repos/acme/platform/issues/7/comments?per_page=100&page=1",
            "POST /repos/acme/platform/issues/7/comments",
            "GET /repos/acme/platform/issues/7/comments?per_page=100&page=1",
            "POST /repos/acme/platform/check-runs",
        ]
    );
    let comment = &github.bodies("POST", "/repos/acme/platform/issues/7/comments")[0]["body"];
    let comment = comment.as_str().expect("a body");
    assert!(comment.starts_with("<!-- cairn-plan -->\n### ❌ cairn: this change introduces 1 error"), "{comment}");
    assert!(
        comment.contains(&format!("https://github.com/acme/platform/blob/{head}/catalog/broken-000.yaml#L6")),
        "{comment}"
    );
    let check = &github.bodies("POST", "/repos/acme/platform/check-runs")[0];
    assert_eq!(check["name"], "cairn / plan", "not the job's name");
    assert_eq!(check["head_sha"], head.as_str());
    assert_eq!(check["conclusion"], "failure");
    assert_eq!(check["status"], "completed");
    assert_eq!(
        check["output"]["annotations"],
        json!([{"path": "catalog/broken-000.yaml", "start_line": 6, "end_line": 6, "start_column": 11, "end_column": 18,
                "annotation_level": "failure", "title": "E0309",
                "message": "relation `domain` names `nowhere`, but there is no `Domain` entity `nowhere`\n\ndeclare a `Domain` entity `nowhere` in the catalog, or name an existing one"}])
    );
    assert_eq!(run.outputs, "verdict=fail\nerrors=1\nwarnings=0\n");

    // A second run updates the same comment: never a second one.
    github.reset_log();
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        github.received(),
        [
            "GET /repos/acme/platform/issues/7/comments?per_page=100&page=1",
            "PATCH /repos/acme/platform/issues/comments/1001",
            "POST /repos/acme/platform/check-runs",
        ]
    );
    assert_eq!(github.state.lock().expect("state").comments.len(), 1);
    assert!(
        github.authorizations().iter().all(|header| header.as_deref() == Some("Bearer ghs_test")),
        "octocrab sends a personal token as a bearer token: {:?}",
        github.authorizations()
    );
}

#[test]
fn a_token_github_does_not_accept_fails_the_run_and_says_so() {
    let (repo, base, head) = pull_request(1);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci_with(&repo, &github.url, &event, &[], "pull_request", "ghs_revoked");
    assert_eq!(run.code, 2, "publishing failed, which is not a verdict: {}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("error: could not post the pull-request comment: GitHub answered 401"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Bad credentials"), "GitHub's message is in the chain: {}", run.stderr);
    assert!(run.stderr.contains("error: could not create the check run: GitHub answered 401"), "{}", run.stderr);
    assert!(run.stderr.contains("help: GitHub did not accept `GITHUB_TOKEN`"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("help: GitHub did not accept").count(), 1, "said once: {}", run.stderr);
    assert!(run.stdout.contains("::error file=catalog/broken-000.yaml,line=6,"), "{}", run.stdout);
    assert!(!run.stderr.contains("rate-limited"), "a refused token is not retried: {}", run.stderr);
    assert_eq!(
        github.received(),
        ["GET /repos/acme/platform/issues/7/comments?per_page=100&page=1", "POST /repos/acme/platform/check-runs"],
        "the comment is not attempted after its listing is refused, and nothing is retried"
    );
    assert!(github.authorizations().iter().all(|header| header.as_deref() == Some("Bearer ghs_revoked")));
}

#[test]
fn annotations_go_fifty_to_a_request_and_rate_limits_are_retried() {
    let (repo, base, head) = pull_request(120);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    github.fail_once("POST", "/repos/acme/platform/check-runs", 429, json!({"message": "API rate limit exceeded"}));
    github.fail_once(
        "PATCH",
        "/repos/acme/platform/check-runs/4",
        403,
        json!({"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}),
    );

    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let checks: Vec<String> = github.received().into_iter().filter(|r| r.contains("check-runs")).collect();
    assert_eq!(
        checks,
        [
            "POST /repos/acme/platform/check-runs",
            "POST /repos/acme/platform/check-runs",
            "PATCH /repos/acme/platform/check-runs/4",
            "PATCH /repos/acme/platform/check-runs/4",
            "PATCH /repos/acme/platform/check-runs/4",
        ]
    );
    let sizes: Vec<usize> = github
        .bodies("POST", "/repos/acme/platform/check-runs")
        .iter()
        .chain(github.bodies("PATCH", "/repos/acme/platform/check-runs/4").iter())
        .map(|body| body["output"]["annotations"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 50, 50, 20], "retried requests carry the same batch");
    assert!(run.stderr.contains("rate-limited"), "{}", run.stderr);
}

#[test]
fn a_token_without_permission_says_which_and_leaves_the_annotations_in_the_log() {
    let (repo, base, head) = pull_request(1);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    github.fail_once(
        "POST",
        "/repos/acme/platform/issues/7/comments",
        403,
        json!({"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"}),
    );
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1, "the verdict still decides: {}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("could not post the pull-request comment: GitHub answered 403"), "{}", run.stderr);
    assert!(run.stderr.contains("pull-requests: write"), "{}", run.stderr);
    assert!(run.stdout.contains("::error file=catalog/broken-000.yaml,line=6,"), "{}", run.stdout);
    assert!(github.received().contains(&"POST /repos/acme/platform/check-runs".to_owned()));
}

#[test]
fn a_missing_base_commit_says_how_to_fetch_it() {
    let (repo, _, head) = pull_request(0);
    let event = event(repo.path.parent().expect("a parent"), "0123456789012345678901234567890123456789", &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    assert!(github.received().is_empty(), "nothing is posted: {:?}", github.received());
}

#[test]
fn a_dry_run_prints_what_it_would_send_and_sends_nothing() {
    let (repo, base, head) = pull_request(0);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--dry-run"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("would send: POST /repos/acme/platform/issues/7/comments"), "{}", run.stdout);
    assert!(run.stdout.contains("would send: POST /repos/acme/platform/check-runs"), "{}", run.stdout);
    assert!(github.received().is_empty());
}

/// The requests a dry run printed, as (method and path, body).
fn printed_requests(stdout: &str) -> Vec<(String, Value)> {
    stdout
        .split("would send: ")
        .skip(1)
        .map(|printed| {
            let (line, body) = printed.split_once('\n').unwrap_or((printed, ""));
            let body = if body.trim().is_empty() { Value::Null } else { serde_json::from_str(body).expect("JSON") };
            (line.to_owned(), body)
        })
        .collect()
}

#[test]
fn a_dry_run_prints_exactly_what_a_real_run_sends() {
    let (repo, base, head) = pull_request(1);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let dry = cairn_ci(&repo, &github.url, &event, &["--dry-run"]);
    assert_eq!(dry.code, 1, "{}{}", dry.stdout, dry.stderr);
    assert!(github.received().is_empty());
    // A first real run meets no comment either, so it sends the same requests.
    let real = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(real.code, 1, "{}{}", real.stdout, real.stderr);
    let sent: Vec<(String, Value)> = github
        .state
        .lock()
        .expect("the state")
        .received
        .iter()
        .map(|r| (format!("{} {}", r.method, r.path), r.body.clone()))
        .collect();
    assert_eq!(printed_requests(&dry.stdout), sent);
    assert_eq!(sent.len(), 4, "{sent:?}");
}

#[test]
fn two_runs_racing_still_leave_one_comment() {
    let (repo, base, head) = pull_request(0);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    github.state.lock().expect("state").race = true;
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        github.received(),
        [
            "GET /repos/acme/platform/issues/7/comments?per_page=100&page=1",
            "POST /repos/acme/platform/issues/7/comments",
            "GET /repos/acme/platform/issues/7/comments?per_page=100&page=1",
            "PATCH /repos/acme/platform/issues/comments/1001",
            "DELETE /repos/acme/platform/issues/comments/1002",
            "POST /repos/acme/platform/check-runs",
        ]
    );
    let comments = github.state.lock().expect("state").comments.clone();
    assert_eq!(comments.len(), 1);
    assert!(comments[0].1.contains("this change can merge"), "the oldest holds this run's body: {comments:?}");
}

#[test]
fn the_owning_teams_are_asked_for_review() {
    let repo = GitRepo::new();
    repo.write(
        "catalog/teams.yaml",
        "- identifier: payments\n  blueprint: _team\n- identifier: search\n  blueprint: _team\n",
    )
    .write("catalog/shop.yaml", DOMAIN);
    let base = repo.commit("Alice", "Teams");
    repo.write(
        "catalog/cart.yaml",
        &system("cart", "shop").replace("blueprint: System\n", "blueprint: System\nteam: payments\n"),
    );
    let head = repo.commit("Bob", "Cart, owned by payments");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--request-reviews"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        github.bodies("POST", "/repos/acme/platform/pulls/7/requested_reviewers"),
        [json!({"reviewers": [], "team_reviewers": ["payments"]})]
    );
}

/// A team's `github` property says whom GitHub asks: a team (`@org/team`, by its slug) or users
/// (`@login`, without the `@`); a team without one is asked by its identifier.
#[test]
fn the_owning_teams_are_asked_for_review_as_their_github_property_names_them() {
    let repo = GitRepo::new();
    repo.write(
        "catalog/teams.yaml",
        "- identifier: payments\n  blueprint: _team\n  properties: {github: \"@acme/payments-team\"}\n\
         - identifier: search\n  blueprint: _team\n  properties: {github: \"@alice @bob\"}\n\
         - identifier: platform\n  blueprint: _team\n",
    )
    .write("catalog/shop.yaml", DOMAIN);
    let base = repo.commit("Alice", "Teams");
    for (id, team) in [("cart", "payments"), ("search", "search"), ("infra", "platform")] {
        repo.write(
            &format!("catalog/{id}.yaml"),
            &system(id, "shop").replace("blueprint: System\n", &format!("blueprint: System\nteam: {team}\n")),
        );
    }
    let head = repo.commit("Bob", "Three systems, owned by three teams");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--request-reviews"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        github.bodies("POST", "/repos/acme/platform/pulls/7/requested_reviewers"),
        [json!({"reviewers": ["alice", "bob"], "team_reviewers": ["payments-team", "platform"]})]
    );
}

#[test]
fn a_push_checks_the_pushed_commit_with_a_check_run_and_no_comment() {
    let (repo, _, head) = pull_request(2);
    let event = repo.path.with_file_name("push.json");
    std::fs::write(
        &event,
        json!({"ref": "refs/heads/change", "before": "0000000000000000000000000000000000000000", "after": head})
            .to_string(),
    )
    .expect("the event");
    let github = FakeGitHub::start();
    let run = cairn_ci_on(&repo, &github.url, &event, &[], "push");
    assert_eq!(run.code, 1, "two broken systems: {}{}", run.stdout, run.stderr);
    assert_eq!(github.received(), ["POST /repos/acme/platform/check-runs"]);
    let check = &github.bodies("POST", "/repos/acme/platform/check-runs")[0];
    assert_eq!(check["name"], "cairn / check");
    assert_eq!(check["head_sha"], head.as_str());
    assert_eq!(check["output"]["annotations"].as_array().map(Vec::len), Some(2));
    assert_eq!(run.outputs, "verdict=fail\nerrors=2\nwarnings=0\n");
}

#[test]
fn pull_request_target_is_refused() {
    let (repo, base, head) = pull_request(0);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci_on(&repo, &github.url, &event, &[], "pull_request_target");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("run cairn on `pull_request`"), "{}", run.stderr);
    assert!(github.received().is_empty());
}

/// Where every cut output says the full report is.
const POINTER: &str = "The full report (JSON, SARIF and Markdown) is in the artifact `cairn-report` of [this workflow run](https://github.com/acme/platform/actions/runs/4242).";

#[test]
fn a_change_to_a_platform_with_six_thousand_errors_keeps_every_output_within_githubs_limits() {
    // 6,000 errors already there at the base, and 120 more introduced by the change.
    let repo = GitRepo::new();
    repo.write("catalog/shop.yaml", DOMAIN);
    for index in 0..6_000 {
        repo.write(&format!("catalog/old/broken-{index:04}.yaml"), &system(&format!("old-{index:04}"), "nowhere"));
    }
    let base = repo.commit("Alice", "The base, broken long ago");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    for index in 0..120 {
        repo.write(&format!("catalog/broken-{index:03}.yaml"), &system(&format!("broken-{index:03}"), "nowhere"));
    }
    let head = repo.commit("Bob", "The change");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let reports = repo.path.with_file_name("reports");
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--report-dir", reports.to_str().expect("UTF-8")]);
    assert_eq!(run.code, 1, "{}", run.stderr);

    // The step summary: within 1,024 KiB, cut, and saying where the rest is.
    assert!(run.summary.len() <= 1024 * 1024, "{} bytes", run.summary.len());
    assert!(run.summary.starts_with("<!-- cairn-plan -->\n### ❌ cairn: this change introduces 120 errors"));
    assert!(run.summary.trim_end().ends_with(POINTER), "{}", &run.summary[run.summary.len() - 400..]);
    assert_eq!(run.summary.matches("<details").count(), run.summary.matches("</details>").count());

    // The comment: within 65,536 characters, with the verdict, the counts and the per-code summary.
    let comment =
        github.bodies("POST", "/repos/acme/platform/issues/7/comments")[0]["body"].as_str().expect("a body").to_owned();
    assert!(comment.len() <= 65_536, "{} bytes", comment.len());
    assert!(comment.contains("| introduced | 120 errors, 0 warnings |"), "{comment}");
    assert!(comment.contains("| already there | 6000 errors, 0 warnings |"), "{comment}");
    assert!(
        comment.contains(
            "| `E0309` | a relation names an entity that does not exist | 120 | 6000 | [catalog/broken-000.yaml:6]("
        ),
        "{comment}"
    );
    assert!(comment.trim_end().ends_with(POINTER), "{}", &comment[comment.len() - 400..]);
    assert!(!comment.contains("job summary"), "never a pointer to another output that may be cut too");

    // The check run: its summary within 65,535 characters, its annotations 50 to a request.
    let created = github.bodies("POST", "/repos/acme/platform/check-runs");
    let updates = github.bodies("PATCH", "/repos/acme/platform/check-runs/4");
    let summary = created[0]["output"]["summary"].as_str().expect("a summary");
    assert!(summary.len() <= 65_535, "{} bytes", summary.len());
    assert!(summary.trim_end().ends_with(POINTER));
    let sizes: Vec<usize> = created
        .iter()
        .chain(&updates)
        .map(|body| body["output"]["annotations"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [50, 50, 20], "the 120 introduced findings, 50 to a request");

    // The full report, for the action to upload as the artifact `cairn-report`.
    let read = |name: &str| std::fs::read_to_string(reports.join(name)).expect(name);
    let json: Value = serde_json::from_str(&read("cairn-report.json")).expect("JSON");
    assert_eq!(json["verdict"], "fail");
    assert_eq!(json["counts"]["existing"]["errors"], 6_000);
    assert_eq!(json["existing"].as_array().map(Vec::len), Some(6_000));
    let sarif: Value = serde_json::from_str(&read("cairn-report.sarif")).expect("SARIF");
    assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(6_120), "every finding at the head");
    let markdown = read("cairn-report.md");
    assert!(markdown.len() > 1024 * 1024, "the whole Markdown, uncut: {} bytes", markdown.len());
    assert!(markdown.contains("catalog/old/broken-5999.yaml"));
}

#[test]
fn without_a_report_dir_a_cut_report_says_how_to_see_it_all() {
    let (repo, base, head) = pull_request(600);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let comment =
        github.bodies("POST", "/repos/acme/platform/issues/7/comments")[0]["body"].as_str().expect("a body").to_owned();
    assert!(comment.len() <= 65_536, "{} bytes", comment.len());
    assert!(
        comment.trim_end().ends_with(&format!(
            "The full report was not kept (`cairn ci` ran without `--report-dir`): `cairn plan --base {base} --head {head}` shows it all."
        )),
        "{}",
        &comment[comment.len() - 400..]
    );
}

#[test]
fn a_platform_in_a_subfolder_is_annotated_and_linked_at_its_repository_paths() {
    let repo = GitRepo::new();
    repo.write("README.md", "A larger repository\n").write("platform/catalog/shop.yaml", DOMAIN);
    let base = repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    repo.write("platform/catalog/my cart #1.yaml", &system("cart", "nowhere"));
    let head = repo.commit("Bob", "The change");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let platform = repo.path.join("platform");
    let run = cairn_ci(&repo, &github.url, &event, &[platform.to_str().expect("UTF-8")]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let check = &github.bodies("POST", "/repos/acme/platform/check-runs")[0];
    assert_eq!(check["output"]["annotations"][0]["path"], "platform/catalog/my cart #1.yaml");
    let comment =
        github.bodies("POST", "/repos/acme/platform/issues/7/comments")[0]["body"].as_str().expect("a body").to_owned();
    assert!(
        comment.contains(&format!(
            "[platform/catalog/my cart #1.yaml:6](https://github.com/acme/platform/blob/{head}/platform/catalog/my%20cart%20%231.yaml#L6)"
        )),
        "{comment}"
    );
}

#[test]
fn ci_judges_by_the_codes_select_and_ignore_keep() {
    let (repo, base, head) = pull_request(1);
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--dry-run"]);
    assert_eq!(run.code, 1, "the broken system fails the run: {}{}", run.stdout, run.stderr);
    let run = cairn_ci(&repo, &github.url, &event, &["--dry-run", "--ignore", "E0309", "--quiet"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("E0309"), "the comment and the check run leave it out: {}", run.stdout);
    assert_eq!(run.stderr, "", "--quiet drops the notes and the closing line");
    assert!(github.received().is_empty());
}

/// A pull request whose base moved on is judged as it would merge: main renamed the domain the
/// change's new system belongs to, so the merged result has an error the change introduces,
/// and main's own renaming is not shown as the change's.
#[test]
fn a_pull_request_is_judged_as_it_would_merge_into_its_moved_base() {
    let (repo, _, head) = pull_request(0);
    repo.git(&["checkout", "--quiet", "main"]);
    repo.git(&["rm", "--quiet", "catalog/shop.yaml"]);
    repo.write("catalog/store.yaml", &DOMAIN.replace("shop", "store"))
        .write("catalog/checkout.yaml", &system("checkout", "store"));
    let base = repo.commit("Carol", "Rename the shop domain");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &["--dry-run"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("System:cart"), "{}", run.stdout);
    assert!(run.stdout.contains("`shop`"), "the finding names the missing domain: {}", run.stdout);
    assert!(!run.stdout.contains("Domain:store"), "main's rename is not the change's: {}", run.stdout);
    assert!(!run.stdout.contains("Domain:shop"), "main's rename is not the change's: {}", run.stdout);
}

/// A monorepo whose platform is in `platform/`; the branch adds a broken system there.
fn monorepo_pull_request() -> (GitRepo, String, String) {
    let repo = GitRepo::new();
    repo.write("platform/cairn.yaml", "version: 1\n")
        .write("platform/catalog/shop.yaml", DOMAIN)
        .write("platform/catalog/checkout.yaml", &system("checkout", "shop"));
    let base = repo.commit("Alice", "The base");
    repo.git(&["checkout", "--quiet", "-b", "change"]);
    repo.write("platform/catalog/broken.yaml", &system("broken", "nowhere"));
    let head = repo.commit("Bob", "The change");
    (repo, base, head)
}

#[test]
fn a_platform_in_a_subfolder_judged_from_the_top_reads_nothing_and_fails_instead_of_passing() {
    let (repo, base, head) = monorepo_pull_request();
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    // `GITHUB_WORKSPACE` is the repository's top, where no `cairn.yaml` is.
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.outputs.starts_with("verdict=fail\n"), "{}", run.outputs);
    let check = &github.bodies("POST", "/repos/acme/platform/check-runs")[0];
    let summary = check["output"]["summary"].as_str().expect("a summary");
    assert!(summary.starts_with("<!-- cairn-plan -->\n### ❌ cairn: the head holds no entity (`W0701`)"), "{summary}");
    assert!(summary.contains("**W0701** no entity was read"), "{summary}");
    assert!(summary.contains("the folder `platform` holds 4 YAML or JSON files that cairn does not read"), "{summary}");
}

#[test]
fn a_folder_inside_the_platform_is_judged_as_the_whole_platform() {
    let (repo, base, head) = monorepo_pull_request();
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let inside = repo.path.join("platform/catalog");
    let run = cairn_ci(&repo, &github.url, &event, &[inside.to_str().expect("UTF-8")]);
    assert_eq!(run.code, 1, "the broken system: {}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs, "verdict=fail\nerrors=1\nwarnings=0\n");
    assert!(run.stderr.contains("note: the platform is `"), "{}", run.stderr);
    assert!(run.stderr.contains("with a `cairn.yaml`"), "{}", run.stderr);
}

#[test]
fn a_platform_empty_on_purpose_passes_ci() {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "catalog:\n  allow-empty: true\n");
    let base = repo.commit("Alice", "An empty platform");
    repo.write("README.md", "nothing yet\n");
    let head = repo.commit("Bob", "A readme");
    let event = event(repo.path.parent().expect("a parent"), &base, &head);
    let github = FakeGitHub::start();
    let run = cairn_ci(&repo, &github.url, &event, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.outputs, "verdict=pass\nerrors=0\nwarnings=0\n");
}
