use std::sync::Arc;

use cairn_diagnostics::{ByteSpan, Location, SourceFile};
use cairn_model::{Catalog, Limits, parse_file, read_entity};

use super::*;
use crate::{environment_requests, read_definitions};

/// Definitions from one YAML file of documents.
fn definitions(text: &str) -> Vec<Definition> {
    let (definitions, diagnostics) = read_definitions("resources/defs.yaml", text.as_bytes(), &Limits::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    definitions
}

/// Three definitions of `postgres`, as in docs/golden-paths.md, and one of `redis`.
const POSTGRES: &str = "id: postgres-shared\ntype: postgres\n---\nid: postgres-container\ntype: postgres\ncriteria:\n  - environment-type: development\n  - environment-type: preview\n---\nid: postgres-orders\ntype: postgres\ncriteria:\n  - resource-id: orders-db\n---\nid: redis\ntype: redis\n";

fn request(environment: &str, kind: &str, name: &str) -> Request {
    Request::new(environment, name, "postgres").with_environment_type(Some(kind.to_owned()))
}

/// The chosen definition's id for each request, or the finding's code.
fn chosen(defs: &[Definition], requests: &[Request]) -> Vec<String> {
    let (resolution, diagnostics) = resolve(defs, requests);
    (0..requests.len())
        .map(|index| match resolution.instance_of(index) {
            Some(instance) => defs[instance.definition].id.clone(),
            None => diagnostics
                .iter()
                .find(|d| d.message.contains(&format!("`{}`", requests[index].name)))
                .map_or_else(|| "nothing".to_owned(), |d| d.code.to_string()),
        })
        .collect()
}

#[test]
fn the_most_specific_definition_wins() {
    let defs = definitions(POSTGRES);
    let requests = [
        request("dev-alice", "development", "checkout-db"),
        request("production", "production", "checkout-db"),
        // A resource-id beats an environment-type, whichever file comes first.
        request("dev-alice", "development", "orders-db"),
        request("production", "production", "orders-db"),
    ];
    assert_eq!(
        chosen(&defs, &requests),
        ["postgres-container", "postgres-shared", "postgres-orders", "postgres-orders"]
    );
}

#[test]
fn specificity_compares_the_most_specific_key_first() {
    let most = Specificity { resource_id: true, ..Specificity::default() };
    let rest = Specificity { environment: true, component: true, environment_type: true, ..Specificity::default() };
    assert!(most > rest);
    assert!(
        Specificity { environment: true, ..Specificity::default() }
            > Specificity { component: true, environment_type: true, ..Specificity::default() }
    );
    assert!(Specificity { component: true, ..Specificity::default() } > Specificity::default());
    assert_eq!(rest.describe(), "environment and component and environment-type");
}

#[test]
fn two_equally_specific_matches_are_an_error_naming_both() {
    let defs = definitions(
        "id: rds\ntype: postgres\ncriteria: [{environment-type: production}]\n---\nid: aurora\ntype: postgres\ncriteria:\n  - environment-type: production\n",
    );
    let file = Arc::new(SourceFile::new("environments/production.yaml", "type: postgres\n"));
    let requests = [request("production", "production", "db").at(Location::new(&file, ByteSpan::new(6, 14)))];
    let (resolution, diagnostics) = resolve(&defs, &requests);
    assert!(resolution.instances.is_empty());
    assert_eq!(diagnostics.len(), 1);
    let finding = &diagnostics[0];
    assert_eq!(finding.code, Code::ResourceAmbiguous);
    assert_eq!(
        finding.message,
        "`db` (type `postgres`) in the environment `production` matches the resource definitions `rds` (resources/defs.yaml:1) and `aurora` (resources/defs.yaml:5) equally specifically"
    );
    let location = finding.location.as_ref().expect("on the request");
    assert_eq!(
        (location.file.as_str(), location.start.line, location.start.column),
        ("environments/production.yaml", 1, 7)
    );
    let related: Vec<u32> = finding.related.iter().map(|r| r.location.start.line).collect();
    assert_eq!(related, [1, 5]);
    assert!(finding.help.as_deref().unwrap_or_default().starts_with("each matches by environment-type"));
}

#[test]
fn a_tie_between_sets_of_one_definition_is_no_tie() {
    let defs = definitions(
        "id: both\ntype: postgres\ncriteria: [{environment: prod}, {environment-type: production}, {environment: prod, class: default}]\n",
    );
    assert_eq!(chosen(&defs, &[request("prod", "production", "db")]), ["both"]);
}

#[test]
fn no_match_says_what_exists() {
    let defs = definitions(POSTGRES);
    let (_, diagnostics) = resolve(&defs, &[Request::new("dev", "cache", "redsi")]);
    assert_eq!(diagnostics[0].code, Code::ResourceNoMatch);
    assert_eq!(
        diagnostics[0].message,
        "no resource definition provides the type `redsi`, which `cache` (type `redsi`) in the environment `dev` requests"
    );
    assert_eq!(diagnostics[0].help.as_deref(), Some("did you mean `redis`? the types defined are `postgres`, `redis`"));

    let defs = definitions("id: dev-only\ntype: postgres\ncriteria: [{environment-type: development}]\n");
    let (resolution, diagnostics) = resolve(&defs, &[request("prod", "production", "db")]);
    assert!(resolution.instances.is_empty() && resolution.by_request == [None]);
    assert_eq!(
        diagnostics[0].message,
        "no resource definition of the type `postgres` matches `db` (type `postgres`) in the environment `prod` (environment-type `production`, class `default`)"
    );
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some(
            "the definitions of `postgres`: `dev-only` (resources/defs.yaml:1) for {environment-type: development, class: default}; add a set of criteria that matches, or a definition"
        )
    );
}

