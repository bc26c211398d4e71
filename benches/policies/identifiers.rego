# METADATA
# title: Identifiers are kebab-case DNS labels
# description: Identifiers become host names, bucket names and metric labels.
# custom:
#   code: BENCH04
package bench.identifiers

deny contains result if {
	not regex.match(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`, input.identifier)
	result := {"msg": sprintf("identifier `%s` is not kebab-case", [input.identifier]), "field": "identifier"}
}

deny contains result if {
	count(input.identifier) > 63
	result := {"msg": sprintf("identifier `%s` is longer than 63 characters", [input.identifier]), "field": "identifier"}
}
