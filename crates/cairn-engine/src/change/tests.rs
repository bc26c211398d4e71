use cairn_diagnostics::Code;

use super::check_change;
use crate::check::Outcome;
use crate::testing::{CLEAN, Edit, Files, Repo, findings, now};
use crate::verdict::Verdict;

const DENY_DOMAINS: (&str, &str) =
    ("policies/deny.rego", "package acme.deny\n\ndeny contains \"no domains\" if input.blueprint == \"Domain\"\n");

const WARN_SYSTEMS: (&str, &str) =
    ("policies/warn.rego", "package acme.warn\n\nwarn contains \"a system\" if input.blueprint == \"System\"\n");

/// The clean platform with `base` added, committed; then `edit`ed and committed again. Returns
/// the change from the first commit to the second, checked.
fn change(base: Files, edit: impl FnOnce(&Repo)) -> Outcome {
    let repo = Repo::with(CLEAN);
    repo.write_all(base);
    repo.commit("base");
    edit(&repo);
    repo.commit("head");
    check_change(&repo.at("HEAD~1"), &repo.at("HEAD"), now()).expect("a change")
}

/// The messages of the `W0510` findings, in report order.
fn rule_changes(outcome: &Outcome) -> Vec<&str> {
    outcome
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::RulesChanged)
        .map(|diagnostic| diagnostic.message.as_str())
        .collect()
}

/// No change can weaken the rules that judge it: the head's entities meet the base's policies,
/// waivers and settings, whatever the head does to them.
#[test]
fn a_head_is_judged_by_the_rules_of_its_base() {
    let cases: [(&str, Edit, &[&str]); 3] = [
        (
            "deletes the deny policy",
            |repo| {
                repo.remove(DENY_DOMAINS.0);
            },
            &["W0510 -", "E0501 catalog/shop.yaml", "W0510 policies/deny.rego"],
        ),
        (
            "rewrites the deny policy to deny nothing",
            |repo| {
                repo.write(DENY_DOMAINS.0, "package acme.deny\n\ndeny contains \"never\" if false\n");
            },
            &["W0510 -", "E0501 catalog/shop.yaml", "W0510 policies/deny.rego"],
        ),
        (
            "adds a waiver of the finding",
            |repo| {
                repo.write(
                    "exceptions/shop.yaml",
                    "rule: acme.deny\nentities: [Domain:shop]\nowner: payments\nreason: because\nexpires: 2099-12-31\n",
                );
            },
            &["W0510 -", "E0501 catalog/shop.yaml", "W0510 exceptions/shop.yaml"],
        ),
    ];
    for (name, edit, expected) in cases {
        let outcome = change(&[DENY_DOMAINS], edit);
        // Each also previews (`W0510 -`, first) that the head's rules would no longer fail `shop`.
        assert_eq!(findings(&outcome.diagnostics), expected, "{name}");
        assert_eq!(outcome.verdict(), Verdict::Fail, "{name}");
    }
}

/// Each rule file the change adds, modifies or deletes is one `W0510` that says which.
#[test]
fn every_changed_rule_file_asks_for_review() {
    let cases: [(&str, Edit, &[&str]); 7] = [
        (
            "adds a policy",
            |repo| {
                repo.write("policies/new.rego", "package acme.new\n\ndeny contains \"never\" if false\n");
            },
            &["this change adds `policies/new.rego`, which holds rules that judge the platform: review needed"],
        ),
        (
            "modifies a policy",
            |repo| {
                repo.write(WARN_SYSTEMS.0, "package acme.warn\n\nwarn contains \"never\" if false\n");
            },
            &["this change modifies `policies/warn.rego`, which holds rules that judge the platform: review needed"],
        ),
        (
            "deletes a policy",
            |repo| {
                repo.remove(WARN_SYSTEMS.0);
            },
            &["this change deletes `policies/warn.rego`, which holds rules that judge the platform: review needed"],
        ),
        (
            "adds settings",
            |repo| {
                repo.write("cairn.yaml", "version: 1\n");
            },
            &["this change adds `cairn.yaml`, which holds rules that judge the platform: review needed"],
        ),
        (
            "adds a blueprint",
            |repo| {
                repo.write("blueprints/team.yaml", "identifier: squad\ntitle: Squad\nschema:\n  properties: {}\n");
            },
            &["this change adds `blueprints/team.yaml`, which holds rules that judge the platform: review needed"],
        ),
        (
            "adds a policy test, which holds no rule but is reviewed with them",
            |repo| {
                repo.write("policies/warn_test.rego", "package acme.warn_test\n\ntest_nothing if true\n");
            },
            &["this change adds `policies/warn_test.rego`, which holds rules that judge the platform: review needed"],
        ),
        (
            "two at once, in path order",
            |repo| {
                repo.remove(WARN_SYSTEMS.0);
                repo.write(
                    "exceptions/a.yaml",
                    "rule: W0502\nentities: [System:checkout]\nowner: a\nreason: b\nexpires: 2099-01-01\n",
                );
            },
            &[
                "this change adds `exceptions/a.yaml`, which holds rules that judge the platform: review needed",
                "this change deletes `policies/warn.rego`, which holds rules that judge the platform: review needed",
            ],
        ),
    ];
    for (name, edit, expected) in cases {
        let outcome = change(&[WARN_SYSTEMS], edit);
        let reviews: Vec<&str> =
            rule_changes(&outcome).into_iter().filter(|message| message.starts_with("this change")).collect();
        assert_eq!(reviews, expected, "{name}");
    }
}

