# METADATA
# title: Environments request only the resources their type allows
# description: Previews get small, cheap resources; only production and staging get everything.
# custom:
#   code: BENCH07
package bench.environment_resources

all_types := {"postgres", "mysql", "redis", "kafka-topic", "queue", "s3-bucket"}

allowed_types := {
	"production": all_types,
	"staging": all_types,
	"development": all_types - {"s3-bucket"},
	"preview": all_types - {"mysql"},
}

allowed_sizes := {
	"production": {"small", "medium", "large"},
	"staging": {"small", "medium", "large"},
	"development": {"small", "medium"},
	"preview": {"small", "medium"},
}

deny contains result if {
	input.blueprint == "Environment"
	some i, resource in input.properties.resources
	not resource.type in allowed_types[input.properties.type]
	result := {
		"msg": sprintf("%s environment `%s` may not request a %s", [input.properties.type, input.identifier, resource.type]),
		"field": sprintf("properties.resources.%d.type", [i]),
	}
}

deny contains result if {
	input.blueprint == "Environment"
	some i, resource in input.properties.resources
	size := object.get(resource, "size", "small")
	not size in allowed_sizes[input.properties.type]
	result := {
		"msg": sprintf("%s environment `%s` may not request a %s %s", [input.properties.type, input.identifier, size, resource.type]),
		"field": sprintf("properties.resources.%d.size", [i]),
	}
}
