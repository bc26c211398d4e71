//! Tests of reading templates and rendering them over small catalogs.

use std::collections::BTreeMap;
use std::sync::Arc;

use cairn_compute::{Computed, Relations};
use cairn_diagnostics::{Diagnostic, EntityRef, SourceFile};
use cairn_model::{Catalog, Limits, Timestamp, parse_file, parse_now, read_blueprint, read_entity};

use crate::{Catalogued, Extras, InlineText, Renderer, ResourceInstance, Selection, Templates, render, write};

const BLUEPRINTS: &str = "
identifier: Component
schema: {properties: {type: {type: string}, replicas: {type: integer}}}
relations: {system: {target: System, many: false}, uses: {target: Component, many: true}}
---
identifier: System
schema: {properties: {}}
---
identifier: Environment
schema: {properties: {type: {type: string}}}
relations: {components: {target: Component, many: true}}
---
identifier: _team
schema: {properties: {github: {type: string}}}
";

const ENTITIES: &str = "
identifier: cart
blueprint: Component
title: Cart
team: payments
properties: {type: service, replicas: 2}
relations: {system: shop, uses: [search]}
---
identifier: search
blueprint: Component
properties: {type: library}
---
identifier: shop
blueprint: System
---
identifier: staging
blueprint: Environment
properties: {type: development}
relations: {components: [cart, search]}
---
identifier: production
blueprint: Environment
properties: {type: production}
relations: {components: [cart]}
---
identifier: payments
blueprint: _team
properties: {github: '@acme/payments'}
";

fn now() -> Timestamp {
    parse_now("2026-01-01T00:00:00Z").expect("a time")
}

fn catalog(entities: &str) -> Catalog {
    let read = |path: &str, text: &str| {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        (parsed.file, parsed.documents)
    };
    let (file, documents) = read("blueprints.yaml", BLUEPRINTS);
    let blueprints = documents.into_iter().filter_map(|node| read_blueprint(&file, node).0).collect();
    let (file, documents) = read("catalog/entities.yaml", entities);
    let entities = documents.into_iter().filter_map(|node| read_entity(&file, node, None).0.map(Arc::new)).collect();
    Catalog::build(Vec::new(), blueprints, entities).0
}

/// Template files from (path, text) pairs.
fn templates(files: &[(&str, &str)]) -> Templates {
    let files = files.iter().map(|(path, text)| Arc::new(SourceFile::new(*path, *text))).collect();
    Templates::read(files, Vec::new())
}

/// Renders `files` over the test catalog: the files as text by path, and the findings.
fn check(files: &[(&str, &str)], selection: &Selection) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    check_with(files, selection, &Extras::default())
}

fn check_with(
    files: &[(&str, &str)],
    selection: &Selection,
    extras: &Extras,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let templates = templates(files);
    let catalog = catalog(ENTITIES);
    let (relations, _) = Relations::resolve(&catalog, now());
    let computed = Computed::default();
    let input = Catalogued { catalog: &catalog, relations: &relations, computed: &computed, now: now() };
    let (rendered, mut findings) = render(&templates, input, extras, selection);
    findings.extend(templates.diagnostics.iter().cloned());
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let files = rendered
        .files
        .iter()
        .map(|(path, output)| (path.clone(), String::from_utf8_lossy(&output.bytes).into_owned()))
        .collect();
    (files, findings)
}

fn codes(findings: &[Diagnostic]) -> Vec<(String, String, u32)> {
    findings
        .iter()
        .map(|finding| {
            let location = finding.location.as_ref().expect("located");
            (finding.code.to_string(), location.file.clone(), location.start.line)
        })
        .collect()
}

const DEPLOYMENT: &str = "
title: Deployment
blueprint: Component
where: {combinator: and, rules: [{property: type, operator: '=', value: service}]}
each: deployment
outputs:
  - path: '{{ environment.identifier }}/{{ entity.identifier | slug }}.yaml'
    template: deployment.yaml.j2
";

