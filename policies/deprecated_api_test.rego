package cairn.library.deprecated_api_test

import data.cairn.library.deprecated_api

catalog := {"API": {
	"catalog-api": {"identifier": "catalog-api", "properties": {"type": "openapi", "lifecycle": "production"}},
	"catalog-api-v1": {"identifier": "catalog-api-v1", "properties": {"type": "openapi", "lifecycle": "deprecated"}},
}}

exporter := {
	"identifier": "partner-feed-exporter",
	"blueprint": "Component",
	"title": null,
	"team": ["storefront"],
	"properties": {"type": "job", "lifecycle": "production"},
	"relations": {"system": "storefront", "consumesApis": ["catalog-api-v1"]},
}

# exporter with its `consumesApis` relation set to `apis`.
consuming(apis) := object.union(exporter, {"relations": {"system": "storefront", "consumesApis": apis}})

new_consumer_result := {
	"msg": "`partner-feed-exporter` starts consuming `catalog-api-v1`, which is deprecated",
	"field": "relations.consumesApis",
}

test_plain_check_never_fires if {
	fixture := catalog
	subject := exporter
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_added_component_consuming_a_deprecated_api_fails if {
	fixture := catalog
	subject := exporter
	change := {"added": {"Component": {"partner-feed-exporter": exporter}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	results == {new_consumer_result}
}

test_added_component_consuming_a_string_relation_fails if {
	fixture := catalog
	subject := object.union(exporter, {"relations": {"system": "storefront", "consumesApis": "catalog-api-v1"}})
	change := {"added": {"Component": {"partner-feed-exporter": subject}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	results == {new_consumer_result}
}

test_added_component_consuming_current_apis_passes if {
	fixture := catalog
	subject := consuming(["catalog-api"])
	change := {"added": {"Component": {"partner-feed-exporter": subject}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}

test_modified_component_adding_a_deprecated_api_fails if {
	fixture := catalog
	subject := consuming(["catalog-api", "catalog-api-v1"])
	change := {"modified": {"Component": {"partner-feed-exporter": {
		"before": consuming(["catalog-api"]),
		"after": subject,
	}}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	results == {new_consumer_result}
}

test_modified_component_that_already_consumed_it_passes if {
	fixture := catalog
	subject := object.union(exporter, {"title": "Partner feeds"})
	change := {"modified": {"Component": {"partner-feed-exporter": {"before": exporter, "after": subject}}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}

test_modified_component_that_consumed_it_as_a_string_passes if {
	fixture := catalog
	subject := consuming(["catalog-api-v1", "catalog-api"])
	change := {"modified": {"Component": {"partner-feed-exporter": {
		"before": consuming("catalog-api-v1"),
		"after": subject,
	}}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}

test_modified_component_without_relations_before_fails if {
	fixture := catalog
	subject := exporter
	change := {"modified": {"Component": {"partner-feed-exporter": {
		"before": object.remove(exporter, ["relations"]),
		"after": subject,
	}}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	results == {new_consumer_result}
}

test_change_to_other_entities_does_not_fire if {
	fixture := catalog
	subject := exporter
	change := {
		"added": {"Component": {"new-service": consuming(["catalog-api"])}},
		"modified": {"API": {"catalog-api-v1": {"before": {}, "after": {}}}},
		"removed": {"Component": {"old-job": exporter}},
	}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}

test_api_not_in_the_catalog_is_not_deprecated if {
	fixture := catalog
	subject := consuming(["mystery-api"])
	change := {"added": {"Component": {"partner-feed-exporter": subject}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}

test_null_and_missing_consumes_apis_pass if {
	fixture := catalog
	null_relation := consuming(null)
	no_relations := object.remove(exporter, ["relations"])
	change := {"added": {"Component": {"partner-feed-exporter": exporter}}}
	count(deprecated_api.deny) == 0 with input as null_relation with data.cairn.catalog as fixture with data.cairn.change as change
	count(deprecated_api.deny) == 0 with input as no_relations with data.cairn.catalog as fixture with data.cairn.change as change
}

test_other_blueprints_are_not_checked if {
	fixture := catalog
	subject := object.union(exporter, {"blueprint": "System"})
	change := {"added": {"System": {"partner-feed-exporter": subject}}}
	results := deprecated_api.deny with input as subject with data.cairn.catalog as fixture with data.cairn.change as change
	count(results) == 0
}
