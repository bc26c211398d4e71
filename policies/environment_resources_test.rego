package cairn.library.environment_resources_test

import data.cairn.library.environment_resources

development := {
	"identifier": "dev-alice",
	"blueprint": "Environment",
	"title": null,
	"team": ["payments"],
	"properties": {
		"type": "development",
		"ttl": "5d",
		"resources": [
			{"name": "checkout-db", "type": "postgres", "version": "16", "size": "small"},
			{"name": "order-placement", "type": "queue"},
		],
	},
	"relations": {"components": ["checkout-service"]},
}

# The development environment with the properties of `patch` set. (Properties are merged
# explicitly: OPA's and regorus's object.union merge nested objects, rego-cpp's replaces them.)
environment(patch) := object.union(development, {"properties": object.union(development.properties, patch)})

kafka := {"name": "order-events", "type": "kafka-topic"}

bucket := {"name": "uploads", "type": "s3-bucket"}

test_allowed_resources_pass if {
	subject := development
	results := environment_resources.deny with input as subject
	count(results) == 0
}

test_every_allowed_development_type_passes if {
	subject := environment({"resources": [
		{"name": "a", "type": "postgres"},
		{"name": "b", "type": "mysql"},
		{"name": "c", "type": "redis"},
		{"name": "d", "type": "queue"},
	]})
	results := environment_resources.deny with input as subject
	count(results) == 0
}

test_kafka_topic_in_development_fails if {
	subject := environment({"resources": [{"name": "checkout-db", "type": "postgres"}, kafka]})
	results := environment_resources.deny with input as subject
	results == {{
		"msg": "`dev-alice` requests `order-events` (a `kafka-topic`), which a `development` environment may not use; it may use `mysql`, `postgres`, `queue`, `redis`",
		"field": "properties.resources.1.type",
	}}
}

test_mysql_in_preview_fails if {
	subject := environment({"type": "preview", "resources": [{"name": "legacy", "type": "mysql"}]})
	results := environment_resources.deny with input as subject
	results == {{
		"msg": "`dev-alice` requests `legacy` (a `mysql`), which a `preview` environment may not use; it may use `postgres`, `queue`, `redis`",
		"field": "properties.resources.0.type",
	}}
}

test_one_result_per_resource if {
	subject := environment({"resources": [kafka, {"name": "checkout-db", "type": "postgres"}, bucket]})
	results := environment_resources.deny with input as subject
	{r.field | some r in results} == {"properties.resources.0.type", "properties.resources.2.type"}
}

test_resource_without_a_name_is_described_by_its_type if {
	subject := environment({"resources": [{"type": "s3-bucket"}]})
	results := environment_resources.deny with input as subject
	results == {{
		"msg": "`dev-alice` requests a `s3-bucket`, which a `development` environment may not use; it may use `mysql`, `postgres`, `queue`, `redis`",
		"field": "properties.resources.0.type",
	}}
}

test_staging_and_production_may_use_every_type if {
	staging := environment({"type": "staging", "ttl": "2w", "resources": [kafka, bucket]})
	production := environment({"type": "production", "resources": [kafka, bucket]})
	count(environment_resources.deny) == 0 with input as staging
	count(environment_resources.deny) == 0 with input as production
}

test_missing_or_null_resources_pass if {
	without := object.union(object.remove(development, ["properties"]), {"properties": object.remove(development.properties, ["resources"])})
	null_resources := environment({"resources": null})
	empty := environment({"resources": []})
	count(environment_resources.deny) == 0 with input as without
	count(environment_resources.deny) == 0 with input as null_resources
	count(environment_resources.deny) == 0 with input as empty
}

test_resources_without_a_type_are_left_to_the_schema if {
	subject := environment({"resources": [{"name": "mystery"}, "postgres", null]})
	results := environment_resources.deny with input as subject
	count(results) == 0
}

test_environment_without_type_is_not_checked if {
	subject := environment({"type": null, "resources": [kafka]})
	results := environment_resources.deny with input as subject
	count(results) == 0
}

test_other_blueprints_are_not_checked if {
	subject := object.union(environment({"resources": [kafka]}), {"blueprint": "Resource"})
	results := environment_resources.deny with input as subject
	count(results) == 0
}

test_allowed_resource_types_can_be_read if {
	environment_resources.allowed_resource_types.preview == {"postgres", "redis", "queue"}
}
