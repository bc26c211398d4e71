# METADATA
# title: Services say how critical they are
# description: A default `tier` is what Port fills in, and what this policy sees.
# custom:
#   code: ACME010
#   severity: warning
package acme.defaults

warn contains sprintf("`%s` has the default tier `%s` and %d replica(s)", [input.identifier, input.properties.tier, input.properties.replicas]) if {
	input.blueprint == "service"
	input.properties.tier == "standard"
}
