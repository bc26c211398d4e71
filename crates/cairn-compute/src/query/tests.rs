use std::sync::Arc;

use cairn_diagnostics::SourceFile;
use cairn_model::{Entity, Limits, Timestamp, parse_file, parse_timestamp, read_entity};

use super::{Combinator, Operator, Query, Rule};

const ENTITY: &str = "\
identifier: cart
blueprint: service
title: Cart
icon: Cart
team: [payments, web]
properties:
  email: alice@example.com
  replicas: 3
  ratio: 0.5
  tier: gold
  tags: [pci, eu]
  live: true
  deployedAt: \"2026-12-01T10:00:00Z\"
  nothing: null
";

fn now() -> Timestamp {
    parse_timestamp("2026-12-03T12:00:00Z").expect("a date-time")
}

fn entity() -> Entity {
    let parsed = parse_file("entity.yaml", ENTITY.as_bytes(), &Limits::default());
    let node = parsed.documents.into_iter().next().expect("one document");
    let (entity, findings) = read_entity(&parsed.file, node, None);
    assert!(findings.is_empty(), "{findings:?}");
    entity.expect("an entity")
}

/// Parses `text` (a YAML query), asserting it has no finding.
fn query(text: &str) -> Query {
    let (query, findings) = parse(text);
    assert!(findings.is_empty(), "{findings:?}");
    query.expect("a query")
}

fn parse(text: &str) -> (Option<Query>, Vec<String>) {
    let parsed = parse_file("query.yaml", text.as_bytes(), &Limits::default());
    let file: Arc<SourceFile> = parsed.file;
    let node = parsed.documents.into_iter().next().expect("one document");
    let (query, findings) = Query::parse(&file, &node);
    let findings = findings
        .iter()
        .map(|finding| {
            let location = finding.location.as_ref().expect("located");
            format!(
                "{} {}:{} {} (help: {})",
                finding.code,
                location.start.line,
                location.start.column,
                finding.message,
                finding.help.as_deref().unwrap_or_default()
            )
        })
        .collect();
    (query, findings)
}

/// Whether the one-rule query `property operator value` matches the entity.
fn rule(property: &str, operator: &str, value: Option<&str>) -> bool {
    let value = value.map(|value| format!(", value: {value}")).unwrap_or_default();
    query(&format!("{{combinator: and, rules: [{{property: \"{property}\", operator: \"{operator}\"{value}}}]}}"))
        .matches(&entity(), now())
}

