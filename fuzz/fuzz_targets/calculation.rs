//! Fuzzes the calculation evaluator (`cairn_compute::jq`): arbitrary text, as a blueprint's
//! `calculationProperties.*.calculation` may hold, rewritten from Port's jq spelling, compiled by
//! jaq and run over a fixed entity.
//!
//! Beyond "never panics, never hangs, never exhausts memory", it checks that a result is within
//! `OUTPUT_LIMIT` and that a program `port_to_jq` refuses is never run.

#![no_main]

use cairn_compute::jq::{CalculationError, OUTPUT_LIMIT, evaluate, port_to_jq};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(program) = std::str::from_utf8(bytes) else { return };
    let entity = serde_json::json!({
        "identifier": "notification-service",
        "title": "Notification Service",
        "blueprint": "microservice",
        "team": ["guardians"],
        "properties": {"cpu": 2, "replicas": 4, "a-b": "x", "tags": ["a", "b"], "nested": {"k": [1, 2.5, null]}},
        "relations": {"squad": "guardians", "libraries": ["lib-a", "lib-b"]},
    });
    let refused = port_to_jq(program).err();
    match evaluate(program, entity) {
        Ok(Some(value)) => {
            assert!(refused.is_none(), "ran a refused program: {program:?}");
            assert!(value.to_string().len() <= OUTPUT_LIMIT, "a result over the limit");
        }
        Ok(None) => assert!(refused.is_none(), "ran a refused program: {program:?}"),
        Err(CalculationError::TooLong(_) | CalculationError::Denied(_)) => assert!(refused.is_some()),
        Err(_) => {}
    }
});
