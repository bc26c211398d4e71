//! `apply`, `preview`, `diff_writes` and `write_worktree` on real git repositories and real
//! folders in temporary directories.

use std::fs;
use std::os::unix::fs::PermissionsExt as _;

use cairn_diagnostics::{Diagnostic, SourceFile};
use cairn_edit::{Edit, Segment};
use cairn_source::{Origin, Source};

use super::apply::{Editor, apply_with};
use super::{Change, FileWrite, WorktreeError, apply, diff_writes, preview, write_worktree};
use crate::plan::Plan;
use crate::testing::{CLEAN, Repo, findings, now};

/// An editor that shows where `apply` asked for each change, to test `apply`'s own bookkeeping
/// (reading, composing, carrying offsets) apart from cairn-edit's byte edits, which cairn-edit's
/// tests cover: an edit inserts the line `edited: N` (N = how many edits it was given) at the
/// offset; a removal removes the `---`-separated document holding the offset with one separator.
struct Marker;

impl Editor for Marker {
    fn edit(&self, file: &SourceFile, at: u32, edits: &[Edit]) -> Result<String, Box<Diagnostic>> {
        let (text, at) = (file.text(), at as usize);
        Ok(format!("{}edited: {}\n{}", &text[..at], edits.len(), &text[at..]))
    }

    fn remove_document(&self, file: &SourceFile, at: u32) -> Result<Option<String>, Box<Diagnostic>> {
        let (text, at) = (file.text(), at as usize);
        let separators: Vec<usize> = text
            .match_indices("---\n")
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
            .collect();
        let before = separators.iter().rev().find(|&&i| i < at).copied();
        let after = separators.iter().find(|&&i| i >= at).copied();
        Ok(match (before, after) {
            (None, None) => None,
            (Some(start), None) => Some(text[..start].to_owned()),
            (None, Some(end)) => Some(text[end + 4..].to_owned()),
            (Some(start), Some(end)) => Some(format!("{}{}", &text[..start], &text[end..])),
        })
    }
}

fn create(path: &str, text: &str) -> Change {
    Change::Create { path: path.into(), text: text.into() }
}

fn edit(path: &str, at: u32, edits: usize) -> Change {
    let set = Edit::Set { path: vec![Segment::Key("title".into())], value: serde_json::json!("x") };
    Change::Edit { path: path.into(), at, edits: vec![set; edits] }
}

fn remove(path: &str, at: u32) -> Change {
    Change::RemoveDocument { path: path.into(), at }
}

/// The writes as `path: before -> after` (`-` for absent), text shown as it is.
fn shown(writes: &[FileWrite]) -> Vec<String> {
    let side = |bytes: &Option<Vec<u8>>| {
        bytes.as_ref().map_or("-".to_owned(), |b| format!("{:?}", String::from_utf8_lossy(b)))
    };
    writes.iter().map(|write| format!("{}: {} -> {}", write.path, side(&write.before), side(&write.after))).collect()
}

/// Each finding as `CODE file: message`.
fn refused(result: Result<Vec<FileWrite>, Vec<Diagnostic>>) -> Vec<String> {
    let diagnostics = result.expect_err("refused");
    assert!(diagnostics.iter().all(|d| d.help.is_some()), "every finding has help: {diagnostics:?}");
    findings(&diagnostics).into_iter().zip(&diagnostics).map(|(short, d)| format!("{short}: {}", d.message)).collect()
}

const TWO: &str = "identifier: one\n---\nidentifier: two\n";

/// Changes to one file work on it as the changes before left it, with offsets into the file as
/// the source has it carried over what they replaced; a created file and an edited one come out
/// sorted by path, each with its bytes before and after.
#[test]
fn changes_compose_in_order_with_offsets_carried_over_earlier_changes() {
    let repo = Repo::with(&[("catalog/two.yaml", TWO), ("catalog/other.yaml", "identifier: other\n")]);
    repo.commit("base");
    let second = u32::try_from(TWO.find("identifier: two").expect("the second document")).expect("small");
    let changes = [
        edit("catalog/two.yaml", second, 1),
        create("catalog/new.yaml", "identifier: new\n"),
        // The first document goes: the second one's offset moves back by its length. (The marker
        // inserts before the offset, so the second edit lands after the first.)
        remove("catalog/two.yaml", 0),
        edit("catalog/two.yaml", second, 2),
    ];
    for source in [repo.at("HEAD"), repo.directory()] {
        let writes = apply_with(&source, &changes, &Marker).expect("applied");
        assert_eq!(
            shown(&writes),
            [
                "catalog/new.yaml: - -> \"identifier: new\\n\"",
                "catalog/two.yaml: \"identifier: one\\n---\\nidentifier: two\\n\" -> \"edited: 1\\nedited: 2\\nidentifier: two\\n\"",
            ],
            "over {}",
            source.describe()
        );
    }
}

