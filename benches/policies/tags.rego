# METADATA
# title: Tags come from the vocabulary, at most three, and PCI is not experimental
# description: Tags drive compliance reports; PCI-scoped code must be past the experiment stage.
# custom:
#   code: BENCH10
package bench.tags

vocabulary := {"customer-facing", "internal", "pci", "gdpr", "batch", "realtime", "legacy", "edge"}

max_tags := 3

deny contains result if {
	count(input.properties.tags) > max_tags
	result := {"msg": sprintf("`%s` has more than %d tags", [input.identifier, max_tags]), "field": "properties.tags"}
}

deny contains result if {
	some i, tag in input.properties.tags
	not tag in vocabulary
	result := {
		"msg": sprintf("`%s` has tag `%s`, which is not in the vocabulary", [input.identifier, tag]),
		"field": sprintf("properties.tags.%d", [i]),
	}
}

deny contains result if {
	input.blueprint == "Component"
	"pci" in input.properties.tags
	input.properties.lifecycle == "experimental"
	result := {"msg": sprintf("`%s` is in PCI scope but experimental", [input.identifier]), "field": "properties.lifecycle"}
}
