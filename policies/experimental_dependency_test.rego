package cairn.library.experimental_dependency_test

import data.cairn.library.experimental_dependency

checkout := {
	"identifier": "checkout-service",
	"blueprint": "Component",
	"title": null,
	"team": ["payments"],
	"properties": {"type": "service", "lifecycle": "production"},
	"relations": {"system": "checkout", "dependsOn": ["pricing-engine"]},
}

catalog := {"Component": {
	"pricing-engine": {"identifier": "pricing-engine", "properties": {"lifecycle": "production"}},
	"recommendation-service": {"identifier": "recommendation-service", "properties": {"lifecycle": "experimental"}},
	"legacy-newsletter": {"identifier": "legacy-newsletter", "properties": {"lifecycle": "deprecated"}},
	"no-lifecycle": {"identifier": "no-lifecycle", "properties": {}},
}}

# checkout with its `dependsOn` relation set to `depends_on`.
depending_on(depends_on) := object.union(checkout, {"relations": {"system": "checkout", "dependsOn": depends_on}})

experimental_result := {
	"msg": "`checkout-service` is in production but depends on `recommendation-service`, which is experimental",
	"field": "relations.dependsOn",
}

test_production_dependency_passes if {
	fixture := catalog
	subject := checkout
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_experimental_dependency_fails if {
	fixture := catalog
	subject := depending_on(["pricing-engine", "recommendation-service"])
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	results == {experimental_result}
}

test_depends_on_written_as_a_string_fails if {
	fixture := catalog
	subject := object.union(checkout, {"relations": {"system": "checkout", "dependsOn": "recommendation-service"}})
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	results == {experimental_result}
}

test_deprecated_and_unknown_dependencies_pass if {
	fixture := catalog
	subject := depending_on(["legacy-newsletter", "no-lifecycle", "not-in-the-catalog"])
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_null_missing_and_empty_depends_on_pass if {
	fixture := catalog
	null_relation := depending_on(null)
	empty := depending_on([])
	no_relation := object.union(object.remove(checkout, ["relations"]), {"relations": {"system": "checkout"}})
	no_relations := object.remove(checkout, ["relations"])
	count(experimental_dependency.deny) == 0 with input as null_relation with data.cairn.catalog as fixture
	count(experimental_dependency.deny) == 0 with input as empty with data.cairn.catalog as fixture
	count(experimental_dependency.deny) == 0 with input as no_relation with data.cairn.catalog as fixture
	count(experimental_dependency.deny) == 0 with input as no_relations with data.cairn.catalog as fixture
}

test_non_production_components_may_depend_on_experiments if {
	fixture := catalog
	experimental := object.union(depending_on(["recommendation-service"]), {"properties": {"type": "service", "lifecycle": "experimental"}})
	deprecated := object.union(depending_on(["recommendation-service"]), {"properties": {"type": "service", "lifecycle": "deprecated"}})
	count(experimental_dependency.deny) == 0 with input as experimental with data.cairn.catalog as fixture
	count(experimental_dependency.deny) == 0 with input as deprecated with data.cairn.catalog as fixture
}

test_catalog_without_components_passes if {
	fixture := {"API": {}}
	subject := depending_on(["recommendation-service"])
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_other_blueprints_are_not_checked if {
	fixture := catalog
	subject := object.union(depending_on(["recommendation-service"]), {"blueprint": "System"})
	results := experimental_dependency.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}
