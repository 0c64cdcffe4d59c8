import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { defineRule, equals, kinds, msg, or, when } from "../../src/model/index.ts";

export default defineRule({
  id: "pdb-no-disruptions",
  title: "PodDisruptionBudgets should allow some disruption",
  description:
    "A PodDisruptionBudget with maxUnavailable 0 (or 0%), or minAvailable 100%, refuses every voluntary eviction of its pods: node drains, cluster upgrades and autoscaler scale-downs hang until someone deletes the budget. A minAvailable equal to the workload's replica count has the same effect, but the rule cannot see the workload.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: kinds<PodDisruptionBudget>({ group: "policy", version: "v1", kind: "PodDisruptionBudget" }),
  references: {
    gatekeeper: "general/poddisruptionbudget",
    kyverno: "pdb-maxunavailable",
  },
  remediation: "Set maxUnavailable to 1 or more (or minAvailable below the number of replicas) so that one pod at a time can be evicted.",
  checks: ({ object }) => [
    when(
      or(equals(object.spec.maxUnavailable, 0), equals(object.spec.maxUnavailable, "0%")),
      msg`PodDisruptionBudget ${object.metadata.name} sets maxUnavailable to ${object.spec.maxUnavailable}, which refuses every voluntary eviction`,
    ),
    when(
      equals(object.spec.minAvailable, "100%"),
      msg`PodDisruptionBudget ${object.metadata.name} sets minAvailable to 100%, which refuses every voluntary eviction`,
    ),
  ],
});
