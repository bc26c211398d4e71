# METADATA
# title: Entities are owned by a team of the catalog
# description: >-
#   Every component, API, resource, system and environment names at least one owning team in
#   `team`, and every team it names is a `_team` entity of the catalog. An entity without a real
#   owner has nobody to answer for it, to review its changes or to page when it breaks.
# custom:
#   code: P001
#   severity: error
package cairn.library.owner_team

import data.cairn.library.util

# The blueprints whose entities must have an owner. Domains and teams need none.
owned_blueprints := {"Component", "API", "Resource", "System", "Environment"}

deny contains result if {
	input.blueprint in owned_blueprints
	count(util.teams(input)) == 0
	result := {
		"msg": sprintf("`%s` has no owning team", [input.identifier]),
		"field": "team",
	}
}

deny contains result if {
	input.blueprint in owned_blueprints
	some owner in util.teams(input)
	not is_team(owner)
	result := {
		"msg": sprintf("`%s` is owned by `%s`, which is not a team of the catalog", [input.identifier, owner]),
		"field": "team",
	}
}

# is_team(name) is true when the catalog has a `_team` entity `name`: a lookup by key.
is_team(name) if data.cairn.catalog._team[name]
