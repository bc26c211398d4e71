//! `cairn render examples/acme` produces Kubernetes objects that the ecosystem's own schema tool
//! accepts: `kubernetes-validate --strict` (PyPI), run by `.ci/kubernetes-validate`, which installs
//! it into a virtualenv under `target/` (`.ci/run` installs it beforehand).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file below `dir`, as paths relative to it, sorted; the manifest folder left out.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("a readable entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name == ".cairn") {
                    continue;
                }
                walk(&path, root, found);
            } else {
                found.push(path.strip_prefix(root).expect("below the root").to_path_buf());
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

#[test]
fn the_rendered_acme_kubernetes_objects_validate_strictly() {
    let project = support::project_dir();
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let out = scratch.path().join("out");
    let acme = project.join("examples/acme");
    let run = support::cairn(
        &project,
        &["render", acme.to_str().expect("a UTF-8 path"), "--out", out.to_str().expect("a UTF-8 path")],
    );
    assert_eq!(run.code, 0, "cairn render failed:\n{}{}", run.stdout, run.stderr);

    let rendered = files_below(&out);
    for expected in [
        "kubernetes/production/namespace.yaml",
        "kubernetes/production/checkout-service.yaml",
        "kubernetes/staging/storefront-gateway.yaml",
        "kubernetes/dev-alice-checkout/resources/checkout-db-postgres.yaml",
        "terraform/production/postgres-checkout-db.tf",
        ".github/CODEOWNERS",
        "docs/systems/checkout.md",
    ] {
        assert!(rendered.iter().any(|path| path == Path::new(expected)), "`{expected}` was not rendered: {rendered:?}");
    }
    let kubernetes: Vec<PathBuf> = rendered
        .iter()
        .filter(|path| path.starts_with("kubernetes") && path.extension().is_some_and(|extension| extension == "yaml"))
        .map(|path| out.join(path))
        .collect();
    assert!(kubernetes.len() > 40, "every environment's namespace, services and resources: {kubernetes:?}");

    let validate = Command::new(project.join(".ci/kubernetes-validate"))
        .args(&kubernetes)
        .output()
        .expect(".ci/kubernetes-validate runs (it needs python3 with venv, and PyPI the first time)");
    assert!(
        validate.status.success(),
        "kubernetes-validate --strict refused rendered objects:\n{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
}
