package acme.slow

# A hundred million comparisons for every entity: stopped at `limits.policy-time-ms`.
deny contains msg if {
	some i in numbers.range(1, 10000)
	some j in numbers.range(1, 10000)
	i == j + 20000
	msg := "never"
}