/// A document removed is gone for the changes after: editing it is refused, and removing a
/// file's only document deletes the file.
#[test]
fn a_removed_document_is_not_edited_and_a_file_without_documents_is_deleted() {
    let repo = Repo::with(&[("catalog/two.yaml", TWO), ("catalog/one.yaml", "identifier: one\n")]);
    repo.commit("base");
    let source = repo.at("HEAD");
    let second = u32::try_from(TWO.find("identifier: two").expect("the second document")).expect("small");
    assert_eq!(
        refused(apply_with(
            &source,
            &[remove("catalog/two.yaml", second), edit("catalog/two.yaml", second, 1)],
            &Marker
        )),
        [
            "E1054 catalog/two.yaml: the document of `catalog/two.yaml` at byte 20 was removed by an earlier change of this run"
        ]
    );
    let writes = apply_with(&source, &[remove("catalog/one.yaml", 0)], &Marker).expect("applied");
    assert_eq!(shown(&writes), ["catalog/one.yaml: \"identifier: one\\n\" -> -"]);
    assert_eq!(
        refused(apply_with(&source, &[remove("catalog/one.yaml", 0), edit("catalog/one.yaml", 0, 1)], &Marker)),
        [
            "E1054 catalog/one.yaml: the document of `catalog/one.yaml` at byte 0 was removed by an earlier change of this run"
        ]
    );
}

/// A file that ends as it began is no write: a file created and removed again, or the same text
/// created where a removal left nothing.
#[test]
fn a_file_left_as_it_was_is_not_written() {
    let repo = Repo::with(&[("catalog/one.yaml", "identifier: one\n")]);
    repo.commit("base");
    let changes = [
        create("catalog/new.yaml", "identifier: new\n"),
        remove("catalog/new.yaml", 0),
        remove("catalog/one.yaml", 0),
        create("catalog/one.yaml", "identifier: one\n"),
    ];
    assert_eq!(apply_with(&repo.at("HEAD"), &changes, &Marker).expect("applied"), []);
}

/// A CREATE never overwrites: a path the platform has (a file or a link), or one an earlier
/// change of the run created, is refused, located at the path.
#[test]
fn a_create_of_a_path_that_is_taken_is_refused() {
    let repo = Repo::with(&[("catalog/cart.yaml", "identifier: cart\n")]);
    repo.symlink("cart.yaml", "catalog/link.yaml");
    repo.commit("base");
    let changes = [
        create("catalog/cart.yaml", "identifier: cart\n"),
        create("catalog/link.yaml", "identifier: link\n"),
        create("catalog/new.yaml", "identifier: new\n"),
        create("catalog/new.yaml", "identifier: new\n"),
    ];
    for source in [repo.at("HEAD"), repo.directory()] {
        assert_eq!(
            refused(apply_with(&source, &changes, &Marker)),
            [
                "E1050 catalog/cart.yaml: `catalog/cart.yaml` is already in the platform",
                "E1050 catalog/link.yaml: `catalog/link.yaml` is already in the platform",
                "E1050 catalog/new.yaml: `catalog/new.yaml` is created twice by this run",
            ]
        );
    }
}

