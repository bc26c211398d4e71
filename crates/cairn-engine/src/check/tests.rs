use cairn_model::Timestamp;
use cairn_source::Origin;

use super::{Outcome, check};
use crate::testing::{CLEAN, Files, Repo, findings, instant, now};
use crate::verdict::Verdict;

/// Checks the clean platform with `files` added, committed, at `HEAD` as of `now`.
fn check_with(files: Files, now: Timestamp) -> Outcome {
    let repo = Repo::with(CLEAN);
    repo.write_all(files);
    repo.commit("the platform");
    check(&repo.at("HEAD"), now).expect("a check")
}

/// `cart` without its required `lifecycle`: an error about `Component:cart`.
const CART_WITHOUT_LIFECYCLE: (&str, &str) = (
    "catalog/cart.yaml",
    "identifier: cart\nblueprint: Component\nteam: payments\nproperties:\n  type: service\nrelations:\n  system: checkout\n",
);

const WAIVER: (&str, &str) = (
    "exceptions/cart.yaml",
    "rule: E0303\nentities: [Component:cart]\nowner: payments\nreason: the lifecycle is being decided\nexpires: 2030-06-30\n",
);

/// The clock is an argument: a waiver holds through its expiry day in UTC, and from the next
/// instant on it is itself an error and the finding it covered counts again.
#[test]
fn a_waiver_holds_through_its_expiry_day_in_utc() {
    let cases: [(&str, &[&str], Verdict); 5] = [
        ("2030-01-01T00:00:00Z", &["E0303 catalog/cart.yaml (waived)"], Verdict::Pass),
        ("2030-06-30T23:59:59Z", &["E0303 catalog/cart.yaml (waived)"], Verdict::Pass),
        // 23:00 on the expiry day in UTC, though already 1 July at the offset written.
        ("2030-07-01T01:00:00+02:00", &["E0303 catalog/cart.yaml (waived)"], Verdict::Pass),
        ("2030-07-01T00:00:00Z", &["E0303 catalog/cart.yaml", "E0602 exceptions/cart.yaml"], Verdict::Fail),
        // 1 July in UTC, though still 30 June at the offset written.
        ("2030-06-30T20:00:00-05:00", &["E0303 catalog/cart.yaml", "E0602 exceptions/cart.yaml"], Verdict::Fail),
    ];
    for (now, expected, verdict) in cases {
        let outcome = check_with(&[CART_WITHOUT_LIFECYCLE, WAIVER], instant(now));
        assert_eq!(findings(&outcome.diagnostics), expected, "{now}");
        assert_eq!(outcome.verdict(), verdict, "{now}");
        assert_eq!(outcome.waived(), usize::from(verdict == Verdict::Pass), "{now}");
    }
}

#[test]
fn the_verdict_is_pass_fail_or_broken() {
    let cases: [(&str, Files, &[&str], Verdict); 5] = [
        ("clean", &[], &[], Verdict::Pass),
        (
            "a warning only",
            &[("catalog/shop.yaml", "identifier: shop\nblueprint: Domain\ncolour: red\n")],
            &["W0306 catalog/shop.yaml"],
            Verdict::Pass,
        ),
        ("an error", &[CART_WITHOUT_LIFECYCLE], &["E0303 catalog/cart.yaml"], Verdict::Fail),
        (
            "a policy that denies",
            &[(
                "policies/deny.rego",
                "package acme.deny\n\ndeny contains \"no domains\" if input.blueprint == \"Domain\"\n",
            )],
            &["E0501 catalog/shop.yaml"],
            Verdict::Fail,
        ),
        (
            "a policy with a syntax error, and an error",
            &[
                CART_WITHOUT_LIFECYCLE,
                ("policies/broken.rego", "package acme.broken\n\ndeny contains msg if {\n\tmsg := \"a\" +\n}\n"),
            ],
            &["E0303 catalog/cart.yaml", "E0503 policies/broken.rego"],
            Verdict::Broken,
        ),
    ];
    for (name, files, expected, verdict) in cases {
        let outcome = check_with(files, now());
        assert_eq!(findings(&outcome.diagnostics), expected, "{name}");
        assert_eq!(outcome.verdict(), verdict, "{name}");
        assert_eq!(outcome.rules_broken(), verdict == Verdict::Broken, "{name}");
    }
}

#[test]
fn an_outcome_counts_what_it_read() {
    let outcome =
        check_with(&[("policies/empty.rego", "package acme.empty\n\ndeny contains \"never\" if false\n")], now());
    assert_eq!(outcome.entities(), CLEAN.len());
    assert_eq!(outcome.files, CLEAN.len() + 1);
    assert_eq!(outcome.policies, 1);
    assert!(matches!(&outcome.judged, Origin::Revision { rev, .. } if rev == "HEAD"), "{:?}", outcome.judged);
    // A check is judged by its own rules.
    assert_eq!(outcome.rules, None);
}

