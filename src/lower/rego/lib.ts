// The Rego library every policypack template ships in its `libs`: where a Pod or workload keeps
// its pod, the pod's containers, safe reads of arrays and maps, and how values read in messages
// (the same text the reference evaluator renders). Gatekeeper namespaces each template's libs,
// so every template carries its own copy of this package.

import { WORKLOAD_KINDS, apiVersionOf } from "../../model/rule.ts";
import { MISSING_TEXT, NESTED_LIST_TEXT, OBJECT_TEXT } from "../../model/messages.ts";
import { CONTAINER_LISTS } from "../../model/fields.ts";
import { SECCOMP_POD_ANNOTATION, SECURITY_ANNOTATION_PREFIXES, UPDATE_EXEMPT_SPEC_FIELDS } from "../../model/updates.ts";
import { QUANTITY_PATTERN } from "../../model/quantity.ts";
import { regoLiteral, regoString } from "./syntax.ts";

export const CORE_PACKAGE = "lib.policypack.core";
/** How templates import the library, and the name they call it by. */
export const CORE_IMPORT = `import data.${CORE_PACKAGE}`;
export const CORE = "core";

function podPathsTable(): string {
  const groups = new Map<string, string[]>();
  for (const workload of WORKLOAD_KINDS) {
    const entries = groups.get(apiVersionOf(workload)) ?? [];
    entries.push(`${regoString(workload.kind)}: [${workload.podPath.map(regoString).join(", ")}]`);
    groups.set(apiVersionOf(workload), entries);
  }
  const lines = [...groups].map(([group, entries]) => `\t${regoString(group)}: {${entries.join(", ")}},`);
  return `{\n${lines.join("\n")}\n}`;
}

