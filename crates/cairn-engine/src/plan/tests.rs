use cairn_diagnostics::Diagnostic;
use cairn_model::{ENVIRONMENT_BLUEPRINT, Entity, Limits, parse_file, read_entity};
use cairn_source::Origin;

use super::{Plan, expiry, plan};
use crate::change::check_change;
use crate::testing::{CLEAN, Edit, Files, Repo, findings, instant, now};
use crate::verdict::Verdict;

/// The clean platform with `base` added, committed; then `edit`ed and committed again; planned.
fn plan_change(base: Files, edit: impl FnOnce(&Repo)) -> Plan {
    let repo = Repo::with(CLEAN);
    repo.write_all(base);
    repo.commit("base");
    edit(&repo);
    repo.commit("head");
    plan(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a plan")
}

/// Each entity change as `kind reference file [moved from] fields`.
fn entity_changes(plan: &Plan) -> Vec<String> {
    plan.entities
        .iter()
        .map(|change| {
            let moved = change.moved_from.as_ref().map(|from| format!(" (from {from})")).unwrap_or_default();
            let fields: Vec<String> = change
                .fields
                .iter()
                .map(|field| {
                    let show =
                        |value: &Option<serde_json::Value>| value.as_ref().map_or("-".to_owned(), ToString::to_string);
                    format!(" {}: {} -> {}", field.field, show(&field.before), show(&field.after))
                })
                .collect();
            format!("{:?} {} {}{moved}{}", change.kind, change.entity, change.file, fields.concat())
        })
        .collect()
}

#[test]
fn a_plan_lists_entities_added_removed_modified_and_moved() {
    let plan = plan_change(&[], |repo| {
        repo.write("catalog/warehouse.yaml", "identifier: warehouse\nblueprint: Domain\nteam: payments\n");
        repo.remove("catalog/cart.yaml");
        repo.write(
            "catalog/checkout.yaml",
            "identifier: checkout\ntitle: Checkout\nblueprint: System\nteam: payments\nproperties:\n  lifecycle: deprecated\nrelations:\n  domain: shop\n",
        );
        repo.rename("catalog/shop.yaml", "catalog/domains/shop.yaml");
    });
    assert_eq!(
        entity_changes(&plan),
        [
            "Removed Component:cart catalog/cart.yaml",
            "Moved Domain:shop catalog/domains/shop.yaml (from catalog/shop.yaml)",
            "Added Domain:warehouse catalog/warehouse.yaml",
            "Modified System:checkout catalog/checkout.yaml properties.lifecycle: \"production\" -> \"deprecated\" title: - -> \"Checkout\"",
        ]
    );
    assert!(plan.environments.is_empty());
    // A removed entity is described where it was at the base.
    assert_eq!(plan.entities[0].teams, ["payments"]);
    assert_eq!(plan.entities[2].line, 1);
}

/// An environment's expiry is read at each side, whatever the offset it was written with, and
/// given in UTC.
#[test]
fn a_plan_gives_when_environments_expire_in_utc() {
    let environment = |identifier: &str, properties: &str| {
        format!("identifier: {identifier}\nteam: payments\nproperties:\n  type: development\n{properties}")
    };
    let base = [
        ("environments/kept.yaml", environment("kept", "  createdAt: \"2026-11-24T09:15:00+02:00\"\n  ttl: 5d\n")),
        ("environments/gone.yaml", environment("gone", "  expiresAt: \"2026-12-24T00:00:00-05:00\"\n")),
        ("environments/prod.yaml", environment("prod", "")),
    ];
    let base: Vec<(&str, &str)> = base.iter().map(|(path, text)| (*path, text.as_str())).collect();
    let plan = plan_change(&base, |repo| {
        repo.write(
            "environments/kept.yaml",
            environment("kept", "  createdAt: \"2026-11-24T09:15:00+02:00\"\n  ttl: 1w\n"),
        );
        repo.remove("environments/gone.yaml");
        repo.write(
            "environments/new.yaml",
            environment("new", "  createdAt: \"2026-11-30T23:30:00-03:30\"\n  ttl: 12h\n"),
        );
        repo.write("environments/prod.yaml", format!("{}# long-lived\n", environment("prod", "")));
    });
    let environments: Vec<String> = plan
        .environments
        .iter()
        .map(|change| {
            let show = |at: Option<cairn_model::Timestamp>| at.map_or("-".to_owned(), |at| at.to_string());
            format!(
                "{:?} {} {} expires {} (was {})",
                change.kind,
                change.identifier,
                change.kind_of_environment.as_deref().unwrap_or("-"),
                show(change.expires),
                show(change.expired_before)
            )
        })
        .collect();
    assert_eq!(
        environments,
        [
            "Removed gone development expires - (was 2026-12-24T05:00:00Z)",
            "Modified kept development expires 2026-12-01T07:15:00Z (was 2026-11-29T07:15:00Z)",
            "Added new development expires 2026-12-01T15:00:00Z (was -)",
        ]
    );
}

/// A finding is introduced when the base did not have it, matched by code, entity and message:
/// a finding whose line moved was already there.
#[test]
fn a_plan_splits_findings_into_introduced_and_existing() {
    struct Case {
        name: &'static str,
        edit: Edit,
        introduced: &'static [&'static str],
        existing: &'static [&'static str],
        verdict: Verdict,
        strict: Verdict,
    }
    const CART: &str = "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\nrelations:\n  system: checkout\n";
    let cases = [
        Case {
            name: "nothing changes",
            edit: |_| {},
            introduced: &[],
            existing: &["E0303 catalog/cart.yaml"],
            verdict: Verdict::Pass,
            strict: Verdict::Fail,
        },
        Case {
            name: "the existing finding moves down a line",
            edit: |repo| {
                repo.write("catalog/cart.yaml", format!("# the cart\n{CART}"));
            },
            introduced: &[],
            existing: &["E0303 catalog/cart.yaml"],
            verdict: Verdict::Pass,
            strict: Verdict::Fail,
        },
        Case {
            name: "a new entity with an error",
            edit: |repo| {
                repo.write("catalog/pay.yaml", CART.replace("cart", "pay"));
            },
            introduced: &["E0303 catalog/pay.yaml"],
            existing: &["E0303 catalog/cart.yaml"],
            verdict: Verdict::Fail,
            strict: Verdict::Fail,
        },
        Case {
            name: "a warning introduced",
            edit: |repo| {
                repo.write("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\ncolour: red\n");
            },
            introduced: &["W0306 catalog/shop.yaml"],
            existing: &["E0303 catalog/cart.yaml"],
            verdict: Verdict::Pass,
            strict: Verdict::Fail,
        },
        Case {
            name: "the error fixed",
            edit: |repo| {
                repo.write("catalog/cart.yaml", CLEAN[3].1);
            },
            introduced: &[],
            existing: &[],
            verdict: Verdict::Pass,
            strict: Verdict::Pass,
        },
        Case {
            name: "the rules broken by the change itself",
            edit: |repo| {
                repo.write(
                    "policies/broken.rego",
                    "package acme.broken\n\ndeny contains msg if {\n\tmsg := \"a\" +\n}\n",
                );
            },
            // The head is judged by the base's rules, which are whole; the broken file is a rule
            // change to review, and its preview says the new rules cannot be evaluated.
            introduced: &["W0510 -", "W0510 policies/broken.rego"],
            existing: &["E0303 catalog/cart.yaml"],
            verdict: Verdict::Pass,
            strict: Verdict::Fail,
        },
    ];
    for case in cases {
        let plan = plan_change(&[("catalog/cart.yaml", CART)], case.edit);
        let introduced: Vec<_> = plan.introduced().cloned().collect();
        let existing: Vec<_> = plan.existing().cloned().collect();
        assert_eq!(findings(&introduced), case.introduced, "{}", case.name);
        assert_eq!(findings(&existing), case.existing, "{}", case.name);
        assert_eq!(plan.verdict(false), case.verdict, "{}", case.name);
        assert_eq!(plan.verdict(true), case.strict, "{}", case.name);
    }
}

