# METADATA
# title: Environments request only the resources their type allows
# description: >-
#   Short-lived environments get the resources that are cheap and quick to create:
#   `development` environments may request `postgres`, `mysql`, `redis` and `queue`; `preview`
#   environments `postgres`, `redis` and `queue`. `staging` and `production` may request every
#   resource type. The lists are in `allowed_resource_types`.
# custom:
#   code: P005
#   severity: error
package cairn.library.environment_resources

# The resource types each environment type may request. A type not listed here (staging,
# production) may request every resource type.
allowed_resource_types := {
	"development": {"postgres", "mysql", "redis", "queue"},
	"preview": {"postgres", "redis", "queue"},
}

deny contains result if {
	input.blueprint == "Environment"
	allowed := allowed_resource_types[input.properties.type]
	is_array(input.properties.resources)
	some index, resource in input.properties.resources
	is_string(resource.type)
	not resource.type in allowed
	result := {
		# `dev-alice` requests `order-events` (a `kafka-topic`), which a `development` environment
		# may not use; it may use `mysql`, `postgres`, `queue`, `redis`
		# (joined with concat: rego-cpp, a second engine for the tests, quotes computed strings
		# given to a sprintf of several arguments)
		"msg": concat("", [
			request(resource),
			sprintf(", which a `%s` environment may not use; it may use ", [input.properties.type]),
			concat(", ", [sprintf("`%s`", [name]) | some name in sort(allowed)]),
		]),
		"field": sprintf("properties.resources.%v.type", [index]),
	}
}

# request(resource) says what the environment requests, naming the resource when it has a name.
request(resource) := sprintf("`%s` requests `%s` (a `%s`)", [input.identifier, resource.name, resource.type]) if {
	is_string(resource.name)
} else := sprintf("`%s` requests a `%s`", [input.identifier, resource.type])
