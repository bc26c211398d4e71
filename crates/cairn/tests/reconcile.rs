//! `cairn reconcile` end to end, as the reconcile workflow runs it: a real git repository with a
//! bare `origin`, the in-memory GitHub of `support::github` (which checks the token on every
//! request), and the clock given with `--now`. Three environments: one expired, one expiring
//! within the reminder window, one fresh.

mod support;

use std::process::Command;

use serde_json::Value;
use support::github::FakeGitHub;
use support::{GitRepo, Run, cairn, cairn_with_env, commit_at, git_in};

const TOKEN: &str = "ghs_reconcile";
const NOW: &str = "2026-12-04T00:00:00Z";

const SETTINGS: &str = "version: 1\nlibrary:\n  templates: true\n";
const TEAMS: &str = "- identifier: payments\n  blueprint: _team\n  title: Payments\n";

fn environment(name: &str, ttl: &str) -> String {
    format!("identifier: {name}\nteam: payments\nproperties:\n  type: development\n  ttl: {ttl}\n")
}

/// The platform, its history, its `origin`, and GitHub. `dev-old` was created on 20 November
/// with two days to live (expired), `dev-soon` on 1 December with four (expires on the 5th,
/// within the two-day window on the 4th) through pull request #1, `dev-fresh` on the 3rd with ten.
struct Platform {
    repo: GitRepo,
    _origin: tempfile::TempDir,
    origin: String,
    fake: FakeGitHub,
    soon_pull: u64,
}

impl Platform {
    fn new(expired: &[&str]) -> Platform {
        let fake = FakeGitHub::start("acme", "platform", TOKEN);
        let soon_pull = fake.merged_pull("Create dev-soon", "cairn/create-dev-environment/dev-soon");
        let repo = GitRepo::new();
        repo.write("cairn.yaml", SETTINGS).write("catalog/teams.yaml", TEAMS);
        for name in expired {
            repo.write(&format!("environments/{name}.yaml"), &environment(name, "2d"));
        }
        commit_at(&repo, "Alice", "The platform, with short-lived environments", "2026-11-20T00:00:00Z");
        repo.write("environments/dev-soon.yaml", &environment("dev-soon", "4d"));
        commit_at(&repo, "Bob", &format!("Create dev-soon (#{soon_pull})"), "2026-12-01T00:00:00Z");
        repo.write("environments/dev-fresh.yaml", &environment("dev-fresh", "10d"));
        commit_at(&repo, "Carol", "Create dev-fresh", "2026-12-03T00:00:00Z");
        let origin = tempfile::tempdir().expect("temp dir");
        let bare = origin.path().join("origin.git");
        git_in(origin.path(), &["init", "--quiet", "--bare", bare.to_str().expect("UTF-8")]);
        let origin_path = bare.to_str().expect("UTF-8").to_owned();
        repo.git(&["remote", "add", "origin", &origin_path]);
        repo.git(&["push", "--quiet", "origin", "main"]);
        fake.load_git(&repo.path, "main");
        Platform { repo, _origin: origin, origin: origin_path, fake, soon_pull }
    }

    fn reconcile(&self, args: &[&str]) -> Run {
        self.reconcile_with_token(args, TOKEN)
    }

    fn reconcile_with_token(&self, args: &[&str], token: &str) -> Run {
        let mut all = vec!["reconcile"];
        all.extend_from_slice(args);
        all.extend(["--now", NOW]);
        cairn_with_env(
            &self.repo.path,
            &all,
            &[
                ("NO_COLOR", "1"),
                ("GITHUB_REPOSITORY", "acme/platform"),
                ("GITHUB_TOKEN", token),
                ("GITHUB_API_URL", &self.fake.url),
                ("GITHUB_REF_NAME", "main"),
                ("CAIRN_RETRY_BASE_MS", "1"),
            ],
        )
    }

