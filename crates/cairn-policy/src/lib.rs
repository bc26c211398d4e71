//! Policies: Rego over the catalog with regorus, following conftest's conventions (`deny`,
//! `warn`, `violation`, `exception`), shaped by OPA's METADATA, and tested with `test_*` rules.
//!
//! Data flows one way: Rego files are loaded into a `PolicySet` (problems in them are findings),
//! prepared once with the catalog as `data.cairn` (`Prepared`), then every entity is judged in
//! parallel; results and errors both come out as `Diagnostic`s. The input contract is
//! docs/policies.md.

mod error;
mod evaluate;
mod input;
mod metadata;
mod policy_set;
mod results;
mod testing;

pub use evaluate::{Prepared, catalog_input};
pub use input::{
    add_properties, blueprints_value, catalog_value, change_value, entity_value, entity_values, node_value,
    resolve_query_relations,
};
pub use metadata::Scope;
pub use policy_set::{Package, PolicyOptions, PolicySet, Rule, RuleKind, rule_kind};
pub use regorus::Value;
pub use testing::{TestReport, TestResult, TestStatus, run_tests};
