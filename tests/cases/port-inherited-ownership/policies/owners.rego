# METADATA
# title: Every service has an owner
# custom:
#   code: OWN001
package owners

deny contains {"msg": sprintf("`%s` has no owner", [input.identifier]), "field": "team"} if {
	input.blueprint == "service"
	count(input.team) == 0
}

warn contains {"msg": sprintf("`%s` is owned by %v", [input.identifier, input.team]), "field": "team"} if {
	input.blueprint == "service"
	count(input.team) > 0
}