/// Rule files are compared by content: a commit that leaves them as they were, or that deletes
/// one and then puts it back, changes no rule.
#[test]
fn an_unchanged_rule_file_is_no_rule_change() {
    let edits: [(&str, Edit); 3] = [
        ("changes nothing", |_| {}),
        ("changes an entity only", |repo| {
            repo.write("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\ntitle: Shop\n");
        }),
        ("writes the policy again, byte for byte", |repo| {
            repo.write(WARN_SYSTEMS.0, WARN_SYSTEMS.1);
        }),
    ];
    for (name, edit) in edits {
        let outcome = change(&[WARN_SYSTEMS, ("cairn.yaml", "version: 1\n")], edit);
        assert_eq!(rule_changes(&outcome), [] as [&str; 0], "{name}");
        assert_eq!(findings(&outcome.diagnostics), ["W0502 catalog/checkout.yaml"], "{name}");
    }

    // Deleted in one commit and restored in the next: from the first to the last, the same blob.
    let repo = Repo::with(CLEAN);
    repo.write_all(&[WARN_SYSTEMS]);
    repo.commit("base");
    repo.remove(WARN_SYSTEMS.0);
    repo.commit("deleted");
    repo.write_all(&[WARN_SYSTEMS]);
    repo.commit("restored");
    let outcome = check_change(&repo.at("HEAD~2"), &repo.at("HEAD"), now()).expect("a change");
    assert_eq!(rule_changes(&outcome), [] as [&str; 0]);
}

/// A head read from a directory (the work tree) has no blob ids: its rule files are compared by
/// their bytes.
#[test]
fn a_work_tree_head_is_compared_byte_for_byte() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[WARN_SYSTEMS]);
    repo.commit("base");
    let outcome = check_change(&repo.at("HEAD"), &repo.directory(), now()).expect("a change");
    assert_eq!(rule_changes(&outcome), [] as [&str; 0]);

    repo.write(WARN_SYSTEMS.0, format!("{}\n", WARN_SYSTEMS.1));
    let outcome = check_change(&repo.at("HEAD"), &repo.directory(), now()).expect("a change");
    assert_eq!(
        rule_changes(&outcome),
        ["this change modifies `policies/warn.rego`, which holds rules that judge the platform: review needed"]
    );
}

/// A rule change also says what the head's own rules would newly fail, and whom that touches.
#[test]
fn a_rule_change_previews_what_it_would_newly_fail() {
    let outcome = change(&[], |repo| {
        repo.write_all(&[DENY_DOMAINS]);
    });
    assert_eq!(
        rule_changes(&outcome),
        [
            // Without a location, the preview sorts first.
            "with the head's rules, `E0501` newly fails 1 entity owned by 1 team",
            "this change adds `policies/deny.rego`, which holds rules that judge the platform: review needed",
        ]
    );
    // The preview asks for review; what the base's rules find decides the verdict.
    assert_eq!(outcome.verdict(), Verdict::Pass);
}

/// A link under `policies/` that the work tree leaves as the base has it is no rule change.
#[test]
fn an_unchanged_link_in_a_work_tree_is_no_rule_change() {
    let repo = Repo::with(CLEAN);
    repo.write_all(&[WARN_SYSTEMS]);
    repo.symlink("warn.rego", "policies/link.rego");
    repo.commit("base");
    let outcome = check_change(&repo.at("HEAD"), &repo.directory(), now()).expect("a change");
    // The link is a finding of the base's, and nothing else.
    assert_eq!(findings(&outcome.diagnostics), ["W0502 catalog/checkout.yaml", "E0108 policies/link.rego"]);
}

/// The `W0510` previews of a rule change, as `message | help`.
fn previews(outcome: &Outcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::RulesChanged && d.message.starts_with("with the head's rules"))
        .map(|d| format!("{} | {}", d.message, d.help.as_deref().unwrap_or("")))
        .collect()
}

