# METADATA
# title: Production components are ready to be operated
# description: >-
#   A component whose lifecycle is `production` declares its `tier` (how critical it is), its
#   `onCall` rotation (who is paged when it breaks) and its `runbook` (what they do then), and the
#   runbook is an http(s) URL that the person paged can open.
# custom:
#   code: P002
#   severity: error
package cairn.library.production_readiness

import data.cairn.library.util

# The properties a production component must set, and how a finding names each.
required_properties := {
	"tier": "a `tier`",
	"onCall": "an `onCall` rotation",
	"runbook": "a `runbook`",
}

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	some name, what in required_properties
	not util.has_value(input.properties, name)
	result := {
		"msg": sprintf("`%s` is in production without %s", [input.identifier, what]),
		"field": sprintf("properties.%s", [name]),
	}
}

deny contains result if {
	input.blueprint == "Component"
	input.properties.lifecycle == "production"
	util.has_value(input.properties, "runbook")
	not http_url(input.properties.runbook)
	result := {
		"msg": sprintf("`%s` has runbook `%v`, which is not an http(s) URL", [input.identifier, input.properties.runbook]),
		"field": "properties.runbook",
	}
}

# http_url(value) is true for a string such as `https://runbooks.example.com/checkout`.
http_url(value) if {
	is_string(value)
	regex.match(`^https?://[^\s/?#]+`, lower(value))
}
