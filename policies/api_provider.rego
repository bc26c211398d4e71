# METADATA
# title: Every API has a provider
# description: >-
#   An API names the component that provides it in its `provider` relation, or some component
#   lists it in `providesApis`. An API that no component provides has nobody to serve it, to
#   version it or to answer its consumers. Evaluated once over the whole catalog.
# custom:
#   code: P003
#   severity: error
#   input: catalog
package cairn.library.api_provider

import data.cairn.library.util

# The APIs that some component lists in `providesApis`, built once for the whole catalog.
provided_apis contains api if {
	some component in data.cairn.catalog.Component
	some api in util.relation(component, "providesApis")
}

deny contains result if {
	some id, api in data.cairn.catalog.API
	count(util.relation(api, "provider")) == 0
	not provided_apis[id]
	result := {
		"msg": sprintf("no component provides `%s`: set its `provider` relation or list it in a component's `providesApis`", [id]),
		"field": "relations.provider",
		"entity": sprintf("API:%s", [id]),
	}
}
