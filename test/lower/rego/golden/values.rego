# values: Construct test
package policypack.values

import data.lib.policypack.core

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_list in core.container_lists
	some container_index, container in core.list_at(pod, ["spec", container_list])
	first_present_1(pod, container) == false
	msg := sprintf("Container %s runs as root (runAsUser %s)", [
		core.text_at(container, ["name"]),
		core.text([value | value := first_present_2(pod, container)]),
	])
	container_path := array.concat(core.review_pod_path, ["spec", container_list, container_index])
	path := array.concat(container_path, core.present_part(container, ["securityContext", "runAsNonRoot"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	msg := sprintf("%s %s: groups over 1000: %s; finalizers: %s", [
		core.text_at(input.review.object, ["kind"]),
		core.text_at(input.review.object, ["metadata", "name"]),
		core.render(filtered_3(pod)),
		core.render(filtered_4(pod)),
	])
	path := core.longest_present_part(input.review.object, [
		array.concat(core.review_pod_path, ["spec", "containers"]),
		array.concat(core.review_pod_path, ["spec", "initContainers"]),
		array.concat(core.review_pod_path, ["spec", "ephemeralContainers"]),
		array.concat(core.review_pod_path, ["metadata", "labels"]),
	])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	filtered_5(pod) != []
	msg := sprintf("%s has volume labels", [core.text_at(input.review.object, ["metadata", "name"])])
	path := core.present_part(input.review.object, array.concat(core.review_pod_path, ["metadata", "labels"]))
}

first_present_1(pod, container) := value if {
	value := container.securityContext.runAsNonRoot
	core.present(value)
} else := value if {
	value := pod.spec.securityContext.runAsNonRoot
	core.present(value)
}

first_present_2(pod, container) := value if {
	value := container.securityContext.runAsUser
	core.present(value)
} else := value if {
	value := pod.spec.securityContext.runAsUser
	core.present(value)
}

filtered_3(pod) := [group |
	some group in core.list_at(pod, ["spec", "securityContext", "supplementalGroups"])
	is_number(group)
	group > 1000
]

filtered_4(pod) := [finalizer |
	some finalizer in core.list_at(pod, ["metadata", "finalizers"])
	is_string(finalizer)
	startswith(finalizer, "vol/")
]

filtered_5(pod) := [label_key |
	some label_key, label_value in core.map_at(pod, ["metadata", "labels"])
	startswith(label_key, "vol/")
]
