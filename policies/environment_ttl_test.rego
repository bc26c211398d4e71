package cairn.library.environment_ttl_test

import data.cairn.library.environment_ttl

development := {
	"identifier": "dev-alice",
	"blueprint": "Environment",
	"title": null,
	"team": ["payments"],
	"properties": {"type": "development", "region": "eu-west-2", "ttl": "5d"},
	"relations": {"components": ["checkout-service"]},
}

# The development environment with the properties of `patch` set. (Properties are merged
# explicitly: OPA's and regorus's object.union merge nested objects, rego-cpp's replaces them.)
environment(patch) := object.union(development, {"properties": object.union(development.properties, patch)})

# The development environment with the properties of `patch` set and no `ttl`. (Not
# object.union(development, {"properties": …}), which would merge the `ttl` back.)
environment_without_ttl(patch) := object.union(object.remove(development, ["properties"]), {"properties": object.remove(
	object.union(development.properties, patch),
	["ttl"],
)})

test_ttls_within_the_maximum_pass if {
	dev := development
	preview := environment({"type": "preview", "ttl": "12h"})
	staging := environment({"type": "staging", "ttl": "2w"})
	count(environment_ttl.deny) == 0 with input as dev
	count(environment_ttl.deny) == 0 with input as preview
	count(environment_ttl.deny) == 0 with input as staging
}

test_ttls_at_the_maximum_pass if {
	days := environment({"ttl": "14d"})
	weeks := environment({"ttl": "2w"})
	preview := environment({"type": "preview", "ttl": "168h"})
	staging := environment({"type": "staging", "ttl": "30d"})
	count(environment_ttl.deny) == 0 with input as days
	count(environment_ttl.deny) == 0 with input as weeks
	count(environment_ttl.deny) == 0 with input as preview
	count(environment_ttl.deny) == 0 with input as staging
}

test_development_longer_than_14_days_fails if {
	subject := environment({"ttl": "15d"})
	results := environment_ttl.deny with input as subject
	results == {{
		"msg": "`dev-alice` has ttl `15d` (360 hours), longer than the 336 hours a `development` environment may live",
		"field": "properties.ttl",
	}}
}

test_preview_longer_than_7_days_fails if {
	subject := environment({"type": "preview", "ttl": "2w"})
	results := environment_ttl.deny with input as subject
	results == {{
		"msg": "`dev-alice` has ttl `2w` (336 hours), longer than the 168 hours a `preview` environment may live",
		"field": "properties.ttl",
	}}
}

test_staging_longer_than_30_days_fails if {
	hours := environment({"type": "staging", "ttl": "721h"})
	weeks := environment({"type": "staging", "ttl": "5w"})
	count(environment_ttl.deny) == 1 with input as hours
	count(environment_ttl.deny) == 1 with input as weeks
}

test_production_needs_no_ttl if {
	subject := environment_without_ttl({"type": "production"})
	results := environment_ttl.deny with input as subject
	count(results) == 0
}

test_production_may_have_any_ttl if {
	subject := environment({"type": "production", "ttl": "52w"})
	results := environment_ttl.deny with input as subject
	count(results) == 0
}

test_non_production_without_ttl_fails if {
	subject := environment_without_ttl({"type": "preview"})
	results := environment_ttl.deny with input as subject
	results == {{"msg": "`dev-alice` is a `preview` environment without a `ttl`", "field": "properties.ttl"}}
}

test_every_non_production_type_needs_a_ttl if {
	dev := environment_without_ttl({})
	staging := environment_without_ttl({"type": "staging"})
	custom := environment_without_ttl({"type": "qa"})
	count(environment_ttl.deny) == 1 with input as dev
	count(environment_ttl.deny) == 1 with input as staging
	count(environment_ttl.deny) == 1 with input as custom
}

test_null_and_blank_ttl_count_as_missing if {
	null_ttl := environment({"ttl": null})
	blank_ttl := environment({"type": "staging", "ttl": ""})
	count(environment_ttl.deny) == 1 with input as null_ttl
	count(environment_ttl.deny) == 1 with input as blank_ttl
}

test_expires_at_instead_of_ttl_passes if {
	subject := environment_without_ttl({"expiresAt": "2026-12-01T00:00:00Z"})
	results := environment_ttl.deny with input as subject
	count(results) == 0
}

test_invalid_ttl_fails if {
	subject := environment({"ttl": "5m"})
	results := environment_ttl.deny with input as subject
	results == {{
		"msg": "`dev-alice` has ttl `5m`, which is not a number of hours, days or weeks such as `12h`, `5d` or `2w`",
		"field": "properties.ttl",
	}}
}

test_invalid_ttls_fail_whatever_the_type if {
	words := environment({"type": "staging", "ttl": "forever"})
	number := environment({"ttl": 5})
	spaced := environment({"type": "preview", "ttl": "5 d"})
	production := environment({"type": "production", "ttl": "1y"})
	zero := environment({"ttl": "0d"})
	leading_zero := environment({"ttl": "05d"})
	count(environment_ttl.deny) == 1 with input as zero
	count(environment_ttl.deny) == 1 with input as leading_zero
	count(environment_ttl.deny) == 1 with input as words
	count(environment_ttl.deny) == 1 with input as number
	count(environment_ttl.deny) == 1 with input as spaced
	count(environment_ttl.deny) == 1 with input as production
}

test_ttl_hours if {
	environment_ttl.ttl_hours("12h") == 12
	environment_ttl.ttl_hours("5d") == 120
	environment_ttl.ttl_hours("2w") == 336
	not environment_ttl.ttl_hours("2y")
	not environment_ttl.ttl_hours("d")
	not environment_ttl.ttl_hours("05d")
}

test_max_ttl_hours_can_be_read if {
	environment_ttl.max_ttl_hours == {"development": 336, "preview": 168, "staging": 720}
}

test_environment_without_type_is_not_checked if {
	subject := environment_without_ttl({"type": null})
	results := environment_ttl.deny with input as subject
	count(results) == 0
}

test_other_blueprints_are_not_checked if {
	subject := object.union(environment_without_ttl({}), {"blueprint": "Component"})
	results := environment_ttl.deny with input as subject
	count(results) == 0
}
