package acme.objects

# Without `contains`, Rego v1 reads this as an object keyed by `msg`.
deny[msg] if {
	input.blueprint == "Domain"
	msg := "a domain"
}