#[test]
fn deployments_render_per_component_and_environment() {
    let (files, findings) = check(
        &[
            ("templates/web/template.yaml", DEPLOYMENT),
            (
                "templates/web/deployment.yaml.j2",
                "name: {{ entity.identifier }}\nreplicas: {{ entity.properties.replicas }}\nsystem: {{ entity.relations.system.identifier }}\nenv: {{ environment.properties.type }}\nteam: {{ entity.teams[0].properties.github | quote }}\nfile: {{ entity.file }}\n",
            ),
        ],
        &Selection::default(),
    );
    assert_eq!(findings, []);
    insta::assert_debug_snapshot!(files, @r#"
    {
        "production/cart.yaml": "name: cart\nreplicas: 2\nsystem: shop\nenv: production\nteam: \"@acme/payments\"\nfile: catalog/entities.yaml\n",
        "staging/cart.yaml": "name: cart\nreplicas: 2\nsystem: shop\nenv: development\nteam: \"@acme/payments\"\nfile: catalog/entities.yaml\n",
    }
    "#);
}

#[test]
fn selection_narrows_the_units() {
    let files = [
        ("templates/web/template.yaml", DEPLOYMENT),
        ("templates/web/deployment.yaml.j2", "{{ entity.identifier }}"),
        (
            "templates/ns/template.yaml",
            "each: environment\noutputs: [{path: '{{ environment.identifier }}/ns.yaml', template: ns.j2}]\n",
        ),
        ("templates/ns/ns.j2", "{% for c in components %}{{ c.identifier }} {% endfor %}"),
        ("templates/all/template.yaml", "each: catalog\noutputs: [{path: index.md, template: index.j2}]\n"),
        ("templates/all/index.j2", "{{ entities('Component') | map(attribute='identifier') | join(',') }}"),
    ];
    let (all, findings) = check(&files, &Selection::default());
    assert_eq!(findings, []);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["index.md", "production/cart.yaml", "production/ns.yaml", "staging/cart.yaml", "staging/ns.yaml"]
    );
    assert_eq!(all["index.md"], "cart,search\n");
    assert_eq!(all["staging/ns.yaml"], "cart search \n");
    let (some, _) = check(&files, &Selection { entity: None, environment: Some("staging".into()) });
    assert_eq!(some.keys().collect::<Vec<_>>(), ["staging/cart.yaml", "staging/ns.yaml"]);
    let (one, _) = check(&files, &Selection { entity: Some(EntityRef::new("Component", "cart")), environment: None });
    assert_eq!(one.keys().collect::<Vec<_>>(), ["production/cart.yaml", "staging/cart.yaml"]);
}

#[test]
fn functions_look_up_the_catalog() {
    let (files, findings) = check(
        &[
            (
                "templates/t/template.yaml",
                "each: entity\nblueprint: System\noutputs: [{path: '{{ entity.identifier }}.md', template: t.j2}]\n",
            ),
            (
                "templates/t/t.j2",
                "{{ entity('Component:cart').title }} {{ entity('Component', 'search').identifier }} \
                 {{ related(entity('Component:cart'), 'uses') | map(attribute='identifier') | join }} \
                 {{ team('payments').properties.github }} {{ entities('Environment') | length }}",
            ),
        ],
        &Selection::default(),
    );
    assert_eq!(findings, []);
    assert_eq!(files["shop.md"], "Cart search search @acme/payments 2\n");
}

#[test]
fn a_missing_variable_is_a_finding_naming_the_file_and_line() {
    let (files, findings) = check(
        &[
            ("templates/web/template.yaml", DEPLOYMENT),
            ("templates/web/deployment.yaml.j2", "a: 1\nb: {{ entity.properties.nope }}\n"),
        ],
        &Selection::default(),
    );
    assert!(files.is_empty());
    assert_eq!(
        codes(&findings),
        [
            ("E0943".into(), "templates/web/deployment.yaml.j2".into(), 2),
            ("E0943".into(), "templates/web/deployment.yaml.j2".into(), 2)
        ]
    );
    assert!(
        findings[0].message.contains("rendering `templates/web` for `Component:cart` in `production`"),
        "{}",
        findings[0].message
    );
}