const WAIVED_CART: [(&str, &str); 3] = [
    (
        "catalog/cart.yaml",
        "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\nrelations:\n  system: checkout\n",
    ),
    ("catalog/shipping.yaml", "identifier: shipping\nblueprint: _team\n"),
    (
        "exceptions/cart.yaml",
        "rule: E0303\nentities: [{blueprint: Component, team: payments}]\nowner: payments\nreason: being decided\nexpires: 2099-12-31\n",
    ),
];

/// A finding a waiver of the base covers was already there: the change does not introduce it,
/// though it does not count on either side.
#[test]
fn a_plan_counts_a_waived_finding_of_the_base_as_existing() {
    let plan = plan_change(&WAIVED_CART, |_| {});
    assert_eq!(findings(&plan.outcome.diagnostics), ["E0303 catalog/cart.yaml (waived)"]);
    assert_eq!(plan.verdict(true), Verdict::Pass);
    assert_eq!(findings(&plan.existing().cloned().collect::<Vec<_>>()), ["E0303 catalog/cart.yaml (waived)"]);
    assert_eq!(findings(&plan.introduced().cloned().collect::<Vec<_>>()), [] as [&str; 0]);
}

/// A change that takes an entity out of a waiver's reach introduces the finding the waiver
/// covered: it counts again.
#[test]
fn a_plan_introduces_a_finding_no_longer_waived() {
    let plan = plan_change(&WAIVED_CART, |repo| {
        repo.write("catalog/cart.yaml", WAIVED_CART[0].1.replace("team: payments", "team: shipping"));
    });
    assert_eq!(
        findings(&plan.introduced().cloned().collect::<Vec<_>>()),
        ["E0303 catalog/cart.yaml", "W0603 exceptions/cart.yaml"]
    );
    assert_eq!(plan.verdict(false), Verdict::Fail);
}

