use std::sync::Arc;

use cairn_model::Settings;

use super::{Loaded, Reuse, load, load_with};
use crate::testing::{CLEAN, Edit, Repo, findings};

/// The repository in `repo`'s work tree read twice: as a directory, and at its `HEAD` commit.
fn both(repo: &Repo) -> [(&'static str, Loaded); 2] {
    repo.commit("the platform");
    [
        ("directory", load(&repo.directory()).expect("a readable directory")),
        ("HEAD", load(&repo.at("HEAD")).expect("a readable revision")),
    ]
}

/// Each entity as `reference file`, in load order.
fn entities(loaded: &Loaded) -> Vec<String> {
    loaded.entities.iter().map(|entity| format!("{} {}", entity.reference(), entity.file.path())).collect()
}

fn file_paths(loaded: &Loaded) -> Vec<&str> {
    loaded.files.iter().map(|file| file.path()).filter(|path| !path.starts_with(super::BUNDLED_PREFIX)).collect()
}

#[test]
fn a_directory_and_its_commit_read_the_same() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[
        ("catalog/broken.yaml", "identifier: broken\nblueprint: Domain\ncolour: red\n"),
        ("catalog/unparsable.yaml", "identifier: [unclosed\n"),
        ("environments/dev.yaml", "identifier: dev\nteam: payments\nproperties:\n  type: development\n"),
        ("policies/empty.rego", "package acme.empty\n"),
        ("exceptions/none.yaml", "rule: E0303\nentities: [Domain:x]\nowner: me\nreason: why\nexpires: 2030-01-01\n"),
        ("README.md", "not read\n"),
    ]);
    repo.symlink("shop.yaml", "catalog/link.yaml");
    let [(_, directory), (_, git)] = both(&repo);

    assert_eq!(entities(&directory), entities(&git));
    assert_eq!(
        entities(&git),
        [
            "Domain:broken catalog/broken.yaml",
            "Component:cart catalog/cart.yaml",
            "System:checkout catalog/checkout.yaml",
            "Domain:shop catalog/shop.yaml",
            "_team:payments catalog/teams.yaml",
            "Environment:dev environments/dev.yaml",
        ]
    );
    assert_eq!(directory.diagnostics, git.diagnostics);
    assert_eq!(
        findings(&git.diagnostics),
        ["E0108 catalog/link.yaml", "W0306 catalog/broken.yaml", "E0101 catalog/unparsable.yaml"]
    );
    assert_eq!(directory.ignored, git.ignored);
    assert_eq!(git.ignored, ["README.md"]);
    assert_eq!(directory.waivers.len(), 1);
    assert_eq!(git.waivers.len(), 1);
    let policies = |loaded: &Loaded| loaded.policies.iter().map(|file| file.path().to_owned()).collect::<Vec<_>>();
    assert_eq!(policies(&directory), policies(&git));
    assert_eq!(policies(&git), ["policies/empty.rego"]);
    assert_eq!(directory.settings, git.settings);
}

