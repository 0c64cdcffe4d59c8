# Shared helpers for the v0 templates, imported as data.lib.core.
package lib.core

default is_gatekeeper = false

is_gatekeeper {
	has_field(input, "review")
	has_field(input.review, "object")
}

resource = input.review.object {
	is_gatekeeper
}

resource = input {
	not is_gatekeeper
}

name = resource.metadata.name

kind = resource.kind

labels = object.get(resource.metadata, "labels", {})

has_field(obj, field) {
	_ = obj[field]
}

missing(obj, field) = true {
	not has_field(obj, field)
}

missing(obj, field) = true {
	obj[field] == ""
}

# Every container of a pod, whatever kind of workload carries it.
pod_containers(obj) = cs {
	obj.kind == "Pod"
	cs := array.concat(object.get(obj.spec, "containers", []), object.get(obj.spec, "initContainers", []))
} else = cs {
	cs := array.concat(
		object.get(obj.spec.template.spec, "containers", []),
		object.get(obj.spec.template.spec, "initContainers", []),
	)
}
