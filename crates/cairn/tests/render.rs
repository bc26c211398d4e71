//! `cairn render`: a small platform with a template, rendered from a real git repository.

mod support;

use std::fs;
use std::path::Path;

use support::{GitRepo, cairn};

const SYSTEM: &str = "identifier: shop\nblueprint: System\nteam: payments\nproperties:\n  lifecycle: production\nrelations:\n  domain: retail\n";
const DOMAIN: &str = "identifier: retail\nblueprint: Domain\n";
const TEAM: &str = "identifier: payments\nblueprint: _team\ntitle: Payments\n";
const CART: &str = "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: shop\n";
const STAGING: &str = "identifier: staging\nproperties:\n  type: staging\nrelations:\n  components: [cart]\n";
const TEMPLATE: &str = "\
title: A config map per deployment
blueprint: Component
where: {combinator: and, rules: [{property: type, operator: '=', value: service}]}
each: deployment
outputs:
  - path: '{{ environment.identifier }}/{{ entity.identifier | slug }}.yaml'
    template: configmap.yaml.j2
";
const CONFIGMAP: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ entity.identifier | slug }}
  namespace: {{ environment.identifier }}
data:
  system: {{ entity.relations.system.identifier | quote }}
  team: {{ entity.teams[0].title | quote }}
";

/// A platform with one service deployed to staging and one template, committed.
fn platform() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("cairn.yaml", "version: 1\n")
        .write("catalog/shop.yaml", SYSTEM)
        .write("catalog/retail.yaml", DOMAIN)
        .write("catalog/payments.yaml", TEAM)
        .write("catalog/cart.yaml", CART)
        .write("environments/staging.yaml", STAGING)
        .write("templates/configmap/template.yaml", TEMPLATE)
        .write("templates/configmap/configmap.yaml.j2", CONFIGMAP);
    repo.commit("Alice", "A platform with a golden path");
    repo
}

/// Every file under `dir`, relative, with its text.
fn tree(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let relative = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
                files.push((relative, fs::read_to_string(&path).expect("text")));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

#[test]
fn renders_a_revision_byte_identically_twice_with_a_manifest() {
    let repo = platform();
    // The work tree changes after the commit: `--rev` reads the commit.
    repo.write("catalog/cart.yaml", &CART.replace("type: service", "type: library"));
    let run = cairn(&repo.path, &["render", ".", "--rev", "HEAD", "--out", "../out"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout,
        "rendered 1 file from 1 template over 5 entities into `../out`: 1 created, 0 changed, 0 unchanged, 0 removed\n"
    );
    let out = repo.path.join("../out");
    let first = tree(&out);
    let shown: Vec<String> = first.iter().map(|(path, text)| format!("--- {path}\n{text}")).collect();
    insta::assert_snapshot!(shown.join(""));

    let again = cairn(&repo.path, &["render", ".", "--rev", "HEAD", "--out", "../out"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.stdout, "rendered 1 file from 1 template over 5 entities into `../out`: nothing changed\n");
    assert_eq!(tree(&out), first);

    // The work tree renders nothing for `cart`, now a library: the folder holds only the manifest.
    let work = cairn(&repo.path, &["render", "--out", "../out"]);
    assert_eq!(work.code, 0, "{work:?}");
    assert!(work.stdout.ends_with("0 created, 0 changed, 0 unchanged, 1 removed\n"), "{}", work.stdout);
    assert_eq!(tree(&out).iter().map(|(path, _)| path.as_str()).collect::<Vec<_>>(), [".cairn/manifest.json"]);
}

#[test]
fn refuses_a_folder_it_did_not_write_unless_forced() {
    let repo = platform();
    let out = repo.path.join("../mine");
    fs::create_dir(&out).expect("a folder");
    fs::write(out.join("notes.txt"), "my notes").expect("a file");
    let run = cairn(&repo.path, &["render", "--out", "../mine"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: `../mine` holds files cairn did not write, such as `notes.txt`\n\
         help: give a new folder, or one cairn rendered into before; `--force` replaces the folder's whole content\n"
    );
    assert_eq!(fs::read_to_string(out.join("notes.txt")).expect("untouched"), "my notes");
    let forced = cairn(&repo.path, &["render", "--out", "../mine", "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert!(!out.join("notes.txt").exists());
    assert!(out.join("staging/cart.yaml").exists());
}

#[test]
fn a_template_error_writes_nothing_and_names_the_file_and_line() {
    let repo = platform();
    repo.write("templates/configmap/configmap.yaml.j2", &CONFIGMAP.replace("entity.teams[0].title", "entity.owner"));
    repo.write("templates/escape/template.yaml", "each: catalog\noutputs: [{path: ../../etc/x, template: x.j2}]\n");
    repo.write("templates/escape/x.j2", "x");
    let run = cairn(&repo.path, &["render", "--out", "../out", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let findings: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|finding| {
            format!(
                "{}:{} {} {}",
                finding["file"].as_str().unwrap_or("-"),
                finding["line"],
                finding["code"].as_str().unwrap_or("-"),
                finding["message"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            "templates/configmap/configmap.yaml.j2:8 E0943 undefined value (rendering `templates/configmap` for `Component:cart` in `staging`)",
            "templates/escape/template.yaml:2 E0947 the output path `../../etc/x` is refused: it has a `.` or `..` segment (rendering `templates/escape`)",
        ]
    );
    assert!(!repo.path.join("../out").exists());
    assert_eq!(report["summary"]["out"], serde_json::Value::Null);
}

#[test]
fn check_reports_template_findings() {
    let repo = platform();
    repo.write("templates/configmap/configmap.yaml.j2", "{% if %}");
    let run = cairn(&repo.path, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|finding| finding["code"].as_str())
        .collect();
    assert_eq!(codes, ["E0942"]);
}

#[test]
fn an_unknown_selection_is_a_usage_error() {
    let repo = platform();
    let run = cairn(&repo.path, &["render", "--out", "../out", "--environment", "prod"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("error: there is no environment `prod` (the environments are `staging`)"),
        "{}",
        run.stderr
    );
    let one =
        cairn(&repo.path, &["render", "--out", "../out", "--entity", "Component:cart", "--environment", "staging"]);
    assert_eq!(one.code, 0, "{one:?}");
}

/// A platform that declares no resource definition uses no orchestrator: its environments'
/// requests are not matched, by `render` as by `check`. Once it declares one, a request nobody
/// provides stops the render, located on its line, and nothing is written.
#[test]
fn requests_are_matched_once_a_definition_exists() {
    let repo = platform();
    let staging = "identifier: staging\nproperties:\n  type: staging\n  resources:\n    - {name: db, type: postgres}\nrelations:\n  components: [cart]\n";
    repo.write("environments/staging.yaml", staging);
    let run = cairn(&repo.path, &["render", "--out", "../out"]);
    assert_eq!(run.code, 0, "{run:?}");

    repo.write("resources/redis.yaml", "id: redis\ntype: redis\n");
    let run = cairn(&repo.path, &["render", "--out", "../other"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("error[E0926]"), "{}", run.stdout);
    assert!(run.stdout.contains("environments/staging.yaml:"), "{}", run.stdout);
    assert!(!repo.path.join("../other").exists(), "nothing is written");
}
