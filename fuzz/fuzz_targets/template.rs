//! Fuzzes golden-path templates (`cairn_render`): arbitrary text as a `template.yaml` and as the
//! template file it names, read, compiled and rendered over a small catalog in the sandbox
//! (strict undefined, fuel, recursion limit, bounded output).
//!
//! The input is `template.yaml`, a NUL byte, then the template file; without a NUL the whole
//! input is the template file, rendered by a fixed `template.yaml` once per deployment. Beyond
//! "never panics, never hangs, never exhausts memory", it checks that every rendered path is a
//! plain relative path and every file within `MAX_OUTPUT`.

#![no_main]

use std::sync::Arc;

use cairn_compute::{Computed, Relations};
use cairn_diagnostics::SourceFile;
use cairn_model::{Catalog, Limits, parse_file, parse_now, read_blueprint, read_entity};
use cairn_render::{Catalogued, Extras, MAX_OUTPUT, Selection, Templates, render, unsafe_path};
use libfuzzer_sys::fuzz_target;

const SPEC: &str = "each: deployment\nblueprint: Component\noutputs:\n  - path: '{{ environment.identifier }}/{{ entity.identifier }}.yaml'\n    template: t.j2\n";

const BLUEPRINTS: &str = "identifier: Component\nschema: {properties: {replicas: {type: integer}}}\nrelations: {uses: {target: Component, many: true}}\n---\nidentifier: Environment\nschema: {properties: {}}\nrelations: {components: {target: Component, many: true}}\n---\nidentifier: _team\nschema: {properties: {}}\n";

const ENTITIES: &str = "identifier: cart\nblueprint: Component\nteam: payments\nproperties: {replicas: 2}\nrelations: {uses: [search]}\n---\nidentifier: search\nblueprint: Component\n---\nidentifier: staging\nblueprint: Environment\nrelations: {components: [cart, search]}\n---\nidentifier: payments\nblueprint: _team\n";

fn catalog() -> Catalog {
    let read = |path: &str, text: &str| {
        let parsed = parse_file(path, text.as_bytes(), &Limits::default());
        (parsed.file, parsed.documents)
    };
    let (file, documents) = read("blueprints.yaml", BLUEPRINTS);
    let blueprints = documents.into_iter().filter_map(|node| read_blueprint(&file, node).0).collect();
    let (file, documents) = read("catalog/entities.yaml", ENTITIES);
    let entities = documents.into_iter().filter_map(|node| read_entity(&file, node, None).0.map(Arc::new)).collect();
    Catalog::build(Vec::new(), blueprints, entities).0
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let (spec, body) = text.split_once('\0').unwrap_or((SPEC, text));
    let files = vec![
        Arc::new(SourceFile::new("templates/t/template.yaml", spec)),
        Arc::new(SourceFile::new("templates/t/t.j2", body)),
        Arc::new(SourceFile::new("templates/t/part.j2", "{{ entity.identifier }}")),
    ];
    let templates = Templates::read(files, Vec::new());
    let catalog = catalog();
    let now = parse_now("2026-01-01T00:00:00Z").expect("a time");
    let (relations, _) = Relations::resolve(&catalog, now);
    let computed = Computed::default();
    let input = Catalogued { catalog: &catalog, relations: &relations, computed: &computed, now };
    let (rendered, _) = render(&templates, input, &Extras::default(), &Selection::default());
    for (path, output) in &rendered.files {
        assert!(unsafe_path(path).is_none(), "an unsafe path was kept: {path:?}");
        assert!(output.bytes.len() <= MAX_OUTPUT + 1, "a file over the limit");
    }
});
