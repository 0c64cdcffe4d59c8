package k8scontainerlimits

import future.keywords.in
import data.lib.core.pod_containers
import data.lib.core.missing as missing_field

mem_multiple("E") = 1000000000000000000000
mem_multiple("P") = 1000000000000000000
mem_multiple("T") = 1000000000000000
mem_multiple("G") = 1000000000000
mem_multiple("M") = 1000000000
mem_multiple("k") = 1000000
mem_multiple("") = 1000
mem_multiple("m") = 1

canonify_mem(orig) = new {
	is_number(orig)
	new := orig * 1000
}

canonify_mem(orig) = new {
	not is_number(orig)
	suffix := trim_left(orig, "0123456789.")
	raw := trim_suffix(orig, suffix)
	new := to_number(raw) * mem_multiple(suffix)
}

canonify_cpu(orig) = new {
	is_number(orig)
	new := orig * 1000
} else = new {
	endswith(orig, "m")
	new := to_number(replace(orig, "m", ""))
} else = new {
	new := to_number(orig) * 1000
}

violation[{"msg": msg}] {
	some container in pod_containers(input.review.object)
	missing_field(container, "resources")
	msg := sprintf("container <%v> has no resource limits", [container.name])
}

violation[{"msg": msg}] {
	container := pod_containers(input.review.object)[_]
	cpu_orig := container.resources.limits.cpu
	cpu := canonify_cpu(cpu_orig)
	max_cpu := canonify_cpu(input.parameters.cpu)
	cpu > max_cpu
	msg := sprintf("container <%v> cpu limit <%v> is higher than the maximum allowed of <%v>", [container.name, cpu_orig, input.parameters.cpu])
}

violation[{"msg": msg}] {
	container := pod_containers(input.review.object)[_]
	mem_orig := container.resources.limits.memory
	mem := canonify_mem(mem_orig)
	mem > canonify_mem(input.parameters.memory)
	msg := sprintf("container <%v> memory limit <%v> is too high", [container.name, mem_orig])
}
