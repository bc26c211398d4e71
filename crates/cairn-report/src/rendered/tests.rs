use std::fmt::Write as _;
use std::path::Path;

use cairn_engine::{Plan, rendered_diff};
use cairn_source::Source;

use super::*;
use crate::plan::{Links, PlanOptions, plan_human, plan_json, plan_markdown};

fn deployment(replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: production\n  labels:\n    \
         app.kubernetes.io/name: checkout\n    app.kubernetes.io/part-of: commerce\nspec:\n  replicas: {replicas}\n  \
         selector:\n    matchLabels:\n      app.kubernetes.io/name: checkout\n  template:\n    metadata:\n      labels:\n        \
         app.kubernetes.io/name: checkout\n    spec:\n      containers:\n        - name: main\n          \
         image: ghcr.io/acme/checkout:1.4.2\n"
    )
}

/// Two small renderings: the checkout Deployment's replicas go from 2 to 3, the cart Service is
/// added, the legacy Service removed, and the namespace stays as it was.
fn example() -> RenderedDiff {
    let (before, after) = (deployment(2), deployment(3));
    let namespace = b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: production\n".as_slice();
    let base = [
        ("production/checkout/deployment.yaml", before.as_bytes()),
        ("production/legacy/service.yaml", b"apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n".as_slice()),
        ("production/namespace.yaml", namespace),
    ];
    let head = [
        ("production/cart/service.yaml", b"apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\n".as_slice()),
        ("production/checkout/deployment.yaml", after.as_bytes()),
        ("production/namespace.yaml", namespace),
    ];
    rendered_diff(base, head)
}

/// A plan of two folders holding the same small platform, with `rendered` set as the CLI sets it
/// after rendering both sides.
fn plan_with(rendered: RenderedDiff, dir: &Path) -> Plan {
    for side in ["base", "head"] {
        let catalog = dir.join(side).join("catalog");
        std::fs::create_dir_all(&catalog).expect("a catalog folder");
        std::fs::write(dir.join(side).join("cairn.yaml"), "version: 1\nlibrary:\n  policies: false\n")
            .expect("cairn.yaml");
        std::fs::write(catalog.join("shop.yaml"), "identifier: shop\nblueprint: Domain\n").expect("an entity");
    }
    let base = Source::directory(dir.join("base")).expect("the base folder");
    let head = Source::directory(dir.join("head")).expect("the head folder");
    let mut plan =
        cairn_engine::plan(&base, &head, cairn_engine::parse_now("2026-12-01T00:00:00Z").expect("an instant"))
            .expect("a plan");
    assert!(plan.rendered.is_none(), "the engine leaves the rendered diff to its caller");
    plan.rendered = Some(rendered);
    plan
}

#[test]
fn the_rendered_diff_of_a_replicas_change_in_each_format() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let plan = plan_with(example(), dir.path());
    let options = PlanOptions::default();
    let human = plan_human(&plan, options, crate::HumanOptions { color: false, width: 100 });
    insta::assert_snapshot!("plan-human", human.replace(&dir.path().display().to_string(), "[dir]"));
    let json: serde_json::Value = serde_json::from_str(&plan_json(&plan, options)).expect("JSON");
    insta::assert_json_snapshot!("plan-json-rendered", json["rendered"]);
    let links = Links { repository: Some("https://github.com/acme/platform".to_owned()) };
    insta::assert_snapshot!("plan-markdown", plan_markdown(&plan, options, &links));
}

#[test]
fn a_plan_that_renders_the_same_bytes_says_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let same = [("a.yaml", b"a: 1\n".as_slice())];
    let plan = plan_with(rendered_diff(same, same), dir.path());
    let markdown = plan_markdown(&plan, PlanOptions::default(), &Links::default());
    assert!(markdown.contains("| rendered output | 0 added, 0 changed, 0 removed, 1 unchanged |"), "{markdown}");
    assert!(markdown.contains("The head renders the same files as the base, byte for byte."), "{markdown}");
    let json: serde_json::Value = serde_json::from_str(&plan_json(&plan, PlanOptions::default())).expect("JSON");
    assert_eq!(
        json["rendered"],
        serde_json::json!({"counts": {"added": 0, "changed": 0, "removed": 0, "unchanged": 1}, "files": []})
    );
}

#[test]
fn a_plan_without_a_rendering_has_no_rendered_section() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut plan = plan_with(RenderedDiff::default(), dir.path());
    plan.rendered = None;
    let markdown = plan_markdown(&plan, PlanOptions::default(), &Links::default());
    assert!(!markdown.contains("ndered output"), "{markdown}");
    let human = plan_human(&plan, PlanOptions::default(), crate::HumanOptions { color: false, width: 100 });
    assert!(!human.contains("rendered output"), "{human}");
    let json: serde_json::Value = serde_json::from_str(&plan_json(&plan, PlanOptions::default())).expect("JSON");
    assert_eq!(json["rendered"], serde_json::Value::Null);
}

