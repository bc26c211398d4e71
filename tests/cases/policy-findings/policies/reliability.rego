# METADATA
# title: Production components can be operated
# description: Someone is paged when a production component breaks, and it is not tier-3.
# custom:
#   code: ACME001
package acme.reliability

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	not input.properties.onCall
	result := {"msg": sprintf("`%s` is in production without an on-call rotation", [input.identifier]), "field": "properties.onCall"}
}

# METADATA
# title: Tier-3 components are not in production
# custom:
#   code: ACME002
#   severity: warning
deny_tier contains result if {
	input.blueprint == "Component"
	input.properties.tier == "tier-3"
	result := {"msg": sprintf("`%s` is tier-3", [input.identifier]), "field": "properties.tier"}
}

exception contains ["tier"] if input.properties.lifecycle == "experimental"

warn contains sprintf("`%s` has no title", [input.identifier]) if {
	input.blueprint == "System"
	not input.title
}
