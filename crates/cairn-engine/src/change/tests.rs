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
            &["E0501 catalog/shop.yaml", "W0510 policies/deny.rego"],
        ),
        (
            "rewrites the deny policy to deny nothing",
            |repo| {
                repo.write(DENY_DOMAINS.0, "package acme.deny\n\ndeny contains \"never\" if false\n");
            },
            &["E0501 catalog/shop.yaml", "W0510 policies/deny.rego"],
        ),
        (
            "adds a waiver of the finding",
            |repo| {
                repo.write(
                    "exceptions/shop.yaml",
                    "rule: acme.deny\nentities: [Domain:shop]\nowner: payments\nreason: because\nexpires: 2099-12-31\n",
                );
            },
            &["E0501 catalog/shop.yaml", "W0510 exceptions/shop.yaml"],
        ),
    ];
    for (name, edit, expected) in cases {
        let outcome = change(&[DENY_DOMAINS], edit);
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
        assert_eq!(rule_changes(&outcome), expected, "{name}");
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
            "with this change's rules, `E0501` newly fails 1 entity owned by 1 team",
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
