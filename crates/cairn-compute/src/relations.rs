//! Relations resolved: for each entity and each relation it sets, the entities of the relation's
//! target blueprint it points at, named by identifier or found by a search query.

use std::collections::BTreeMap;

use cairn_diagnostics::{Code, Diagnostic, Location};
use cairn_model::{Catalog, Entity, RelationDecl, RelationValue, Timestamp};

use crate::query::{Operator, Query};

/// The operators Port accepts in a relation given as a search query: the relation schema of
/// Port's API (`/schemas/searchRelationsQuerySchema` in the `relations` of
/// <https://docs.port.io/api-reference/create-an-entity>) takes `=`, `in`, `containsAny` and
/// `contains` rules, and nested queries.
/// <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-mapping#mapping-relations-using-search-queries>
/// lists `=`, `in` and `contains`.
const RELATION_OPERATORS: &[Operator] = &[Operator::Equals, Operator::In, Operator::ContainsAny, Operator::Contains];

/// How many matching entities a many-match finding names beside itself.
const NAMED_MATCHES: usize = 5;

/// The entities each relation of each entity points at, by position in `Catalog::entities`.
/// A target that names no entity of the relation's target blueprint (a finding of
/// cairn-validate's) points at nothing here.
#[derive(Clone, Debug, Default)]
pub struct Relations {
    /// For each entity, in catalog order: relation name to the targets' positions, in the order
    /// written (for a search query, in catalog order).
    targets: Vec<BTreeMap<String, Vec<usize>>>,
}

impl Relations {
    /// The relations of every entity of `catalog`, each identifier looked up among the entities
    /// of the relation's target blueprint, and each search query evaluated over them as of `now`
    /// (for its date presets). A relation its blueprint does not declare, or an entity of an
    /// unknown blueprint, resolves to nothing. A search query that is malformed, uses an
    /// operator Port does not take in a relation, matches nothing, or matches more than one
    /// entity for a `many: false` relation is a finding.
    #[must_use]
    pub fn resolve(catalog: &Catalog, now: Timestamp) -> (Relations, Vec<Diagnostic>) {
        Relations::resolve_some(catalog, now, false)
    }

    /// As `resolve`, for the relations given as a search query only (with the same findings):
    /// a relation named by identifier points at nothing here.
    #[must_use]
    pub fn resolve_queries(catalog: &Catalog, now: Timestamp) -> (Relations, Vec<Diagnostic>) {
        Relations::resolve_some(catalog, now, true)
    }

    fn resolve_some(catalog: &Catalog, now: Timestamp, queries_only: bool) -> (Relations, Vec<Diagnostic>) {
        let mut findings = Vec::new();
        if queries_only
            && !catalog.entities.iter().any(|entity| entity.relations.iter().any(|relation| relation.query().is_some()))
        {
            return (Relations::default(), findings);
        }
        let targets = catalog
            .entities
            .iter()
            .map(|entity| {
                let Some(blueprint) = catalog.blueprints.get(&entity.blueprint.value) else {
                    return BTreeMap::new();
                };
                entity
                    .relations
                    .iter()
                    .filter(|relation| !queries_only || relation.query().is_some())
                    .filter_map(|relation| {
                        let declared = blueprint.relations.get(&relation.name)?;
                        let positions = if relation.query().is_some() {
                            let (positions, found) = resolve_query(catalog, entity, relation, declared, now);
                            findings.extend(found);
                            positions
                        } else {
                            relation
                                .targets()
                                .filter_map(|target| catalog.position(&declared.target, target.value))
                                .collect()
                        };
                        Some((relation.name.clone(), positions))
                    })
                    .collect()
            })
            .collect();
        (Relations { targets }, findings)
    }

    /// The positions of the entities that the entity at `entity` points at through `relation`.
    #[must_use]
    pub fn targets(&self, entity: usize, relation: &str) -> &[usize] {
        self.targets.get(entity).and_then(|relations| relations.get(relation)).map_or(&[], Vec::as_slice)
    }

    /// Every relation the entity at `entity` sets, with its targets' positions.
    pub fn of(&self, entity: usize) -> impl Iterator<Item = (&str, &[usize])> {
        self.targets.get(entity).into_iter().flatten().map(|(name, targets)| (name.as_str(), targets.as_slice()))
    }
}

