# logic: Construct test
package policypack.logic

import data.lib.policypack.core

violation contains {"msg": msg, "details": {"rule": "logic"}} if {
	pod := core.pod(input.review.object)
	not pod.spec.hostPID == true
	core.present(pod.spec.hostname)
	not all_of_1(pod)
	any_of_2(pod)
	msg := sprintf("pod %s mixes its settings", [core.text_at(pod, ["metadata", "name"])])
}

violation contains {"msg": msg, "details": {"rule": "logic"}} if {
	core.is_workload(input.review.object)
	not false
	msg := "never"
}

all_of_1(pod) if {
	core.present(pod.spec.subdomain)
	pod.spec.hostNetwork == false
}

any_of_2(pod) if {
	pod.spec.dnsPolicy == "None"
}

any_of_2(pod) if {
	not core.present(pod.spec.dnsConfig)
	not pod.spec.restartPolicy == "Never"
}
