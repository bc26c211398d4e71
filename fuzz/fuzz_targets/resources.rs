//! Fuzzes cairn-resources' definition reader and matcher: arbitrary bytes read as a file of
//! resource definitions (YAML, then JSON), every definition checked together (duplicate ids,
//! template files), and requests of every type the definitions name (and one they do not),
//! in two environments and two classes, resolved against them.
//!
//! Beyond "never panics, never hangs", it checks that every finding's location lies within the
//! file it names, that every template path stays inside the platform, and that a resolution
//! serves each request at most once, from a definition of the request's type.

#![no_main]

use cairn_diagnostics::SourceFile;
use cairn_model::Limits;
use cairn_resources::{Request, check_definitions, read_definitions, resolve};
use libfuzzer_sys::fuzz_target;

#[path = "../common/located.rs"]
mod located;
use located::check_all;

fuzz_target!(|bytes: &[u8]| {
    for path in ["resources/x/defs.yaml", "resources/x/defs.json"] {
        let (definitions, diagnostics) = read_definitions(path, bytes, &Limits::default());
        // The text findings are located in, as `parse_file` makes it: without a byte-order mark
        // when the bytes are UTF-8, the bytes as they are (made text) when they are not.
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_owned(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        };
        let file = SourceFile::new(path, text);
        check_all(&file, &diagnostics, "read_definitions");
        for definition in &definitions {
            for (_, template) in &definition.files {
                assert!(
                    !template.starts_with('/') && !template.split('/').any(|part| part == ".." || part.is_empty()),
                    "a template path leaves the platform or is not normal: {template}"
                );
            }
        }
        let diagnostics = check_definitions(&definitions, |path| path.ends_with(".j2"));
        check_all(&file, &diagnostics, "check_definitions");

        let mut requests = Vec::new();
        let types: Vec<&str> = definitions.iter().map(|d| d.r#type.as_str()).chain(["nothing-provides-this"]).collect();
        for kind in &types {
            for (environment, environment_type) in [("dev", "development"), ("prod", "production")] {
                for class in [None, Some("large")] {
                    requests.push(
                        Request::new(environment, "db", *kind)
                            .with_environment_type(Some(environment_type.to_owned()))
                            .with_class(class.map(str::to_owned))
                            .with_component("cart"),
                    );
                }
            }
        }
        let (resolution, diagnostics) = resolve(&definitions, &requests);
        check_all(&file, &diagnostics, "resolve");
        assert_eq!(resolution.by_request.len(), requests.len());
        for (index, request) in requests.iter().enumerate() {
            if let Some(instance) = resolution.instance_of(index) {
                assert_eq!(definitions[instance.definition].r#type, request.r#type);
                assert!(instance.requests.contains(&index));
            }
        }
    }
});
