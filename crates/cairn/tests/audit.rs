//! `cairn audit log`: the real binary over a history made here with fixed people and dates (so
//! commit ids, and the snapshots, never change): several authors, a file moved, an entity moved
//! into a file of several documents, a merge with two parents, a deletion and a re-creation.

mod support;

use support::{GitRepo, cairn, commit_at, git_in, merge_at};

fn service(identifier: &str, tier: u32) -> String {
    format!("identifier: {identifier}\nblueprint: Service\nteam: payments\nproperties:\n  tier: {tier}\n")
}

/// The history every test reads, oldest first:
/// 20th: Alice adds cart and shop (#12); 21st: Bob raises cart's tier through the `set-tier`
/// action; 22nd: Carol moves cart's file (`git mv`); 23rd: Alice gathers cart and a new
/// `worker` into one file of two documents; 24th: Dave raises shop's tier on a branch, Alice
/// retires cart on main, and the branch is merged (#21); 25th: Bob brings cart back.
fn history() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("catalog/cart.yaml", &service("cart", 1)).write("catalog/shop.yaml", &service("shop", 1));
    commit_at(&repo, "Alice", "Add cart and shop (#12)", "2026-11-20T10:00:00Z");
    repo.write("catalog/cart.yaml", &service("cart", 2));
    commit_at(
        &repo,
        "Bob",
        "Raise cart's tier\n\nCairn-Action: set-tier\nCairn-Inputs: {\"tier\":2}\nCairn-Entity: Service:cart\nCairn-Run-By: bob",
        "2026-11-21T10:00:00Z",
    );
    std::fs::create_dir_all(repo.path.join("catalog/payments")).expect("a folder");
    repo.git(&["mv", "catalog/cart.yaml", "catalog/payments/cart.yaml"]);
    commit_at(&repo, "Carol", "Move cart into payments/", "2026-11-22T10:00:00Z");
    repo.git(&["rm", "--quiet", "catalog/payments/cart.yaml"]);
    repo.write("catalog/payments/all.yaml", &format!("{}---\n{}", service("cart", 2), service("worker", 1)));
    commit_at(&repo, "Alice", "Gather payments' services in one file", "2026-11-23T10:00:00Z");
    repo.git(&["checkout", "--quiet", "-b", "feature"]);
    repo.write("catalog/shop.yaml", &service("shop", 2));
    commit_at(&repo, "Dave", "Shop tier 2", "2026-11-24T09:00:00Z");
    repo.git(&["checkout", "--quiet", "main"]);
    repo.write("catalog/payments/all.yaml", &service("worker", 1));
    commit_at(&repo, "Alice", "Retire cart", "2026-11-24T10:00:00Z");
    merge_at(&repo, "Alice", "feature", "Merge pull request #21 from dave/feature", "2026-11-24T12:00:00Z");
    repo.write("catalog/cart.yaml", &service("cart", 3));
    commit_at(&repo, "Bob", "Bring cart back (#22)", "2026-11-25T10:00:00Z");
    repo
}

fn log(repo: &GitRepo, extra: &[&str]) -> support::Run {
    let mut args = vec!["audit", "log", "."];
    args.extend_from_slice(extra);
    cairn(&repo.path, &args)
}

/// The whole catalog's log, first-parent: the merge is one change (shop's tier), the branch's
/// own commit is not listed; the move and the re-split are `moved`.
#[test]
fn the_log_for_people() {
    let repo = history();
    let run = log(&repo, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("Shop tier 2"), "{}", run.stdout);
    insta::assert_snapshot!("human", run.stdout);
}