#[test]
fn a_class_is_served_only_by_definitions_for_it() {
    let defs = definitions(
        "id: any\ntype: s3-bucket\n---\nid: sensitive\ntype: s3-bucket\ncriteria: [{class: sensitive}]\n---\nid: sensitive-dev\ntype: s3-bucket\ncriteria: [{class: sensitive, environment-type: development}]\n",
    );
    let bucket = |class: Option<&str>, kind: &str| {
        Request::new("env", "b", "s3-bucket")
            .with_class(class.map(str::to_owned))
            .with_environment_type(Some(kind.to_owned()))
    };
    let requests = [
        bucket(None, "development"),
        bucket(Some("default"), "production"),
        bucket(Some("sensitive"), "production"),
        bucket(Some("sensitive"), "development"),
    ];
    // Two requests of class `default` with one id in one environment are one instance.
    let (resolution, _) = resolve(&defs, &requests);
    assert_eq!(resolution.instances.len(), 2);
    let (_, diagnostics) = resolve(&defs, &requests[2..3]);
    assert!(diagnostics.is_empty());
    assert_eq!(chosen(&defs, &requests[2..3]), ["sensitive"]);
    assert_eq!(chosen(&defs, &requests[3..]), ["sensitive-dev"]);
    assert_eq!(chosen(&defs, &requests[..1]), ["any"]);
    let (_, diagnostics) = resolve(&defs, &[bucket(Some("volatile"), "development")]);
    assert_eq!(diagnostics[0].code, Code::ResourceNoMatch);
    assert!(diagnostics[0].message.contains("class `volatile`"), "{}", diagnostics[0].message);
}