/// Forty changed files of about 2 KB of diff each against a budget of 20,000 bytes: the diffs
/// that fit are shown, the rest counted, and the section stays within the budget and closed.
#[test]
fn diffs_stop_at_the_budget_and_the_comment_says_how_many_were_left_out() {
    let text = |n: u32| {
        (0..60).fold(String::new(), |mut text, line| {
            let _ = writeln!(text, "line {line} of file, version {n}");
            text
        })
    };
    let (before, after) = (text(1), text(2));
    let paths: Vec<String> = (0..40).map(|i| format!("out/file-{i:02}.yaml")).collect();
    let diff = rendered_diff(
        paths.iter().map(|path| (path.as_str(), before.as_bytes())),
        paths.iter().map(|path| (path.as_str(), after.as_bytes())),
    );
    let mut out = String::new();
    markdown(&mut out, &diff, 20_000);
    assert!(out.len() <= 20_000, "{} bytes", out.len());
    let shown = out.matches("```diff\n").count();
    assert!(shown > 0 && shown < 40, "{shown} shown");
    assert!(
        out.contains(&format!("> {} files' diffs are left out (of 40): the comment would pass", 40 - shown)),
        "{out}"
    );
    assert_eq!(out.matches("<details").count(), out.matches("</details>").count(), "{out}");
    assert!(out.ends_with("</details>\n\n"), "{out}");
    // Every file is still listed, diff or not.
    assert_eq!(out.matches("\n- `~` `out/file-").count(), 40);
}

#[test]
fn a_diff_holding_a_code_fence_gets_a_longer_fence_and_odd_paths_show_whole() {
    let diff = rendered_diff(
        [("docs/`odd` <name>.md", b"# Title\n\n```sh\nmake\n```\n".as_slice())],
        [("docs/`odd` <name>.md", b"# Title\n\n```sh\nmake test\n```\n".as_slice())],
    );
    let mut out = String::new();
    markdown(&mut out, &diff, MARKDOWN_BUDGET);
    assert!(out.contains("- `~` ``docs/`odd` <name>.md`` (+1 -1)\n"), "{out}");
    assert!(out.contains("<summary><code>docs/`odd` &lt;name&gt;.md</code> (+1 -1)</summary>"), "{out}");
    assert!(out.contains("\n````diff\n--- a/docs/`odd` <name>.md\n"), "{out}");
    assert!(out.contains(" ```\n````\n\n</details>"), "the fence outlasts the file's own: {out}");
}

#[test]
fn binary_and_very_large_files_are_listed_with_their_sizes_and_no_diff() {
    let large = "x\n".repeat(cairn_engine::MAX_DIFFED_BYTES);
    let diff = rendered_diff(
        [("logo.png", b"\x89PNG\0\x01".as_slice()), ("big.txt", b"x\n".as_slice())],
        [("logo.png", b"\x89PNG\0\x02\x03".as_slice()), ("big.txt", large.as_bytes())],
    );
    let mut out = String::new();
    human(&mut out, &diff);
    assert_eq!(
        out,
        format!(
            "rendered output: 0 added, 2 changed, 0 removed, 0 unchanged\n  ~ big.txt (too large to diff, 2 → {} bytes)\n  \
             ~ logo.png (binary, 6 → 7 bytes)\n",
            large.len()
        )
    );
    let mut out = String::new();
    markdown(&mut out, &diff, MARKDOWN_BUDGET);
    assert!(!out.contains("```diff"), "{out}");
}

/// So many files that even the list passes the budget: it stops, says how many more there are,
/// and no diff is shown.
#[test]
fn a_list_longer_than_the_budget_stops_and_counts_the_rest() {
    let paths: Vec<String> = (0..500).map(|i| format!("environments/preview-{i:03}/namespace.yaml")).collect();
    let diff = rendered_diff([], paths.iter().map(|path| (path.as_str(), b"kind: Namespace\n".as_slice())));
    let mut out = String::new();
    markdown(&mut out, &diff, 10_000);
    assert!(out.len() <= 10_000, "{} bytes", out.len());
    let listed = out.matches("\n- `+` `environments/").count();
    assert!(listed > 10 && listed < 500, "{listed} listed");
    assert!(out.contains(&format!("\n- … and {} more files (the comment would pass", 500 - listed)), "{out}");
    assert!(out.contains("> 500 files' diffs are left out (of 500)"), "{out}");
    assert!(out.ends_with("</details>\n\n"), "{out}");
}
