//! Publishing to the rendered branch of real git repositories in temporary directories.

use cairn_source::{CommitId, Repository};

use super::{PublishError, Published, publish_rendered};
use crate::testing::{CLEAN, Repo};
use crate::verify::verify_rendered;

const BRANCH: &str = "rendered/main";
const VERSION: &str = "9.9.9";

/// The clean platform with a golden path writing one note per component.
fn platform() -> Repo {
    let repo = Repo::with(CLEAN);
    repo.write(
        "templates/notes/template.yaml",
        "title: Notes\nblueprint: Component\neach: entity\noutputs:\n  - path: \"notes/{{ entity.identifier }}.txt\"\n    template: note.j2\n",
    );
    repo.write("templates/notes/note.j2", "{{ entity.identifier }} is {{ entity.properties.lifecycle }}\n");
    repo
}

fn publish(repo: &Repo, rev: &str) -> Result<Published, PublishError> {
    publish_rendered(&repo.at(rev), BRANCH, VERSION)
}

fn id(text: &str) -> CommitId {
    CommitId::parse(text).expect("a full commit id")
}

fn tip(repo: &Repo) -> String {
    repo.git(&["rev-parse", BRANCH])
}

#[test]
fn publishing_twice_commits_once_then_is_current() {
    let repo = platform();
    let source = repo.commit("Golden paths (#12)");
    let Published::Committed { commit } = publish(&repo, "HEAD").expect("published") else { panic!("not committed") };
    assert_eq!(tip(&repo), commit.to_string());
    assert_eq!(publish(&repo, "HEAD").expect("published"), Published::Current { tip: commit });
    assert_eq!(tip(&repo), commit.to_string());

    let objects = Repository::open(repo.path()).expect("a repository");
    let info = objects.commit(commit).expect("the commit");
    assert_eq!(info.subject, format!("Render {}: Golden paths (#12)", &source[..12]));
    assert_eq!(info.trailer("Cairn-Source-Commit"), Some(source.as_str()));
    assert_eq!(info.trailer("Cairn-Version"), Some(VERSION));
    assert!(info.trailer("Cairn-Rendered-Digest").is_some_and(|digest| digest.starts_with("sha256:")));
    assert!(info.trailer("Cairn-Inputs-Digest").is_some_and(|digest| digest.starts_with("sha256:")));
    assert!(info.parents.is_empty());
    // Made by cairn at the source commit's time, so that the id is the same on every run.
    let source_time = repo.git(&["log", "-1", "--format=%ct", &source]);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae> %at %ct", BRANCH]),
        format!("cairn <cairn@localhost> {source_time} {source_time}")
    );

    // The tree holds exactly what `cairn render --out` writes.
    let out = tempfile::tempdir().expect("a temporary directory");
    let folder = out.path().join("out");
    let now = cairn_model::Timestamp::from_second(source_time.parse().expect("seconds")).expect("an instant");
    let rendering = crate::render(&repo.at(&source), now, &crate::RenderOptions::default()).expect("a rendering");
    crate::write(&rendering.rendered, &folder, false).expect("written");
    let mut written = Vec::new();
    collect(&folder, "", &mut written);
    written.sort();
    let committed: Vec<(String, Vec<u8>)> = objects
        .commit_files(commit)
        .expect("the files")
        .into_iter()
        .map(|file| (file.path, file.bytes.expect("a regular file")))
        .collect();
    assert_eq!(committed, written);
    assert!(committed.iter().any(|(path, bytes)| path == "notes/cart.txt" && bytes == b"cart is production\n"));
    assert!(committed.iter().any(|(path, _)| path == ".cairn/manifest.json"));
}

fn collect(folder: &std::path::Path, prefix: &str, found: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(folder).expect("a folder") {
        let entry = entry.expect("an entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        if entry.file_type().expect("a type").is_dir() {
            collect(&entry.path(), &path, found);
        } else {
            found.push((path, std::fs::read(entry.path()).expect("bytes")));
        }
    }
}