#[test]
fn syntax_errors_unknown_filters_and_bad_specs_are_located() {
    let (_, findings) = check(
        &[
            ("templates/a/template.yaml", "each: catalog\noutputs: [{path: a.txt, template: a.j2}]\n"),
            ("templates/a/a.j2", "line one\n{% for x in %}\n"),
            ("templates/b/template.yaml", "each: catalog\noutputs: [{path: b.txt, template: b.j2}]\n"),
            ("templates/b/b.j2", "\n\n{{ 1 | no_such_filter }}"),
            (
                "templates/c/template.yaml",
                "each: everything\nblueprint: 3\nextra: 1\noutputs: [{path: c, template: ../x.j2}, {path: d, template: gone.j2}]\n",
            ),
            ("templates/d/readme.md", "no template.yaml here"),
        ],
        &Selection::default(),
    );
    assert_eq!(
        codes(&findings),
        [
            ("E0942".into(), "templates/a/a.j2".into(), 2),
            ("E0944".into(), "templates/b/b.j2".into(), 3),
            ("E0940".into(), "templates/c/template.yaml".into(), 1),
            ("E0940".into(), "templates/c/template.yaml".into(), 2),
            ("E0940".into(), "templates/c/template.yaml".into(), 3),
            ("E0940".into(), "templates/c/template.yaml".into(), 4),
            ("E0941".into(), "templates/c/template.yaml".into(), 4),
            ("W0950".into(), "templates/d/readme.md".into(), 1),
        ]
    );
}

