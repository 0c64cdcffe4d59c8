# text-escapes: Construct test
package policypack.text_escapes

import data.lib.policypack.core

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	pod.spec.schedulerName == "say \"hi\"\\ 100% {{ x }}\nnext\ttab ü 日本 😀"
	msg := sprintf("Quote \" backslash \\ percent 100%% braces {{ name }} line\nbreak tab\tü 日本 😀 %s %%s %%%%", [
		core.text_at(pod, ["spec", "schedulerName"]),
	])
	path := core.present_part(input.review.object, array.concat(core.review_pod_path, ["spec", "schedulerName"]))
}

violation contains {"msg": msg, "details": {"path": path}} if {
	pod := core.pod(input.review.object)
	not core.reviewing_delete
	not core.exempt_pod_update
	pod.spec.hostIPC == true
	msg := "plain 50% \"literal\" {{ }} \\ only"
	path := core.present_part(input.review.object, array.concat(core.review_pod_path, ["spec", "hostIPC"]))
}
