# Policies see a relation given as a search query as what it resolved to: one identifier for
# `owner`, a list for `reviewers`, as Port stores them.
package acme.owner

warn contains msg if {
	input.blueprint == "service"
	input.identifier == "cart"
	msg := sprintf("`cart` is owned by `%v` and reviewed by %v", [input.relations.owner, input.relations.reviewers])
}