/// A new file cannot be a folder the platform has, sit under one of its files, or differ only in
/// case from one of its paths (they would be one on macOS and Windows).
#[test]
fn a_create_that_collides_with_a_folder_a_file_or_another_case_is_refused() {
    let repo = Repo::with(&[("catalog/cart.yaml", "identifier: cart\n"), ("catalog/teams/a.yaml", "identifier: a\n")]);
    repo.commit("base");
    let changes = [
        create("catalog/teams", "x: 1\n"),
        create("catalog/cart.yaml/inner.yaml", "x: 1\n"),
        create("catalog/Cart.yaml", "x: 1\n"),
        create("Catalog/new.yaml", "x: 1\n"),
        // A file created by the run is in the way of the later ones too.
        create("made.yaml", "x: 1\n"),
        create("made.yaml/under.yaml", "x: 1\n"),
    ];
    assert_eq!(
        refused(apply_with(&repo.at("HEAD"), &changes, &Marker)),
        [
            "E1053 catalog/teams: `catalog/teams` is a folder of the platform (it holds `catalog/teams/a.yaml`)",
            "E1053 catalog/cart.yaml/inner.yaml: `catalog/cart.yaml/inner.yaml` would be inside `catalog/cart.yaml`, which is a file",
            "E1053 catalog/Cart.yaml: `catalog/Cart.yaml` differs only in case from `catalog/cart.yaml`, which the platform has",
            "E1053 Catalog/new.yaml: the folder `Catalog` of `Catalog/new.yaml` differs only in case from the folder `catalog`, which the platform has",
            "E1053 made.yaml/under.yaml: `made.yaml/under.yaml` would be inside `made.yaml`, which is a file",
        ]
    );
}

/// A path that is not a plain relative path inside the platform is refused whatever the change.
#[test]
fn a_path_outside_the_platform_or_into_git_is_refused() {
    let repo = Repo::with(CLEAN);
    repo.commit("base");
    let changes = [
        create("../outside.yaml", "x: 1\n"),
        create("/etc/passwd", "x: 1\n"),
        create(".git/hooks/pre-commit", "x: 1\n"),
        create("nested/.GIT/config", "x: 1\n"),
        edit("catalog//cart.yaml", 0, 1),
        remove("catalog\\cart.yaml", 0),
    ];
    let found = refused(apply_with(&repo.at("HEAD"), &changes, &Marker));
    assert_eq!(
        found,
        [
            "E1052 -: `../outside.yaml` is not a plain relative path inside the platform: it has a `.` or `..` segment",
            "E1052 -: `/etc/passwd` is not a plain relative path inside the platform: it is absolute",
            "E1052 -: `.git/hooks/pre-commit` is not a plain relative path inside the platform: it is inside a `.git` folder, git's own",
            "E1052 -: `nested/.GIT/config` is not a plain relative path inside the platform: it is inside a `.git` folder, git's own",
            "E1052 -: `catalog//cart.yaml` is not a plain relative path inside the platform: it has an empty segment (`//` or a trailing `/`)",
            "E1052 -: `catalog\\cart.yaml` is not a plain relative path inside the platform: it holds a backslash, which Windows reads as a folder separator",
        ]
    );
}

/// A file to edit must be one the platform has, a regular file within its size limit, in UTF-8:
/// one finding per file, all of them together.
#[test]
fn a_file_that_cannot_be_edited_is_refused_with_the_reason() {
    let repo = Repo::with(&[
        ("cairn.yaml", "limits:\n  max-file-size: 64\n"),
        ("catalog/large.yaml", &format!("identifier: large\ndescription: {}\n", "x".repeat(64))),
        ("catalog/cart.yaml", "identifier: cart\n"),
    ]);
    repo.write("catalog/latin1.yaml", b"identifier: caf\xe9\n");
    repo.symlink("cart.yaml", "catalog/link.yaml");
    repo.commit("base");
    let changes = [
        edit("catalog/absent.yaml", 0, 1),
        remove("catalog/large.yaml", 0),
        edit("catalog/latin1.yaml", 0, 1),
        edit("catalog/link.yaml", 0, 1),
    ];
    for source in [repo.at("HEAD"), repo.directory()] {
        assert_eq!(
            refused(apply_with(&source, &changes, &Marker)),
            [
                "E1051 catalog/absent.yaml: `catalog/absent.yaml` is not in the platform",
                "E0107 catalog/large.yaml: the file is 96 bytes, above the limit of 64 bytes",
                "E0106 catalog/latin1.yaml: the file is not UTF-8 text: invalid utf-8 sequence of 1 bytes from index 15",
                "E0108 catalog/link.yaml: `catalog/link.yaml` is a symbolic link, which cairn never follows",
            ],
            "over {}",
            source.describe()
        );
    }
}