/// Any change to a rule is evaluated both ways, the base's rules and the head's over the same
/// data: findings that appear, disappear or change severity are listed by rule, with the
/// entities and teams they concern.
#[test]
fn a_rule_change_previews_findings_that_appear_disappear_or_change_severity() {
    const ONE_SYSTEM: &str = "package acme.warn\n\nwarn contains \"a system\" if input.blueprint == \"System\"\n";
    const CODED_WARNING: &str = "package acme.tier\n\n# METADATA\n# title: Systems have a tier\n# custom:\n#   code: ACME010\n#   severity: warning\ndeny contains \"no tier\" if input.blueprint == \"System\"\n";
    const CODED_ERROR: &str = "package acme.tier\n\n# METADATA\n# title: Systems have a tier\n# custom:\n#   code: ACME010\n#   severity: error\ndeny contains \"no tier\" if input.blueprint == \"System\"\n";
    let cases: [(&str, Files, Edit, &[&str]); 5] = [
        (
            "a warning raised to an error by its METADATA",
            &[("policies/tier.rego", CODED_WARNING)],
            |repo| {
                repo.write("policies/tier.rego", CODED_ERROR);
            },
            &[
                "with the head's rules, `System:checkout` gets error `ACME010` (was warning) | raised to error: `System:checkout`; teams: `payments`",
            ],
        ),
        (
            "a `warn` rule renamed `deny`",
            &[("policies/warn.rego", ONE_SYSTEM)],
            |repo| {
                repo.write("policies/warn.rego", ONE_SYSTEM.replace("warn contains", "deny contains"));
            },
            &[
                "with the head's rules, `System:checkout` gets error `E0501` (was warning `W0502`) | raised to error: `System:checkout`; teams: `payments`",
            ],
        ),
        (
            "an error lowered to a warning",
            &[("policies/tier.rego", CODED_ERROR)],
            |repo| {
                repo.write("policies/tier.rego", CODED_WARNING);
            },
            &[
                "with the head's rules, `System:checkout` gets warning `ACME010` (was error) | lowered to warning: `System:checkout`; teams: `payments`",
            ],
        ),
        (
            "a rule removed",
            &[("policies/warn.rego", ONE_SYSTEM)],
            |repo| {
                repo.remove("policies/warn.rego");
            },
            &[
                "with the head's rules, `W0502` no longer warns about 1 entity owned by 1 team | no longer warned about: `System:checkout`; teams: `payments`",
            ],
        ),
        (
            "a rule's message and reach changed",
            &[("policies/warn.rego", ONE_SYSTEM)],
            |repo| {
                repo.write(
                    "policies/warn.rego",
                    "package acme.warn\n\nwarn contains \"a cart\" if input.identifier == \"cart\"\n",
                );
            },
            &[
                "with the head's rules, `W0502` newly warns about 1 entity owned by 1 team | newly warned about: `Component:cart`; teams: `payments`",
                "with the head's rules, `W0502` no longer warns about 1 entity owned by 1 team | no longer warned about: `System:checkout`; teams: `payments`",
            ],
        ),
    ];
    for (name, base, edit, expected) in cases {
        let outcome = change(base, edit);
        assert_eq!(previews(&outcome), expected, "{name}");
        // Previews ask for review; the base's rules decide the verdict, so a rule raised to an
        // error fails nothing yet, and one lowered to a warning still fails.
        let verdict = if base[0].1 == CODED_ERROR { Verdict::Fail } else { Verdict::Pass };
        assert_eq!(outcome.verdict(), verdict, "{name}");
    }
}

/// A pull request that asks for a resource type and adds the definition of it in the same
/// change is judged by the base's definitions: the request fails, the new definition asks for
/// review, and the preview says the head's definitions would no longer fail it.
#[test]
fn a_head_that_adds_a_resource_definition_is_matched_by_the_bases() {
    let redis = ("resources/redis.yaml", "id: redis\ntype: redis\n");
    let outcome = change(&[redis], |repo| {
        repo.write(
            "environments/dev.yaml",
            "identifier: dev\nteam: payments\nproperties:\n  type: development\n  resources:\n    - {name: db, type: postgres}\n",
        );
        repo.write("resources/postgres.yaml", "id: pg\ntype: postgres\n");
    });
    assert_eq!(
        findings(&outcome.diagnostics),
        ["W0510 -", "E0926 environments/dev.yaml", "W0510 resources/postgres.yaml"]
    );
    let no_match = &outcome.diagnostics[1];
    assert_eq!(
        no_match.message,
        "no resource definition provides the type `postgres`, which `db` (type `postgres`) in the environment `dev` requests"
    );
    assert_eq!(
        outcome.diagnostics[0].message,
        "with the head's rules, `E0926` no longer fails 1 entity owned by 1 team"
    );
    assert_eq!(outcome.verdict(), Verdict::Fail);

    // A template beside a definition is a rule too.
    let outcome = change(&[redis, ("resources/redis.j2", "kind: x\n")], |repo| {
        repo.write("resources/redis.j2", "kind: y\n");
    });
    assert_eq!(
        rule_changes(&outcome),
        ["this change modifies `resources/redis.j2`, which holds rules that judge the platform: review needed"]
    );
}

/// The head's workloads are judged: a workload added for no component fails the change.
#[test]
fn a_change_that_adds_a_workload_for_no_component_fails() {
    let outcome = change(&[], |repo| {
        repo.write(
            "catalog/cart/score.yaml",
            "apiVersion: score.dev/v1b1\nmetadata:\n  name: kart\ncontainers:\n  main:\n    image: cart:1\n",
        );
    });
    assert_eq!(findings(&outcome.diagnostics), ["E0903 catalog/cart/score.yaml"]);
    assert_eq!(outcome.verdict(), Verdict::Fail);
}
