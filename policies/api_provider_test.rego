package cairn.library.api_provider_test

import data.cairn.library.api_provider

# A catalog-scope package: `input` is only {"revision": …}, so the tests set the catalog alone.

api(id, provider) := {
	"identifier": id,
	"blueprint": "API",
	"title": null,
	"team": ["payments"],
	"properties": {"type": "openapi", "lifecycle": "production"},
	"relations": {"provider": provider},
}

component(id, provides) := {
	"identifier": id,
	"blueprint": "Component",
	"title": null,
	"team": ["payments"],
	"properties": {"type": "service", "lifecycle": "production"},
	"relations": {"system": "checkout", "providesApis": provides},
}

# What the package reports for an API that no component provides.
orphan_api_result := {
	"msg": "no component provides `orphan-api`: set its `provider` relation or list it in a component's `providesApis`",
	"field": "relations.provider",
	"entity": "API:orphan-api",
}

test_api_with_a_provider_relation_passes if {
	catalog := {"API": {"payments-api": api("payments-api", "payments-service")}}
	results := api_provider.deny with data.cairn.catalog as catalog
	count(results) == 0
}

test_api_listed_in_provides_apis_passes if {
	catalog := {
		"API": {"payments-api": api("payments-api", null)},
		"Component": {"payments-service": component("payments-service", ["payments-api"])},
	}
	results := api_provider.deny with data.cairn.catalog as catalog
	count(results) == 0
}

test_provides_apis_written_as_a_string_passes if {
	catalog := {
		"API": {"payments-api": api("payments-api", null)},
		"Component": {"payments-service": component("payments-service", "payments-api")},
	}
	results := api_provider.deny with data.cairn.catalog as catalog
	count(results) == 0
}

test_api_without_a_provider_fails if {
	catalog := {
		"API": {"orphan-api": api("orphan-api", null)},
		"Component": {"payments-service": component("payments-service", ["payments-api"])},
	}
	results := api_provider.deny with data.cairn.catalog as catalog
	results == {orphan_api_result}
}

test_missing_and_empty_provider_relations_fail if {
	no_relations := object.remove(api("a", null), ["relations"])
	empty_provider := api("b", "")
	empty_list := api("c", [])
	catalog := {"API": {"a": no_relations, "b": empty_provider, "c": empty_list}}
	results := api_provider.deny with data.cairn.catalog as catalog
	{r.entity | some r in results} == {"API:a", "API:b", "API:c"}
	{r.field | some r in results} == {"relations.provider"}
}

test_only_the_unprovided_apis_are_reported if {
	catalog := {
		"API": {
			"payments-api": api("payments-api", "payments-service"),
			"fraud-api": api("fraud-api", null),
			"orphan-api": api("orphan-api", null),
		},
		"Component": {
			"fraud-scoring": component("fraud-scoring", ["fraud-api"]),
			"library": component("library", null),
		},
	}
	results := api_provider.deny with data.cairn.catalog as catalog
	results == {orphan_api_result}
}

test_provided_apis_is_built_from_every_component if {
	catalog := {"Component": {
		"a": component("a", ["x", "y"]),
		"b": component("b", "z"),
		"c": component("c", null),
		"d": object.remove(component("d", null), ["relations"]),
	}}
	provided := api_provider.provided_apis with data.cairn.catalog as catalog
	provided == {"x", "y", "z"}
}

test_catalog_without_apis_passes if {
	catalog := {"Component": {"a": component("a", ["x"])}}
	results := api_provider.deny with data.cairn.catalog as catalog
	count(results) == 0
}
