package cairn.library.owner_team_test

import data.cairn.library.owner_team

# Values given to `with` are bound to local variables first: rego-cpp, used as a second engine
# for these tests, evaluates `with data.x as <rule>` to undefined.

catalog := {"_team": {
	"payments": {"identifier": "payments", "blueprint": "_team", "team": [], "properties": {}, "relations": {}},
	"sre": {"identifier": "sre", "blueprint": "_team", "team": [], "properties": {}, "relations": {}},
}}

entity(blueprint, owners) := {
	"identifier": "checkout-service",
	"blueprint": blueprint,
	"title": null,
	"team": owners,
	"properties": {"type": "service", "lifecycle": "production"},
	"relations": {"system": "checkout"},
}

no_team := {{"msg": "`checkout-service` has no owning team", "field": "team"}}

test_known_team_passes if {
	fixture := catalog
	subject := entity("Component", ["payments"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_every_team_known_passes if {
	fixture := catalog
	subject := entity("Environment", ["payments", "sre"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_team_as_a_string_is_accepted if {
	fixture := catalog
	subject := entity("Component", "payments")
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_no_team_fails if {
	fixture := catalog
	subject := entity("Component", [])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == no_team
}

test_missing_team_key_fails if {
	fixture := catalog
	subject := object.remove(entity("API", []), ["team"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == no_team
}

test_null_team_fails if {
	fixture := catalog
	subject := entity("Resource", null)
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == no_team
}

test_empty_team_name_fails if {
	fixture := catalog
	subject := entity("Resource", [""])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == no_team
}

test_unknown_team_fails if {
	fixture := catalog
	subject := entity("System", ["payments", "paymnts"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == {{
		"msg": "`checkout-service` is owned by `paymnts`, which is not a team of the catalog",
		"field": "team",
	}}
}

test_each_unknown_team_is_reported if {
	fixture := catalog
	subject := entity("Component", ["ghosts", "phantoms"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 2
}

test_catalog_without_teams_fails if {
	fixture := {"Component": {}}
	subject := entity("Component", ["payments"])
	results := owner_team.deny with input as subject with data.cairn.catalog as fixture
	results == {{
		"msg": "`checkout-service` is owned by `payments`, which is not a team of the catalog",
		"field": "team",
	}}
}

test_every_owned_blueprint_is_checked if {
	fixture := catalog
	component := entity("Component", [])
	api := entity("API", [])
	resource := entity("Resource", [])
	system := entity("System", [])
	environment := entity("Environment", [])
	count(owner_team.deny) == 1 with input as component with data.cairn.catalog as fixture
	count(owner_team.deny) == 1 with input as api with data.cairn.catalog as fixture
	count(owner_team.deny) == 1 with input as resource with data.cairn.catalog as fixture
	count(owner_team.deny) == 1 with input as system with data.cairn.catalog as fixture
	count(owner_team.deny) == 1 with input as environment with data.cairn.catalog as fixture
}

test_domains_and_teams_need_no_team if {
	fixture := catalog
	domain := entity("Domain", [])
	team := entity("_team", [])
	count(owner_team.deny) == 0 with input as domain with data.cairn.catalog as fixture
	count(owner_team.deny) == 0 with input as team with data.cairn.catalog as fixture
}
