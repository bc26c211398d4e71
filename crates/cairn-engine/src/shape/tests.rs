use cairn_diagnostics::{Code, Diagnostic};

use crate::testing::{CLEAN, Repo, findings, now};
use crate::{Outcome, Verdict, check, plan};

/// The repository checked as a directory and at `HEAD` (committed first); both must agree.
fn both(repo: &Repo) -> Outcome {
    repo.commit("the platform");
    let directory = check(&repo.directory(), now()).expect("a readable directory");
    let git = check(&repo.at("HEAD"), now()).expect("a readable revision");
    assert_eq!(findings(&directory.diagnostics), findings(&git.diagnostics), "a directory and its commit agree");
    git
}

fn with_code(outcome: &Outcome, code: Code) -> Vec<&Diagnostic> {
    outcome.diagnostics.iter().filter(|diagnostic| diagnostic.code == code).collect()
}

/// Each finding of `code` as `file: message | help`.
fn described(outcome: &Outcome, code: Code) -> Vec<String> {
    with_code(outcome, code)
        .into_iter()
        .map(|d| {
            let file = d.location.as_ref().map_or("-", |location| location.file.as_str());
            format!("{file}: {} | {}", d.message, d.help.as_deref().unwrap_or(""))
        })
        .collect()
}

#[test]
fn a_platform_without_entities_is_a_warning_that_fails_ci_and_plan() {
    let repo = Repo::with(&[("cairn.yaml", "version: 1\n"), ("catalog/README.md", "nothing yet\n")]);
    let outcome = both(&repo);
    assert_eq!(
        described(&outcome, Code::NoEntities),
        ["-: no entity was read: `catalog/` and `environments/` hold none | add entities under `catalog/` \
          (or set `paths` in `cairn.yaml` to where they are), or, if the platform is empty on purpose, write \
          `catalog: {allow-empty: true}` in `cairn.yaml`"]
    );
    // A warning: `cairn check` passes, `cairn ci` does not.
    assert_eq!((outcome.verdict(), outcome.ci_verdict()), (Verdict::Pass, Verdict::Fail));
    assert!(outcome.read_nothing());

    // A plan whose base and head are both empty still fails: the warning is not new, but a
    // pull request judged against nothing must not pass.
    repo.write("catalog/README.md", "still nothing\n");
    repo.commit("docs");
    let plan = plan(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a plan");
    assert!(plan.introduced().all(|d| d.code != Code::NoEntities), "already there at the base");
    assert_eq!(plan.verdict(false), Verdict::Fail);
}

#[test]
fn a_platform_empty_on_purpose_says_so_in_its_settings() {
    let repo = Repo::with(&[("cairn.yaml", "catalog:\n  allow-empty: true\n")]);
    let outcome = both(&repo);
    assert_eq!(findings(&outcome.diagnostics), Vec::<String>::new());
    assert_eq!(outcome.ci_verdict(), Verdict::Pass);
}

#[test]
fn without_settings_the_help_says_where_to_point_cairn() {
    let repo = Repo::with(&[("README.md", "not a platform\n")]);
    let outcome = both(&repo);
    let found = with_code(&outcome, Code::NoEntities);
    assert_eq!(found.len(), 1);
    assert!(found[0].location.is_none(), "no `cairn.yaml` to point at");
    assert!(found[0].help.as_deref().is_some_and(|help| help.contains("no `cairn.yaml` was found")), "{found:?}");
}

#[test]
fn a_clean_platform_has_no_shape_finding() {
    let outcome = both(&Repo::with(CLEAN));
    assert_eq!(findings(&outcome.diagnostics), Vec::<String>::new());
    assert_eq!(outcome.ci_verdict(), Verdict::Pass);
}

#[test]
fn yaml_or_json_outside_the_folders_cairn_reads_is_a_warning_with_a_did_you_mean() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[
        ("enviroments/dev.yaml", "identifier: dev\n"),
        ("enviroments/staging.yml", "identifier: staging\n"),
        ("catalogue/x/y.json", "{}"),
        ("docs/openapi.yaml", "openapi: 3.1.0\n"),
        ("docs/README.md", "not data\n"),
        ("services.yaml", "a: 1\n"),
        ("cairn.yml", "version: 1\n"),
        ("platform/cairn.yaml", "version: 1\n"),
        ("platform/catalog/a.yaml", "identifier: a\n"),
        (".pre-commit-config.yaml", "repos: []\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        ("templates/t.yaml", "reserved: true\n"),
        (
            "actions/deploy.yaml",
            "identifier: deploy\ntrigger: {type: self-service, operation: DAY-2, blueprintIdentifier: Component}\n",
        ),
        ("scripts/build.sh", "not data\n"),
    ]);
    let outcome = both(&repo);
    let known = "the folders cairn knows are `actions/`, `blueprints/`, `catalog/`, `environments/`, `exceptions/`, `policies/`, \
                 `resources/`, `scorecards/`, `templates/`: move the files into one, or set `paths` in `cairn.yaml`";
    assert_eq!(
        described(&outcome, Code::UnreadData),
        [
            "cairn.yml: `cairn.yml` is at the top of the platform, where cairn reads no data | cairn reads its \
             settings from `cairn.yaml` only: rename the file"
                .to_owned(),
            "catalogue/x/y.json: the folder `catalogue` holds a YAML or JSON file that cairn does not read | did \
             you mean `catalog`?"
                .to_owned(),
            format!(
                "docs/openapi.yaml: the folder `docs` holds a YAML or JSON file that cairn does not read | {known}"
            ),
            "enviroments/dev.yaml: the folder `enviroments` holds 2 YAML or JSON files that cairn does not read | \
             did you mean `environments`?"
                .to_owned(),
            "platform/cairn.yaml: the folder `platform` holds 2 YAML or JSON files that cairn does not read | \
             `platform/cairn.yaml` makes `platform` a platform of its own: check it with `cairn check platform` \
             (in the action, `path: platform`)"
                .to_owned(),
            "services.yaml: `services.yaml` is at the top of the platform, where cairn reads no data | cairn reads \
             entities from the catalog and environments folders only: move the file into one, or out of the platform"
                .to_owned(),
        ]
    );
    assert!(outcome.diagnostics.iter().all(|d| d.code != Code::NoEntities), "the catalog has entities");
    assert_eq!(outcome.verdict(), Verdict::Pass, "warnings only");
}

