# METADATA
# title: Deprecated services are not tier-1
# description: A service on its way out should not be one that pages someone at night.
# custom:
#   code: BENCH02
package bench.deprecation

warn contains result if {
	input.blueprint == "Component"
	input.properties.type == "service"
	input.properties.lifecycle == "deprecated"
	input.properties.tier == "tier-1"
	result := {
		"msg": sprintf("`%s` is a deprecated service but still tier-1: lower its tier or plan its replacement", [input.identifier]),
		"field": "properties.tier",
	}
}
