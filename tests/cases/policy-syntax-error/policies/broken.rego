package acme.broken

deny contains msg if {
	input.blueprint == "Domain"
	msg := "a domain" +
}
