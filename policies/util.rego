# METADATA
# title: Helpers shared by the bundled policies
# description: >-
#   Functions that the `cairn.library.*` packages import. This package defines no `deny`, `warn`
#   or `violation` rule of its own, so it never reports anything.
package cairn.library.util

# as_list(x) is `x` as a list: a list as it is, a string as a one-element list, anything else
# (null, a number, an object) as the empty list. Relations may be written as a string, a list of
# strings or null.
as_list(x) := x if {
	is_array(x)
} else := [x] if {
	is_string(x)
} else := []

# relation(entity, name) lists the targets of the entity's relation `name`, whether the relation
# is a string, a list, null or missing, and whether `relations` itself is an object, null or
# missing. Targets that are not strings, and empty strings, are left out.
relation(entity, name) := [target |
	some target in as_list(entity.relations[name])
	is_string(target)
	target != ""
]

# teams(entity) lists the teams the entity names in `team` (a list in the input contract; a
# string is accepted too). Empty and non-string names are left out.
teams(entity) := [team |
	some team in as_list(entity.team)
	is_string(team)
	team != ""
]

# has_value(object, key) is true when `object[key]` is set to something other than null or a
# blank string.
has_value(obj, key) if {
	value := obj[key]
	value != null
	not blank(value)
}

blank(value) if {
	is_string(value)
	trim_space(value) == ""
}