/// `port.yml` and `port.yaml` files anywhere are entity files (one entity or a list), and
/// files that list blueprints or entities under a key read as many, each at its item; the same
/// on disk and at a revision. A `port.yml` at the top is not "unread data" (`W0702`).
#[test]
fn port_files_and_list_files_read_as_many() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[
        (
            "port.yml",
            "identifier: storefront
blueprint: Domain
team: payments
",
        ),
        (
            "services/api/port.yaml",
            "- identifier: api
  blueprint: System
  relations: {domain: storefront}
- identifier: web
  blueprint: System
",
        ),
        ("blueprints/more.json", "{\"blueprints\": [{\"identifier\": \"Queue\"}, {\"identifier\": \"Topic\"}]}\n"),
        ("catalog/queues.yaml", "entities:\n  - identifier: orders\n    blueprint: Queue\nblueprints: []\n"),
        ("services/api/port.json", "{}\n"),
    ]);
    for (read, loaded) in both(&repo) {
        let mut read_entities = entities(&loaded);
        read_entities.sort();
        assert_eq!(
            read_entities,
            [
                "Component:cart catalog/cart.yaml",
                "Domain:shop catalog/shop.yaml",
                "Domain:storefront port.yml",
                "Queue:orders catalog/queues.yaml",
                "System:api services/api/port.yaml",
                "System:checkout catalog/checkout.yaml",
                "System:web services/api/port.yaml",
                "_team:payments catalog/teams.yaml",
            ],
            "{read}"
        );
        let blueprints: Vec<&str> =
            loaded.declared_blueprints.iter().map(|blueprint| blueprint.identifier.as_str()).collect();
        assert_eq!(blueprints, ["Queue", "Topic"], "{read}");
        assert_eq!(
            findings(&loaded.diagnostics),
            ["E0330 catalog/queues.yaml", "W0702 services/api/port.json"],
            "{read}"
        );
        let web = loaded.entities.iter().find(|entity| entity.identifier.value == "web").expect("read");
        assert_eq!(web.file.position(web.span.start).line, 4, "{read}: located at its item");
    }

    repo.write("cairn.yaml", "catalog:\n  port-yml: false\n");
    for (read, loaded) in both(&repo) {
        assert!(!entities(&loaded).iter().any(|entity| entity.contains("port.y")), "{read}");
        assert_eq!(
            findings(&loaded.diagnostics),
            ["E0330 catalog/queues.yaml", "W0702 port.yml", "W0702 services/api/port.json"],
            "{read}"
        );
    }
}

/// A file over `limits.max-file-size` is a finding and is not read at all: its bytes, which
/// would not parse, give no finding of their own, and it is not among the files read.
#[test]
fn a_file_over_the_size_limit_is_not_read() {
    let repo = Repo::with(&[
        ("cairn.yaml", "limits:\n  max-file-size: 120\n"),
        ("catalog/small.yaml", "identifier: small\nblueprint: Domain\n"),
        ("catalog/large.yaml", &format!("identifier: [{}\n", "x".repeat(200))),
    ]);
    for (read, loaded) in both(&repo) {
        assert_eq!(findings(&loaded.diagnostics), ["E0107 catalog/large.yaml"], "{read}");
        assert!(loaded.diagnostics[0].message.contains("above the limit of 120 bytes"), "{read}");
        assert_eq!(entities(&loaded), ["Domain:small catalog/small.yaml"], "{read}");
        assert_eq!(file_paths(&loaded), ["cairn.yaml", "catalog/small.yaml"], "{read}");
        assert_eq!(loaded.settings.limits.max_file_size, 120, "{read}");
    }
}

/// A link is a finding wherever it points, inside the repository or out of it, and is never
/// read: its target's entity is not declared twice.
#[test]
fn a_symbolic_link_is_a_finding_and_is_not_followed() {
    let repo = Repo::with(CLEAN);
    repo.symlink("shop.yaml", "catalog/again.yaml");
    repo.symlink("/etc/passwd", "catalog/outside.yaml");
    repo.symlink("../catalog", "environments");
    for (read, loaded) in both(&repo) {
        assert_eq!(
            findings(&loaded.diagnostics),
            ["E0108 catalog/again.yaml", "E0108 catalog/outside.yaml", "E0108 environments"],
            "{read}"
        );
        assert_eq!(loaded.entities.len(), CLEAN.len(), "{read}");
        assert!(!file_paths(&loaded).iter().any(|path| path.contains("again") || path.contains("outside")), "{read}");
    }
}

/// The identifiers of `head`'s entities that are the very `Arc`s `base` parsed, sorted.
fn shared(base: &Loaded, head: &Loaded) -> Vec<String> {
    let mut shared: Vec<String> = head
        .entities
        .iter()
        .filter(|entity| base.entities.iter().any(|earlier| Arc::ptr_eq(earlier, entity)))
        .map(|entity| entity.identifier.value.clone())
        .collect();
    shared.sort();
    shared
}