#[test]
fn shared_requests_are_one_instance_resolved_once_in_a_stable_order() {
    let defs = definitions(
        "id: pg\ntype: postgres\n---\nid: pg-cart\ntype: postgres\ncriteria: [{component: cart}]\n---\nid: redis\ntype: redis\n",
    );
    let requests = [
        Request::new("staging", "cache", "redis"),
        Request::new("staging", "db", "postgres").with_component("cart").with_id("shared-db"),
        Request::new("dev", "db", "postgres").with_component("cart").with_id("cart.db"),
        Request::new("staging", "database", "postgres").with_component("orders").with_id("shared-db"),
    ];
    let (resolution, diagnostics) = resolve(&defs, &requests);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let instances: Vec<(&str, &str, &str, &str, Vec<usize>)> = resolution
        .instances
        .iter()
        .map(|i| {
            (
                i.environment.as_str(),
                i.r#type.as_str(),
                i.id.as_str(),
                defs[i.definition].id.as_str(),
                i.requests.clone(),
            )
        })
        .collect();
    assert_eq!(
        instances,
        [
            // A private request of `cart` is matched with its component; a shared one is not.
            ("dev", "postgres", "cart.db", "pg-cart", vec![2]),
            ("staging", "postgres", "shared-db", "pg", vec![1, 3]),
            ("staging", "redis", "cache", "redis", vec![0]),
        ]
    );
    assert_eq!(resolution.by_request, [Some(2), Some(1), Some(0), Some(1)]);
}

#[test]
fn requests_of_one_instance_must_agree_on_params() {
    let defs = definitions("id: pg\ntype: postgres\n");
    let params = |size: &str| serde_json::json!({ "size": size });
    let requests = [
        Request::new("staging", "db", "postgres").with_id("shared").with_params(params("small")),
        Request::new("staging", "other", "postgres").with_id("shared"),
        Request::new("staging", "third", "postgres").with_id("shared").with_params(params("small")),
        Request::new("staging", "fourth", "postgres").with_id("shared").with_params(params("large")),
    ];
    let (resolution, diagnostics) = resolve(&defs, &requests);
    assert_eq!(resolution.instances[0].params, params("small"));
    let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`fourth` (type `postgres`) in the environment `staging` gives other `params` than `db` (type `postgres`) in the environment `staging` of the same resource"
        ]
    );
    assert_eq!(diagnostics[0].code, Code::ResourceParamsConflict);
}

#[test]
fn environments_request_what_their_resources_list() {
    let text = "identifier: dev\nproperties:\n  type: development\n  resources:\n    - {name: db, type: postgres, params: {size: small}}\n    - {name: cache, type: redis, class: large, id: shared-cache}\n    - {name: db, type: mysql}\n    - {name: broken}\n    - {name: odd, type: queue, params: [1]}\n";
    let mut parsed = parse_file("environments/dev.yaml", text.as_bytes(), &Limits::default());
    let (entity, found) = read_entity(&parsed.file, parsed.documents.remove(0), Some("Environment"));
    assert!(found.is_empty());
    let (catalog, _) = Catalog::build(Vec::new(), Vec::new(), vec![Arc::new(entity.expect("an entity"))]);
    let (requests, diagnostics) = environment_requests(&catalog);
    let read: Vec<(&str, &str, &str, &str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.name.as_str(), r.r#type.as_str(), r.class.as_str(), r.id.as_str(), r.environment_type.as_deref()))
        .collect();
    assert_eq!(
        read,
        [
            ("db", "postgres", "default", "db", Some("development")),
            ("cache", "redis", "large", "shared-cache", Some("development")),
        ]
    );
    assert_eq!(requests[0].params, serde_json::json!({"size": "small"}));
    let location = requests[0].location.as_ref().expect("located");
    assert_eq!((location.start.line, location.start.column), (5, 24));
    assert_eq!(requests[0].entity.as_ref().map(ToString::to_string).as_deref(), Some("Environment:dev"));
    let found: Vec<(Code, u32)> =
        diagnostics.iter().map(|d| (d.code, d.location.as_ref().expect("located").start.line)).collect();
    assert_eq!(
        found,
        [(Code::DuplicateResourceRequest, 7), (Code::InvalidResourceRequest, 8), (Code::InvalidResourceRequest, 9)]
    );
}