#[test]
fn a_change_that_renders_the_same_is_unchanged_and_one_that_does_not_is_a_child_commit() {
    let repo = platform();
    repo.commit("golden paths");
    let Published::Committed { commit: first } = publish(&repo, "HEAD").expect("published") else { panic!() };
    repo.write("README.md", "# not rendered\n");
    repo.commit("readme");
    assert_eq!(publish(&repo, "HEAD").expect("published"), Published::Unchanged { tip: first });
    assert_eq!(tip(&repo), first.to_string());

    let cart = std::fs::read_to_string(repo.path().join("catalog/cart.yaml")).expect("cart");
    repo.write("catalog/cart.yaml", cart.replace("production", "deprecated"));
    repo.commit("deprecate cart");
    let Published::Committed { commit: second } = publish(&repo, "HEAD").expect("published") else { panic!() };
    let objects = Repository::open(repo.path()).expect("a repository");
    assert_eq!(objects.commit(second).expect("the commit").parents, vec![first]);
    assert_eq!(repo.git(&["show", &format!("{BRANCH}:notes/cart.txt")]), "cart is deprecated");
}

#[test]
fn an_older_revision_never_undoes_a_newer_one() {
    let repo = platform();
    let old = repo.commit("golden paths");
    let cart = std::fs::read_to_string(repo.path().join("catalog/cart.yaml")).expect("cart");
    repo.write("catalog/cart.yaml", cart.replace("production", "deprecated"));
    let new = repo.commit("deprecate cart");
    let Published::Committed { commit } = publish(&repo, &new).expect("published") else { panic!() };
    assert_eq!(publish(&repo, &old).expect("published"), Published::Superseded { tip: commit, by: id(&new) });
    assert_eq!(tip(&repo), commit.to_string());
}

#[test]
fn a_branch_with_a_foreign_tip_is_not_written() {
    let repo = platform();
    repo.commit("golden paths");
    repo.git(&["branch", BRANCH]);
    let foreign = tip(&repo);
    let error = publish(&repo, "HEAD").expect_err("a foreign tip");
    assert!(matches!(&error, PublishError::Foreign { tip, .. } if tip.to_string() == foreign), "{error:?}");
    assert!(error.to_string().contains(&foreign), "{error}");
    assert_eq!(tip(&repo), foreign);
}

#[test]
fn a_tip_rendered_from_another_history_has_diverged() {
    let repo = platform();
    repo.commit("golden paths");
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("README.md", "side\n");
    let side = repo.commit("side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "main\n");
    repo.commit("main");
    let Published::Committed { commit } = publish(&repo, &side).expect("published") else { panic!() };
    let error = publish(&repo, "main").expect_err("diverged");
    assert!(matches!(error, PublishError::Diverged { .. }), "{error:?}");
    assert_eq!(tip(&repo), commit.to_string());
}

#[test]
fn a_rendering_with_errors_publishes_nothing() {
    let repo = platform();
    repo.write("templates/notes/note.j2", "{{ entity.no_such_thing.at_all }}\n");
    repo.commit("broken template");
    let error = publish(&repo, "HEAD").expect_err("render errors");
    let PublishError::Rendering { rendering, .. } = &error else { panic!("{error:?}") };
    assert!(rendering.count(cairn_diagnostics::Severity::Error) > 0);
    assert!(repo.git(&["branch", "--list", BRANCH]).is_empty());
}

#[test]
fn a_directory_is_not_published() {
    let repo = platform();
    repo.commit("golden paths");
    let error = publish_rendered(&repo.directory(), BRANCH, VERSION).expect_err("not a revision");
    assert!(matches!(error, PublishError::NotARevision(_)), "{error:?}");
}

#[test]
fn two_publishers_of_one_revision_make_one_commit() {
    let repo = platform();
    repo.commit("golden paths");
    let source = repo.at("HEAD");
    let outcomes: Vec<Published> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let source = source.clone();
                scope.spawn(move || publish_rendered(&source, BRANCH, VERSION).expect("published"))
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a thread")).collect()
    });
    assert_eq!(repo.git(&["rev-list", "--count", BRANCH]), "1");
    let tip = id(&tip(&repo));
    assert!(outcomes.contains(&Published::Committed { commit: tip }), "{outcomes:?}");
    assert!(outcomes.iter().all(|outcome| matches!(outcome, Published::Committed { commit } | Published::Current { tip: commit } if *commit == tip)), "{outcomes:?}");
}

