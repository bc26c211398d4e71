//! The conversion's findings, one case each, and the fuzz target's invariants over mutated
//! seeds (a deterministic stand-in for `cargo fuzz`, which needs a toolchain this suite does not).

use super::*;

fn convert_one(json: &str) -> Imported {
    convert(&[Export { path: "export.json".to_owned(), bytes: json.as_bytes().to_vec() }])
}

/// `code line:column message` for each finding.
fn findings(imported: &Imported) -> Vec<String> {
    imported
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let at = diagnostic
                .location
                .as_ref()
                .map_or(String::new(), |location| format!("{}:{}", location.start.line, location.start.column));
            format!("{} {at} {}", diagnostic.code.as_str(), diagnostic.message)
        })
        .collect()
}

#[test]
fn what_cannot_be_carried_is_a_located_finding() {
    let imported = convert_one(
        r#"{"ok": true, "entities": [
  {"identifier": "a", "blueprint": "_team"},
  {"identifier": "a", "blueprint": "_team", "title": "A"},
  {"blueprint": "_team"},
  {"identifier": 7, "blueprint": "_team"},
  {"identifier": "b"},
  {"identifier": "c", "blueprint": "_teams"},
  "text"
], "teams": []}"#,
    );
    assert_eq!(
        findings(&imported),
        [
            "E0805 3:3 the entity `_team:a` is exported twice, with different contents",
            "E0806 4:3 the entity has no `identifier`",
            "E0806 5:18 the entity has an `identifier` that is a number, not text",
            "E0806 6:3 the entity `b` names no `blueprint`",
            "E0803 7:36 the entity `c` is of the blueprint `_teams`, which the export does not hold",
            "E0802 8:3 an entity is a string, not an object",
            "W0801 9:4 `teams` is not imported",
        ]
    );
    assert_eq!(imported.summary.not_carried, 5);
    assert_eq!(imported.files.keys().collect::<Vec<_>>(), ["cairn.yaml", "catalog/_team/a.yaml"]);
}

#[test]
fn an_error_response_and_an_object_that_is_no_response_are_findings() {
    let imported = convert_one(r#"{"ok": false, "error": "unauthorized", "message": "Unauthorized"}"#);
    assert_eq!(
        findings(&imported)[..1],
        ["E0801 1:8 the export is an error response from Port (`ok: false`), not data"]
    );
    let imported = convert_one(r#"{"name": "x"}"#);
    assert_eq!(
        findings(&imported),
        [
            "E0802 1:1 the object is neither a Port API response nor an item with an `identifier`",
            "W0801 1:2 `name` is not imported",
        ]
    );
}

#[test]
fn the_same_item_twice_is_one_item_and_order_does_not_matter() {
    let a = r#"[{"identifier": "x", "blueprint": "_team"}, {"identifier": "y", "blueprint": "_team"}]"#;
    let b = r#"{"ok": true, "entities": [{"identifier": "y", "blueprint": "_team"}, {"identifier": "x", "blueprint": "_team"}]}"#;
    let export = |path: &str, text: &str| Export { path: path.to_owned(), bytes: text.as_bytes().to_vec() };
    let one = convert(&[export("a.json", a), export("b.json", b)]);
    let other = convert(&[export("b.json", b), export("a.json", a)]);
    assert!(one.diagnostics.is_empty(), "{:?}", one.diagnostics);
    assert_eq!(one.files, other.files);
    assert_eq!(one.summary.teams, 2);
}

const SEEDS: &[&[u8]] = &[
    include_bytes!("../../../tests/fixtures/port-export/blueprints.json"),
    include_bytes!("../../../tests/fixtures/port-export/entities-service.json"),
    include_bytes!("../../../tests/fixtures/port-export/entities-repository.json"),
    include_bytes!("../../../tests/fixtures/port-export/entity-bucket.json"),
    include_bytes!("../../../tests/fixtures/port-export/scorecards.json"),
    include_bytes!("../../../tests/fixtures/port-export/actions.json"),
    include_bytes!("../../../tests/fixtures/port-export-inconsistent/entities.json"),
];

/// The invariants of `fuzz/fuzz_targets/import_port.rs` over each seed cut short at many
/// lengths and with single bytes replaced by JSON's structural characters: no panic, the same
/// files twice, safe paths, files that read back, findings inside the export.
#[test]
fn mutated_seeds_keep_the_fuzz_targets_invariants() {
    let mut tried = 0;
    for seed in SEEDS {
        let step = (seed.len() / 12).max(1);
        for cut in (0..seed.len()).step_by(step) {
            check(&seed[..cut]);
            for replacement in [b'"', b'}', 0xff] {
                let mut mutated = seed.to_vec();
                mutated[cut] = replacement;
                check(&mutated);
                tried += 1;
            }
        }
    }
    assert!(tried > 250, "{tried} inputs");
}

fn check(bytes: &[u8]) {
    let exports = [Export { path: "export.json".to_owned(), bytes: bytes.to_vec() }];
    let imported = convert(&exports);
    assert_eq!(imported.files, convert(&exports).files);
    for (path, text) in &imported.files {
        assert!(
            path.split('/').all(|part| !part.is_empty()
                && !part.starts_with('.')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))),
            "{path}"
        );
        let parsed = cairn_model::parse_file(
            path,
            text.as_bytes(),
            &cairn_model::Limits { max_file_size: u64::MAX, ..Default::default() },
        );
        assert!(!parsed.diagnostics.iter().any(|d| d.severity == cairn_diagnostics::Severity::Error), "{path}: {text}");
    }
    let len = imported.sources.get("export.json").expect("kept").text().len();
    for diagnostic in &imported.diagnostics {
        let location = diagnostic.location.as_ref().expect("located");
        assert_eq!(location.file, "export.json");
        assert!(location.span.is_none_or(|span| span.start <= span.end && span.end as usize <= len));
    }
}
