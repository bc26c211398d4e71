package cairn.library.production_readiness_test

import data.cairn.library.production_readiness

ready := {
	"identifier": "checkout",
	"blueprint": "Component",
	"title": "Checkout",
	"team": ["payments"],
	"properties": {
		"type": "service",
		"lifecycle": "production",
		"tier": "tier-1",
		"onCall": "payments-primary",
		"runbook": "https://runbooks.example.com/checkout",
	},
	"relations": {"system": "checkout"},
}

# ready, with the properties of `patch` set (null stays null: a property written `tier: null`).
component(patch) := object.union(ready, {"properties": object.union(ready.properties, patch)})

# ready, without the properties named in `names`. (Not object.union(ready, {"properties": …}):
# object.union merges nested objects, so the removed properties would come back.)
component_without(names) := object.union(object.remove(ready, ["properties"]), {"properties": object.remove(ready.properties, names)})

test_ready_component_passes if {
	subject := ready
	results := production_readiness.deny with input as subject
	count(results) == 0
}

test_missing_tier_fails if {
	subject := component_without(["tier"])
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` is in production without a `tier`", "field": "properties.tier"}}
}

test_missing_on_call_fails if {
	subject := component_without(["onCall"])
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` is in production without an `onCall` rotation", "field": "properties.onCall"}}
}

test_missing_runbook_fails if {
	subject := component_without(["runbook"])
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` is in production without a `runbook`", "field": "properties.runbook"}}
}

test_one_result_per_missing_property if {
	subject := component_without(["tier", "onCall", "runbook"])
	results := production_readiness.deny with input as subject
	{r.field | some r in results} == {"properties.tier", "properties.onCall", "properties.runbook"}
}

test_null_and_blank_values_count_as_missing if {
	subject := component({"tier": "", "onCall": "  "})
	results := production_readiness.deny with input as subject
	{r.field | some r in results} == {"properties.tier", "properties.onCall"}
}

test_runbook_set_to_null_counts_as_missing if {
	subject := component({"runbook": null})
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` is in production without a `runbook`", "field": "properties.runbook"}}
}

test_runbook_that_is_not_a_url_fails if {
	subject := component({"runbook": "see the wiki"})
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` has runbook `see the wiki`, which is not an http(s) URL", "field": "properties.runbook"}}
}

test_runbook_with_another_scheme_fails if {
	subject := component({"runbook": "ftp://runbooks.example.com/checkout"})
	results := production_readiness.deny with input as subject
	count(results) == 1
}

test_runbook_that_is_not_a_string_fails if {
	subject := component({"runbook": 42})
	results := production_readiness.deny with input as subject
	results == {{"msg": "`checkout` has runbook `42`, which is not an http(s) URL", "field": "properties.runbook"}}
}

test_http_and_upper_case_runbooks_pass if {
	plain := component({"runbook": "http://wiki.internal/checkout"})
	upper := component({"runbook": "HTTPS://Runbooks.example.com/Checkout"})
	count(production_readiness.deny) == 0 with input as plain
	count(production_readiness.deny) == 0 with input as upper
}

test_experimental_and_deprecated_components_are_not_checked if {
	experimental := component({"lifecycle": "experimental", "tier": null, "onCall": null, "runbook": "wiki"})
	deprecated := component({"lifecycle": "deprecated", "tier": null, "onCall": null, "runbook": null})
	count(production_readiness.deny) == 0 with input as experimental
	count(production_readiness.deny) == 0 with input as deprecated
}

test_component_without_lifecycle_is_not_checked if {
	subject := component_without(["lifecycle", "tier"])
	results := production_readiness.deny with input as subject
	count(results) == 0
}

test_other_blueprints_are_not_checked if {
	subject := object.union(component({"tier": null}), {"blueprint": "API"})
	results := production_readiness.deny with input as subject
	count(results) == 0
}

test_component_without_properties_is_not_checked if {
	subject := object.union(ready, {"properties": null})
	results := production_readiness.deny with input as subject
	count(results) == 0
}
