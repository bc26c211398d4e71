# METADATA
# title: Tier-1 production components have an on-call rotation
# description: Someone must be paged at night when a tier-1 component in production breaks.
# custom:
#   code: BENCH01
package bench.oncall

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	input.properties.tier == "tier-1"
	not input.properties.onCall
	result := {
		"msg": sprintf("`%s` is tier-1 in production without an on-call rotation", [input.identifier]),
		"field": "properties.onCall",
	}
}
