# value-tests: Construct test
package policypack.value_tests

import data.lib.policypack.core

# The constraint's parameters, with the rule's defaults for those it leaves out.
params := object.union({"prefix": "team-", "limit": 10, "strict": false}, object.get(input, "parameters", {}))

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	core.present(input.review.object.data)
	count([true | core.present(input.review.object.binaryData)]) == 0
	msg := sprintf("%s has data only", [core.text_at(input.review.object, ["metadata", "name"])])
	path := core.longest_present_part(input.review.object, [["data"], ["binaryData"]])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	input.review.object.immutable == params.strict
	core.present(input.review.object.kind)
	input.review.object.kind != "Role"
	msg := sprintf("immutable is %s", [core.text_at(input.review.object, ["immutable"])])
	path := core.longest_present_part(input.review.object, [["immutable"], ["kind"]])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	any_of_1
	msg := sprintf("weight %s is out of range 0..%s", [
		core.text_at(input.review.object, ["weight"]),
		core.render(params.limit),
	])
	path := core.present_part(input.review.object, ["weight"])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	is_string(input.review.object.metadata.name)
	startswith(input.review.object.metadata.name, params.prefix)
	endswith(input.review.object.metadata.name, "-tmp")
	msg := sprintf("name %s starts with %s", [
		core.text_at(input.review.object, ["metadata", "name"]),
		core.render(params.prefix),
	])
	path := core.present_part(input.review.object, ["metadata", "name"])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	is_string(input.review.object.metadata.name)
	regex.match("^[a-z]+\\.io$", input.review.object.metadata.name)
	msg := sprintf("name %s looks like a domain", [
		core.text_at(input.review.object, ["metadata", "name"]),
	])
	path := core.present_part(input.review.object, ["metadata", "name"])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.api_version_kind(input.review.object) in {["v1", "ConfigMap"], ["rbac.authorization.k8s.io/v1", "Role"]}
	not core.reviewing_delete
	is_number(first_present_2)
	params.limit - first_present_2 < 2
	msg := sprintf("weight %s is within 2 of %s", [
		core.text([value | value := first_present_3]),
		core.render(params.limit),
	])
	path := core.present_part(input.review.object, ["weight"])
}

any_of_1 if {
	is_number(input.review.object.weight)
	input.review.object.weight > params.limit
}

any_of_1 if {
	is_number(input.review.object.weight)
	input.review.object.weight < 0
}

any_of_1 if {
	is_number(input.review.object.weight)
	input.review.object.weight >= 99.5
}

any_of_1 if {
	is_number(input.review.object.weight)
	input.review.object.weight <= -3
}

first_present_2 := value if {
	value := input.review.object.weight
	core.present(value)
} else := value if {
	value := 0
	core.present(value)
}

first_present_3 := value if {
	value := input.review.object.weight
	core.present(value)
} else := value if {
	value := 0
	core.present(value)
}