/** The library module's text. */
export function coreLibrary(): string {
  const none = regoString(MISSING_TEXT);
  const object = regoString(OBJECT_TEXT);
  const list = regoString(NESTED_LIST_TEXT);
  return `package ${CORE_PACKAGE}

# The apiVersion and kind of an object, e.g. ["apps/v1", "Deployment"]: what selects a rule.
api_version_kind(obj) := [obj.apiVersion, obj.kind]

# Where each Pod-bearing kind keeps its pod, by apiVersion and kind ([] for a Pod itself).
pod_paths := ${podPathsTable()}

# True for a Pod and for every Pod-bearing workload.
is_workload(obj) if {
	obj.kind in object.keys(pod_paths[obj.apiVersion])
}

# The pod of a Pod, or the pod template of a workload; undefined for any other object. A
# workload without a template yields {}, so every field read from it is missing.
pod(obj) := obj if {
	pod_paths[obj.apiVersion][obj.kind] == []
}

pod(obj) := object.get(obj, path, {}) if {
	path := pod_paths[obj.apiVersion][obj.kind]
	path != []
}

# True for a DELETE, where Gatekeeper reviews the deleted object: no rule checks it.
reviewing_delete if input.review.operation == "DELETE"

# True for an UPDATE of a Pod that Pod Security Admission does not evaluate again (policypack's
# model/updates.ts): its spec but the fields listed in update_exempt_spec_fields, and its seccomp
# and AppArmor annotations, as they were.
exempt_pod_update if {
	input.review.operation == "UPDATE"
	input.review.object.apiVersion == "v1"
	input.review.object.kind == "Pod"
	update_significant_parts(input.review.object) == update_significant_parts(input.review.oldObject)
}

update_exempt_spec_fields := ${regoLiteral([...UPDATE_EXEMPT_SPEC_FIELDS])}

security_annotation_prefixes := ${regoLiteral([...SECURITY_ANNOTATION_PREFIXES])}

# The parts of a pod an exempt update leaves alone; undefined when they are not shaped as a pod's.
update_significant_parts(pod) := [object.remove(spec, update_exempt_spec_fields), security_annotations] if {
	is_object(pod)
	spec := object.get(pod, "spec", null)
	is_object(spec)
	metadata := object.get(pod, "metadata", {})
	is_object(metadata)
	annotations := object.get(metadata, "annotations", {})
	is_object(annotations)
	security_annotations := {key: value | some key, value in annotations; security_annotation(key)}
}

security_annotation(key) if key == ${regoString(SECCOMP_POD_ANNOTATION)}

security_annotation(key) if {
	some prefix in security_annotation_prefixes
	startswith(key, prefix)
}

# Where pod() finds the pod in the reviewed object: [] for a Pod, ["spec", "template"] for a
# Deployment. A rule without arguments, so it is computed once however many violations read it.
review_pod_path := pod_paths[input.review.object.apiVersion][input.review.object.kind]

# The fields of a pod spec that hold containers, in the order containers() walks them.
container_lists := [${CONTAINER_LISTS.map(regoString).join(", ")}]

# Every container of a pod: containers, then initContainers, then ephemeralContainers.
containers(pod) := [container |
	some field in container_lists
	some container in list_at(pod, ["spec", field])
]

# The elements of \`value\` when it is an array, else none.
as_list(value) := [item | is_array(value); some item in value]

# The entries of \`value\` when it is an object, else none.
as_map(value) := {key: item | is_object(value); some key, item in value}

# The array at \`path\` below \`root\`; [] when it is missing or no array.
list_at(root, path) := as_list(object.get(root, path, [])) if is_object(root)

list_at(root, path) := [] if not is_object(root)

# The object at \`path\` below \`root\`; {} when it is missing or no object.
map_at(root, path) := as_map(object.get(root, path, {})) if is_object(root)

map_at(root, path) := {} if not is_object(root)

# True when \`value\` is a string matching one of the array \`patterns\` (see pattern_matches). Most
# exemption lists are empty, so the array is looked at first.
matches_pattern(value, patterns) if {
	is_array(patterns)
	some pattern in patterns
	pattern_matches(value, pattern)
}

# True when \`value\` is a string equal to \`pattern\`, or starting with the text before the
# pattern's trailing "*".
pattern_matches(value, pattern) if {
	is_string(value)
	value == pattern
}

pattern_matches(value, pattern) if {
	is_string(value)
	is_string(pattern)
	endswith(pattern, "*")
	startswith(value, trim_suffix(pattern, "*"))
}

# The text after the last \`separator\` in the string \`value\`, all of it when there is none.
after_last(value, separator) := parts[count(parts) - 1] if {
	is_string(value)
	parts := split(value, separator)
}

# True for a Kubernetes quantity (policypack's model/quantity.ts): a number, or a string such as
# "500m", "1.5Gi" or "1e3".
is_quantity(value) if is_number(value)

is_quantity(value) if {
	is_string(value)
	regex.match(${regoString(QUANTITY_PATTERN)}, value)
}

# The value of a quantity as a number, capped at 2^63-1 as Kubernetes caps it; undefined for
# anything else. units.parse knows every suffix but n and u.
quantity_value(value) := quantity_capped(value) if is_number(value)

quantity_value(value) := quantity_capped(quantity_text_value(value)) if {
	is_string(value)
	is_quantity(value)
}

quantity_text_value(text) := units.parse(trim_suffix(text, "n")) / 1000000000 if {
	endswith(text, "n")
} else := units.parse(trim_suffix(text, "u")) / 1000000 if {
	endswith(text, "u")
} else := units.parse(text)

quantity_capped(x) := max([min([x, 9223372036854775807]), -9223372036854775807])

# Where a violation points (policypack's model/fields.ts): the longest present part of the
# \`candidates\` below \`root\` (each an array of field names), the first of the longest on ties.
longest_present_part(root, candidates) := array.slice(longest, 0, depth) if {
	depths := [present_depth(root, path) | some path in candidates]
	depth := max(depths)
	longest := [path | some i, path in candidates; depths[i] == depth][0]
}

# The present part of one candidate: \`path\` up to its first field missing below \`root\`.
present_part(root, path) := array.slice(path, 0, present_depth(root, path))

# How many of the field names in \`path\` exist one inside the other from \`root\`: all of them
# when the field is there (the usual case, checked first), else the count of present prefixes.
present_depth(root, path) := count(path) if {
	has_field(object.get(root, array.slice(path, 0, count(path) - 1), null), path[count(path) - 1])
} else := count([n |
	some n in numbers.range(1, count(path))
	has_field(object.get(root, array.slice(path, 0, n - 1), null), path[n - 1])
])

# True when \`value\` is an object with the field \`name\`, whatever its value (null included).
has_field(value, name) if {
	is_object(value)
	_ = value[name]
}

# True for every value but null, false included: a field set to null is missing (policypack's
# model/expr.ts). A call with a missing argument is undefined, so \`not present(x)\` holds for a
# missing or null x.
present(value) if value != null

# How a value reads in a message (policypack's model/messages.ts): null as ${none}, an array as
# its items joined by ", ", anything else as an item reads.
render(value) := concat(", ", [item_text(item) | some item in value]) if is_array(value)

render(value) := ${none} if is_null(value)

render(value) := item_text(value) if {
	not is_array(value)
	not is_null(value)
}

# A string as it is, null as "null", an object as ${object}, an array as ${list}, a number or
# boolean as JSON writes it.
item_text(value) := value if is_string(value)

item_text(value) := "null" if is_null(value)

item_text(value) := ${object} if is_object(value)

item_text(value) := ${list} if is_array(value)

item_text(value) := sprintf("%v", [value]) if {
	not is_string(value)
	not is_null(value)
	not is_object(value)
	not is_array(value)
}

# The text of the value at \`path\` below \`root\`, ${none} when it is missing. A present ${none}
# renders the same, so it can stand for a missing value.
text_at(root, path) := render(object.get(root, path, ${none})) if is_object(root)

text_at(root, path) := ${none} if not is_object(root)

# The text of a value that may be missing: \`found\` holds it, or nothing when it is missing.
text(found) := render(found[0]) if count(found) > 0

text(found) := ${none} if count(found) == 0
`;
}
