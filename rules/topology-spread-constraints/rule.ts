import { any, defineRule, forEach, items, msg, not, notIn, present, when, workloadsOf } from "../../src/model/index.ts";

export default defineRule({
  id: "topology-spread-constraints",
  title: "Deployments and StatefulSets should spread their pods over nodes or zones",
  description:
    "Without topology spread constraints the scheduler may place every replica on one node or in one zone, and a single node or zone failure takes the whole workload down. Constraints over other topology keys do not protect against that.",
  severity: "low",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloadsOf("Deployment", "StatefulSet"),
  params: {
    topologyKeys: {
      type: "string[]",
      description: "Node labels a topology spread constraint may spread over.",
      default: ["kubernetes.io/hostname", "topology.kubernetes.io/zone"],
    },
  },
  references: {
    polaris: "topologySpreadConstraint",
  },
  remediation:
    "Add spec.template.spec.topologySpreadConstraints with topologyKey kubernetes.io/hostname or topology.kubernetes.io/zone and a labelSelector matching the workload's pods.",
  checks: ({ pod, object, params }) => [
    when(
      not(any(items(pod.spec.topologySpreadConstraints, "constraint"), (constraint) => present(constraint))),
      msg`${object.kind} ${object.metadata.name} has no topologySpreadConstraints`,
    ),
    forEach(items(pod.spec.topologySpreadConstraints, "constraint"), (constraint) =>
      when(
        notIn(constraint.topologyKey, params.topologyKeys),
        msg`${object.kind} ${object.metadata.name} spreads its pods over topology key ${constraint.topologyKey}, which is not one of ${params.topologyKeys}`,
      ),
    ),
  ],
});