/// A head reuses the base's parsed entity files where path, blob and settings agree: those
/// entities are the same `Arc`s; the others are parsed again.
#[test]
fn a_head_reuses_the_entities_of_the_files_its_base_parsed() {
    struct Case {
        name: &'static str,
        /// Edits the work tree from the base to the head.
        edit: Edit,
        /// Whether the base keeps what it parsed.
        keep: bool,
        /// The settings the head is read with; `None`: its own.
        settings: Option<fn() -> Settings>,
        shared: &'static [&'static str],
    }
    let cases = [
        Case {
            name: "one entity file changed",
            edit: |repo| {
                repo.write("catalog/cart.yaml", CLEAN[3].1.replace("service", "worker"));
            },
            keep: true,
            settings: None,
            shared: &["checkout", "payments", "shop"],
        },
        Case {
            name: "read with the base's settings",
            edit: |repo| {
                repo.write("catalog/cart.yaml", CLEAN[3].1.replace("service", "worker"));
            },
            keep: true,
            settings: Some(Settings::default),
            shared: &["checkout", "payments", "shop"],
        },
        Case {
            name: "nothing changed but the commit",
            edit: |_| {},
            keep: true,
            settings: None,
            shared: &["cart", "checkout", "payments", "shop"],
        },
        Case {
            name: "a file moved: same blob, another path",
            edit: |repo| {
                repo.rename("catalog/shop.yaml", "catalog/domains/shop.yaml");
            },
            keep: true,
            settings: None,
            shared: &["cart", "checkout", "payments"],
        },
        Case { name: "the base did not keep what it parsed", edit: |_| {}, keep: false, settings: None, shared: &[] },
        Case {
            name: "other settings given",
            edit: |_| {},
            keep: true,
            settings: Some(|| {
                let mut settings = Settings::default();
                settings.limits.max_depth = 10;
                settings
            }),
            shared: &[],
        },
        Case {
            name: "the head's own settings differ",
            edit: |repo| {
                repo.write("cairn.yaml", "limits:\n  max-depth: 10\n");
            },
            keep: true,
            settings: None,
            shared: &[],
        },
    ];
    for case in cases {
        let repo = Repo::with(CLEAN);
        repo.commit("base");
        (case.edit)(&repo);
        repo.commit("head");
        let reuse = if case.keep { Reuse::Keep } else { Reuse::Nothing };
        let base = load_with(&repo.at("HEAD~1"), None, reuse).expect("the base");
        let settings = case.settings.map(|settings| settings());
        let head = load_with(&repo.at("HEAD"), settings.as_ref(), Reuse::From(&base)).expect("the head");
        assert_eq!(shared(&base, &head), case.shared, "{}", case.name);
        // Reused or not, the head reads the same as a load of its own.
        let alone = load_with(&repo.at("HEAD"), settings.as_ref(), Reuse::Nothing).expect("the head alone");
        assert_eq!(entities(&head), entities(&alone), "{}", case.name);
        assert_eq!(head.diagnostics, alone.diagnostics, "{}", case.name);
    }
}

/// A chain of loads (`Reuse::Chain`) passes parsed files on: the third load takes from the
/// second the files the second took from the first, and reads as a load of its own.
#[test]
fn a_chain_of_loads_passes_parsed_files_on() {
    let repo = Repo::with(CLEAN);
    repo.commit("first");
    repo.write("catalog/cart.yaml", CLEAN[3].1.replace("service", "worker"));
    repo.commit("second");
    repo.write("catalog/cart.yaml", CLEAN[3].1.replace("service", "job"));
    repo.commit("third");
    let first = load_with(&repo.at("HEAD~2"), None, Reuse::Keep).expect("the first");
    let second = load_with(&repo.at("HEAD~1"), None, Reuse::Chain(&first)).expect("the second");
    let third = load_with(&repo.at("HEAD"), None, Reuse::Chain(&second)).expect("the third");
    assert_eq!(shared(&first, &third), ["checkout", "payments", "shop"]);
    let alone = load_with(&repo.at("HEAD"), None, Reuse::Nothing).expect("the third alone");
    assert_eq!(entities(&third), entities(&alone));
    assert_eq!(third.diagnostics, alone.diagnostics);
}
