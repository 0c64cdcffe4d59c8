# list-tests: Construct test
package policypack.list_tests

import data.lib.policypack.core

# The constraint's parameters, with the rule's defaults for those it leaves out.
params := object.union({"allowed": ["a", "b"], "ports": [80, 443]}, object.get(input, "parameters", {}))

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_list in core.container_lists
	some container_index, container in core.list_at(pod, ["spec", container_list])
	container.imagePullPolicy in ["Always", "IfNotPresent"]
	core.present(container.name)
	not container.name in params.allowed
	core.present(container.workingDir)
	is_array(container.args)
	not container.workingDir in container.args
	is_array(container.command)
	container.name in container.command
	msg := sprintf("Container %s pulls with %s", [
		core.text_at(container, ["name"]),
		core.text_at(container, ["imagePullPolicy"]),
	])
	container_path := array.concat(core.review_pod_path, ["spec", container_list, container_index])
	path := array.concat(container_path, core.longest_present_part(container, [
		["imagePullPolicy"],
		["name"],
		["workingDir"],
		["args"],
		["command"],
	]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_list in core.container_lists
	some container_index, container in core.list_at(pod, ["spec", container_list])
	not all_of_1(container)
	msg := sprintf("Container %s uses image %s", [
		core.text_at(container, ["name"]),
		core.text_at(container, ["image"]),
	])
	container_path := array.concat(core.review_pod_path, ["spec", container_list, container_index])
	path := array.concat(container_path, core.present_part(container, ["image"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container_index, container in core.list_at(pod, ["spec", "containers"])
	some port in core.list_at(container, ["ports"])
	core.present(port.containerPort)
	not port.containerPort in params.ports
	msg := sprintf("Container %s exposes a port outside %s", [
		core.text_at(container, ["name"]),
		core.render(params.ports),
	])
	container_path := array.concat(core.review_pod_path, ["spec", "containers", container_index])
	path := array.concat(container_path, core.present_part(container, ["ports"]))
}

all_of_1(container) if {
	core.matches_pattern(container.image, params.allowed)
}
