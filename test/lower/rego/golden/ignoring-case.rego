# ignoring-case: Construct test
package policypack.ignoring_case

import data.lib.policypack.core

# The constraint's parameters, with the rule's defaults for those it leaves out.
params := object.union({"allowed": ["NET_*", "chown"], "required": ["ALL"]}, object.get(input, "parameters", {}))

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_list in core.container_lists
	some container_index, container in core.list_at(pod, ["spec", container_list])
	some capability in core.list_at(container, ["securityContext", "capabilities", "add"])
	not all_of_1(capability)
	msg := sprintf("Container %s adds %s", [
		core.text_at(container, ["name"]),
		core.render(filtered_2(container)),
	])
	container_path := array.concat(core.review_pod_path, ["spec", container_list, container_index])
	path := array.concat(container_path, core.present_part(container, ["securityContext", "capabilities", "add"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_list in core.container_lists
	some container_index, container in core.list_at(pod, ["spec", container_list])
	not all_of_4(container)
	msg := sprintf("Container %s does not drop %s", [
		core.text_at(container, ["name"]),
		core.render(filtered_5(container)),
	])
	container_path := array.concat(core.review_pod_path, ["spec", container_list, container_index])
	path := array.concat(container_path, core.present_part(container, ["securityContext", "capabilities", "drop"]))
}

lower_ascii(text) := lower(text) if {
	regex.match("^[\\x00-\\x7F]*$", text)
} else := strings.replace_n({"A": "a", "B": "b", "C": "c", "D": "d", "E": "e", "F": "f", "G": "g", "H": "h", "I": "i", "J": "j", "K": "k", "L": "l", "M": "m", "N": "n", "O": "o", "P": "p", "Q": "q", "R": "r", "S": "s", "T": "t", "U": "u", "V": "v", "W": "w", "X": "x", "Y": "y", "Z": "z"}, text)

all_of_1(capability) if {
	is_string(capability)
	some pattern in params.allowed
	is_string(pattern)
	core.pattern_matches(lower_ascii(capability), lower_ascii(pattern))
}

all_of_3(capability) if {
	is_string(capability)
	some pattern in params.allowed
	is_string(pattern)
	core.pattern_matches(lower_ascii(capability), lower_ascii(pattern))
}

filtered_2(container) := [capability |
	some capability in core.list_at(container, ["securityContext", "capabilities", "add"])
	not all_of_3(capability)
]

all_of_4(container) if {
	lowered := {lower_ascii(name) | some name in core.as_list(container.securityContext.capabilities.drop); is_string(name)}
	every required in core.as_list(params.required) {
		is_string(required)
		lower_ascii(required) in lowered
	}
}

all_of_6(container, required) if {
	is_string(required)
	lower_ascii(required) in {lower_ascii(name) | some name in core.as_list(container.securityContext.capabilities.drop); is_string(name)}
}

filtered_5(container) := [required |
	some required in core.as_list(params.required)
	not all_of_6(container, required)
]
