# METADATA
# title: No new consumers of deprecated APIs
# description: >-
#   A change does not make a component start consuming an API whose lifecycle is `deprecated`:
#   neither a new component nor a component that adds the API to its `consumesApis`. Existing
#   consumers are left alone while they migrate. Only a change (`cairn check --base … --head …`)
#   is judged; a plain check, without `data.cairn.change`, never reports this.
# custom:
#   code: P006
#   severity: error
package cairn.library.deprecated_api

import data.cairn.library.util

deny contains result if {
	input.blueprint == "Component"
	some api in util.relation(input, "consumesApis")
	deprecated(api)
	new_consumer(api)
	result := {
		"msg": sprintf("`%s` starts consuming `%s`, which is deprecated", [input.identifier, api]),
		"field": "relations.consumesApis",
	}
}

# deprecated(api) is true when the catalog's API `api` is deprecated: a lookup by key.
deprecated(api) if data.cairn.catalog.API[api].properties.lifecycle == "deprecated"

# new_consumer(api) is true when the change adds the component, or adds `api` to the component's
# `consumesApis`. Undefined without `data.cairn.change`.
new_consumer(_) if added(input.identifier)

new_consumer(api) if {
	before := before_change(input.identifier)
	not api in util.relation(before, "consumesApis")
}

# added(id) is true when the change adds the component `id`: a lookup by key.
added(id) if data.cairn.change.added.Component[id]

# before_change(id) is the component `id` before the change modified it: a lookup by key.
before_change(id) := data.cairn.change.modified.Component[id].before
