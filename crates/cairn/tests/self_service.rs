//! `cairn run`, `cairn new` and `cairn actions` end to end: the example's seven seed actions run
//! on a real git repository holding `examples/acme`, into the working tree and as pull requests
//! against the in-memory GitHub of `support::github` (which checks the token on every request),
//! compared byte for byte with the expected results in `tests/cases/actions/`.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;
use support::github::FakeGitHub;
use support::{GitRepo, Run, cairn, cairn_with_env, copy_tree, project_dir};

const TOKEN: &str = "ghs_self_service";

/// The clock every run is judged by: the example's dev environment is still alive then.
const NOW: &str = "2026-11-25T12:00:00Z";

/// A git repository whose root is a copy of `examples/acme`, committed.
fn acme() -> GitRepo {
    let repo = GitRepo::new();
    copy_tree(&project_dir().join("examples/acme"), &repo.path);
    repo.commit("Alice", "the Acme platform");
    repo
}

fn github(repo: &GitRepo) -> FakeGitHub {
    let fake = FakeGitHub::start("acme", "platform", TOKEN);
    fake.load_git(&repo.path, "main");
    fake
}

/// `cairn ARGS` in the repository, with GitHub's variables pointing at `fake`.
fn run_pr(repo: &GitRepo, fake: &FakeGitHub, args: &[&str], token: &str) -> Run {
    cairn_with_env(
        &repo.path,
        args,
        &[
            ("NO_COLOR", "1"),
            ("GITHUB_REPOSITORY", "acme/platform"),
            ("GITHUB_TOKEN", token),
            ("GITHUB_API_URL", &fake.url),
            ("GITHUB_ACTOR", "alice"),
            ("CAIRN_RETRY_BASE_MS", "1"),
        ],
    )
}

fn case(name: &str) -> (Value, std::path::PathBuf) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/actions").join(name);
    let text = fs::read_to_string(folder.join("run.json")).expect("run.json");
    (serde_json::from_str(&text).expect("run.json is JSON"), folder)
}

/// The case's command, with the clock and the actor of its `run` (or the defaults).
fn command(case: &Value) -> Vec<String> {
    let mut args: Vec<String> =
        case["command"].as_array().expect("a command").iter().map(|a| a.as_str().expect("text").to_owned()).collect();
    let now = case["run"]["now"].as_str().unwrap_or(NOW);
    let actor = case["run"]["actor"].as_str().unwrap_or("alice");
    args.extend(["--now".to_owned(), now.to_owned(), "--actor".to_owned(), actor.to_owned()]);
    args
}

/// What the case says the run does: each path to its bytes after the run (`None`: deleted).
fn expected(case: &Value, folder: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut files = BTreeMap::new();
    for key in ["changed", "created"] {
        if let Some(map) = case[key].as_object() {
            for (path, file) in map {
                let bytes = fs::read(folder.join(file.as_str().expect("a file name"))).expect("the expected file");
                files.insert(path.clone(), Some(bytes));
            }
        }
    }
    for path in case["removed"].as_array().into_iter().flatten() {
        files.insert(path.as_str().expect("a path").to_owned(), None);
    }
    files
}