#[test]
fn a_plan_with_broken_base_rules_is_broken() {
    let broken = ("policies/broken.rego", "package acme.broken\n\ndeny contains msg if {\n\tmsg := \"a\" +\n}\n");
    let plan = plan_change(&[broken], |_| {});
    assert_eq!(findings(&plan.existing().cloned().collect::<Vec<_>>()), ["E0503 policies/broken.rego"]);
    assert_eq!(plan.verdict(false), Verdict::Broken);
    assert_eq!(plan.verdict(true), Verdict::Broken);
}

/// An environment entity with `properties` (YAML lines, indented by two spaces).
fn environment(properties: &str) -> Entity {
    let text = format!("identifier: dev\nproperties:\n  type: development\n{properties}");
    let parsed = parse_file("environments/dev.yaml", text.as_bytes(), &Limits::default());
    assert_eq!(parsed.diagnostics, [], "{text}");
    let document = parsed.documents.into_iter().next().expect("one document");
    let (entity, diagnostics) = read_entity(&parsed.file, document, Some(ENVIRONMENT_BLUEPRINT));
    assert_eq!(diagnostics, [], "{text}");
    entity.expect("an entity")
}

#[test]
fn expiry_is_expires_at_or_created_at_plus_ttl() {
    let cases: [(&str, Option<&str>); 22] = [
        // `expiresAt`, at any offset.
        ("  expiresAt: \"2026-12-24T18:00:00Z\"\n", Some("2026-12-24T18:00:00Z")),
        ("  expiresAt: \"2026-12-24T18:00:00+02:00\"\n", Some("2026-12-24T16:00:00Z")),
        ("  expiresAt: \"2026-12-24T18:00:00-05:30\"\n", Some("2026-12-24T23:30:00Z")),
        ("  expiresAt: 2026-12-24T18:00:00Z\n", Some("2026-12-24T18:00:00Z")),
        // `expiresAt` wins over `createdAt` and `ttl`.
        (
            "  expiresAt: \"2026-12-24T18:00:00Z\"\n  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 1d\n",
            Some("2026-12-24T18:00:00Z"),
        ),
        // `createdAt` plus `ttl`, each unit, at any offset.
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 5d\n", Some("2026-11-29T09:15:00Z")),
        ("  createdAt: \"2026-11-24T09:15:00+02:00\"\n  ttl: 5d\n", Some("2026-11-29T07:15:00Z")),
        ("  createdAt: \"2026-11-24T23:30:00-05:30\"\n  ttl: 12h\n", Some("2026-11-25T17:00:00Z")),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 30m\n", Some("2026-11-24T09:45:00Z")),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 2w\n", Some("2026-12-08T09:15:00Z")),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 0d\n", Some("2026-11-24T09:15:00Z")),
        // A day is 24 hours, whatever the clocks do that day.
        ("  createdAt: \"2026-03-28T12:00:00+01:00\"\n  ttl: 1d\n", Some("2026-03-29T11:00:00Z")),
        // Nothing to go by.
        ("", None),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n", None),
        ("  ttl: 5d\n", None),
        // Invalid values.
        ("  expiresAt: tomorrow\n", None),
        ("  expiresAt: \"2026-12-24\"\n", None),
        ("  createdAt: \"2026-11-24T09:15:00\"\n  ttl: 5d\n", None),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 5y\n", None),
        ("  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 5\n", None),
        // Past the last instant there is.
        ("  createdAt: \"9999-12-30T00:00:00Z\"\n  ttl: 2w\n", None),
        // An `expiresAt` that is not an instant is not replaced by `createdAt` and `ttl`.
        ("  expiresAt: never\n  createdAt: \"2026-11-24T09:15:00Z\"\n  ttl: 1d\n", None),
    ];
    for (properties, expected) in cases {
        let expires = expiry(&environment(properties), None).map(|at| at.to_string());
        assert_eq!(expires.as_deref(), expected, "{properties}");
    }
    assert_eq!(
        expiry(&environment("  expiresAt: \"2026-12-24T18:00:00Z\"\n"), None),
        Some(instant("2026-12-24T18:00:00Z"))
    );
}

