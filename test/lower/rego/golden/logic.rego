# logic: Construct test
package policypack.logic

import data.lib.policypack.core

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	not pod.spec.hostPID == true
	core.present(pod.spec.hostname)
	not all_of_1(pod)
	any_of_2(pod)
	msg := sprintf("pod %s mixes its settings", [core.text_at(pod, ["metadata", "name"])])
	path := core.longest_present_part(input.review.object, [
		array.concat(core.review_pod_path, ["spec", "hostPID"]),
		array.concat(core.review_pod_path, ["spec", "hostname"]),
		array.concat(core.review_pod_path, ["spec", "subdomain"]),
		array.concat(core.review_pod_path, ["spec", "hostNetwork"]),
		array.concat(core.review_pod_path, ["spec", "dnsPolicy"]),
		array.concat(core.review_pod_path, ["spec", "dnsConfig"]),
		array.concat(core.review_pod_path, ["spec", "restartPolicy"]),
	])
}

violation contains {"msg": msg, "details": {"path": path}} if {
	core.is_workload(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	msg := "never"
	path := []
}

all_of_1(pod) if {
	core.present(pod.spec.subdomain)
	pod.spec.hostNetwork == false
}

any_of_2(pod) if {
	pod.spec.dnsPolicy == "None"
}

any_of_2(pod) if {
	count([true | core.present(pod.spec.dnsConfig)]) == 0
	not pod.spec.restartPolicy == "Never"
}