/// The entities of the relation's target blueprint that its search query matches: "Port will
/// query all entities of the related blueprint … and return the one/s that match the rule"
/// (configure-mapping#mapping-relations-using-search-queries); a "single type" relation
/// "expects a single entity to be returned".
fn resolve_query(
    catalog: &Catalog,
    entity: &Entity,
    relation: &RelationValue,
    declared: &RelationDecl,
    now: Timestamp,
) -> (Vec<usize>, Vec<Diagnostic>) {
    let finding = |code: Code, message: String, span, help: String| {
        Diagnostic::new(code, message)
            .at(Location::new(&entity.file, span))
            .with_entity(entity.reference())
            .with_help(help)
    };
    let (query, found) = Query::parse(&entity.file, &relation.value);
    let mut findings: Vec<Diagnostic> = found.into_iter().map(|found| found.with_entity(entity.reference())).collect();
    let Some(query) = query else { return (Vec::new(), findings) };
    for rule in query.property_rules().filter(|rule| !RELATION_OPERATORS.contains(&rule.operator)) {
        let message = format!(
            "relation `{}` is given a search query with `{}`, which Port does not accept in a relation",
            relation.name,
            rule.operator.as_str()
        );
        let help = "a relation's search query takes `=`, `in`, `containsAny` and `contains`".to_owned();
        findings.push(finding(Code::RelationQueryOperator, message, rule.operator_span, help));
    }
    if !findings.is_empty() {
        return (Vec::new(), findings);
    }
    // Entities of one blueprint are contiguous in the catalog; of two with one identifier (a
    // finding of its own), the first declared is the one a query can match.
    let candidates = catalog.entities_of(&declared.target);
    let start = catalog.entities.partition_point(|other| other.blueprint.value < declared.target);
    let positions: Vec<usize> = candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| (start + index, candidate))
        .filter(|(position, candidate)| {
            catalog.position(&declared.target, &candidate.identifier.value) == Some(*position)
                && query.matches(&***candidate, now)
        })
        .map(|(position, _)| position)
        .collect();
    let span = relation.value.span;
    if positions.is_empty() {
        let message = format!(
            "relation `{}` is given a search query that matches no `{}` entity",
            relation.name, declared.target
        );
        let help = format!("check the query's rules against the properties of the `{}` entities", declared.target);
        findings.push(finding(Code::RelationQueryNoMatch, message, span, help));
    } else if positions.len() > 1 && !declared.many {
        let identifiers: Vec<String> = positions
            .iter()
            .take(NAMED_MATCHES)
            .map(|&position| format!("`{}`", catalog.entities[position].identifier.value))
            .collect();
        let more = positions.len().saturating_sub(NAMED_MATCHES);
        let message = format!(
            "relation `{}` takes one entity (`many: false`), but its search query matches {} `{}` entities: {}{}",
            relation.name,
            positions.len(),
            declared.target,
            identifiers.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() },
        );
        let help = "narrow the query so that it matches one entity, or declare the relation `many: true`".to_owned();
        let mut diagnostic = finding(Code::RelationQueryManyMatches, message, span, help);
        for &position in positions.iter().take(NAMED_MATCHES) {
            let matched = &catalog.entities[position];
            let location = Location::new(&matched.file, matched.identifier.span);
            diagnostic = diagnostic.with_related(format!("`{}` matches", matched.identifier.value), location);
        }
        findings.push(diagnostic);
    }
    (positions, findings)
}

#[cfg(test)]
mod tests {

    use cairn_model::{Catalog, Timestamp, parse_timestamp};

    use super::Relations;
    use crate::testing::catalog;

    fn now() -> Timestamp {
        parse_timestamp("2026-12-03T12:00:00Z").expect("a date-time")
    }

    #[test]
    fn identifiers_resolve_to_entities_of_the_target_blueprint_only() {
        let catalog = catalog(
            "identifier: service\nrelations:\n  system: {target: system}\n  uses: {target: service, many: true}\n---\nidentifier: system\n",
            "identifier: cart\nblueprint: service\nrelations:\n  system: shop\n  uses: [pay, cart, nowhere]\n---\n\
             identifier: pay\nblueprint: service\nrelations:\n  system: pay\n---\n\
             identifier: shop\nblueprint: system\n---\nidentifier: pay\nblueprint: system\n",
        );
        let (relations, findings) = Relations::resolve(&catalog, now());
        assert!(findings.is_empty());
        let position = |blueprint: &str, identifier: &str| catalog.position(blueprint, identifier).expect("declared");
        let cart = position("service", "cart");
        assert_eq!(relations.targets(cart, "system"), [position("system", "shop")]);
        assert_eq!(relations.targets(cart, "uses"), [position("service", "pay"), cart]);
        // `pay` the service points at `pay` the system, not at itself.
        assert_eq!(relations.targets(position("service", "pay"), "system"), [position("system", "pay")]);
        assert!(relations.targets(cart, "undeclared").is_empty());
        assert_eq!(relations.of(cart).count(), 2);
        // Only relations given as a search query: none here.
        let (queries, findings) = Relations::resolve_queries(&catalog, now());
        assert!(findings.is_empty());
        assert!(queries.targets(cart, "system").is_empty());
        assert_eq!(queries.of(cart).count(), 0);
    }

