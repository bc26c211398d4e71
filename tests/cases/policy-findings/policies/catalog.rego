# METADATA
# title: A team owns at most one component
# custom:
#   code: ACME003
#   input: catalog
package acme.ownership

deny contains {"msg": sprintf("`%s` owns %d components", [team, n]), "entity": sprintf("_team:%s", [team]), "field": "identifier"} if {
	some team, _ in data.cairn.catalog._team
	n := count([c | some c in data.cairn.catalog.Component; team in c.team])
	n > 1
}
