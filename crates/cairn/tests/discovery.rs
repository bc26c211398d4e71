//! The platform found from any folder or file inside it (`cairn.yaml` looked for upward),
//! `cairn check FILE...` for pre-commit, and the `.pre-commit-hooks.yaml` this repository ships.

mod support;

use std::fs;

use support::{GitRepo, cairn, copy_tree, project_dir};

const TEAM: &str = "identifier: payments\nblueprint: _team\n";

fn domain(id: &str, team: &str) -> String {
    format!("identifier: {id}\nblueprint: Domain\nteam: {team}\n")
}

#[test]
fn check_from_inside_the_catalog_checks_the_whole_platform() {
    let catalog = project_dir().join("examples/acme/catalog");
    let run = cairn(&catalog, &["check", "--verbose"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.lines().last().is_some_and(
            |line| line.starts_with("checked 87 entities and 8 blueprints from 120 files of `..` with 9 policies")
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("note: the platform is `..`, the nearest folder above `.` with a `cairn.yaml`"),
        "{}",
        run.stderr
    );
    let deeper = cairn(&catalog.join("commerce/checkout"), &["check", "."]);
    assert!(
        deeper.stdout.lines().last().is_some_and(|line| line.starts_with("checked 87 entities")),
        "{}",
        deeper.stdout
    );
}

#[test]
fn without_cairn_yaml_the_folder_given_is_the_platform_and_verbose_says_so() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::create_dir_all(dir.path().join("catalog")).expect("a folder");
    fs::write(dir.path().join("catalog/team.yaml"), TEAM).expect("written");
    let run = cairn(&dir.path().join("catalog"), &["check", "--verbose"]);
    // `catalog/` has no `catalog/` folder of its own: nothing is read, which is a warning.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("note: no `cairn.yaml` in `.` or a folder above it: checking `.` as the platform"));
    assert!(run.stdout.contains("W0701"), "{}", run.stdout);
    assert!(run.stdout.contains("checked 0 entities"), "{}", run.stdout);
}

/// A git repository with a platform in `platform/`: a team and a domain of it, committed.
fn monorepo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("platform/cairn.yaml", "version: 1\n")
        .write("platform/catalog/team.yaml", TEAM)
        .write("platform/catalog/shop.yaml", &domain("shop", "payments"))
        .write("README.md", "a monorepo\n");
    repo.commit("Alice", "The platform");
    repo
}