    const PEOPLE: &str = "identifier: service\nrelations:\n  owner: {target: user}\n  reviewers: {target: user, many: true}\n---\n\
        identifier: user\nschema:\n  properties:\n    email: {type: string}\n    role: {type: string}\n";
    const USERS: &str = "identifier: alice\nblueprint: user\nproperties: {email: alice@example.com, role: dev}\n---\n\
        identifier: bob\nblueprint: user\nproperties: {email: bob@example.com, role: dev}\n---\n\
        identifier: carol\nblueprint: user\nproperties: {email: carol@example.com, role: lead}\n---\n";

    /// The findings of resolving, as `code line:column message`.
    fn resolved(entities: &str) -> (Catalog, Relations, Vec<String>) {
        let catalog = catalog(PEOPLE, &format!("{USERS}{entities}"));
        let (relations, findings) = Relations::resolve(&catalog, now());
        let (_, query_findings) = Relations::resolve_queries(&catalog, now());
        assert_eq!(findings, query_findings, "resolving only the queries finds the same");
        let findings = findings
            .iter()
            .map(|finding| {
                let location = finding.location.as_ref().expect("located");
                format!("{} {}:{} {}", finding.code, location.start.line, location.start.column, finding.message)
            })
            .collect();
        (catalog, relations, findings)
    }

    #[test]
    fn a_search_query_resolves_to_the_entities_it_matches() {
        let (catalog, relations, findings) = resolved(
            "identifier: cart\nblueprint: service\nrelations:\n  owner:\n    combinator: and\n    rules:\n      - {property: email, operator: '=', value: bob@example.com}\n  reviewers: {combinator: or, rules: [{property: role, operator: in, value: [dev]}]}\n",
        );
        assert_eq!(findings, Vec::<String>::new());
        let position = |blueprint: &str, identifier: &str| catalog.position(blueprint, identifier).expect("declared");
        let cart = position("service", "cart");
        assert_eq!(relations.targets(cart, "owner"), [position("user", "bob")]);
        assert_eq!(relations.targets(cart, "reviewers"), [position("user", "alice"), position("user", "bob")]);
    }

    #[test]
    fn a_query_matching_nothing_or_too_much_is_a_located_finding() {
        let (catalog, relations, findings) = resolved(
            "identifier: cart\nblueprint: service\nrelations:\n  owner: {combinator: and, rules: [{property: role, operator: '=', value: dev}]}\n  reviewers: {combinator: and, rules: [{property: role, operator: '=', value: ops}]}\n",
        );
        assert_eq!(
            findings,
            [
                "E0321 16:10 relation `owner` takes one entity (`many: false`), but its search query matches 2 `user` entities: `alice`, `bob`",
                "E0320 17:14 relation `reviewers` is given a search query that matches no `user` entity",
            ]
        );
        let cart = catalog.position("service", "cart").expect("declared");
        assert_eq!(relations.targets(cart, "owner").len(), 2);
        assert!(relations.targets(cart, "reviewers").is_empty());
    }

    #[test]
    fn a_query_port_would_refuse_in_a_relation_is_a_finding_and_resolves_to_nothing() {
        let (catalog, relations, findings) = resolved(
            "identifier: cart\nblueprint: service\nrelations:\n  owner: {combinator: and, rules: [{property: email, operator: endsWith, value: bob@example.com}]}\n  reviewers: {combinator: and, rules: [{property: role, operator: '=='}]}\n",
        );
        assert_eq!(
            findings,
            [
                "E0323 16:64 relation `owner` is given a search query with `endsWith`, which Port does not accept in a relation",
                "E0322 17:67 `==` is not an operator of Port's",
            ]
        );
        let cart = catalog.position("service", "cart").expect("declared");
        assert!(relations.targets(cart, "owner").is_empty());
    }
}