#[test]
fn every_operator_has_a_true_and_a_false_case() {
    // (property, operator, value, expected)
    let cases: &[(&str, &str, Option<&str>, bool)] = &[
        ("email", "=", Some("alice@example.com"), true),
        ("email", "=", Some("bob@example.com"), false),
        ("replicas", "=", Some("3.0"), true),
        ("live", "=", Some("true"), true),
        ("deployedAt", "=", Some("\"2026-12-01T11:00:00+01:00\""), true),
        ("email", "!=", Some("bob@example.com"), true),
        ("email", "!=", Some("alice@example.com"), false),
        ("missing", "!=", Some("x"), true),
        ("replicas", ">", Some("2"), true),
        ("replicas", ">", Some("3"), false),
        ("replicas", "<", Some("4"), true),
        ("replicas", "<", Some("3"), false),
        ("replicas", ">=", Some("3"), true),
        ("replicas", ">=", Some("4"), false),
        ("ratio", "<=", Some("0.5"), true),
        ("ratio", "<=", Some("0.4"), false),
        ("deployedAt", ">", Some("\"2026-11-30T00:00:00Z\""), true),
        ("deployedAt", ">", Some("\"2026-12-02T00:00:00Z\""), false),
        ("email", ">", Some("2"), false),
        ("email", "contains", Some("example"), true),
        ("email", "contains", Some("nowhere"), false),
        ("tags", "contains", Some("pci"), true),
        ("tags", "contains", Some("us"), false),
        ("email", "contains", Some("[nowhere, alice]"), true),
        ("email", "doesNotContains", Some("nowhere"), true),
        ("email", "doesNotContains", Some("alice"), false),
        ("tags", "containsAny", Some("[us, eu]"), true),
        ("tags", "containsAny", Some("[us, apac]"), false),
        ("$team", "containsAny", Some("[web]"), true),
        ("email", "beginsWith", Some("alice"), true),
        ("email", "beginsWith", Some("bob"), false),
        ("email", "doesNotBeginsWith", Some("bob"), true),
        ("email", "doesNotBeginsWith", Some("alice"), false),
        ("email", "endsWith", Some(".com"), true),
        ("email", "endsWith", Some(".org"), false),
        ("email", "doesNotEndsWith", Some(".org"), true),
        ("email", "doesNotEndsWith", Some(".com"), false),
        ("nothing", "isEmpty", None, true),
        ("missing", "isEmpty", None, true),
        ("email", "isEmpty", None, false),
        ("email", "isNotEmpty", None, true),
        ("nothing", "isNotEmpty", None, false),
        ("tier", "in", Some("[silver, gold]"), true),
        ("tier", "in", Some("[silver, bronze]"), false),
        ("$team", "in", Some("[payments]"), true),
        ("tier", "notIn", Some("[silver, bronze]"), true),
        ("tier", "notIn", Some("[gold]"), false),
        ("deployedAt", "between", Some("{from: \"2026-12-01T00:00:00Z\", to: \"2026-12-02T00:00:00Z\"}"), true),
        ("deployedAt", "between", Some("{from: \"2026-12-02T00:00:00Z\", to: \"2026-12-03T00:00:00Z\"}"), false),
        ("deployedAt", "between", Some("{preset: lastWeek}"), true),
        ("deployedAt", "between", Some("{preset: lastDay}"), false),
        ("deployedAt", "between", Some("{preset: today}"), false),
        ("deployedAt", "between", Some("{preset: nextWeek}"), false),
        ("deployedAt", "notBetween", Some("{preset: lastDay}"), true),
        ("deployedAt", "notBetween", Some("{preset: lastWeek}"), false),
        ("$identifier", "=", Some("cart"), true),
        ("$identifier", "=", Some("pay"), false),
        ("$blueprint", "=", Some("service"), true),
        ("$title", "beginsWith", Some("Ca"), true),
        ("$icon", "=", Some("Cart"), true),
        ("$createdAt", "isEmpty", None, true),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .filter(|(property, operator, value, expected)| rule(property, operator, *value) != *expected)
        .collect();
    assert!(wrong.is_empty(), "these cases evaluate the other way: {wrong:?}");
    let tested: Vec<&str> = cases.iter().map(|case| case.1).collect();
    for operator in Operator::ALL {
        assert!(tested.contains(&operator.as_str()), "`{}` is not tested", operator.as_str());
    }
}

#[test]
fn the_day_presets_are_utc_days_around_now() {
    let at = |text: &str| {
        query(&format!(
            "{{combinator: and, rules: [{{property: deployedAt, operator: between, value: {{preset: {text}}}}}]}}"
        ))
    };
    let entity = entity();
    // `deployedAt` is 2026-12-01T10:00:00Z.
    let on = |day: &str| parse_timestamp(&format!("{day}T23:59:59Z")).expect("a date-time");
    assert!(at("today").matches(&entity, on("2026-12-01")));
    assert!(at("yesterday").matches(&entity, on("2026-12-02")));
    assert!(!at("yesterday").matches(&entity, on("2026-12-01")));
    assert!(at("tomorrow").matches(&entity, on("2026-11-30")));
    assert!(at("nextDay").matches(&entity, parse_timestamp("2026-12-01T09:00:00Z").expect("a date-time")));
    assert!(at("last3Years").matches(&entity, now()));
}

#[test]
fn combinators_and_nested_queries() {
    let and = query(
        "{combinator: and, rules: [{property: tier, operator: '=', value: gold}, {property: replicas, operator: '>', value: 5}]}",
    );
    let or = query(
        "{combinator: or, rules: [{property: tier, operator: '=', value: gold}, {property: replicas, operator: '>', value: 5}]}",
    );
    assert!(!and.matches(&entity(), now()));
    assert!(or.matches(&entity(), now()));
    let nested = query(
        "combinator: and\nrules:\n  - {property: $blueprint, operator: '=', value: service}\n  - combinator: or\n    rules:\n      - {property: tier, operator: '=', value: silver}\n      - {property: tags, operator: containsAny, value: [eu]}\n",
    );
    assert_eq!(nested.combinator, Combinator::And);
    assert!(matches!(nested.rules[1], Rule::Query(Query { combinator: Combinator::Or, .. })));
    assert_eq!(nested.property_rules().count(), 3);
    assert!(nested.matches(&entity(), now()));
    // Each rule keeps where its property's name is written, for findings about the property
    // (a scorecard's condition on one its blueprint does not declare).
    let text = "combinator: and\nrules:\n  - combinator: or\n    rules:\n      - {property: tier, operator: '=', value: silver}\n";
    let spans: Vec<(u32, u32)> =
        query(text).property_rules().map(|rule| (rule.span.start, rule.property_span.start)).collect();
    let at = |needle: &str| u32::try_from(text.find(needle).expect("in the text")).expect("a small offset");
    assert_eq!(spans, [(at("{property"), at("tier"))]);
}

#[test]
fn malformed_queries_are_located_findings() {
    let cases: &[(&str, &[&str])] = &[
        (
            "{combinator: and, rules: [{property: tier, operator: contain, value: gold}]}",
            &["E0322 1:54 `contain` is not an operator of Port's (help: did you mean `contains`?)"],
        ),
        (
            "{combinator: and, rules: [{property: tier, operator: begnsWith, value: g}]}",
            &["E0322 1:54 `begnsWith` is not an operator of Port's (help: did you mean `beginsWith`?)"],
        ),
        (
            "{combinator: and, rules: [{property: tier, operator: '='}]}",
            &["E0322 1:27 the rule with `=` has no `value` (help: add the `value` that `=` compares with)"],
        ),
        (
            "{combinator: xor, rules: []}",
            &["E0322 1:14 `xor` is not a combinator (help: the combinator is `and` or `or`)"],
        ),
        (
            "{rules: []}",
            &[
                "E0322 1:1 the search query has no `combinator` (help: add `combinator: and` (every rule) or `combinator: or` (any rule))",
            ],
        ),
        (
            "{combinator: and, rules: {property: tier}}",
            &["E0322 1:26 `rules` is a mapping, not a list (help: `rules` is a list of rules)"],
        ),
        (
            "{combinator: and, rules: [{operator: '=', value: gold}]}",
            &[
                "E0322 1:27 the rule has no `property` (help: name the property the rule tests, such as `property: $identifier`)",
            ],
        ),
        (
            "{combinator: and, rules: [{property: tier, operator: in, value: gold}]}",
            &["E0322 1:65 the value of `in` is a string, not a list of values (help: give `in` a list of values)"],
        ),
        (
            "{combinator: and, rules: [{property: at, operator: between, value: {preset: lastYear}}]}",
            &["E0322 1:77 `lastYear` is not a date preset of Port's (help: did you mean `last2Years`?)"],
        ),
        (
            "{combinator: and, rules: [{property: at, operator: between, value: {from: yesterday}}]}",
            &[
                "E0322 1:68 the value of `between` is not a date range or a preset (help: write `value: {preset: lastWeek}` or `value: {from: <date-time>, to: <date-time>}` for `between`)",
            ],
        ),
        (
            "{combinator: and, rules: [{property: tier, operator: isEmpty, value: x}]}",
            &[
                "E0322 1:70 the value of `isEmpty` is a string, not no value (help: `isEmpty` takes no `value`: remove it)",
            ],
        ),
        (
            "{combinator: and, rules: [{operator: relatedTo, blueprint: system, value: shop}]}",
            &[
                "E0322 1:49 cairn does not evaluate rules with `blueprint` yet (help: write the rule as `{property, operator, value}`)",
            ],
        ),
        (
            "{combinator: and, rules: [{property: {context: user, property: email}, operator: '=', value: x}]}",
            &[
                "E0322 1:38 cairn does not evaluate contextual rules (help: name a property of the entity; a check has no user to take the context of)",
            ],
        ),
        (
            "{combinator: and, rules: [{property: tier, operator: '=', value: gold, note: x}]}",
            &["E0322 1:72 a rule has no key `note` (help: a rule has `property`, `operator` and `value`)"],
        ),
        (
            "{combinator: and, rules: [tier]}",
            &[
                "E0322 1:27 a rule is a string, not a mapping (help: a rule is `{property, operator, value}` or a nested `{combinator, rules}`)",
            ],
        ),
    ];
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let (query, findings) = parse(text);
        if findings != *expected {
            wrong.push((text, findings));
        }
        assert!(query.is_none(), "{text} parsed despite its findings");
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A scorecard's query lists its rules under `conditions`: the same parser reads it, nested
/// queries included, and reports an unknown operator with the search query's code.
#[test]
fn a_query_with_conditions_parses_as_a_scorecard_writes_it() {
    let text = "\
combinator: and
conditions:
  - {property: tier, operator: \"=\", value: gold}
  - combinator: or
    conditions:
      - {property: replicas, operator: \">=\", value: 3}
      - {property: live, operator: \"=\", value: false}
";
    let parsed = parse_file("scorecard.yaml", text.as_bytes(), &Limits::default());
    let node = parsed.documents.into_iter().next().expect("one document");
    let (query, findings) = Query::parse_with_list_key(&parsed.file, &node, "conditions");
    assert!(findings.is_empty(), "{findings:?}");
    let query = query.expect("a query");
    assert_eq!(query.combinator, Combinator::And);
    assert!(matches!(query.rules[1], Rule::Query(_)));
    assert!(query.matches(&entity(), now()));

    let bad = "combinator: and\nconditions:\n  - {property: tier, operator: equals, value: gold}\n";
    let parsed = parse_file("scorecard.yaml", bad.as_bytes(), &Limits::default());
    let node = parsed.documents.into_iter().next().expect("one document");
    let (query, findings) = Query::parse_with_list_key(&parsed.file, &node, "conditions");
    assert!(query.is_none());
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].code.to_string(), "E0322");
    assert_eq!(findings[0].location.as_ref().expect("located").start.line, 3);

    // Under `conditions`, a `rules` key is not the list: a finding, not a silent empty query.
    let (query, findings) = Query::parse_with_list_key(&parsed.file, &node, "rules");
    assert!(query.is_none());
    assert!(!findings.is_empty());
}
