# What Port computes and resolves, as a policy sees it under `input`.
package port.done_when

warn contains msg if {
	input.blueprint == "service"
	msg := sprintf("`%s` has %v cores in a `%v` system", [input.identifier, input.properties.cores, input.properties.systemTier])
}

warn contains msg if {
	input.blueprint == "system"
	msg := sprintf("`%s` runs %v services", [input.identifier, input.properties.services])
}

warn contains msg if {
	input.blueprint == "bucket"
	msg := sprintf("the bucket's service is `%v`, its tier `%v`", [input.relations.service, input.properties.tier])
}