/// The base is judged with the head's findings for the entities both share, except those that
/// look up an identifier the change touches: those are checked again, so what a change breaks in
/// an unchanged file is still introduced, and what it fixes there is gone.
#[test]
fn unchanged_entities_that_name_a_changed_one_are_judged_again() {
    // Removing the domain breaks the unchanged system that names it, and the team the
    // unchanged component is owned by.
    let plan = plan_change(&[], |repo| {
        repo.remove("catalog/shop.yaml");
        repo.remove("catalog/teams.yaml");
    });
    let introduced = findings(&plan.introduced().cloned().collect::<Vec<_>>());
    assert_eq!(
        introduced,
        ["E0313 catalog/cart.yaml", "E0313 catalog/checkout.yaml", "E0309 catalog/checkout.yaml",],
        "{introduced:?}"
    );
    assert_eq!(plan.verdict(false), Verdict::Fail);

    // The other way: the base is broken in an unchanged file, and the change adds what it named.
    let broken = [("catalog/checkout.yaml", &*CLEAN[2].1.replace("domain: shop", "domain: warehouse"))];
    let plan = plan_change(&broken, |repo| {
        repo.write("catalog/warehouse.yaml", "identifier: warehouse\nblueprint: Domain\nteam: payments\n");
    });
    assert!(plan.outcome.diagnostics.is_empty(), "{:?}", findings(&plan.outcome.diagnostics));
    assert_eq!(plan.verdict(true), Verdict::Pass);

    // And an unchanged broken entity that names nothing the change touches stays already there.
    let plan = plan_change(&broken, |repo| {
        repo.write("catalog/cart.yaml", CLEAN[3].1.replace("type: service", "type: library"));
    });
    assert_eq!(findings(&plan.existing().cloned().collect::<Vec<_>>()), ["E0309 catalog/checkout.yaml"]);
    assert_eq!(findings(&plan.introduced().cloned().collect::<Vec<_>>()), [] as [&str; 0]);
}

/// `main` with the clean platform; a `feature` branch from it that `on_feature` edits; then
/// `main` moves on with `on_main`. Returns the repository and the branch point's commit.
fn diverged(on_main: impl FnOnce(&Repo), on_feature: impl FnOnce(&Repo)) -> (Repo, String) {
    let repo = Repo::with(CLEAN);
    let point = repo.commit("branch point");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    on_feature(&repo);
    repo.commit("feature");
    repo.git(&["checkout", "-q", "main"]);
    on_main(&repo);
    repo.commit("main moves on");
    (repo, point)
}

const WAREHOUSE: (&str, &str) =
    ("catalog/warehouse.yaml", "identifier: warehouse\nblueprint: Domain\nteam: payments\n");