fn args_of(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Every seed action, run with `--pr` against the local GitHub: one pull request each, whose
/// branch changes exactly the files the case lists, byte for byte, with the case's title and the
/// trailers that name the action, its inputs, its entity and who ran it; the result passes
/// `cairn check`.
#[test]
fn each_seed_action_opens_the_pull_request_its_case_expects() {
    let names = [
        "extend-ttl",
        "add-resource",
        "scale-replicas",
        "deprecate-api",
        "teardown-environment",
        "create-dev-environment",
        "scaffold-service",
    ];
    for name in names {
        let repo = acme();
        let fake = github(&repo);
        let (case, folder) = case(name);
        let mut args = command(&case);
        args.push("--pr".to_owned());
        let run = run_pr(&repo, &fake, &args_of(&args), TOKEN);
        assert_eq!(run.code, 0, "{name}: {}\n{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("opened pull request #1"), "{name}: {}", run.stdout);

        let pulls = fake.pulls();
        assert_eq!(pulls.len(), 1, "{name}: one pull request");
        let pull = &pulls[0];
        assert!(pull.open && pull.base == "main", "{name}: {pull:?}");
        assert!(pull.head.starts_with(&format!("cairn/{name}/")), "{name}: branch {}", pull.head);
        assert_eq!(pull.title, case["title"].as_str().expect("a title"), "{name}");
        // Besides the case's files, a run that adds or removes an entity regenerates the committed
        // workflows that offer it as a choice.
        let (workflows, files): (BTreeMap<_, _>, BTreeMap<_, _>) =
            fake.changes("main", &pull.head).into_iter().partition(|(path, _)| path.starts_with(".github/workflows/"));
        assert_eq!(files, expected(&case, &folder), "{name}: the files the branch changes");
        let regenerates = matches!(name, "teardown-environment" | "create-dev-environment" | "scaffold-service");
        assert_eq!(!workflows.is_empty(), regenerates, "{name}: workflows regenerated: {:?}", workflows.keys());

        let commit = fake.commit(&fake.branch(&pull.head).expect("the branch")).expect("its commit");
        let inputs = serde_json::to_string(&case["inputs"]).expect("JSON");
        assert!(commit.message.contains(&format!("Cairn-Action: {name}\n")), "{name}: {}", commit.message);
        assert!(commit.message.contains(&format!("Cairn-Inputs: {inputs}\n")), "{name}: {}", commit.message);
        if let Some(entity) = case["entity"].as_str() {
            assert!(commit.message.contains(&format!("Cairn-Entity: {entity}\n")), "{name}: {}", commit.message);
        }
        let actor = case["run"]["actor"].as_str().unwrap_or("alice");
        assert!(commit.message.contains(&format!("Cairn-Run-By: {actor}")), "{name}: {}", commit.message);
        assert_eq!(commit.parents, [repo.git(&["rev-parse", "HEAD"]).trim()], "{name}: on the platform's HEAD");
        assert!(pull.body.contains(&format!("`cairn run {name}`")), "{name}: {}", pull.body);
        assert!(pull.body.contains(actor), "{name}: the body names who ran it");

        // The branch's files, checked out, pass the checks.
        let checkout = GitRepo::new();
        for (path, bytes) in fake.files(&pull.head).expect("the branch's files") {
            let full = checkout.path.join(&path);
            fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
            fs::write(full, bytes).expect("write");
        }
        let check = cairn(&checkout.path, &["check", ".", "--now", NOW]);
        assert_eq!(check.code, 0, "{name}: the result passes cairn check: {}{}", check.stdout, check.stderr);
        assert!(check.stdout.contains("no findings"), "{name}: not even a stale workflow: {}", check.stdout);
    }
}

/// The "done when": extend-ttl opens one pull request whose diff is the TTL line alone,
/// every comment kept; a second run finds it and sends nothing but the look-up.
#[test]
fn extending_a_ttl_twice_opens_one_pull_request() {
    let repo = acme();
    let fake = github(&repo);
    let args =
        ["run", "extend-ttl", "--entity", "Environment:dev-alice-checkout", "--set", "days=3", "--pr", "--now", NOW];
    let first = run_pr(&repo, &fake, &args, TOKEN);
    assert_eq!(first.code, 0, "{}\n{}", first.stdout, first.stderr);
    let pull = fake.pulls().remove(0);
    let before = fs::read_to_string(repo.path.join("environments/dev-alice-checkout.yaml")).expect("the file");
    let changes = fake.changes("main", &pull.head);
    let after =
        String::from_utf8(changes["environments/dev-alice-checkout.yaml"].clone().expect("edited")).expect("UTF-8");
    let differing: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(differing, [("  ttl: 5d", "  ttl: 8d")], "only the TTL line changes");
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(after.starts_with("# Alice's short-lived environment"), "the comment is kept");

    fake.clear_log();
    let second = run_pr(&repo, &fake, &args, TOKEN);
    assert_eq!(second.code, 0, "{}\n{}", second.stdout, second.stderr);
    assert!(second.stdout.contains("pull request #1 for this same run is already open"), "{}", second.stdout);
    assert_eq!(fake.pulls().len(), 1, "no second pull request");
    assert!(fake.log().iter().all(|logged| logged.method == "GET"), "nothing sent but look-ups: {:?}", fake.requests());

    // After the merge, the same request is a new run: the TTL grows again.
    fake.close_pull(1, true);
    repo.write("environments/dev-alice-checkout.yaml", &after);
    repo.commit("Alice", "Merge the extension");
    fake.load_git(&repo.path, "main");
    let third = run_pr(&repo, &fake, &args, TOKEN);
    assert_eq!(third.code, 0, "{}\n{}", third.stdout, third.stderr);
    assert!(third.stdout.contains("opened pull request #2"), "{}", third.stdout);
    let pull = fake.pulls().into_iter().find(|pull| pull.number == 2).expect("the second pull request");
    let extended = fake.changes("main", &pull.head);
    let text =
        String::from_utf8(extended["environments/dev-alice-checkout.yaml"].clone().expect("edited")).expect("UTF-8");
    assert!(text.contains("  ttl: 11d\n"), "{text}");
}

/// A GitHub failure halfway (the branch made, the pull request refused) fails the run; the
/// re-run completes it with one branch and one pull request.
#[test]
fn a_run_that_failed_halfway_is_completed_by_the_next() {
    let repo = acme();
    let fake = github(&repo);
    let args = [
        "run",
        "scale-replicas",
        "--entity",
        "Component:checkout-service",
        "--set",
        "replicas=5",
        "--pr",
        "--now",
        NOW,
    ];
    fake.fail("POST", "/pulls", 500);
    let failed = run_pr(&repo, &fake, &args, TOKEN);
    assert_eq!(failed.code, 2, "{}\n{}", failed.stdout, failed.stderr);
    assert!(failed.stderr.contains("GitHub answered 500"), "{}", failed.stderr);
    assert!(fake.pulls().is_empty());
    let branches = fake.branches();
    let again = run_pr(&repo, &fake, &args, TOKEN);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    assert_eq!(fake.pulls().len(), 1);
    assert_eq!(fake.branches(), branches, "the branch the first run made is reused");

    let refused = run_pr(&repo, &fake, &args, "ghs_wrong");
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("GitHub did not accept the token"), "{}", refused.stderr);
}

/// Without `--pr` the change goes into the working tree; the scaffolded service passes the
/// checks. `cairn new` is the same run, for CREATE actions only.
#[test]
fn scaffolding_a_service_writes_files_that_pass_the_checks() {
    let (case, folder) = case("scaffold-service");
    let repo = acme();
    let run = cairn(&repo.path, &args_of(&command(&case)));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("written to the working tree"), "{}", run.stdout);
    for (path, bytes) in expected(&case, &folder) {
        assert_eq!(fs::read(repo.path.join(&path)).ok(), bytes, "{path}");
    }
    let check = cairn(&repo.path, &["check", ".", "--now", NOW]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("88 entities") && check.stdout.contains("no findings"), "{}", check.stdout);

    // The same run again: the service exists now.
    let again = cairn(&repo.path, &args_of(&command(&case)));
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("E1017"), "{}", again.stderr);

    let fresh = acme();
    let mut new = command(&case);
    new[0] = "new".to_owned();
    let run = cairn(&fresh.path, &args_of(&new));
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for (path, bytes) in expected(&case, &folder) {
        assert_eq!(fs::read(fresh.path.join(&path)).ok(), bytes, "{path}");
    }
    let not_create = cairn(&fresh.path, &["new", "extend-ttl", "--entity", "dev-alice-checkout"]);
    assert_eq!(not_create.code, 1, "{}", not_create.stderr);
    assert!(not_create.stderr.contains("is a DAY-2 action, not a CREATE action"), "{}", not_create.stderr);
}

