# METADATA
# title: Preview environments live between one hour and two weeks
# description: A preview environment without an expiry costs money forever.
# custom:
#   code: BENCH06
package bench.environment_ttl

hours_per_unit := {"h": 1, "d": 24, "w": 168}

max_hours := 336

# The ttl (`12h`, `5d`, `2w`) in hours; undefined when it is not of that form.
ttl_hours := hours if {
	ttl := input.properties.ttl
	regex.match(`^[0-9]+[hdw]$`, ttl)
	last := count(ttl) - 1
	hours := to_number(substring(ttl, 0, last)) * hours_per_unit[substring(ttl, last, 1)]
}

deny contains result if {
	input.blueprint == "Environment"
	input.properties.type == "preview"
	not input.properties.ttl
	result := {"msg": sprintf("preview environment `%s` has no ttl", [input.identifier]), "field": "properties.ttl"}
}

deny contains result if {
	input.blueprint == "Environment"
	ttl_hours > max_hours
	result := {
		"msg": sprintf("environment `%s` lives %s, more than 14 days", [input.identifier, input.properties.ttl]),
		"field": "properties.ttl",
	}
}

deny contains result if {
	input.blueprint == "Environment"
	ttl_hours < 1
	result := {
		"msg": sprintf("environment `%s` lives %s, less than an hour", [input.identifier, input.properties.ttl]),
		"field": "properties.ttl",
	}
}
