package acme.readiness_test

import data.acme.readiness
import rego.v1

cart := {
	"identifier": "cart-service",
	"blueprint": "Component",
	"properties": {"type": "service", "lifecycle": "production"},
}

scorecards(level, rank, failed) := {"Component": {"production-readiness": {
	"levels": ["Basic", "Bronze", "Silver", "Gold"],
	"entities": {"cart-service": {"level": level, "rank": rank, "passed": [], "failed": failed}},
}}}

test_bronze_in_production_is_denied if {
	findings := readiness.deny with input as cart
		with data.cairn.scorecards as scorecards("Bronze", 1, ["has-runbook"])
	some finding in findings
	finding.msg == "`cart-service` is in production at Bronze on production readiness, below Silver (failing: has-runbook)"
}

test_silver_in_production_passes if {
	count(readiness.deny) == 0 with input as cart
		with data.cairn.scorecards as scorecards("Silver", 2, ["redundant"])
}

test_bronze_outside_production_passes if {
	experimental := object.union(cart, {"properties": {"type": "service", "lifecycle": "experimental"}})
	count(readiness.deny) == 0 with input as experimental
		with data.cairn.scorecards as scorecards("Bronze", 1, ["has-runbook"])
}