/// One entity through moves, a deletion and a re-creation: exactly the commits that changed it.
#[test]
fn one_entity_is_followed_through_its_files() {
    let repo = history();
    let run = log(&repo, &["--entity", "Service:cart"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The subject is the one line indented four spaces (fields are indented six).
    let subjects: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("    ") && !line.starts_with("     ") && !line.starts_with("    committed"))
        .collect();
    assert_eq!(
        subjects,
        [
            "    Bring cart back (#22)",
            "    Retire cart",
            "    Gather payments' services in one file",
            "    Move cart into payments/",
            "    Raise cart's tier",
            "    Add cart and shop (#12)",
        ],
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  moved     Service:cart  catalog/cart.yaml → catalog/payments/cart.yaml\n"));
    assert!(run.stdout.contains("  deleted   Service:cart  catalog/payments/all.yaml\n"));
    assert!(run.stdout.contains("action `set-tier` run by bob"), "{}", run.stdout);
}

/// JSON and CSV, snapshotted: commit ids are stable because people and dates are fixed.
#[test]
fn json_and_csv() {
    let repo = history();
    let json = log(&repo, &["--entity", "Service:cart", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(value["entries"].as_array().map(Vec::len), Some(6));
    assert_eq!(value["entries"][0]["commit"]["pullRequest"], 22);
    assert_eq!(value["entries"][4]["commit"]["action"], "set-tier");
    insta::assert_snapshot!("cart_json", json.stdout);
    let csv = log(&repo, &["--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    insta::assert_snapshot!("csv", csv.stdout);
}

/// Every parent: the branch's commit shows its own change, and the merge, which decided
/// nothing itself, shows none.
#[test]
fn every_parent_shows_the_branch_commits() {
    let repo = history();
    let first = log(&repo, &["--blueprint", "Service", "--since", "2026-11-24", "--until", "2026-11-24"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("Merge pull request #21 from dave/feature\n  modified  Service:shop"),
        "{}",
        first.stdout
    );
    assert!(!first.stdout.contains("Shop tier 2"));

    let every = log(&repo, &["--all-parents", "--since", "2026-11-24", "--until", "2026-11-24", "--format", "csv"]);
    assert_eq!(every.code, 0, "{}", every.stderr);
    let rows: Vec<String> = every
        .stdout
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            format!("{} {} {}:{}", cells[2], cells[8], cells[9], cells[10])
        })
        .collect();
    assert_eq!(rows, ["Alice deleted Service:cart", "Dave modified Service:shop"], "{}", every.stdout);
}

/// `--since` and `--until` take days (the whole day) or RFC 3339 instants.
#[test]
fn the_dates_bound_the_commits() {
    let repo = history();
    let run = log(&repo, &["--since", "2026-11-21T00:00:00Z", "--until", "2026-11-22", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let subjects: Vec<&str> = run.stdout.lines().skip(1).map(|line| &line[..40]).collect();
    assert_eq!(subjects.len(), 2, "{}", run.stdout);
    let human = log(&repo, &["--since", "2026-11-21T00:00:00Z", "--until", "2026-11-22"]);
    assert!(human.stdout.contains("Move cart into payments/") && human.stdout.contains("Raise cart's tier"));
    assert!(!human.stdout.contains("Add cart and shop"), "{}", human.stdout);
}

/// Nothing matched: said on stderr, exit 1, never a silent empty log.
#[test]
fn nothing_matched_exits_1() {
    let repo = history();
    let run = log(&repo, &["--entity", "Service:nope"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("error: no change to the entity `Service:nope` in the history of `HEAD`"),
        "{}",
        run.stderr
    );
    let run = log(&repo, &["--blueprint", "Service", "--since", "2030-01-01"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("in the dates given (0 commits read)"), "{}", run.stderr);
}

/// Usage and git errors exit 2, each naming what is wrong.
#[test]
fn bad_input_exits_2() {
    let repo = history();
    let date = log(&repo, &["--since", "2026-13-01"]);
    assert_eq!(date.code, 2);
    assert!(
        date.stderr.contains("'--since <DATE>'") && date.stderr.contains("`2026-13-01` is neither"),
        "{}",
        date.stderr
    );
    let until = log(&repo, &["--until", "yesterday"]);
    assert_eq!(until.code, 2);
    assert!(until.stderr.contains("'--until <DATE>'"), "{}", until.stderr);
    let entity = log(&repo, &["--entity", "cart"]);
    assert_eq!(entity.code, 2);
    assert!(entity.stderr.contains("names no blueprint"), "{}", entity.stderr);
    let both = log(&repo, &["--entity", "Service:cart", "--blueprint", "Service"]);
    assert_eq!(both.code, 2);
    let rev = log(&repo, &["--rev", "mian"]);
    assert_eq!(rev.code, 2);
    assert!(
        rev.stderr.contains("unknown revision `mian`") && rev.stderr.contains("did you mean `main`"),
        "{}",
        rev.stderr
    );
    let outside = tempfile::tempdir().expect("a temporary directory");
    let run = cairn(outside.path(), &["audit", "log", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not in a git repository"), "{}", run.stderr);
}

/// A shallow clone: an error naming the commit where the history is cut, and how to fetch it.
#[test]
fn a_shallow_clone_is_an_error() {
    let repo = history();
    let clone = tempfile::tempdir().expect("a temporary directory");
    let url = format!("file://{}", repo.path.display());
    git_in(clone.path(), &["clone", "--quiet", "--depth", "2", &url, "shallow"]);
    let run = cairn(&clone.path().join("shallow"), &["audit", "log", "."]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let cut = repo.git(&["rev-parse", "HEAD~1"]);
    assert!(
        run.stderr.contains(&format!("error: the history of `HEAD` is cut short at commit `{}`", cut.trim())),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("git fetch --unshallow"), "{}", run.stderr);
}

/// A commit that writes a file that is not YAML: its finding is shown at that commit, located,
/// and the walk goes on to the commits before it.
#[test]
fn a_broken_file_is_a_finding_of_its_commit() {
    let repo = GitRepo::new();
    repo.write("catalog/cart.yaml", &service("cart", 1));
    commit_at(&repo, "Alice", "Add cart", "2026-11-20T10:00:00Z");
    repo.write("catalog/broken.yaml", "identifier: [unclosed\n");
    commit_at(&repo, "Mallory", "Break a file", "2026-11-21T10:00:00Z");
    repo.write("catalog/cart.yaml", &service("cart", 2));
    commit_at(&repo, "Bob", "Raise cart", "2026-11-22T10:00:00Z");

    let human = log(&repo, &[]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    let at_commit = "    Break a file\n  error E0101 catalog/broken.yaml:2:1: invalid YAML";
    assert!(human.stdout.contains(at_commit), "{}", human.stdout);
    assert!(human.stdout.contains("2 changes in 2 commits, of 3 commits read\n1 finding"), "{}", human.stdout);
    let json = log(&repo, &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let finding = &value["findings"][0];
    assert_eq!((finding["code"].as_str(), finding["file"].as_str()), (Some("E0101"), Some("catalog/broken.yaml")));
    assert_eq!(finding["commit"].as_str().map(str::len), Some(40));
    assert_eq!(value["entries"].as_array().map(Vec::len), Some(2));
}
