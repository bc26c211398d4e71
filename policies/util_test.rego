package cairn.library.util_test

import data.cairn.library.util

test_as_list_keeps_a_list if {
	util.as_list(["a", "b"]) == ["a", "b"]
}

test_as_list_wraps_a_string if {
	util.as_list("a") == ["a"]
}

test_as_list_of_null_is_empty if {
	util.as_list(null) == []
}

test_as_list_of_other_values_is_empty if {
	util.as_list(3) == []
	util.as_list({"a": 1}) == []
}

test_relation_of_a_string if {
	util.relation({"relations": {"system": "checkout"}}, "system") == ["checkout"]
}

test_relation_of_a_list if {
	util.relation({"relations": {"dependsOn": ["a", "b"]}}, "dependsOn") == ["a", "b"]
}

test_relation_of_null if {
	util.relation({"relations": {"dependsOn": null}}, "dependsOn") == []
}

test_relation_missing if {
	util.relation({"relations": {"system": "checkout"}}, "dependsOn") == []
}

test_relation_without_relations if {
	util.relation({"identifier": "x"}, "dependsOn") == []
	util.relation({"identifier": "x", "relations": null}, "dependsOn") == []
}

test_relation_leaves_out_empty_and_non_string_targets if {
	util.relation({"relations": {"dependsOn": ["a", "", null, 3, "b"]}}, "dependsOn") == ["a", "b"]
	util.relation({"relations": {"system": ""}}, "system") == []
}

test_teams_of_a_list if {
	util.teams({"team": ["payments", "sre"]}) == ["payments", "sre"]
}

test_teams_of_a_string if {
	util.teams({"team": "payments"}) == ["payments"]
}

test_teams_missing_or_empty if {
	util.teams({}) == []
	util.teams({"team": null}) == []
	util.teams({"team": []}) == []
	util.teams({"team": [""]}) == []
}

test_has_value if {
	util.has_value({"tier": "tier-1"}, "tier")
	util.has_value({"n": 0}, "n")
	util.has_value({"b": false}, "b")
}

test_has_value_missing_null_or_blank if {
	not util.has_value({}, "tier")
	not util.has_value({"tier": null}, "tier")
	not util.has_value({"tier": ""}, "tier")
	not util.has_value({"tier": "  "}, "tier")
}
