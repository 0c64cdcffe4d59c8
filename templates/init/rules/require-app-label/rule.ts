// An example rule, written by `policypack init`: every pod must carry a label naming its
// application. Edit it, or copy the folder to start another rule: the folder is named after the
// rule's id, and the fixtures beside it state what the rule must say about each object.

import { any, defineRule, entries, equals, msg, not, when, workloads } from "policypack";

export default defineRule({
  id: "require-app-label",
  title: "Pods must name their application",
  description: "A pod without an application label cannot be selected by Services, dashboards or cost reports.",
  severity: "low",
  category: "Conventions",
  profiles: ["my-conventions"],
  match: workloads,
  params: {
    labelKey: { type: "string", description: "The label every pod must carry.", default: "app.kubernetes.io/name" },
  },
  references: {},
  remediation: "Add the label (by default `app.kubernetes.io/name`) to the pod's metadata.labels, or to the pod template's.",
  checks: ({ pod, object, params }) => [
    when(
      not(any(entries(pod.metadata.labels, "label"), (label) => equals(label.key, params.labelKey))),
      msg`${object.kind} ${object.metadata.name} has a pod without the ${params.labelKey} label`,
    ),
  ],
});