/// Scenario (a) of docs/pull-requests.md: main added entities after the branch point. Compared
/// with main's tip, the branch would seem to remove them; judged as it merges, the plan lists
/// the branch's own change only.
#[test]
fn a_plan_lists_only_the_branch_s_changes_when_main_moved_on() {
    let (repo, point) = diverged(
        |main| {
            main.write("catalog/search.yaml", "identifier: search\nblueprint: Domain\nteam: payments\n");
        },
        |feature| {
            feature.write_all(&[WAREHOUSE]);
        },
    );
    let plan = plan(&repo.at("main"), &repo.at("feature"), now()).expect("a plan");
    assert_eq!(entity_changes(&plan), ["Added Domain:warehouse catalog/warehouse.yaml"]);
    assert_eq!(plan.commits.merge_base.as_deref(), Some(point.as_str()));
    assert_eq!(plan.commits.base, Some(repo.git(&["rev-parse", "main"])));
    assert_eq!(plan.commits.head, Some(repo.git(&["rev-parse", "feature"])));
    assert_eq!(plan.head_commit(), plan.commits.head.as_deref());
    // It merges cleanly: the diff starts from main's tip.
    assert_eq!(plan.base_commit(), plan.commits.base.as_deref());
    // The one file the merged tree takes from main is linked at main, where that version is.
    assert_eq!(plan.from_base.iter().collect::<Vec<_>>(), ["catalog/search.yaml"]);
    assert_eq!(plan.outcome.judged.to_string(), "the merge of `feature` into `main`");
    assert!(plan.outcome.rules.as_ref().is_some_and(|rules| rules.to_string().starts_with("revision `main` (")));
    assert_eq!(findings(&plan.outcome.diagnostics), Vec::<String>::new());
    assert_eq!(plan.verdict(false), Verdict::Pass);
}

/// Scenario (b): main renamed the team the branch's new entity is owned by. Each side is clean
/// alone; the merged result is not, and the plan says so.
#[test]
fn a_plan_catches_main_renaming_a_team_the_branch_uses() {
    let (repo, _) = diverged(
        |main| {
            for (path, text) in CLEAN {
                main.write(path, text.replace("payments", "billing"));
            }
        },
        |feature| {
            feature.write_all(&[WAREHOUSE]);
        },
    );
    let plan = plan(&repo.at("main"), &repo.at("feature"), now()).expect("a plan");
    assert_eq!(entity_changes(&plan), ["Added Domain:warehouse catalog/warehouse.yaml"]);
    let introduced: Vec<&Diagnostic> = plan.introduced().collect();
    assert_eq!(introduced.len(), 1, "{introduced:?}");
    assert_eq!(introduced[0].location.as_ref().map(|l| l.file.as_str()), Some("catalog/warehouse.yaml"));
    assert!(introduced[0].message.contains("`payments`"), "{}", introduced[0].message);
    assert_eq!(plan.verdict(false), Verdict::Fail);
    // `check --base --head` judges the same merged result.
    let outcome = check_change(&repo.at("main"), &repo.at("feature"), now()).expect("a change");
    assert_eq!(findings(&outcome.diagnostics), [format!("{} catalog/warehouse.yaml", introduced[0].code_name())]);
    // Before main moved on, the branch was clean.
    let before = plan_of(&repo, "main~1", "feature");
    assert_eq!(before.verdict(false), Verdict::Pass);
}

/// When both sides changed a file differently, no merged result is formed: each such path is a
/// `W0511`, and the branch is judged against the merge base, by its rules.
#[test]
fn a_plan_with_a_conflict_judges_the_head_against_the_merge_base() {
    let (repo, point) = diverged(
        |main| {
            main.write("catalog/shop.yaml", "identifier: shop\ntitle: Shop\nblueprint: Domain\nteam: payments\n");
            main.write("catalog/search.yaml", "identifier: search\nblueprint: Domain\nteam: payments\n");
        },
        |feature| {
            feature
                .write("catalog/shop.yaml", "identifier: shop\ntitle: The shop\nblueprint: Domain\nteam: payments\n");
        },
    );
    let plan = plan(&repo.at("main"), &repo.at("feature"), now()).expect("a plan");
    assert_eq!(entity_changes(&plan), ["Modified Domain:shop catalog/shop.yaml title: - -> \"The shop\""]);
    assert_eq!(findings(&plan.introduced().cloned().collect::<Vec<_>>()), ["W0511 catalog/shop.yaml"]);
    let conflict = plan.introduced().next().expect("a conflict");
    assert_eq!(
        conflict.message,
        format!(
            "`catalog/shop.yaml` changed on both sides since the merge base of `main` and `feature` ({}): the merged result was not judged",
            &point[..12]
        )
    );
    assert_eq!(plan.commits.merge_base.as_deref(), Some(point.as_str()));
    // Links to what the change removes name the merge base, the commit the diff starts from.
    assert_eq!(plan.base_commit(), Some(point.as_str()));
    let commit = cairn_source::CommitId::parse(&point).expect("a commit");
    let base = Origin::MergeBase { base: "main".to_owned(), head: "feature".to_owned(), commit, folder: String::new() };
    assert_eq!(plan.base, base);
    // A warning: the pull request cannot merge until it is resolved, and is judged again then.
    assert_eq!(plan.verdict(false), Verdict::Pass);
}

