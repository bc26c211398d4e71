//! Every folder of `tests/cases/` is a small platform repository with planted problems; the
//! whole report of `cairn check` on each is a snapshot.

mod support;

use std::fs;

#[test]
fn every_case_matches_its_snapshot() {
    let cases = support::tests_dir().join("cases");
    let mut names: Vec<String> = fs::read_dir(&cases)
        .expect("tests/cases exists")
        .map(|entry| entry.expect("readable").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "the cases are there: {names:?}");
    for name in names {
        let report = support::describe_check(&cases.join(&name));
        insta::with_settings!({ snapshot_suffix => name.clone(), prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("case", report);
        });
    }
}
