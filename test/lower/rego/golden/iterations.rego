# iterations: Construct test
package policypack.iterations

import data.lib.policypack.core

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some container in core.containers(pod)
	every mount in core.list_at(container, ["volumeMounts"]) {
		mount.readOnly == true
		core.present(container.name)
	}
	msg := "some container mounts only read-only volumes"
	path := core.longest_present_part(input.review.object, [
		array.concat(core.review_pod_path, ["spec", "containers"]),
		array.concat(core.review_pod_path, ["spec", "initContainers"]),
		array.concat(core.review_pod_path, ["spec", "ephemeralContainers"]),
	])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	not all_of_1(pod)
	msg := "no app label"
	path := core.present_part(input.review.object, array.concat(core.review_pod_path, ["metadata", "labels"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	every volume in core.list_at(pod, ["spec", "volumes"]) {
		some source_key, source_value in core.as_map(volume)
		source_key != "name"
		source_key in ["emptyDir", "configMap"]
	}
	msg := "only ephemeral volumes"
	path := core.present_part(input.review.object, array.concat(core.review_pod_path, ["spec", "volumes"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	some annotation_key, annotation_value in core.map_at(pod, ["metadata", "annotations"])
	any_of_2(pod, annotation_key, annotation_value)
	msg := sprintf("annotation %s=%s", [core.render(annotation_key), core.render(annotation_value)])
	path := array.concat(core.review_pod_path, ["metadata", "annotations", annotation_key])
}

all_of_1(pod) if {
	some label_key, label_value in core.map_at(pod, ["metadata", "labels"])
	label_key == "app"
	core.present(label_value)
}

any_of_2(pod, annotation_key, annotation_value) if {
	startswith(annotation_key, "x/")
}

any_of_2(pod, annotation_key, annotation_value) if {
	some container in core.containers(pod)
	core.present(container.name)
	core.present(annotation_value)
	container.name == annotation_value
}