/// Bad runs are refused with located findings and exit 1, nothing written.
#[test]
fn bad_runs_are_refused_with_a_finding_and_nothing_written() {
    let repo = acme();
    let refused = |args: &[&str], code: &str, text: &str| {
        let run = cairn(&repo.path, args);
        assert_eq!(run.code, 1, "{args:?}: {}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains(code), "{args:?} should say {code}: {}", run.stderr);
        assert!(run.stderr.contains(text), "{args:?} should say {text:?}: {}", run.stderr);
    };
    refused(&["run", "extend-tl"], "E1020", "did you mean `extend-ttl`?");
    refused(&["run", "extend-ttl", "--entity", "dev-alice-chekout", "--set", "days=3"], "E1018", "dev-alice-checkout");
    refused(&["run", "extend-ttl", "--entity", "dev-alice-checkout", "--set", "days=many"], "E1011", "days");
    refused(&["run", "extend-ttl", "--entity", "dev-alice-checkout", "--set", "weeks=1"], "E1010", "weeks");
    refused(
        &["run", "scaffold-service", "--set", "name=gift-cards", "--set", "system=chekout"],
        "E1013",
        "did you mean `checkout`?",
    );
    refused(
        &["run", "scaffold-service", "--set", "name=checkout-service", "--set", "system=checkout"],
        "E1017",
        "already exists",
    );
    refused(
        &["run", "add-resource", "--entity", "dev-alice-checkout", "--set", "name=x", "--set", "type=oracle"],
        "E1011",
        "oracle",
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "nothing written");

    // A result that fails the checks (a 15-day development environment breaks Acme's policy)
    // is shown and not written, unless `--allow-failing`.
    let long = ["run", "extend-ttl", "--entity", "dev-alice-checkout", "--set", "days=10", "--now", NOW];
    let run = cairn(&repo.path, &long);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("the run fails cairn's checks: nothing written"), "{}", run.stderr);
    assert!(run.stdout.contains("ttl: 15d"), "the diff is shown: {}", run.stdout);
    assert_eq!(repo.git(&["status", "--porcelain"]), "", "nothing written");
    let fake = github(&repo);
    let mut allowed: Vec<&str> = long.to_vec();
    allowed.extend(["--allow-failing", "--pr"]);
    let run = run_pr(&repo, &fake, &allowed, TOKEN);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let pull = fake.pulls().remove(0);
    assert!(pull.body.starts_with("> [!WARNING]"), "the pull request says so at the top: {}", pull.body);
}

