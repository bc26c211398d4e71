# METADATA
# title: Production components do not depend on experimental ones
# description: >-
#   A component whose lifecycle is `production` does not list, in `dependsOn`, a component whose
#   lifecycle is `experimental`: an experiment may change or disappear without notice, and would
#   take the production component with it.
# custom:
#   code: P007
#   severity: error
package cairn.library.experimental_dependency

import data.cairn.library.util

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	some dependency in util.relation(input, "dependsOn")
	experimental(dependency)
	result := {
		"msg": sprintf("`%s` is in production but depends on `%s`, which is experimental", [input.identifier, dependency]),
		"field": "relations.dependsOn",
	}
}

# experimental(component) is true when the catalog's component `component` is experimental: a
# lookup by key.
experimental(component) if data.cairn.catalog.Component[component].properties.lifecycle == "experimental"
