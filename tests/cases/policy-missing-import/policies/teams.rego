package acme.teams

import data.acme.helpers

deny contains msg if {
	input.blueprint == "Domain"
	msg := sprintf("`%s` is a domain", [input.identifier])
}