/// A platform whose services name their owner by a search query over `person` entities.
const PEOPLE: Files = &[
    (
        "blueprints/person.yaml",
        "identifier: person\nschema:\n  properties:\n    email: {type: string}\n    role: {type: string}\n",
    ),
    (
        "blueprints/service.yaml",
        "identifier: service\nrelations:\n  owner: {target: person, required: true}\n  reviewers: {target: person, many: true}\n",
    ),
    (
        "catalog/people.yaml",
        "identifier: alice\nblueprint: person\nproperties: {email: alice@example.com, role: dev}\n---\n\
         identifier: bob\nblueprint: person\nproperties: {email: bob@example.com, role: dev}\n",
    ),
    (
        "policies/owner.rego",
        "package acme.owner\n\n\
         deny contains msg if {\n\tinput.blueprint == \"service\"\n\tmsg := sprintf(\"owner %v, reviewers %v\", [input.relations.owner, input.relations.reviewers])\n}\n",
    ),
];

/// A relation given as a search query resolves over the target blueprint's entities, and a
/// policy sees what it resolved to as Port stores it: one identifier, or a list for `many: true`.
#[test]
fn a_relation_given_as_a_search_query_resolves_and_a_policy_sees_the_identifiers() {
    let service = (
        "catalog/cart.yaml",
        "identifier: cart\nblueprint: service\nrelations:\n  owner:\n    combinator: and\n    rules:\n      - {property: email, operator: \"=\", value: bob@example.com}\n  reviewers: {combinator: and, rules: [{property: role, operator: in, value: [dev]}]}\n",
    );
    let files: Vec<(&str, &str)> = PEOPLE.iter().copied().chain([service]).collect();
    let outcome = check_with(&files, now());
    let messages: Vec<&str> = outcome.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(findings(&outcome.diagnostics), ["E0501 catalog/cart.yaml"], "{messages:?}");
    assert_eq!(messages, ["owner bob, reviewers [\"alice\", \"bob\"]"]);
}

/// A query that matches nothing, or two entities for a `many: false` relation, is a finding at
/// the query; the policy then sees `null`.
#[test]
fn a_relation_query_matching_nothing_or_too_much_is_located() {
    let service = (
        "catalog/cart.yaml",
        "identifier: cart\nblueprint: service\nrelations:\n  owner: {combinator: and, rules: [{property: role, operator: \"=\", value: dev}]}\n  reviewers:\n    combinator: or\n    rules: [{property: email, operator: contains, value: \"@nowhere\"}]\n",
    );
    let files: Vec<(&str, &str)> = PEOPLE.iter().copied().chain([service]).collect();
    let outcome = check_with(&files, now());
    let located: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let location = d.location.as_ref().expect("located");
            format!("{} {}:{}:{} {}", d.code, location.file, location.start.line, location.start.column, d.message)
        })
        .collect();
    assert_eq!(
        located,
        [
            "E0501 catalog/cart.yaml:1:1 owner null, reviewers []",
            "E0321 catalog/cart.yaml:4:10 relation `owner` takes one entity (`many: false`), but its search query matches 2 `person` entities: `alice`, `bob`",
            "E0320 catalog/cart.yaml:6:5 relation `reviewers` is given a search query that matches no `person` entity",
        ]
    );
}

/// Blueprints with each kind of computed property, and entities of them.
const COMPUTED: &[(&str, &str)] = &[
    (
        "blueprints/computed.yaml",
        "identifier: service\nschema:\n  properties:\n    cpu: {type: number}\n    replicas: {type: number}\n\
         relations:\n  system: {target: system}\n\
         mirrorProperties:\n  tier: {title: Tier, path: system.tier}\n\
         calculationProperties:\n  cores: {title: Cores, type: number, calculation: .properties.cpu * .properties.replicas}\n\
         ---\nidentifier: system\nschema:\n  properties:\n    tier: {type: string}\n\
         aggregationProperties:\n  services: {title: Services, target: service, calculationSpec: {calculationBy: entities, func: count}}\n",
    ),
    ("catalog/payments.yaml", "identifier: payments\nblueprint: system\nproperties:\n  tier: gold\n"),
    (
        "catalog/pay.yaml",
        "identifier: pay\nblueprint: service\nproperties:\n  cpu: 2\n  replicas: 3\nrelations:\n  system: payments\n\
         ---\nidentifier: refund\nblueprint: service\nproperties:\n  cpu: 1\n  replicas: 1\nrelations:\n  system: payments\n",
    ),
];

#[test]
fn policies_see_calculation_mirror_and_aggregation_values_in_input_properties() {
    let policy = (
        "policies/computed.rego",
        "package acme.computed\n\n\
         deny contains sprintf(\"%s has %v cores on a %s system\", [input.identifier, input.properties.cores, input.properties.tier]) if {\n\
         \tinput.blueprint == \"service\"\n\tinput.properties.cores == input.properties.cpu * input.properties.replicas\n\tinput.properties.cores > 4\n}\n\n\
         deny contains sprintf(\"%s has %v services\", [input.identifier, input.properties.services]) if input.properties.services == 2\n",
    );
    let mut files = COMPUTED.to_vec();
    files.push(policy);
    let outcome = check_with(&files, now());
    let messages: Vec<&str> = outcome.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["pay has 6 cores on a gold system", "payments has 2 services"],
        "{:?}",
        findings(&outcome.diagnostics)
    );
}