/// When the base is the merge base, the plan is as it always was: the head against the base.
#[test]
fn a_plan_of_a_head_that_contains_its_base_compares_the_two() {
    let plan = plan_change(&[], |repo| {
        repo.write_all(&[WAREHOUSE]);
    });
    assert_eq!(plan.commits.merge_base, plan.commits.base);
    assert!(matches!(&plan.outcome.judged, Origin::Revision { rev, .. } if rev == "HEAD"), "{:?}", plan.outcome.judged);
    assert_eq!(entity_changes(&plan), ["Added Domain:warehouse catalog/warehouse.yaml"]);
}

fn plan_of(repo: &Repo, base: &str, head: &str) -> Plan {
    plan(&repo.at(base), &repo.at(head), now()).expect("a plan")
}

#[test]
fn a_computed_value_that_changes_is_a_field_change_marked_computed() {
    let blueprints = (
        "blueprints/computed.yaml",
        "identifier: service\nschema:\n  properties:\n    cpu: {type: number}\n    replicas: {type: number}\n\
         relations:\n  system: {target: system}\n\
         calculationProperties:\n  cores: {type: number, calculation: .properties.cpu * .properties.replicas}\n\
         ---\nidentifier: system\n\
         aggregationProperties:\n  services: {target: service, calculationSpec: {calculationBy: entities, func: count}}\n",
    );
    let plan = plan_change(
        &[
            blueprints,
            ("catalog/payments.yaml", "identifier: payments\nblueprint: system\n"),
            (
                "catalog/pay.yaml",
                "identifier: pay\nblueprint: service\nproperties: {cpu: 2, replicas: 3}\nrelations: {system: payments}\n",
            ),
        ],
        |repo| {
            repo.write("catalog/pay.yaml", "identifier: pay\nblueprint: service\nproperties: {cpu: 2, replicas: 5}\nrelations: {system: payments}\n");
            repo.write(
                "catalog/refund.yaml",
                "identifier: refund\nblueprint: service\nrelations: {system: payments}\n",
            );
        },
    );
    assert_eq!(
        entity_changes(&plan),
        [
            "Modified service:pay catalog/pay.yaml properties.cores: 6 -> 10 properties.replicas: 3 -> 5",
            "Added service:refund catalog/refund.yaml",
            "Modified system:payments catalog/payments.yaml properties.services: 1 -> 2",
        ]
    );
    let computed: Vec<(&str, bool)> = plan
        .entities
        .iter()
        .flat_map(|change| &change.fields)
        .map(|field| (field.field.as_str(), field.computed))
        .collect();
    assert_eq!(computed, [("properties.cores", true), ("properties.replicas", false), ("properties.services", true)]);
}

const READINESS: &str = "\
identifier: readiness
title: Readiness
blueprint: Component
levels: [{title: Basic}, {title: Bronze}, {title: Silver}]
rules:
  - identifier: has-owner
    level: Bronze
    query: {combinator: and, conditions: [{property: $team, operator: isNotEmpty}]}
  - identifier: has-runbook
    level: Silver
    query: {combinator: and, conditions: [{property: runbook, operator: isNotEmpty}]}
";

/// A production service of the payments team in the clean platform's system, with `properties`
/// (YAML lines indented by two) besides its type and lifecycle.
fn component(identifier: &str, team: &str, properties: &str) -> String {
    format!(
        "identifier: {identifier}\nblueprint: Component\n{team}properties:\n  type: service\n  lifecycle: production\n\
         {properties}relations:\n  system: checkout\n"
    )
}

/// Each level change as `shift scorecard entity before -> after, newly failing, no longer
/// failing, teams`.
fn level_changes(changes: &[crate::LevelChange]) -> Vec<String> {
    changes
        .iter()
        .map(|change| {
            format!(
                "{:?} {} {} {} -> {} failing {:?} passing {:?} teams {:?}",
                change.shift,
                change.scorecard,
                change.entity,
                change.before.as_deref().unwrap_or("-"),
                change.after.as_deref().unwrap_or("-"),
                change.newly_failing,
                change.no_longer_failing,
                change.teams
            )
        })
        .collect()
}

