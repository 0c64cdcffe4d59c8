package k8srequiredlabels

import data.lib.core

get_message(parameters, _default) = msg {
	not parameters.message
	msg := _default
}

get_message(parameters, _default) = msg {
	msg := parameters.message
}

violation[{"msg": msg, "details": {"missing_labels": missing}}] {
	provided := {label | core.labels[label]}
	required := {label | label := input.parameters.labels[_].key}
	missing := required - provided
	count(missing) > 0
	def_msg := sprintf("you must provide labels: %v", [missing])
	msg := get_message(input.parameters, def_msg)
}

violation[{"msg": msg}] {
	value := core.labels[key]
	expected := input.parameters.labels[_]
	expected.key == key
	expected.allowedRegex != ""
	not regex.match(expected.allowedRegex, value)
	msg := sprintf("Label <%v: %v> does not satisfy allowed regex: %v", [key, value, expected.allowedRegex])
}
