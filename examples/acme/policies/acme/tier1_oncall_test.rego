package acme.reliability_test

import data.acme.reliability

catalog := {"_team": {
	"payments": {"identifier": "payments", "blueprint": "_team", "properties": {"onCall": "payments-primary"}},
	"data": {"identifier": "data", "blueprint": "_team", "properties": {"onCall": "data-primary"}},
	"sre": {"identifier": "sre", "blueprint": "_team", "properties": {}},
}}

checkout := {
	"identifier": "checkout-service",
	"blueprint": "Component",
	"title": "Checkout Service",
	"team": ["payments"],
	"properties": {
		"type": "service",
		"lifecycle": "production",
		"tier": "tier-1",
		"runbook": "https://runbooks.acme.example/checkout-service",
		"onCall": "payments-primary",
	},
	"relations": {"system": "checkout"},
}

# checkout with the properties of `patch` set.
component(patch) := object.union(checkout, {"properties": object.union(checkout.properties, patch)})

wrong_rotation := {
	"msg": "`checkout-service` is tier-1 but pages `sre-primary`, which is not the on-call rotation of a team that owns it",
	"field": "properties.onCall",
}

no_rotation := {"msg": "`checkout-service` is tier-1 but names no `onCall` rotation", "field": "properties.onCall"}

test_rotation_of_the_owning_team_passes if {
	fixture := catalog
	subject := checkout
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_rotation_of_any_owning_team_passes if {
	fixture := catalog
	subject := object.union(component({"onCall": "data-primary"}), {"team": ["payments", "data"]})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}

test_rotation_of_another_team_fails if {
	fixture := catalog
	subject := component({"onCall": "data-primary"})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 1
}

test_rotation_of_no_team_fails if {
	fixture := catalog
	subject := component({"onCall": "sre-primary"})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	results == {wrong_rotation}
}

test_team_without_a_rotation_fails if {
	fixture := catalog
	subject := object.union(component({"onCall": "sre-primary"}), {"team": ["sre"]})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	results == {wrong_rotation}
}

test_team_not_in_the_catalog_fails if {
	fixture := catalog
	subject := object.union(checkout, {"team": ["ghosts"]})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 1
}

test_missing_rotation_fails if {
	fixture := catalog
	subject := object.union(object.remove(checkout, ["properties"]), {"properties": object.remove(checkout.properties, ["onCall"])})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	results == {no_rotation}
}

test_null_and_blank_rotations_fail if {
	fixture := catalog
	null_rotation := component({"onCall": null})
	blank := component({"onCall": " "})
	reliability.deny == {no_rotation} with input as null_rotation with data.cairn.catalog as fixture
	reliability.deny == {no_rotation} with input as blank with data.cairn.catalog as fixture
}

test_tier_2_and_tier_3_components_are_not_checked if {
	fixture := catalog
	tier_2 := component({"tier": "tier-2", "onCall": "sre-primary"})
	tier_3 := component({"tier": "tier-3", "onCall": null})
	count(reliability.deny) == 0 with input as tier_2 with data.cairn.catalog as fixture
	count(reliability.deny) == 0 with input as tier_3 with data.cairn.catalog as fixture
}

test_experimental_tier_1_components_are_checked_too if {
	fixture := catalog
	subject := component({"lifecycle": "experimental", "onCall": null})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	results == {no_rotation}
}

test_other_blueprints_are_not_checked if {
	fixture := catalog
	subject := object.union(component({"onCall": "sre-primary"}), {"blueprint": "API"})
	results := reliability.deny with input as subject with data.cairn.catalog as fixture
	count(results) == 0
}