#[test]
fn rev_base_head_and_plan_find_the_platform_from_a_folder_inside_it() {
    let repo = monorepo();
    repo.write("platform/catalog/broken.yaml", &domain("broken", "nobody"));
    repo.commit("Bob", "A broken domain");
    let inside = repo.path.join("platform/catalog");

    let run = cairn(&inside, &["check", "--rev", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["summary"]["entities"], 3);
    assert_eq!(report["diagnostics"][0]["file"], "platform/catalog/broken.yaml", "JSON names files from the git root");

    let change = cairn(&inside, &["check", "--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(change.code, 1, "{}{}", change.stdout, change.stderr);
    assert!(change.stdout.contains("checked 3 entities"), "{}", change.stdout);

    let plan = cairn(&inside, &["plan", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(plan.code, 1, "{}{}", plan.stdout, plan.stderr);
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).expect("JSON");
    assert!(plan.to_string().contains("Domain:broken"), "{plan}");
}

#[test]
fn policy_test_finds_the_platform_from_a_folder_inside_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    copy_tree(&project_dir().join("examples/acme"), dir.path());
    let from_root = cairn(dir.path(), &["policy", "test"]);
    let inside = cairn(&dir.path().join("catalog"), &["policy", "test"]);
    assert_eq!(from_root.code, 0, "{}{}", from_root.stdout, from_root.stderr);
    let closing = |stdout: &str| stdout.lines().last().unwrap_or_default().to_owned();
    assert_eq!(closing(&inside.stdout), closing(&from_root.stdout));
    assert!(closing(&inside.stdout).contains("passed"), "{}", inside.stdout);
}

#[test]
fn check_of_files_reads_the_whole_platform_and_reports_only_those_files() {
    let repo = monorepo();
    repo.write("platform/catalog/a.yaml", &domain("a", "nobody"))
        .write("platform/catalog/b.yaml", &domain("b", "shop"))
        .write("platform/catalog/c.yaml", &domain("c", "nobody"));
    let platform = repo.path.join("platform");
    let lines = |stdout: &str| -> Vec<String> {
        let report: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
        support::finding_lines(&report)
            .into_iter()
            .map(|line| line.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect()
    };

    // Relative to the current folder (here the repository's top, as pre-commit runs hooks).
    let run =
        cairn(&repo.path, &["check", "platform/catalog/a.yaml", "platform/catalog/shop.yaml", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // `shop.yaml` is clean: its team resolves because the whole platform was read.
    assert_eq!(lines(&run.stdout), ["platform/catalog/a.yaml:3:7 E0313"]);

    // A file whose only problem is a relation is judged against the whole platform too.
    let absolute = platform.join("catalog/b.yaml");
    let run = cairn(&platform.join("catalog"), &["check", absolute.to_str().expect("UTF-8"), "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(lines(&run.stdout), ["platform/catalog/b.yaml:3:7 E0313"]);

    // A clean file passes, whatever is wrong elsewhere.
    let run = cairn(&platform, &["check", "catalog/team.yaml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no findings"), "{}", run.stdout);
}

#[test]
fn a_file_outside_any_platform_or_two_platforms_at_once_is_a_clear_error() {
    let repo = monorepo();
    repo.write("other/cairn.yaml", "").write("other/catalog/team.yaml", TEAM);
    let outside = cairn(&repo.path, &["check", "README.md"]);
    assert_eq!(outside.code, 2);
    assert!(
        outside
            .stderr
            .starts_with("error: `README.md` is not in a platform: no `cairn.yaml` in its folder or a folder above it"),
        "{}",
        outside.stderr
    );
    assert!(outside.stderr.contains("help: "), "{}", outside.stderr);

    let two = cairn(&repo.path, &["check", "platform/catalog/team.yaml", "other/catalog/team.yaml"]);
    assert_eq!(two.code, 2);
    assert!(two.stderr.contains("are in two platforms"), "{}", two.stderr);

    let missing = cairn(&repo.path, &["check", "platform/catalog/team.yaml", "platform/catalog/gone.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("`platform/catalog/gone.yaml` is not a file"), "{}", missing.stderr);

    let with_rev = cairn(&repo.path, &["check", "platform/catalog/team.yaml", "--rev", "HEAD"]);
    assert_eq!(with_rev.code, 2);
    assert!(with_rev.stderr.contains("read from disk"), "{}", with_rev.stderr);
}

#[test]
fn the_pre_commit_hook_runs_cairn_check_on_the_files_it_is_given() {
    let text = fs::read_to_string(project_dir().join(".pre-commit-hooks.yaml")).expect("the hook manifest");
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    // The keys pre-commit reads from a hook manifest (https://pre-commit.com/#new-hooks).
    let Some([hook]) = hooks.as_sequence().map(Vec::as_slice) else { panic!("one hook: {hooks:?}") };
    let text = |key: &str| hook[key].as_str().unwrap_or_else(|| panic!("`{key}` is a string")).to_owned();
    assert_eq!((text("id").as_str(), text("language").as_str()), ("cairn-check", "system"));
    assert_eq!((hook["pass_filenames"].as_bool(), hook["require_serial"].as_bool()), (Some(true), Some(true)));
    assert!(!text("name").is_empty() && !text("description").is_empty());
    let known = ["id", "name", "description", "entry", "language", "files", "pass_filenames", "require_serial"];
    let keys: Vec<&str> = hook.as_mapping().expect("a mapping").keys().filter_map(serde_yaml::Value::as_str).collect();
    assert!(keys.iter().all(|key| known.contains(key)), "{keys:?}");
    let files = regex::Regex::new(&text("files")).expect("pre-commit's `files` is a regular expression");
    for (path, matched) in [
        ("catalog/a.yaml", true),
        ("b.yml", true),
        ("blueprints/c.json", true),
        ("README.md", false),
        ("a.yaml.bak", false),
    ] {
        assert_eq!(files.is_match(path), matched, "{path}");
    }

    // pre-commit runs `entry` in the repository's top folder with the staged files that match
    // appended (https://pre-commit.com/#hooks-pass_filenames).
    let repo = monorepo();
    repo.write("platform/catalog/a.yaml", &domain("a", "nobody"));
    let entry = text("entry");
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("cairn"));
    let mut args: Vec<&str> = words.collect();
    args.extend(["platform/catalog/a.yaml", "platform/catalog/shop.yaml"]);
    let run = cairn(&repo.path, &args);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("E0313"), "{}", run.stdout);
    assert!(run.stdout.contains("catalog/a.yaml"), "{}", run.stdout);
    assert!(!run.stdout.contains("catalog/shop.yaml"), "{}", run.stdout);
    fs::write(repo.path.join("platform/catalog/a.yaml"), domain("a", "payments")).expect("fixed");
    assert_eq!(cairn(&repo.path, &args).code, 0);
}

#[test]
fn gitignored_files_are_not_read_on_disk() {
    let repo = monorepo();
    repo.write(".gitignore", "platform/catalog/local/\n")
        .write("platform/catalog/local/scratch.yaml", "identifier: [\n");
    let run = cairn(&repo.path.join("platform"), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checked 2 entities"), "{}", run.stdout);
}
