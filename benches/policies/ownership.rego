# METADATA
# title: Owners exist, and an API is owned by its provider's team
# description: Whoever runs the component that serves an API answers for the API.
# custom:
#   code: BENCH09
package bench.ownership

deny contains result if {
	some team in input.team
	not data.cairn.catalog["_team"][team]
	result := {"msg": sprintf("`%s` is owned by team `%s`, which does not exist", [input.identifier, team]), "field": "team"}
}

deny contains result if {
	input.blueprint == "API"
	provider := data.cairn.catalog.Component[input.relations.provider]
	owners := {owner | some owner in input.team}
	count(owners & {member | some member in provider.team}) == 0
	result := {
		"msg": sprintf("API `%s` is not owned by the team of its provider `%s`", [input.identifier, provider.identifier]),
		"field": "team",
	}
}
