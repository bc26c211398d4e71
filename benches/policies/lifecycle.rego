# METADATA
# title: Lifecycles are among the allowed values
# description: Systems are experimental or in production; a deprecated system is removed instead.
# custom:
#   code: BENCH03
package bench.lifecycle

allowed := {
	"Component": {"experimental", "production", "deprecated"},
	"API": {"experimental", "production", "deprecated"},
	"System": {"experimental", "production"},
}

deny contains result if {
	values := allowed[input.blueprint]
	lifecycle := object.get(input.properties, "lifecycle", "")
	not lifecycle in values
	result := {
		"msg": sprintf("%s `%s` has lifecycle `%s`, which is not allowed", [input.blueprint, input.identifier, lifecycle]),
		"field": "properties.lifecycle",
	}
}
