# METADATA
# title: Tier-1 components page a team that owns them
# description: >-
#   A tier-1 component pages someone at night, so it names an on-call rotation in `onCall`, and
#   that rotation is the `onCall` of one of the teams that own it (catalog/teams.yaml). A
#   rotation of another team, or of no team at all, wakes people who cannot fix the component.
# custom:
#   code: ACME001
#   severity: error
package acme.reliability

deny contains result if {
	input.blueprint == "Component"
	input.properties.tier == "tier-1"
	not on_call
	result := {
		"msg": sprintf("`%s` is tier-1 but names no `onCall` rotation", [input.identifier]),
		"field": "properties.onCall",
	}
}

deny contains result if {
	input.blueprint == "Component"
	input.properties.tier == "tier-1"
	on_call
	not input.properties.onCall in team_rotations
	result := {
		"msg": sprintf("`%s` is tier-1 but pages `%s`, which is not the on-call rotation of a team that owns it", [input.identifier, input.properties.onCall]),
		"field": "properties.onCall",
	}
}

# on_call is true when the component names a rotation.
on_call if {
	is_string(input.properties.onCall)
	trim_space(input.properties.onCall) != ""
}

# The on-call rotations of the teams that own the component.
team_rotations contains rotation if {
	some team in input.team
	rotation := team_on_call(team)
}

# team_on_call(team) is the rotation of the catalog's team `team`: a lookup by key.
team_on_call(team) := data.cairn.catalog._team[team].properties.onCall
