# METADATA
# title: Environments expire within the time their type allows
# description: >-
#   A non-production environment sets `ttl`, how long it lives after it is created (`12h`, `5d`,
#   `2w`), and the ttl is at most the maximum for its type in `max_ttl_hours`: 14 days for
#   `development`, 7 days for `preview`, 30 days for `staging`. An environment that sets
#   `expiresAt` instead of `ttl` is not asked for a ttl. Production environments need no ttl.
# custom:
#   code: P004
#   severity: error
package cairn.library.environment_ttl

import data.cairn.library.util

# The longest ttl each environment type may have, in hours. A type not listed here (production)
# has no maximum.
max_ttl_hours := {
	"development": 336, # 14d
	"preview": 168, # 7d
	"staging": 720, # 30d
}

# Hours in one unit of a ttl.
unit_hours := {"h": 1, "d": 24, "w": 168}

deny contains result if {
	input.blueprint == "Environment"
	is_string(input.properties.type)
	input.properties.type != "production"
	not util.has_value(input.properties, "ttl")
	not util.has_value(input.properties, "expiresAt")
	result := {
		"msg": sprintf("`%s` is a `%s` environment without a `ttl`", [input.identifier, input.properties.type]),
		"field": "properties.ttl",
	}
}

deny contains result if {
	input.blueprint == "Environment"
	util.has_value(input.properties, "ttl")
	not valid_ttl(input.properties.ttl)
	result := {
		"msg": sprintf("`%s` has ttl `%v`, which is not a number of hours, days or weeks such as `12h`, `5d` or `2w`", [input.identifier, input.properties.ttl]),
		"field": "properties.ttl",
	}
}

deny contains result if {
	input.blueprint == "Environment"
	maximum := max_ttl_hours[input.properties.type]
	hours := ttl_hours(input.properties.ttl)
	hours > maximum
	result := {
		"msg": sprintf("`%s` has ttl `%s` (%v hours), longer than the %v hours a `%s` environment may live", [input.identifier, input.properties.ttl, hours, maximum, input.properties.type]),
		"field": "properties.ttl",
	}
}

# ttl_hours(ttl) is the number of hours of a ttl such as `12h`, `5d` or `2w`; undefined when
# `ttl` is not one.
ttl_hours(ttl) := to_number(substring(ttl, 0, count(ttl) - 1)) * unit_hours[substring(ttl, count(ttl) - 1, 1)] if {
	valid_ttl(ttl)
}

# valid_ttl(ttl) is true for a ttl such as `12h`, `5d` or `2w`. No leading zero: `to_number`
# reads the digits as JSON, which has none.
valid_ttl(ttl) if {
	is_string(ttl)
	regex.match(`^[1-9][0-9]*[hdw]$`, ttl)
}
