use super::*;

/// A file's path, change and lines added and removed.
type Row<'a> = (&'a str, FileChange, Option<(usize, usize)>);
/// A file's path, content and sizes before and after.
type Sizes<'a> = (&'a str, &'a Content, Option<usize>, Option<usize>);

const DEPLOYMENT_2: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: checkout\n  namespace: production\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: checkout\n";

fn deployment(replicas: u32) -> String {
    DEPLOYMENT_2.replace("replicas: 2", &format!("replicas: {replicas}"))
}

#[test]
fn a_replicas_change_an_added_and_a_removed_file_each_get_a_unified_diff() {
    let before = deployment(2);
    let after = deployment(3);
    let base = [
        ("production/checkout/deployment.yaml", before.as_bytes()),
        ("production/legacy/service.yaml", b"kind: Service\nmetadata:\n  name: legacy\n".as_slice()),
        ("production/namespace.yaml", b"kind: Namespace\n".as_slice()),
    ];
    let head = [
        ("production/namespace.yaml", b"kind: Namespace\n".as_slice()),
        ("production/checkout/deployment.yaml", after.as_bytes()),
        ("production/cart/service.yaml", b"kind: Service\nmetadata:\n  name: cart\n".as_slice()),
    ];
    let diff = rendered_diff(base, head);
    assert_eq!(diff.unchanged, 1);
    let summary: Vec<Row<'_>> = diff.files.iter().map(|file| (file.path.as_str(), file.change, file.lines())).collect();
    assert_eq!(
        summary,
        [
            ("production/cart/service.yaml", FileChange::Added, Some((3, 0))),
            ("production/checkout/deployment.yaml", FileChange::Changed, Some((1, 1))),
            ("production/legacy/service.yaml", FileChange::Removed, Some((0, 3))),
        ]
    );
    let Content::Text { unified, .. } = &diff.files[1].content else { panic!("text: {:?}", diff.files[1]) };
    assert_eq!(
        unified,
        "--- a/production/checkout/deployment.yaml\n+++ b/production/checkout/deployment.yaml\n\
         @@ -4,7 +4,7 @@\n   name: checkout\n   namespace: production\n spec:\n-  replicas: 2\n+  replicas: 3\n   \
         selector:\n     matchLabels:\n       app.kubernetes.io/name: checkout\n"
    );
    let Content::Text { unified, .. } = &diff.files[0].content else { panic!("text: {:?}", diff.files[0]) };
    assert_eq!(
        unified,
        "--- /dev/null\n+++ b/production/cart/service.yaml\n@@ -0,0 +1,3 @@\n+kind: Service\n+metadata:\n+  name: cart\n"
    );
    let Content::Text { unified, .. } = &diff.files[2].content else { panic!("text: {:?}", diff.files[2]) };
    assert!(unified.starts_with("--- a/production/legacy/service.yaml\n+++ /dev/null\n@@ -1,3 +0,0 @@\n"), "{unified}");
    assert_eq!(
        (diff.count(FileChange::Added), diff.count(FileChange::Changed), diff.count(FileChange::Removed)),
        (1, 1, 1)
    );
}

#[test]
fn binary_and_very_large_files_are_summarised_by_their_sizes() {
    let large = "x\n".repeat(MAX_DIFFED_BYTES / 2 + 1);
    let base = [
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\0".as_slice()),
        ("latin1.txt", b"caf\xe9\n".as_slice()),
        ("big.yaml", b"small\n".as_slice()),
    ];
    let head = [
        ("logo.png", b"\x89PNG\r\n\x1a\n\0\x01".as_slice()),
        ("latin1.txt", b"cafe\n".as_slice()),
        ("big.yaml", large.as_bytes()),
    ];
    let diff = rendered_diff(base, head);
    let contents: Vec<Sizes<'_>> =
        diff.files.iter().map(|f| (f.path.as_str(), &f.content, f.before_bytes, f.after_bytes)).collect();
    assert_eq!(
        contents,
        [
            ("big.yaml", &Content::TooLarge, Some(6), Some(large.len())),
            ("latin1.txt", &Content::Binary, Some(5), Some(5)),
            ("logo.png", &Content::Binary, Some(10), Some(10)),
        ]
    );
    assert!(diff.files.iter().all(|file| file.lines().is_none()));
}

#[test]
fn the_diff_is_sorted_by_path_whatever_order_the_sides_come_in() {
    let paths = ["b/x.yaml", "a/z.yaml", "a/y.yaml", "c.yaml"];
    let forward =
        rendered_diff(paths.iter().map(|p| (*p, b"1\n".as_slice())), paths.iter().map(|p| (*p, b"2\n".as_slice())));
    let backward = rendered_diff(
        paths.iter().rev().map(|p| (*p, b"1\n".as_slice())),
        paths.iter().rev().map(|p| (*p, b"2\n".as_slice())),
    );
    assert_eq!(forward, backward);
    let order: Vec<&str> = forward.files.iter().map(|file| file.path.as_str()).collect();
    assert_eq!(order, ["a/y.yaml", "a/z.yaml", "b/x.yaml", "c.yaml"]);
}

#[test]
fn identical_sides_differ_in_nothing_and_an_empty_added_file_has_an_empty_diff() {
    let same = [("a.yaml", b"a: 1\n".as_slice()), ("b.yaml", b"b: 1\n".as_slice())];
    let diff = rendered_diff(same, same);
    assert!(diff.is_empty());
    assert_eq!(diff.unchanged, 2);

    let diff = rendered_diff([], [("empty.txt", b"".as_slice())]);
    assert_eq!(
        diff.files,
        [FileDiff {
            path: "empty.txt".to_owned(),
            change: FileChange::Added,
            before_bytes: None,
            after_bytes: Some(0),
            content: Content::Text { added: 0, removed: 0, unified: String::new() },
        }]
    );
}

#[test]
fn a_missing_final_newline_is_said_as_git_says_it() {
    let diff = rendered_diff([("a.txt", b"one\ntwo".as_slice())], [("a.txt", b"one\ntwo\n".as_slice())]);
    let Content::Text { unified, added, removed } = &diff.files[0].content else { panic!("{:?}", diff.files[0]) };
    assert_eq!((*added, *removed), (1, 1));
    assert_eq!(unified, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n+two\n");
}