#[test]
fn a_folder_under_a_configured_path_is_known() {
    let repo = Repo::with(&[
        ("cairn.yaml", "paths:\n  catalog: platform/catalog\n"),
        ("platform/catalog/team.yaml", "identifier: payments\nblueprint: _team\n"),
        ("platform/notes.yaml", "a: 1\n"),
    ]);
    let outcome = both(&repo);
    assert_eq!(findings(&outcome.diagnostics), Vec::<String>::new());
}

#[test]
fn links_are_findings_only_inside_the_folders_cairn_reads() {
    let repo = Repo::with(CLEAN);
    repo.write("docs/real.md", "a document\n")
        .symlink("teams.yaml", "catalog/link.yaml")
        .symlink("real.md", "docs/link.md")
        .symlink("../catalog", "policies/linked")
        .symlink("catalog", "elsewhere");
    let outcome = both(&repo);
    assert_eq!(findings(&outcome.diagnostics), ["E0108 catalog/link.yaml", "E0108 policies/linked"]);
    assert!(outcome.ignored.contains(&"docs/link.md (a symbolic link)".to_owned()), "{:?}", outcome.ignored);
    assert!(outcome.ignored.contains(&"elsewhere (a symbolic link)".to_owned()), "{:?}", outcome.ignored);
}

#[test]
fn a_linked_settings_file_is_a_finding() {
    let repo = Repo::with(CLEAN);
    repo.write("docs/settings.txt", "version: 1\n").symlink("docs/settings.txt", "cairn.yaml");
    let outcome = both(&repo);
    assert_eq!(findings(&outcome.diagnostics), ["E0108 cairn.yaml"]);
}

#[test]
fn files_that_gitignore_ignores_are_not_read_on_disk_as_they_are_absent_from_a_revision() {
    let repo = Repo::with(CLEAN);
    repo.write(".gitignore", "catalog/generated/\n*.local.yaml\n")
        .write("catalog/generated/broken.yaml", "identifier: [unclosed\n")
        .write("environments/mine.local.yaml", "identifier: [unclosed\n");
    let outcome = both(&repo);
    assert_eq!(findings(&outcome.diagnostics), Vec::<String>::new());
    assert_eq!(outcome.entities(), 4);
}

#[test]
fn retain_files_keeps_the_findings_of_the_files_given_and_the_broken_rules() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[
        ("catalog/a.yaml", "identifier: a\nblueprint: Domain\nteam: nobody\n"),
        ("catalog/b.yaml", "identifier: b\nblueprint: Domain\nteam: nobody\n"),
        ("policies/broken.rego", "package acme.broken\ndeny contains msg if {\n"),
        ("docs/x.yaml", "a: 1\n"),
    ]);
    let mut outcome = both(&repo);
    assert_eq!(
        findings(&outcome.diagnostics),
        ["E0313 catalog/a.yaml", "E0313 catalog/b.yaml", "W0702 docs/x.yaml", "E0503 policies/broken.rego"]
    );
    outcome.retain_files(&["catalog/a.yaml".to_owned()].into());
    assert_eq!(findings(&outcome.diagnostics), ["E0313 catalog/a.yaml", "E0503 policies/broken.rego"]);
    assert_eq!(outcome.entities(), 6, "the whole platform was read");
}

#[test]
fn a_change_is_judged_by_whether_its_head_reads_entities() {
    // The base is empty; the head adds a team: nothing to warn about at the head.
    let repo = Repo::with(&[("cairn.yaml", "version: 1\n")]);
    repo.commit("empty");
    repo.write("catalog/team.yaml", "identifier: payments\nblueprint: _team\n");
    repo.commit("a team");
    let filled = plan(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a plan");
    assert_eq!(findings(&filled.outcome.diagnostics), Vec::<String>::new());
    assert_eq!(filled.verdict(false), Verdict::Pass);

    // The head removes every entity: the warning is the head's, introduced, and fails.
    repo.remove("catalog/team.yaml");
    repo.commit("no team");
    let emptied = plan(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a plan");
    assert_eq!(findings(&emptied.introduced().cloned().collect::<Vec<_>>()), ["W0701 -"]);
    assert_eq!(emptied.verdict(false), Verdict::Fail);
    let change = crate::check_change(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a change");
    assert!(change.read_nothing());
}
