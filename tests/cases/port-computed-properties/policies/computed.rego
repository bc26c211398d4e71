package port.computed

# Computed values are in `input.properties`, as Port's API returns them.
warn contains sprintf("%s uses %v CPU in total, owned by %s", [input.identifier, input.properties.totalCpu, input.properties.owningSquad]) if {
	input.blueprint == "microservice"
	input.properties.totalCpu > 1
}

warn contains sprintf("%s runs %v services", [input.identifier, input.properties.services]) if {
	input.blueprint == "squad"
}