    /// The commits of the rendered branch at `origin`, newest first (none when it has none).
    fn rendered_commits(&self) -> Vec<String> {
        let output = Command::new("git")
            .args(["--git-dir", &self.origin, "rev-list", "--first-parent", "refs/heads/rendered/main", "--"])
            .output()
            .expect("git runs");
        String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
    }

    /// A commit on `main`, loaded into GitHub as `main`'s head (as a merge would leave it).
    fn commit(&self, message: &str, date: &str) {
        commit_at(&self.repo, "Dana", message, date);
        self.repo.git(&["push", "--quiet", "origin", "main"]);
        self.fake.load_git(&self.repo.path, "main");
    }
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {}{}", run.stdout, run.stderr))
}

/// (kind, subject, status) of each item.
fn items(report: &Value) -> Vec<(String, String, String)> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let text = |key: &str| item[key].as_str().unwrap_or_default().to_owned();
            (text("kind"), text("subject"), text("status"))
        })
        .collect()
}

fn item(kind: &str, subject: &str, status: &str) -> (String, String, String) {
    (kind.to_owned(), subject.to_owned(), status.to_owned())
}

#[test]
fn a_dry_run_lists_exactly_what_is_due_and_changes_nothing() {
    let platform = Platform::new(&["dev-old"]);
    let run = platform.reconcile(&["--dry-run", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(
        items(&report),
        [
            item("run", "Environment:dev-old", "due"),
            item("reminder", "Environment:dev-soon", "due"),
            item("render", "rendered/main", "due"),
        ]
    );
    assert_eq!(report["applied"], false);
    assert!(platform.fake.log().is_empty(), "a dry run asks GitHub nothing: {:?}", platform.fake.requests());
    assert!(platform.rendered_commits().is_empty(), "and publishes nothing");
    assert!(platform.repo.git(&["branch", "--list", "rendered/main"]).is_empty());

    let human = platform.reconcile(&[]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("teardown-environment (expire-environments, bundled)"), "{}", human.stdout);
    assert!(human.stdout.contains(&format!("on #{}", platform.soon_pull)), "{}", human.stdout);
    assert!(human.stdout.contains("3 due, 0 cannot be carried out"), "{}", human.stdout);
}

/// The issue's "done when": one teardown pull request, one reminder, one rendered commit; a
/// second run does nothing; `cairn render --verify` confirms the rendered commit.
#[test]
fn apply_opens_one_teardown_posts_one_reminder_publishes_once_and_a_second_run_does_nothing() {
    let platform = Platform::new(&["dev-old"]);
    let run = platform.reconcile(&["--apply", "--push", "origin", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    assert_eq!(
        items(&report),
        [
            item("run", "Environment:dev-old", "done"),
            item("reminder", "Environment:dev-soon", "done"),
            item("render", "rendered/main", "done"),
        ]
    );
    let pulls = platform.fake.pulls();
    let opened: Vec<_> = pulls.iter().filter(|pull| pull.open).collect();
    assert_eq!(opened.len(), 1, "{pulls:?}");
    assert_eq!(opened[0].title, "Tear down the environment: Environment:dev-old");
    let changes = platform.fake.changes("main", &opened[0].head);
    assert_eq!(changes.keys().collect::<Vec<_>>(), ["environments/dev-old.yaml"]);
    assert_eq!(changes["environments/dev-old.yaml"], None, "the teardown removes the declaration");
    let comments = platform.fake.comments(platform.soon_pull);
    assert_eq!(comments.len(), 1);
    assert!(
        comments[0].body.contains("`Environment:dev-soon` expires on 2026-12-05T00:00:00Z"),
        "{}",
        comments[0].body
    );
    assert!(comments[0].body.contains("@acme/payments"), "{}", comments[0].body);
    let rendered = platform.rendered_commits();
    assert_eq!(rendered.len(), 1);

    // Again: everything is found done, nothing is sent but look-ups.
    platform.fake.clear_log();
    let again = platform.reconcile(&["--apply", "--push", "origin", "--format", "json"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert_eq!(
        items(&json(&again)),
        [
            item("run", "Environment:dev-old", "already done"),
            item("reminder", "Environment:dev-soon", "already done"),
            item("render", "rendered/main", "already done"),
        ]
    );
    let writes: Vec<String> =
        platform.fake.requests().into_iter().filter(|request| !request.starts_with("GET ")).collect();
    assert!(writes.is_empty(), "a second run writes nothing: {writes:?}");
    assert_eq!(platform.fake.pulls().len(), pulls.len());
    assert_eq!(platform.fake.comments(platform.soon_pull).len(), 1);
    assert_eq!(platform.rendered_commits(), rendered);

    let verify = cairn(&platform.repo.path, &["render", "--verify", &rendered[0]]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
}

/// The 3rd of 5 pull requests fails with a 500: the run says which were opened and which not,
/// exits 1, and the next run opens the missing one without opening any of the others again.
#[test]
fn a_failure_in_the_middle_is_completed_by_the_next_run_without_duplicates() {
    let expired = ["dev-a", "dev-b", "dev-c", "dev-d", "dev-e"];
    let platform = Platform::new(&expired);
    platform.fake.fail_nth("POST", "/pulls", 3, 500);
    let run = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let statuses: Vec<String> =
        items(&json(&run)).into_iter().map(|(_, subject, status)| format!("{subject} {status}")).collect();
    assert_eq!(
        statuses,
        [
            "Environment:dev-a done",
            "Environment:dev-b done",
            "Environment:dev-c failed",
            "Environment:dev-d done",
            "Environment:dev-e done",
            "Environment:dev-soon done",
            "rendered/main done",
        ]
    );
    assert_eq!(platform.fake.pulls().iter().filter(|pull| pull.open).count(), 4);

    let again = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let statuses: Vec<String> =
        items(&json(&again)).into_iter().map(|(_, subject, status)| format!("{subject} {status}")).collect();
    assert_eq!(statuses[2], "Environment:dev-c done");
    assert!(
        statuses.iter().enumerate().all(|(index, status)| index == 2 || status.ends_with("already done")),
        "{statuses:?}"
    );
    let open: Vec<String> =
        platform.fake.pulls().iter().filter(|pull| pull.open).map(|pull| pull.title.clone()).collect();
    assert_eq!(open.len(), 5, "{open:?}");
    let mut titles = open.clone();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 5, "no duplicates: {open:?}");
}

/// The connection drops after GitHub opened the 2nd of 5 pull requests: the run reports it
/// failed, and the next run finds that pull request and opens none twice.
#[test]
fn a_connection_that_drops_after_github_acted_leaves_no_duplicate() {
    let expired = ["dev-a", "dev-b", "dev-c", "dev-d", "dev-e"];
    let platform = Platform::new(&expired);
    platform.fake.drop_nth_after_acting("POST", "/pulls", 2);
    let first = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert_eq!(items(&json(&first))[1], item("run", "Environment:dev-b", "failed"), "the answer was lost");
    assert_eq!(platform.fake.pulls().iter().filter(|pull| pull.open).count(), 5, "but GitHub opened it");
    let again = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let statuses: Vec<String> = items(&json(&again)).into_iter().map(|(_, _, status)| status).collect();
    assert!(statuses.iter().all(|status| status == "already done" || status == "done"), "{statuses:?}");
    let mut heads: Vec<String> =
        platform.fake.pulls().into_iter().filter(|pull| pull.open).map(|pull| pull.head).collect();
    assert_eq!(heads.len(), 5, "{heads:?}");
    heads.sort();
    heads.dedup();
    assert_eq!(heads.len(), 5, "no branch has two pull requests");
}

/// Two reconciles of the same revision at once (two processes, one GitHub, one origin): one pull
/// request, one reminder, one rendered commit.
#[test]
fn two_racing_reconciles_open_no_duplicate_and_publish_one_commit() {
    let platform = Platform::new(&["dev-old"]);
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_cairn"))
                .args(["reconcile", "--apply", "--push", "origin", "--now", NOW])
                .current_dir(&platform.repo.path)
                .env("NO_COLOR", "1")
                .env("GITHUB_REPOSITORY", "acme/platform")
                .env("GITHUB_TOKEN", TOKEN)
                .env("GITHUB_API_URL", &platform.fake.url)
                .env("GITHUB_REF_NAME", "main")
                .env("CAIRN_RETRY_BASE_MS", "1")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("cairn starts")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("cairn ends");
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let open = platform.fake.pulls().into_iter().filter(|pull| pull.open).count();
    assert_eq!(open, 1, "{:?}", platform.fake.pulls());
    assert_eq!(platform.fake.comments(platform.soon_pull).len(), 1);
    assert_eq!(platform.rendered_commits().len(), 1);
}

/// A reconcile of an old revision (a re-run of an old workflow) after a newer one: it opens no
/// pull request from the old state and leaves the newer rendered output on the branch. The
/// branch has one commit per source commit whose output changed, each verified.
#[test]
fn an_old_revision_never_undoes_a_newer_one_and_each_rendered_commit_verifies() {
    let platform = Platform::new(&["dev-old"]);
    let first = platform.reconcile(&["--apply", "--push", "origin"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let old = platform.repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    // A commit that changes nothing rendered: no new rendered commit.
    platform.repo.write("README.md", "The Acme platform.\n");
    platform.commit("Say what this is", "2026-12-03T12:00:00Z");
    let same = platform.reconcile(&["--apply", "--push", "origin", "--format", "json"]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    assert_eq!(items(&json(&same)).last(), Some(&item("render", "rendered/main", "already done")));
    assert_eq!(platform.rendered_commits().len(), 1);

    // A new environment: its output is a second rendered commit.
    platform.repo.write("environments/dev-new.yaml", &environment("dev-new", "10d"));
    platform.commit("Create dev-new", "2026-12-03T18:00:00Z");
    let newer = platform.reconcile(&["--apply", "--push", "origin"]);
    assert_eq!(newer.code, 0, "{}{}", newer.stdout, newer.stderr);
    let rendered = platform.rendered_commits();
    assert_eq!(rendered.len(), 2);

    // The old revision again: nothing opened, nothing published.
    let pulls = platform.fake.pulls().len();
    let stale = platform.reconcile(&["--apply", "--push", "origin", "--rev", &old, "--format", "json"]);
    assert_eq!(stale.code, 0, "{}{}", stale.stdout, stale.stderr);
    let statuses: Vec<String> = items(&json(&stale)).into_iter().map(|(_, _, status)| status).collect();
    assert_eq!(statuses, ["skipped", "skipped", "skipped"], "{}", stale.stdout);
    assert_eq!(platform.fake.pulls().len(), pulls);
    assert_eq!(platform.rendered_commits(), rendered);

    for commit in &rendered {
        let verify = cairn(&platform.repo.path, &["render", "--verify", commit]);
        assert_eq!(verify.code, 0, "{commit}: {}{}", verify.stdout, verify.stderr);
    }
}

/// A teardown a person closed unmerged is not opened again, until the environment changes: then
/// it is another run, with a pull request of its own.
#[test]
fn a_teardown_closed_unmerged_is_not_reopened_until_the_environment_changes() {
    let platform = Platform::new(&["dev-old"]);
    let first = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let teardown = platform.fake.pulls().into_iter().find(|pull| pull.open).expect("the teardown");
    platform.fake.close_pull(teardown.number, false);

    let again = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let report = json(&again);
    assert_eq!(items(&report)[0], item("run", "Environment:dev-old", "skipped"));
    let detail = report["items"][0]["detail"].as_str().expect("why");
    assert!(detail.contains("closed unmerged"), "{detail}");
    assert!(platform.fake.pulls().iter().all(|pull| !pull.open));

    // Its owner retitles it (and leaves it expired): a new run, a new pull request.
    platform.repo.write(
        "environments/dev-old.yaml",
        &environment("dev-old", "2d").replace("team: payments\n", "title: Old dev\nteam: payments\n"),
    );
    platform.commit("Retitle dev-old", "2026-12-03T20:00:00Z");
    let changed = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(changed.code, 0, "{}{}", changed.stdout, changed.stderr);
    assert_eq!(items(&json(&changed))[0], item("run", "Environment:dev-old", "done"));
    let open: Vec<_> = platform.fake.pulls().into_iter().filter(|pull| pull.open).collect();
    assert_eq!(open.len(), 1);
    assert_ne!(open[0].head, teardown.head, "another branch: another run");
}

/// An environment whose creating commit names no pull request is reminded by one issue.
#[test]
fn without_a_creating_pull_request_the_reminder_is_one_issue() {
    let platform = Platform::new(&[]);
    platform.repo.write("environments/dev-direct.yaml", &environment("dev-direct", "1d"));
    platform.commit("Create dev-direct without a pull request", "2026-12-03T12:00:00Z");
    let run = platform.reconcile(&["--apply", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report = items(&json(&run));
    assert!(report.contains(&item("reminder", "Environment:dev-direct", "done")), "{report:?}");
    let issues = platform.fake.issues();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].title, "Environment:dev-direct expires on 2026-12-04T12:00:00Z");
    assert_eq!(issues[0].labels, ["cairn-reminder"]);
    let again = platform.reconcile(&["--apply", "--format", "json"]);
    assert!(items(&json(&again)).contains(&item("reminder", "Environment:dev-direct", "already done")));
    assert_eq!(platform.fake.issues().len(), 1);
}

/// A token GitHub refuses: nothing is done, the error says what to do, exit 2; the rendered
/// branch, which needs no GitHub, is still published.
#[test]
fn a_token_github_refuses_is_an_error_that_says_what_to_do() {
    let platform = Platform::new(&["dev-old"]);
    let run = platform.reconcile_with_token(&["--apply", "--push", "origin"], "ghs_expired");
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("help: GitHub did not accept the token"), "{}", run.stderr);
    // The report still says what was done and what was not.
    assert!(run.stdout.contains("render    rendered/main"), "{}", run.stdout);
    assert!(run.stdout.contains("failed: not carried out: GitHub cannot be used"), "{}", run.stdout);
    assert!(platform.fake.pulls().iter().all(|pull| !pull.open));
    assert_eq!(platform.rendered_commits().len(), 1);
}

/// Someone committed by hand on the rendered branch: the reconcile stops there with a clear
/// error, and destroys nothing of theirs.
#[test]
fn a_foreign_commit_on_the_rendered_branch_stops_the_publish_and_is_kept() {
    let platform = Platform::new(&[]);
    let first = platform.reconcile(&["--apply", "--push", "origin"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    // A person's commit on top of cairn's, pushed to origin.
    let scratch = tempfile::tempdir().expect("temp dir");
    git_in(scratch.path(), &["clone", "--quiet", "--branch", "rendered/main", &platform.origin, "hand"]);
    let hand = scratch.path().join("hand");
    std::fs::write(hand.join("hotfix.yaml"), "replicas: 9\n").expect("write");
    git_in(&hand, &["add", "hotfix.yaml"]);
    git_in(&hand, &["-c", "user.name=Eve", "-c", "user.email=eve@example.com", "commit", "--quiet", "-m", "hotfix"]);
    git_in(&hand, &["push", "--quiet", "origin", "rendered/main"]);
    let foreign = platform.rendered_commits()[0].clone();

    platform.repo.write("environments/dev-new.yaml", &environment("dev-new", "10d"));
    platform.commit("Create dev-new", "2026-12-03T18:00:00Z");
    let run = platform.reconcile(&["--apply", "--push", "origin", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report = json(&run);
    let render = report["items"].as_array().expect("items").last().expect("the render").clone();
    assert_eq!(render["status"], "failed");
    let detail = render["detail"].as_str().expect("why");
    assert!(detail.contains(&foreign[..12]) || detail.contains(&foreign), "{detail}");
    assert_eq!(platform.rendered_commits()[0], foreign, "their commit is still the tip");
}