#[test]
fn fuel_recursion_and_output_size_are_bounded() {
    let (_, findings) = check(
        &[
            ("templates/a/template.yaml", "each: catalog\noutputs: [{path: a, template: a.j2}]\n"),
            ("templates/a/a.j2", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
            ("templates/b/template.yaml", "each: catalog\noutputs: [{path: b, template: b.j2}]\n"),
            ("templates/b/b.j2", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
            ("templates/c/template.yaml", "each: catalog\noutputs: [{path: c, template: c.j2}]\n"),
            ("templates/c/c.j2", "{% for i in range(20) %}{{ 'x' * 1000000 }}{% endfor %}"),
        ],
        &Selection::default(),
    );
    let found: Vec<&str> = findings.iter().map(|finding| finding.code.as_str()).collect();
    assert_eq!(found, ["E0945", "E0945", "E0946"], "{findings:#?}");
}

#[test]
fn includes_stay_inside_the_template_folder() {
    let (files, findings) = check(
        &[
            (
                "templates/a/template.yaml",
                "each: catalog\noutputs: [{path: a, template: a.j2}, {path: b, template: b.j2}]\n",
            ),
            ("templates/a/a.j2", "{% include 'parts/p.j2' %}"),
            ("templates/a/parts/p.j2", "part {% include '../q.j2' %}"),
            ("templates/a/q.j2", "q"),
            ("templates/a/b.j2", "{% include '../other/x.j2' %}"),
            ("templates/other/x.j2", "secret"),
            ("templates/other/template.yaml", "each: catalog\noutputs: [{path: x, template: x.j2}]\n"),
        ],
        &Selection::default(),
    );
    assert_eq!(files["a"], "part q\n");
    assert!(!files.contains_key("b"));
    assert_eq!(codes(&findings), [("E0944".into(), "templates/a/b.j2".into(), 1)], "{findings:#?}");
}

#[test]
fn escaping_and_colliding_paths_are_refused() {
    let (files, findings) = check(
        &[
            (
                "templates/a/template.yaml",
                "each: catalog\noutputs:\n  - {path: ../../etc/x, template: a.j2}\n  - {path: Dup.txt, template: a.j2}\n  - {path: '/abs', template: a.j2}\n  - {path: '.cairn/manifest.json', template: a.j2}\n  - {path: ok.txt, template: a.j2}\n",
            ),
            ("templates/a/a.j2", "a"),
            (
                "templates/b/template.yaml",
                "each: catalog\noutputs: [{path: dup.txt, template: b.j2}, {path: ok.txt, template: b.j2}, {path: ok.txt/x, template: b.j2}]\n",
            ),
            ("templates/b/b.j2", "b"),
        ],
        &Selection::default(),
    );
    let found: Vec<(String, u32)> =
        findings.iter().map(|f| (f.code.to_string(), f.location.as_ref().expect("located").start.line)).collect();
    assert_eq!(
        found,
        [
            ("E0947".into(), 3),
            ("E0947".into(), 5),
            ("E0947".into(), 6),
            ("E0948".into(), 2),
            ("E0949".into(), 2),
            ("E0949".into(), 2),
        ],
        "{findings:#?}"
    );
    let twice = findings.iter().find(|f| f.message.contains("rendered twice")).expect("a conflict");
    assert_eq!(twice.message, "`ok.txt` is rendered twice: by `templates/a` and by `templates/b`");
    assert_eq!(files.keys().collect::<Vec<_>>(), ["Dup.txt", "ok.txt"]);
}

#[test]
fn workloads_and_resources_come_from_the_extras() {
    let mut extras = Extras::default();
    extras
        .deployed_workloads
        .insert(("cart".into(), "staging".into()), serde_json::json!({"containers": {"main": {"image": "cart:1"}}}));
    extras.environment_resources.insert(
        "staging".into(),
        serde_json::json!({"db": {"host": "db.staging"}}).as_object().cloned().expect("a map"),
    );
    let (files, findings) = check_with(
        &[
            (
                "templates/w/template.yaml",
                "each: deployment\nblueprint: Component\nrequires: [workload]\noutputs: [{path: '{{ environment.identifier }}/{{ entity.identifier }}', template: w.j2}]\n",
            ),
            ("templates/w/w.j2", "{{ workload.containers.main.image }} {{ resources.db.host }}"),
        ],
        &Selection::default(),
        &extras,
    );
    assert_eq!(files.keys().collect::<Vec<_>>(), ["staging/cart"]);
    assert_eq!(files["staging/cart"], "cart:1 db.staging\n");
    // Listed, not silently skipped: production's cart and staging's search have no workload.
    let found: Vec<&str> = findings.iter().map(|finding| finding.code.as_str()).collect();
    assert_eq!(found, ["W0951", "W0951"]);
}

#[test]
fn resource_outputs_render_with_the_resource_context() {
    let templates = templates(&[]);
    let catalog = catalog(ENTITIES);
    let (relations, _) = Relations::resolve(&catalog, now());
    let computed = Computed::default();
    let input = Catalogued { catalog: &catalog, relations: &relations, computed: &computed, now: now() };
    let renderer = Renderer::new(&templates, input);
    let file = Arc::new(SourceFile::new("resources/pg.yaml", "outputs:\n  host: x\n  port: y\n"));
    let instance = ResourceInstance {
        file: Arc::clone(&file),
        definition: "pg".into(),
        resource: serde_json::json!({"type": "postgres", "class": "default", "id": "Main DB", "name": "db", "params": {}}),
        environment: "staging".into(),
        components: vec!["cart".into()],
    };
    let outputs = BTreeMap::from([
        (
            "host".to_owned(),
            InlineText {
                text: "{{ resource.id | slug }}.{{ environment.identifier }}".into(),
                span: cairn_diagnostics::ByteSpan::new(17, 18),
            },
        ),
        ("port".to_owned(), InlineText { text: "{{ nope }}".into(), span: cairn_diagnostics::ByteSpan::new(27, 28) }),
    ]);
    let (values, findings) = renderer.resource_outputs(&instance, &outputs);
    assert_eq!(values, BTreeMap::from([("host".to_owned(), "main-db.staging".to_owned())]));
    assert_eq!(codes(&findings), [("E0943".into(), "resources/pg.yaml".into(), 3)]);
}

#[test]
fn rendering_is_deterministic_and_written_atomically() {
    let files =
        [("templates/web/template.yaml", DEPLOYMENT), ("templates/web/deployment.yaml.j2", "{{ entity | to_yaml }}")];
    let templates = templates(&files);
    let catalog = catalog(ENTITIES);
    let (relations, _) = Relations::resolve(&catalog, now());
    let computed = Computed::default();
    let input = Catalogued { catalog: &catalog, relations: &relations, computed: &computed, now: now() };
    let (first, findings) = render(&templates, input, &Extras::default(), &Selection::default());
    assert_eq!(findings, []);
    let (second, _) = render(&templates, input, &Extras::default(), &Selection::default());
    assert_eq!(first, second);

    let temp = tempfile::tempdir().expect("a temp dir");
    let out = temp.path().join("out");
    let written = write(&first, &out, false).expect("written");
    assert_eq!((written.created.len(), written.replaced), (2, true));
    let manifest = std::fs::read_to_string(out.join(".cairn/manifest.json")).expect("a manifest");
    assert!(manifest.contains("\"template\": \"templates/web\""), "{manifest}");
    let again = write(&second, &out, false).expect("written");
    assert_eq!((again.unchanged.len(), again.replaced), (2, false));
    // A file cairn did not write: refused, unless forced.
    std::fs::write(out.join("mine.txt"), "mine").expect("a file");
    assert!(matches!(write(&first, &out, false), Err(crate::WriteError::Foreign(..))));
    // An edited output is not cairn's any more either.
    std::fs::remove_file(out.join("mine.txt")).expect("removed");
    std::fs::write(out.join("staging/cart.yaml"), "edited").expect("a file");
    assert!(matches!(write(&first, &out, false), Err(crate::WriteError::Foreign(..))));
    let forced = write(&first, &out, true).expect("forced");
    assert!(forced.replaced);
    assert_eq!(std::fs::read(out.join("staging/cart.yaml")).expect("a file"), &*first.files["staging/cart.yaml"].bytes);
    // Nothing is left beside it.
    let beside: Vec<_> =
        std::fs::read_dir(temp.path()).expect("listed").map(|entry| entry.expect("an entry").file_name()).collect();
    assert_eq!(beside, ["out"]);
}

#[cfg(unix)]
#[test]
fn links_are_never_written_through() {
    let rendered = crate::Rendered::default();
    let temp = tempfile::tempdir().expect("a temp dir");
    let target = temp.path().join("target");
    std::fs::create_dir(&target).expect("a folder");
    std::fs::write(target.join("precious"), "keep").expect("a file");
    let link = temp.path().join("out");
    std::os::unix::fs::symlink(&target, &link).expect("a link");
    assert!(matches!(write(&rendered, &link, true), Err(crate::WriteError::Link(_))));
    // A link inside the folder is not cairn's: refused, and with force removed as a link only.
    let out = temp.path().join("real");
    write(&rendered, &out, false).expect("written");
    std::os::unix::fs::symlink(&target, out.join("inside")).expect("a link");
    assert!(matches!(write(&rendered, &out, false), Err(crate::WriteError::Foreign(..))));
    write(&rendered, &out, true).expect("forced");
    assert_eq!(std::fs::read_to_string(target.join("precious")).expect("still there"), "keep");
    assert!(std::fs::symlink_metadata(out.join("inside")).is_err());
}

#[test]
fn a_crash_between_the_renames_is_recovered() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let out = temp.path().join("out");
    let mut rendered = crate::Rendered::default();
    rendered.files.insert(
        "a".into(),
        crate::Output::new(
            b"a\n".to_vec(),
            crate::Provenance { template: "templates/t".into(), entity: None, environment: None },
        ),
    );
    write(&rendered, &out, false).expect("written");
    // As if the run stopped after moving the old folder aside and before moving the new in.
    std::fs::rename(&out, temp.path().join(".out.cairn-old")).expect("moved");
    std::fs::create_dir_all(temp.path().join(".out.cairn-new/half")).expect("a leftover");
    let written = write(&rendered, &out, false).expect("recovered");
    assert_eq!(written.unchanged, ["a"]);
    let mut beside: Vec<_> =
        std::fs::read_dir(temp.path()).expect("listed").map(|entry| entry.expect("an entry").file_name()).collect();
    beside.sort();
    assert_eq!(beside, ["out"]);
}