/// `cairn actions list` lists the seven actions and the bundled default automation; `cairn actions workflows` writes the example's
/// committed workflows byte for byte (stable), each a YAML workflow on `workflow_dispatch`; an
/// action changed without its workflow is a warning in `cairn check`, with the command that
/// regenerates it.
#[test]
fn actions_are_listed_and_their_workflows_are_stable_and_checked() {
    let repo = acme();
    let list = cairn(&repo.path, &["actions", "list", "--format", "json"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let listed: Value = serde_json::from_str(&list.stdout).expect("JSON");
    let names: Vec<&str> = listed.as_array().expect("a list").iter().filter_map(|a| a["identifier"].as_str()).collect();
    assert_eq!(
        names,
        [
            "add-resource",
            "create-dev-environment",
            "deprecate-api",
            "expire-environments",
            "extend-ttl",
            "scaffold-service",
            "scale-replicas",
            "teardown-environment"
        ]
    );
    // The bundled default automation is listed as bundled; it runs the example's own
    // `teardown-environment`, which replaces the bundled action of that name.
    let bundled: Vec<&str> = listed
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["bundled"] == Value::Bool(true))
        .filter_map(|a| a["identifier"].as_str())
        .collect();
    assert_eq!(bundled, ["expire-environments"]);
    let table = cairn(&repo.path, &["actions", "list"]);
    assert!(
        table.stdout.contains("on TIMER_PROPERTY_EXPIRED (lifetime), runs teardown-environment (bundled)"),
        "{}",
        table.stdout
    );

    let out = tempfile::tempdir().expect("temp dir");
    let written = cairn(&repo.path, &["actions", "workflows", "--out", &out.path().to_string_lossy()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let committed = project_dir().join("examples/acme/.github/workflows");
    let mut count = 0;
    for entry in fs::read_dir(out.path()).expect("the folder") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().expect("a name").to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("a workflow");
        assert_eq!(Some(&text), fs::read_to_string(committed.join(&name)).ok().as_ref(), "{name} is stable");
        let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
        assert!(workflow["on"]["workflow_dispatch"].is_mapping(), "{name}");
        assert_eq!(workflow["jobs"]["run"]["permissions"]["contents"].as_str(), Some("write"), "{name}");
        count += 1;
    }
    assert_eq!(count, 7);

    let action = repo.path.join("actions/extend-ttl.yaml");
    let text = fs::read_to_string(&action)
        .expect("the action")
        .replace("title: Extend an environment's lifetime", "title: Extend an environment's life");
    assert_ne!(text, fs::read_to_string(&action).expect("the action"), "the action changes");
    fs::write(&action, text).expect("write");
    let check = cairn(&repo.path, &["check", ".", "--now", NOW]);
    assert_eq!(check.code, 0, "a warning only: {}", check.stdout);
    assert!(check.stdout.contains("W1031"), "{}", check.stdout);
    assert!(check.stdout.contains("cairn actions workflows"), "{}", check.stdout);
    let regenerated = cairn(&repo.path, &["actions", "workflows"]);
    assert_eq!(regenerated.code, 0, "{}", regenerated.stderr);
    let check = cairn(&repo.path, &["check", ".", "--now", NOW]);
    assert!(check.stdout.contains("no findings"), "{}", check.stdout);
}
