//! Golden paths end to end on the bundled example: a pull request that scales a component shows,
//! in the plan's PR comment, the rendered diff of that component's Deployment in every
//! environment it is deployed to.

mod support;

use std::fs;

use support::{GitRepo, cairn, copy_tree, project_dir};

/// `examples/acme` committed on `main`, and a branch `pr` that scales checkout-service from 3
/// replicas to 5. `main` is checked out.
fn scaled() -> GitRepo {
    let repo = GitRepo::new();
    copy_tree(&project_dir().join("examples/acme"), &repo.path);
    repo.commit("Alice", "Acme's platform");
    repo.git(&["checkout", "--quiet", "-b", "pr"]);
    let file = "catalog/commerce/checkout/checkout-service.yaml";
    let text = fs::read_to_string(repo.path.join(file)).expect("the checkout service");
    assert!(text.contains("\n  replicas: 3\n"), "{file} has the replicas this test changes");
    repo.write(file, &text.replace("\n  replicas: 3\n", "\n  replicas: 5\n"));
    repo.commit("Bob", "Scale checkout-service to 5 replicas");
    repo.git(&["checkout", "--quiet", "main"]);
    repo
}

#[test]
fn the_plan_comment_shows_the_rendered_diff_of_a_replicas_change() {
    let repo = scaled();
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "pr", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let comment = run.stdout;
    assert!(comment.contains("| rendered output | 0 added, 3 changed, 0 removed, "), "{comment}");
    for environment in ["dev-alice-checkout", "staging", "production"] {
        let path = format!("kubernetes/{environment}/checkout-service.yaml");
        assert!(comment.contains(&format!("+++ b/{path}\n")), "no diff of {path}:\n{comment}");
    }
    assert_eq!(comment.matches("\n-  replicas: 3\n+  replicas: 5\n").count(), 3, "{comment}");
}

#[test]
fn the_plan_json_lists_the_changed_outputs() {
    let repo = scaled();
    let run = cairn(&repo.path, &["plan", "--base", "main", "--head", "pr", "--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let plan: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let rendered = &plan["rendered"];
    assert!(rendered.is_object(), "a `rendered` section: {plan:#}");
    let text = rendered.to_string();
    assert!(text.contains("kubernetes/production/checkout-service.yaml"), "{rendered:#}");
    assert!(
        !text.contains("kubernetes/production/cart-service.yaml"),
        "an unchanged output is not listed: {rendered:#}"
    );
}

#[test]
fn two_renders_of_the_example_are_byte_identical() {
    let repo = scaled();
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let (first, second) = (scratch.path().join("first"), scratch.path().join("second"));
    for out in [&first, &second] {
        let run = cairn(&repo.path, &["render", ".", "--rev", "main", "--out", out.to_str().expect("UTF-8")]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    }
    let read = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            for entry in fs::read_dir(&folder).expect("readable") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let relative = path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                    files.push((relative, fs::read(&path).expect("bytes")));
                }
            }
        }
        files.sort();
        files
    };
    let (a, b) = (read(&first), read(&second));
    assert!(a.len() > 60, "the example renders its namespaces, services, resources, CODEOWNERS and docs: {}", a.len());
    assert_eq!(a, b, "two renders of one revision differ");
}
