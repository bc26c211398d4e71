# METADATA
# title: Production components are at least Silver on production readiness
# description: >-
#   A component in production has reached Silver on the production-readiness scorecard
#   (cairn's bundled one, docs/scorecards.md): an owner, a repository, a runbook and an on-call
#   rotation. The scorecard's levels are in `data.cairn.scorecards`; what holds the component
#   back is named, so that the fix is plain.
# custom:
#   code: ACME002
#   severity: error
package acme.readiness

import rego.v1

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	standing := data.cairn.scorecards.Component["production-readiness"].entities[input.identifier]
	standing.rank < 2
	result := {
		"msg": sprintf(
			"`%s` is in production at %s on production readiness, below Silver (failing: %s)",
			[input.identifier, standing.level, concat(", ", standing.failed)],
		),
		"field": "properties",
	}
}