/// `apply` reads through an overlay like any source: a run on a preview's result sees its files.
#[test]
fn apply_reads_an_overlay_s_files() {
    let repo = Repo::with(&[("catalog/one.yaml", "identifier: one\n")]);
    repo.commit("base");
    let overlay =
        Source::overlay(repo.at("HEAD"), [("catalog/one.yaml".to_owned(), Some(b"identifier: uno\n".to_vec()))].into());
    let writes = apply_with(&overlay, &[edit("catalog/one.yaml", 0, 1)], &Marker).expect("applied");
    assert_eq!(shown(&writes), ["catalog/one.yaml: \"identifier: uno\\n\" -> \"edited: 1\\nidentifier: uno\\n\""]);
}

/// With cairn-edit's byte edits: a DAY-2 edit changes only the value's bytes, and a DELETE of a
/// file's only document deletes the file.
#[test]
fn apply_edits_through_cairn_edit() {
    let environment =
        "# Alice's environment\nidentifier: dev-alice\nblueprint: Environment\nproperties:\n  ttl: 5d # five days\n";
    let repo = Repo::with(&[("environments/dev-alice.yaml", environment), ("catalog/one.yaml", "identifier: one\n")]);
    repo.commit("base");
    let at = u32::try_from(environment.find("identifier").expect("the mapping")).expect("small");
    let set = Edit::Set {
        path: vec![Segment::Key("properties".into()), Segment::Key("ttl".into())],
        value: serde_json::json!("8d"),
    };
    let changes = [
        Change::Edit { path: "environments/dev-alice.yaml".into(), at, edits: vec![set] },
        remove("catalog/one.yaml", 0),
    ];
    let writes = apply(&repo.at("HEAD"), &changes).expect("applied");
    assert_eq!(
        shown(&writes),
        [
            "catalog/one.yaml: \"identifier: one\\n\" -> -",
            &format!("environments/dev-alice.yaml: {environment:?} -> {:?}", environment.replace("5d", "8d")),
        ]
    );
}

/// The clean platform committed, with the head as a revision and as the work tree.
fn clean() -> Repo {
    let repo = Repo::with(CLEAN);
    repo.commit("base");
    repo
}

fn entities(plan: &Plan) -> Vec<String> {
    plan.entities.iter().map(|change| format!("{:?} {} {}", change.kind, change.entity, change.file)).collect()
}