/// The base's scorecard over both catalogs: a runbook added lifts `cart` to Silver, one removed
/// drops `web` to Bronze (listed first), a new component enters at the base level failing both
/// rules, and a removed one leaves.
#[test]
fn a_plan_lists_level_changes_regressions_first() {
    let runbook = "  runbook: https://runbooks.example.com/web\n";
    let web = component("web", "team: payments\n", runbook);
    let legacy = component("legacy", "team: payments\n", "");
    let base = [
        ("scorecards/readiness.yaml", READINESS),
        ("catalog/web.yaml", web.as_str()),
        ("catalog/legacy.yaml", legacy.as_str()),
    ];
    let plan = plan_change(&base, |repo| {
        repo.write("catalog/web.yaml", component("web", "team: payments\n", ""));
        repo.write(
            "catalog/cart.yaml",
            component("cart", "team: payments\n", "  runbook: https://runbooks.example.com/cart\n"),
        );
        repo.write("catalog/search.yaml", component("search", "", ""));
        repo.remove("catalog/legacy.yaml");
    });
    assert_eq!(
        level_changes(&plan.scorecards),
        [
            r#"Down readiness Component:web Silver -> Bronze failing ["has-runbook"] passing [] teams ["payments"]"#,
            r#"Up readiness Component:cart Bronze -> Silver failing [] passing ["has-runbook"] teams ["payments"]"#,
            r#"Entered readiness Component:search - -> Basic failing ["has-owner", "has-runbook"] passing [] teams []"#,
            r#"Left readiness Component:legacy Bronze -> - failing [] passing [] teams ["payments"]"#,
        ]
    );
    assert_eq!((plan.scorecards[0].rank_before, plan.scorecards[0].rank_after), (Some(2), Some(1)));
    assert_eq!(plan.scorecards[0].scorecard_name(), "Readiness");
    assert!(plan.scorecard_impact.is_empty(), "no rule changed: {:?}", plan.scorecard_impact);
}

/// A change that edits the scorecard is judged by the base's: no level moves in the plan, and
/// the impact preview says what the head's scorecard would do. A level inserted below an
/// entity's (`Iron`) moves nothing by itself; a new Bronze rule drops `cart`, which fails it.
#[test]
fn a_scorecard_edit_is_previewed_not_applied() {
    let web = component(
        "web",
        "team: payments\n",
        "  runbook: https://runbooks.example.com/web\n  repository: https://git.example.com/web\n",
    );
    let base = [("scorecards/readiness.yaml", READINESS), ("catalog/web.yaml", web.as_str())];
    let plan = plan_change(&base, |repo| {
        let stricter = READINESS.replace("{title: Basic}, ", "{title: Basic}, {title: Iron}, ").replace(
            "rules:\n",
            "rules:\n  - identifier: has-repository\n    level: Bronze\n    \
             query: {combinator: and, conditions: [{property: repository, operator: isNotEmpty}]}\n",
        );
        repo.write("scorecards/readiness.yaml", stricter);
    });
    assert!(plan.scorecards.is_empty(), "the base's scorecard judges the head: {:?}", plan.scorecards);
    assert_eq!(
        level_changes(&plan.scorecard_impact),
        [r#"Down readiness Component:cart Bronze -> Basic failing ["has-repository"] passing [] teams ["payments"]"#]
    );
    assert_eq!((plan.scorecard_impact[0].rank_before, plan.scorecard_impact[0].rank_after), (Some(1), Some(0)));
    assert!(findings(&plan.outcome.diagnostics).iter().any(|f| f.contains("W0510")), "review needed");
}

/// Turning the bundled scorecard on in `cairn.yaml` is a rule change too: nothing is scored by
/// it in the plan, and the preview shows every component it would score entering it.
#[test]
fn turning_the_bundled_scorecard_on_is_previewed() {
    let plan = plan_change(&[("cairn.yaml", "version: 1\n")], |repo| {
        repo.write("cairn.yaml", "version: 1\nlibrary:\n  scorecards: true\n");
    });
    assert!(plan.scorecards.is_empty(), "{:?}", plan.scorecards);
    assert_eq!(
        level_changes(&plan.scorecard_impact),
        [
            r#"Entered production-readiness Component:cart - -> Basic failing ["has-repository", "has-runbook", "has-on-call", "has-tier", "redundant"] passing [] teams ["payments"]"#
        ]
    );
}
