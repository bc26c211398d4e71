# Builtins docs/policies.md says are not available: each test must fail with an error.
package rego_unavailable_test

test_http_send if http.send({"method": "GET", "url": "http://localhost"})

test_match_schema if json.match_schema({}, {})

test_yaml if yaml.marshal({})