/// The preview plans the head with the writes against the head as it is, by the head's rules:
/// what the run adds, changes and removes, and the findings it introduces; nothing is written.
#[test]
fn a_preview_plans_the_writes_against_the_head() {
    let repo = clean();
    let cart = fs::read(repo.path().join("catalog/cart.yaml")).expect("cart");
    let writes = apply(
        &repo.at("HEAD"),
        &[create(
            "catalog/gift-cards.yaml",
            "identifier: gift-cards\nblueprint: Component\nteam: payments\nproperties:\n  type: service\n  lifecycle: production\nrelations:\n  system: checkuot\n",
        )],
    )
    .expect("applied");
    let mut writes = writes;
    writes.push(FileWrite {
        path: "catalog/cart.yaml".into(),
        before: Some(cart.clone()),
        after: Some(String::from_utf8(cart).expect("UTF-8").replace("production", "deprecated").into_bytes()),
    });
    writes.push(FileWrite {
        path: "catalog/shop.yaml".into(),
        before: Some(fs::read(repo.path().join("catalog/shop.yaml")).expect("shop")),
        after: None,
    });
    for head in [repo.at("HEAD"), repo.directory()] {
        let plan = preview(&head, &writes, now()).expect("a plan");
        assert_eq!(
            entities(&plan),
            [
                "Modified Component:cart catalog/cart.yaml",
                "Added Component:gift-cards catalog/gift-cards.yaml",
                "Removed Domain:shop catalog/shop.yaml",
            ],
            "over {}",
            head.describe()
        );
        let introduced: Vec<String> = findings(&plan.introduced().cloned().collect::<Vec<_>>());
        assert_eq!(
            introduced,
            ["E0309 catalog/checkout.yaml", "E0309 catalog/gift-cards.yaml"],
            "over {}",
            head.describe()
        );
        assert_eq!(plan.commits.head, head.commit());
        assert_eq!(plan.outcome.judged, Origin::Overlay { base: Box::new(head.origin()), changed: 3 });
        assert_eq!(plan.outcome.rules, Some(head.origin()));
    }
    assert!(!repo.path().join("catalog/gift-cards.yaml").exists());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

/// A DAY-2 run on an environment (its `ttl` from 5 days to 8): the preview gives the new expiry
/// beside the old, as a pull request's plan would, and introduces no finding.
#[test]
fn a_preview_of_a_longer_ttl_gives_the_new_expiry() {
    let environment = |ttl: &str| {
        format!(
            "# Alice's environment\nidentifier: dev-alice\nteam: payments\nproperties:\n  type: development\n  \
             createdAt: \"2026-11-28T09:00:00Z\"\n  ttl: {ttl} # days\n"
        )
    };
    let repo = clean();
    repo.write("environments/dev-alice.yaml", environment("5d"));
    repo.commit("an environment");
    let writes = [write("environments/dev-alice.yaml", Some(&environment("5d")), Some(&environment("8d")))];
    let plan = preview(&repo.at("HEAD"), &writes, now()).expect("a plan");
    let environments: Vec<String> = plan
        .environments
        .iter()
        .map(|change| {
            let show = |at: Option<cairn_model::Timestamp>| at.map_or("-".to_owned(), |at| at.to_string());
            format!(
                "{:?} {} expires {} (was {})",
                change.kind,
                change.identifier,
                show(change.expires),
                show(change.expired_before)
            )
        })
        .collect();
    assert_eq!(environments, ["Modified dev-alice expires 2026-12-06T09:00:00Z (was 2026-12-03T09:00:00Z)"]);
    assert_eq!(entities(&plan), ["Modified Environment:dev-alice environments/dev-alice.yaml"]);
    assert_eq!(plan.introduced().count(), 0, "{:?}", plan.outcome.diagnostics);
    assert_eq!(plan.verdict(false), crate::verdict::Verdict::Pass);
}

/// Where the platform has golden paths, the preview renders both sides: a run's edit shows as
/// the change of the files the templates write from it.
#[test]
fn a_preview_renders_what_the_writes_change() {
    let repo = clean();
    repo.write(
        "templates/notes/template.yaml",
        "title: Notes\nblueprint: Component\neach: entity\noutputs:\n  - path: \"notes/{{ entity.identifier }}.txt\"\n    template: note.j2\n",
    );
    repo.write("templates/notes/note.j2", "{{ entity.identifier }} is {{ entity.properties.lifecycle }}\n");
    repo.commit("golden paths");
    let cart = read(&repo, "catalog/cart.yaml");
    let writes = [write("catalog/cart.yaml", Some(&cart), Some(&cart.replace("production", "deprecated")))];
    let plan = preview(&repo.at("HEAD"), &writes, now()).expect("a plan");
    let rendered = plan.rendered.as_ref().expect("rendered");
    let diffs: Vec<String> = rendered
        .files
        .iter()
        .filter(|file| file.path.starts_with("notes/"))
        .map(|file| match &file.content {
            crate::rendered_diff::Content::Text { unified, .. } => unified.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        diffs,
        ["--- a/notes/cart.txt\n+++ b/notes/cart.txt\n@@ -1 +1 @@\n-cart is production\n+cart is deprecated\n"]
    );
    assert_eq!(plan.introduced().count(), 0, "{:?}", plan.outcome.diagnostics);
}

/// Added, changed, removed, empty and binary files, in path order, as `git diff` shows them.
#[test]
fn the_writes_diff_as_git_shows_a_change() {
    let write = |path: &str, before: Option<&[u8]>, after: Option<&[u8]>| FileWrite {
        path: path.into(),
        before: before.map(<[u8]>::to_vec),
        after: after.map(<[u8]>::to_vec),
    };
    let writes = [
        write("b.yaml", Some(b"a: 1\nb: 2\nc: 3\n"), Some(b"a: 1\nb: 20\nc: 3\n")),
        write("a.yaml", None, Some(b"new: 1\n")),
        write("c.yaml", Some(b"gone: 1\n"), None),
        write("d.yaml", None, Some(b"")),
        write("e.bin", Some(b"\0\x01"), Some(b"\0\x02")),
        write("f.yaml", Some(b"same\n"), Some(b"same\n")),
    ];
    assert_eq!(
        diff_writes(&writes),
        "--- /dev/null\n+++ b/a.yaml\n@@ -0,0 +1 @@\n+new: 1\n\
         --- a/b.yaml\n+++ b/b.yaml\n@@ -1,3 +1,3 @@\n a: 1\n-b: 2\n+b: 20\n c: 3\n\
         --- a/c.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone: 1\n\
         --- /dev/null\n+++ b/d.yaml\n\
         Binary files a/e.bin and b/e.bin differ\n"
    );
    assert_eq!(diff_writes(&[]), "");
}

fn write(path: &str, before: Option<&str>, after: Option<&str>) -> FileWrite {
    FileWrite {
        path: path.into(),
        before: before.map(|b| b.as_bytes().to_vec()),
        after: after.map(|a| a.as_bytes().to_vec()),
    }
}

fn read(repo: &Repo, path: &str) -> String {
    fs::read_to_string(repo.path().join(path)).expect(path)
}

/// Files are created with their folders, replaced keeping their permissions, and deleted; no
/// temporary file is left; a crash's leftover temporary file is replaced.
#[test]
fn the_writes_go_into_the_working_tree() {
    let repo = Repo::with(&[
        ("catalog/cart.yaml", "identifier: cart\n"),
        ("scripts/run.sh", "echo 1\n"),
        ("gone.yaml", "x\n"),
    ]);
    fs::set_permissions(repo.path().join("scripts/run.sh"), fs::Permissions::from_mode(0o755)).expect("executable");
    repo.write("scripts/.run.sh.cairn-new", "half of it");
    write_worktree(
        repo.path(),
        &[
            write("catalog/new/deep/gift-cards.yaml", None, Some("identifier: gift-cards\n")),
            write("catalog/cart.yaml", Some("identifier: cart\n"), Some("identifier: cart\ntitle: Cart\n")),
            write("scripts/run.sh", Some("echo 1\n"), Some("echo 2\n")),
            write("gone.yaml", Some("x\n"), None),
        ],
    )
    .expect("written");
    assert_eq!(read(&repo, "catalog/new/deep/gift-cards.yaml"), "identifier: gift-cards\n");
    assert_eq!(read(&repo, "catalog/cart.yaml"), "identifier: cart\ntitle: Cart\n");
    assert_eq!(read(&repo, "scripts/run.sh"), "echo 2\n");
    let mode = fs::metadata(repo.path().join("scripts/run.sh")).expect("run.sh").permissions().mode();
    assert_eq!(mode & 0o777, 0o755);
    assert!(!repo.path().join("gone.yaml").exists());
    let mut left =
        repo.git(&["status", "--porcelain", "--untracked-files=all"]).lines().map(str::to_owned).collect::<Vec<_>>();
    left.sort();
    assert_eq!(left, ["?? catalog/cart.yaml", "?? catalog/new/deep/gift-cards.yaml", "?? scripts/run.sh"]);
}

/// The same writes written twice (a run retried after a crash half-way): a file already as the
/// run leaves it is left alone, the others are written.
#[test]
fn writing_the_same_writes_again_changes_nothing() {
    let repo = Repo::with(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 1\n"), ("gone.yaml", "x\n")]);
    let writes = [
        write("a.yaml", Some("a: 1\n"), Some("a: 2\n")),
        write("b.yaml", Some("b: 1\n"), Some("b: 2\n")),
        write("gone.yaml", Some("x\n"), None),
        write("new/c.yaml", None, Some("c: 1\n")),
    ];
    // Half of it was written before a crash.
    write_worktree(repo.path(), &writes[..2]).expect("written");
    write_worktree(repo.path(), &writes).expect("written again");
    write_worktree(repo.path(), &writes).expect("and again");
    assert_eq!(["a.yaml", "b.yaml", "new/c.yaml"].map(|path| read(&repo, path)), ["a: 2\n", "b: 2\n", "c: 1\n"]);
    assert!(!repo.path().join("gone.yaml").exists());
}

/// Every write is checked before the first is made: a file that moved on since the run read it
/// stops them all, and says which.
#[test]
fn a_working_tree_that_moved_on_is_not_written() {
    let repo = Repo::with(&[("a.yaml", "a: 1\n"), ("b.yaml", "b: 1 changed since\n"), ("c.yaml", "c: 1\n")]);
    let cases = [
        (write("b.yaml", Some("b: 1\n"), Some("b: 2\n")), "`b.yaml` changed on disk since the change was made"),
        (write("c.yaml", None, Some("c: 2\n")), "`c.yaml` appeared on disk since the change was made"),
        (write("d.yaml", Some("d: 1\n"), Some("d: 2\n")), "`d.yaml` is gone from disk since the change was made"),
        (write("e/f.yaml", Some("f: 1\n"), Some("f: 2\n")), "`e/f.yaml` is gone from disk since the change was made"),
    ];
    for (stale, message) in cases {
        let error = write_worktree(repo.path(), &[write("a.yaml", Some("a: 1\n"), Some("a: 2\n")), stale])
            .expect_err("refused");
        assert!(matches!(error, WorktreeError::Moved { .. }), "{error:?}");
        assert_eq!(error.to_string(), message);
        assert!(error.help().is_some());
        assert_eq!(read(&repo, "a.yaml"), "a: 1\n");
    }
}

/// A link on the way (a folder or the file itself) is never written through, nor is a path that
/// leaves the root or enters `.git`; a path given twice is refused.
#[test]
fn links_unsafe_paths_and_twice_written_paths_are_refused() {
    let repo = Repo::with(&[("real/a.yaml", "a: 1\n"), ("file.yaml", "x\n")]);
    repo.symlink("real", "linked").symlink("real/a.yaml", "link.yaml");
    let outside = tempfile::tempdir().expect("a temporary directory");
    repo.symlink(outside.path().to_str().expect("UTF-8"), "away");
    let refused = |writes: &[FileWrite]| write_worktree(repo.path(), writes).expect_err("refused").to_string();
    let root = repo.path().display();
    assert_eq!(
        refused(&[write("linked/a.yaml", Some("a: 1\n"), Some("a: 2\n"))]),
        format!("`{root}/linked` is a symbolic link, which cairn never writes through")
    );
    assert_eq!(
        refused(&[write("away/new.yaml", None, Some("x\n"))]),
        format!("`{root}/away` is a symbolic link, which cairn never writes through")
    );
    assert_eq!(
        refused(&[write("link.yaml", Some("a: 1\n"), Some("a: 2\n"))]),
        format!("`{root}/link.yaml` is a symbolic link, which cairn never writes through")
    );
    assert_eq!(
        refused(&[write("file.yaml/new.yaml", None, Some("x\n"))]),
        format!("`{root}/file.yaml` is in the way: it is not a regular file")
    );
    assert_eq!(
        refused(&[write("real", None, Some("x\n"))]),
        format!("`{root}/real` is in the way: it is not a regular file")
    );
    assert_eq!(
        refused(&[write("../escape.yaml", None, Some("x\n"))]),
        "`../escape.yaml` is not a plain relative path inside the platform: it has a `.` or `..` segment"
    );
    assert_eq!(
        refused(&[write(".git/config", None, Some("x\n"))]),
        "`.git/config` is not a plain relative path inside the platform: it is inside a `.git` folder, git's own"
    );
    assert_eq!(
        refused(&[write("n.yaml", None, Some("1")), write("n.yaml", None, Some("2"))]),
        "`n.yaml` is written twice"
    );
    assert_eq!(read(&repo, "real/a.yaml"), "a: 1\n");
    assert_eq!(fs::read_dir(outside.path()).expect("outside").count(), 0);
    assert!(!repo.path().join("n.yaml").exists());
    let error = write_worktree(&repo.path().join("file.yaml"), &[]).expect_err("not a folder");
    assert!(matches!(error, WorktreeError::NotAFolder(_)), "{error:?}");
}

/// A run written into a work tree, then run again: the second run's CREATE is refused, since
/// the file is there now, so a run repeated never writes twice.
#[test]
fn a_run_applied_and_written_then_run_again_is_refused() {
    let repo = clean();
    let changes = [create("catalog/gift-cards.yaml", "identifier: gift-cards\nblueprint: Domain\nteam: payments\n")];
    let writes = apply(&repo.directory(), &changes).expect("applied");
    write_worktree(repo.path(), &writes).expect("written");
    assert_eq!(read(&repo, "catalog/gift-cards.yaml"), "identifier: gift-cards\nblueprint: Domain\nteam: payments\n");
    assert_eq!(
        refused(apply(&repo.directory(), &changes)),
        ["E1050 catalog/gift-cards.yaml: `catalog/gift-cards.yaml` is already in the platform"]
    );
}
