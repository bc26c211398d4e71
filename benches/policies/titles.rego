# METADATA
# title: Entities have a human title
# description: The title is what portals and reports show; the identifier is not one.
# custom:
#   code: BENCH05
package bench.titles

warn contains result if {
	not is_string(input.title)
	result := {"msg": sprintf("`%s` has no title", [input.identifier]), "field": "title"}
}

warn contains result if {
	is_string(input.title)
	trim_space(input.title) == ""
	result := {"msg": sprintf("`%s` has an empty title", [input.identifier]), "field": "title"}
}

warn contains result if {
	input.title == input.identifier
	result := {"msg": sprintf("the title of `%s` only repeats its identifier", [input.identifier]), "field": "title"}
}

warn contains result if {
	is_string(input.title)
	count(input.title) > 60
	result := {"msg": sprintf("the title of `%s` is longer than 60 characters", [input.identifier]), "field": "title"}
}