#[test]
fn setting_a_computed_property_in_an_entity_says_port_computes_it() {
    let mut files = COMPUTED.to_vec();
    files.push((
        "catalog/extra.yaml",
        "identifier: extra\nblueprint: service\nproperties:\n  cpu: 1\n  replicas: 1\n  cores: 4\n  tier: gold\n",
    ));
    let outcome = check_with(&files, now());
    let messages: Vec<(&str, &str)> = outcome.diagnostics.iter().map(|d| (d.code_name(), d.message.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                "E0329",
                "`cores` is a calculation property of blueprint `service`: Port computes it, an entity cannot set it"
            ),
            ("E0329", "`tier` is a mirror property of blueprint `service`: Port computes it, an entity cannot set it"),
        ]
    );
}

const DEV_WITH_REQUESTS: (&str, &str) = (
    "environments/dev.yaml",
    "identifier: dev\nteam: payments\nproperties:\n  type: development\n  resources:\n    - {name: db, type: postgres}\n    - {name: cache, type: redis}\n",
);

/// With no resource definition, requests are not matched; with one, every request must match
/// one, and the definitions' own mistakes are findings in their files.
#[test]
fn requests_are_matched_once_the_platform_declares_a_definition() {
    let outcome = check_with(&[DEV_WITH_REQUESTS], now());
    assert_eq!(findings(&outcome.diagnostics), Vec::<String>::new());

    let definitions = (
        "resources/postgres.yaml",
        "id: pg\ntype: postgres\nfiles:\n  out.yaml: missing.j2\n---\nid: pg\ntype: postgres\ncriteria: [{environment: prod}]\n",
    );
    let outcome = check_with(&[DEV_WITH_REQUESTS, definitions], now());
    assert_eq!(
        findings(&outcome.diagnostics),
        ["E0926 environments/dev.yaml", "E0923 resources/postgres.yaml", "E0922 resources/postgres.yaml"]
    );
    let no_redis = &outcome.diagnostics[0];
    assert_eq!(no_redis.location.as_ref().map(|l| (l.start.line, l.start.column)), Some((7, 27)));
    assert_eq!(no_redis.entity.as_ref().map(ToString::to_string).as_deref(), Some("Environment:dev"));
    assert_eq!(outcome.verdict(), Verdict::Fail);
}

/// A link under `resources/` is never followed, like one in any folder cairn reads.
#[test]
fn a_link_under_resources_is_a_finding() {
    let repo = Repo::with(CLEAN);
    repo.write("resources/real.yaml", "id: pg\ntype: postgres\n").symlink("real.yaml", "resources/link.yaml");
    repo.commit("a link");
    let outcome = check(&repo.at("HEAD"), now()).expect("a check");
    assert_eq!(findings(&outcome.diagnostics), ["E0108 resources/link.yaml"]);
}

/// A Score workload for `cart`: `apiVersion`, `metadata.name`, one container.
fn workload(path: &'static str, name: &str) -> (&'static str, String) {
    (
        path,
        format!("apiVersion: score.dev/v1b1\nmetadata:\n  name: {name}\ncontainers:\n  main:\n    image: {name}:1\n"),
    )
}

/// Score files under the catalog folder are workloads, not entities: each names a `Component`,
/// and no component has two.
#[test]
fn score_workloads_are_read_and_matched_to_components() {
    let files = [
        workload("catalog/cart/score.yaml", "cart"),
        workload("catalog/cart/canary.score.yml", "cart"),
        workload("catalog/carts/score.yaml", "carts"),
        workload("catalog/checkout/api.score.yaml", "checkout"),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(path, text)| (*path, text.as_str())).collect();
    let outcome = check_with(&files, now());
    assert_eq!(
        findings(&outcome.diagnostics),
        ["E0904 catalog/cart/score.yaml", "E0903 catalog/carts/score.yaml", "E0903 catalog/checkout/api.score.yaml"]
    );
    assert_eq!(outcome.entities(), 4, "no Score file is read as an entity");
    let help = |code: &str| {
        outcome.diagnostics.iter().find(|d| d.code.as_str() == code).and_then(|d| d.help.clone()).unwrap_or_default()
    };
    assert!(help("E0903").starts_with("did you mean `cart`?"), "{}", help("E0903"));
    let duplicate = outcome.diagnostics.iter().find(|d| d.code.as_str() == "E0904").expect("E0904");
    assert_eq!(duplicate.related[0].location.file, "catalog/cart/canary.score.yml");
    assert!(outcome.sources.get("catalog/cart/score.yaml").is_some(), "the file is there for snippets");
}
