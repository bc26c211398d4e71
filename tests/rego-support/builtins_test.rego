# The Rego features and builtins docs/policies.md says work, each evaluated by cairn's engine.
package rego_support_test

import rego.v1

test_every if every x in [1, 2, 3] { x > 0 }

grade(n) := "high" if n > 10
else := "low"

test_else if { grade(11) == "high"; grade(1) == "low" }

test_comprehensions if {
	{x | some x in [1, 2, 2]} == {1, 2}
	[y | some x in [1, 2]; y := x * 2] == [2, 4]
	{k: v | some k, v in {"a": 1}} == {"a": 1}
}

test_objects if {
	object.get({"a": 1}, "b", 0) == 0
	object.union({"a": {"b": 1}}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}}
	object.remove({"a": 1, "b": 2}, ["a"]) == {"b": 2}
}

test_strings if {
	sprintf("%s-%d", ["a", 1]) == "a-1"
	format_int(255, 16) == "ff"
	startswith("checkout", "check")
	trim_space("  x ") == "x"
	split("a.b", ".") == ["a", "b"]
	regex.match(`^[a-z]+$`, "abc")
	glob.match("legacy-*", [], "legacy-cart")
}

test_numbers_and_bits if {
	numbers.range(1, 3) == [1, 2, 3]
	bits.and(6, 3) == 2
	to_number("12") == 12
}

test_encodings if {
	json.unmarshal(json.marshal({"a": [1]})) == {"a": [1]}
	json.patch({"a": 1}, [{"op": "add", "path": "/b", "value": 2}]) == {"a": 1, "b": 2}
	base64.decode(base64.encode("cairn")) == "cairn"
	hex.decode(hex.encode("x")) == "x"
	urlquery.encode("a b") == "a+b"
}

test_time if {
	ns := time.parse_rfc3339_ns("2026-11-24T09:15:00Z")
	time.add_date(ns, 0, 0, 5) == time.parse_rfc3339_ns("2026-11-29T09:15:00Z")
	time.now_ns() > ns
}

test_semver_net_uuid_graph if {
	semver.compare("1.2.0", "1.10.0") == -1
	net.cidr_contains("10.0.0.0/8", "10.1.2.3")
	count(uuid.rfc4122("cairn")) == 36
	graph.reachable({"a": ["b"], "b": ["c"], "c": []}, ["a"]) == {"a", "b", "c"}
	count([p | walk({"a": {"b": 1}}, [p, _])]) == 3
}

test_builtin_errors_are_undefined_as_in_opa if not to_number("not a number")
