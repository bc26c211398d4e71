//! Fuzzes cairn's loader: arbitrary bytes through `parse_file` as YAML and as JSON, every
//! document through `list_items` (a list under `entities` or `blueprints`) and then
//! `read_entity` (YAML) or `read_blueprint` (JSON); every YAML item and relation value through
//! `Query::parse` (Port's search query), each query parsed evaluated against the entity; and the
//! text through `Settings::read` as `cairn.yaml`.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks that every finding's
//! location lies within the file it names: a span that ends past the text, or a line or column
//! of 0, would make a report point nowhere (or make the snippet renderer slice out of bounds).

#![no_main]

use cairn_compute::query::Query;
use cairn_diagnostics::SourceFile;
use cairn_model::{Limits, ListOf, Settings, Timestamp, list_items, parse_file, read_blueprint, read_entity};
use libfuzzer_sys::fuzz_target;

#[path = "../common/located.rs"]
mod located;
use located::check_all;

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits::default();

    // YAML: every document as an entity, as a `port.yml` is read.
    let parsed = parse_file("services/x/port.yml", bytes, &limits);
    check_all(&parsed.file, &parsed.diagnostics, "parse_file(yaml)");
    for document in parsed.documents {
        let (items, diagnostics) = list_items(&parsed.file, document, ListOf::Entities);
        check_all(&parsed.file, &diagnostics, "list_items(entities)");
        for item in items {
            let (query, diagnostics) = Query::parse(&parsed.file, &item);
            check_all(&parsed.file, &diagnostics, "Query::parse");
            let (entity, diagnostics) = read_entity(&parsed.file, item, None);
            check_all(&parsed.file, &diagnostics, "read_entity");
            let Some(entity) = entity else { continue };
            if let Some(query) = query {
                let _ = query.matches(&entity, Timestamp::UNIX_EPOCH);
            }
            for relation in &entity.relations {
                let (query, diagnostics) = Query::parse(&parsed.file, &relation.value);
                check_all(&parsed.file, &diagnostics, "Query::parse(relation)");
                if let Some(query) = query {
                    let _ = query.matches(&entity, Timestamp::UNIX_EPOCH);
                }
            }
        }
    }

    // JSON: every document as a blueprint.
    let parsed = parse_file("blueprints/x.json", bytes, &limits);
    check_all(&parsed.file, &parsed.diagnostics, "parse_file(json)");
    for document in parsed.documents {
        let (items, diagnostics) = list_items(&parsed.file, document, ListOf::Blueprints);
        check_all(&parsed.file, &diagnostics, "list_items(blueprints)");
        for item in items {
            let (_blueprint, diagnostics) = read_blueprint(&parsed.file, item);
            check_all(&parsed.file, &diagnostics, "read_blueprint");
        }
    }

    // The same text as the settings file.
    if let Ok(text) = std::str::from_utf8(bytes) {
        let file = SourceFile::new("cairn.yaml", text);
        let (_settings, diagnostics) = Settings::read(&file);
        check_all(&file, &diagnostics, "Settings::read");
    }
});