#[test]
fn a_published_commit_verifies_and_a_tampered_one_names_its_paths() {
    let repo = platform();
    let source = repo.commit("golden paths");
    let Published::Committed { commit } = publish(&repo, "HEAD").expect("published") else { panic!() };
    let verification = verify_rendered(repo.path(), BRANCH).expect("verified");
    assert!(verification.identical(), "{verification:?}");
    assert_eq!((verification.commit, verification.source_commit), (commit, id(&source)));
    assert_eq!(verification.version.as_deref(), Some(VERSION));

    // A commit with a changed file and an extra one, under the same trailers.
    repo.git(&["checkout", "-q", BRANCH]);
    repo.write("notes/cart.txt", "cart is tampered\n");
    repo.write("extra.txt", "extra\n");
    let message = repo.git(&["log", "-1", "--format=%B", BRANCH]);
    repo.commit(&message);
    let verification = verify_rendered(repo.path(), "HEAD").expect("verified");
    assert!(!verification.identical());
    assert_eq!(
        (verification.differing.as_slice(), verification.extra.as_slice()),
        (&["notes/cart.txt".to_owned()][..], &["extra.txt".to_owned()][..])
    );
    assert!(verification.missing.is_empty());

    let error = verify_rendered(repo.path(), "main").expect_err("not rendered");
    assert!(matches!(error, crate::verify::VerifyError::NotRendered { .. }), "{error:?}");
}

#[test]
fn the_rendered_digest_is_of_paths_and_file_digests_in_path_order() {
    let files = [("b/c.txt", b"c".as_slice()), ("a.txt", b"a".as_slice())];
    let text = format!("a.txt\0{}\nb/c.txt\0{}\n", cairn_render::digest(b"a"), cairn_render::digest(b"c"));
    assert_eq!(super::rendered_digest(&files), cairn_render::digest(text.as_bytes()));
    // A path's bytes moving into another file's path changes it.
    let moved = [("b/c.txt", b"a".as_slice()), ("a.txt", b"c".as_slice())];
    assert_ne!(super::rendered_digest(&moved), super::rendered_digest(&files));
}

#[test]
fn a_platform_in_a_folder_publishes_its_own_files_and_verifies() {
    let repo = Repo::new();
    for (path, text) in CLEAN {
        repo.write(&format!("platform/{path}"), text);
    }
    repo.write(
        "platform/templates/notes/template.yaml",
        "title: Notes\nblueprint: Component\neach: entity\noutputs:\n  - path: \"notes/{{ entity.identifier }}.txt\"\n    template: note.j2\n",
    );
    repo.write("platform/templates/notes/note.j2", "{{ entity.identifier }}\n");
    repo.write("app/main.rs", "fn main() {}\n");
    repo.commit("a platform in a folder");
    let folder = repo.path().join("platform");
    let source = cairn_source::Source::git(&folder, "HEAD").expect("a revision");
    let Published::Committed { .. } = publish_rendered(&source, BRANCH, VERSION).expect("published") else { panic!() };
    // The branch holds the rendered files at its root, not under the platform's folder.
    assert_eq!(repo.git(&["show", &format!("{BRANCH}:notes/cart.txt")]), "cart");
    assert!(verify_rendered(&folder, BRANCH).expect("verified").identical());
}

#[test]
fn an_overlay_is_not_published() {
    let repo = platform();
    repo.commit("golden paths");
    let overlay = cairn_source::Source::overlay(repo.at("HEAD"), cairn_source::Writes::default());
    let error = publish_rendered(&overlay, BRANCH, VERSION).expect_err("not a revision");
    assert!(matches!(error, PublishError::NotARevision(_)), "{error:?}");
}
