# METADATA
# title: Components, APIs and resources belong to a live system
# description: The system must exist, and a tier-1 production component must not sit in a deprecated one.
# custom:
#   code: BENCH08
package bench.system

deny contains result if {
	input.blueprint in {"Component", "API", "Resource"}
	system := input.relations.system
	not data.cairn.catalog.System[system]
	result := {"msg": sprintf("`%s` names system `%s`, which does not exist", [input.identifier, system]), "field": "relations.system"}
}

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	input.properties.tier == "tier-1"
	system := input.relations.system
	data.cairn.catalog.System[system].properties.lifecycle == "deprecated"
	result := {
		"msg": sprintf("tier-1 production component `%s` is in deprecated system `%s`", [input.identifier, system]),
		"field": "relations.system",
	}
}
