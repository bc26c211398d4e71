//! `cairn import port`: a Port export (tests/fixtures/port-export) into a platform repository
//! that `cairn check` passes; an inconsistent export reports what it could not carry; the
//! folder rules (`--force`).

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::{cairn, check_json, copy_tree, finding_lines, tests_dir};

/// A temp dir holding a copy of the fixture export `name` under `export/`, so that the command
/// runs with relative paths and its output does not depend on where the project lies.
fn exported(name: &str) -> (tempfile::TempDir, Vec<String>) {
    let temp = tempfile::tempdir().expect("a temporary directory");
    copy_tree(&tests_dir().join("fixtures").join(name), &temp.path().join("export"));
    let mut files: Vec<String> = fs::read_dir(temp.path().join("export"))
        .expect("the export")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| Path::new(name).extension().is_some_and(|extension| extension == "json"))
        .map(|name| format!("export/{name}"))
        .collect();
    files.sort();
    (temp, files)
}

fn import(dir: &Path, files: &[String], extra: &[&str]) -> support::Run {
    let mut args = vec!["import", "port"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", "platform"]);
    args.extend(extra);
    cairn(dir, &args)
}

/// Every file under `dir`, by relative `/`-separated path, with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).expect("a folder") {
            let path: PathBuf = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let relative = path.strip_prefix(root).expect("inside").to_string_lossy().replace('\\', "/");
                files.push((relative, fs::read(&path).expect("a file")));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

#[test]
fn a_port_export_becomes_a_repository_that_cairn_check_passes() {
    let (temp, files) = exported("port-export");
    let run = import(temp.path(), &files, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("summary", run.stdout);

    let platform = temp.path().join("platform");
    let written = tree(&platform);
    let paths: Vec<&str> = written.iter().map(|(path, _)| path.as_str()).collect();
    let file = |path: &str| -> String {
        let (_, bytes) = written.iter().find(|(found, _)| found == path).unwrap_or_else(|| panic!("{path}: {paths:?}"));
        String::from_utf8(bytes.clone()).expect("UTF-8")
    };
    let checkout = file("catalog/service/checkout.yaml");
    let cart = file("catalog/service/cart.yaml");
    insta::assert_snapshot!(
        "tree",
        format!(
            "{}\n--- catalog/service/checkout.yaml\n{checkout}--- catalog/service/cart.yaml\n{cart}--- cairn.yaml\n{}",
            paths.join("\n"),
            file("cairn.yaml")
        )
    );

    let (code, report) = check_json(&platform, &[]);
    assert_eq!(finding_lines(&report), Vec::<String>::new(), "the imported repository is clean");
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["entities"], 7, "2 services, 2 repositories, 1 bucket, 2 teams");
    // Port's scorecard came over and scores as Port would: checkout has an on-call, cart none.
    let scored = support::cairn(&platform, &["scorecard", ".", "--format", "csv"]);
    assert_eq!(scored.code, 0, "{}", scored.stderr);
    assert_eq!(
        scored.stdout,
        "scorecard,blueprint,entity,title,teams,level,failing\n\
         production-readiness,service,cart,Cart,,Basic,has-on-call\n\
         production-readiness,service,checkout,Checkout,payments,Gold,\n"
    );

    // The same export gives the same bytes.
    let again = tempfile::tempdir().expect("another temporary directory");
    copy_tree(&temp.path().join("export"), &again.path().join("export"));
    assert_eq!(import(again.path(), &files, &[]).code, 0);
    assert_eq!(tree(&again.path().join("platform")), written);
}

#[test]
fn an_inconsistent_export_reports_what_it_could_not_carry_and_imports_the_rest() {
    let (temp, files) = exported("port-export-inconsistent");
    let run = import(temp.path(), &files, &["--color", "never"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("inconsistent", run.stdout);

    let platform = temp.path().join("platform");
    let paths: Vec<String> = tree(&platform).into_iter().map(|(path, _)| path).collect();
    assert_eq!(paths, ["cairn.yaml", "catalog/_team/ledger.yaml"]);
    let (code, report) = check_json(&platform, &[]);
    assert_eq!((code, finding_lines(&report)), (0, vec![]));
}

#[test]
fn a_folder_with_files_is_refused_unless_forced_and_force_keeps_the_users_files() {
    let (temp, files) = exported("port-export");
    assert_eq!(import(temp.path(), &files, &[]).code, 0);
    let platform = temp.path().join("platform");
    fs::write(platform.join("catalog/notes.md"), "mine").expect("a file of the user's");
    let checkout = platform.join("catalog/service/checkout.yaml");
    fs::write(&checkout, "identifier: edited\n").expect("an edit");

    let refused = import(temp.path(), &files, &[]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("error: `platform` is not empty"), "{}", refused.stderr);
    assert!(refused.stderr.contains("help: give a new or empty folder, or `--force`"), "{}", refused.stderr);
    assert_eq!(fs::read_to_string(&checkout).expect("kept"), "identifier: edited\n");

    let forced = import(temp.path(), &files, &["--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.ends_with("0 files created, 1 replaced, 12 unchanged; run `cairn check platform` to check it\n"),
        "{}",
        forced.stdout
    );
    assert!(fs::read_to_string(&checkout).expect("replaced").starts_with("identifier: checkout\n"));
    assert_eq!(fs::read_to_string(platform.join("catalog/notes.md")).expect("kept"), "mine");
}
