package acme.count

# A complete rule: one number, not a set of results.
deny := 3
