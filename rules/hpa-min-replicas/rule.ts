import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import { absent, and, defineRule, greaterThan, kinds, lessThan, msg, when } from "../../src/model/index.ts";

export default defineRule({
  id: "hpa-min-replicas",
  title: "HorizontalPodAutoscalers should keep at least two replicas",
  description:
    "An autoscaler that may scale its workload down to one replica leaves it unavailable whenever that pod is evicted or restarted. Without spec.minReplicas the minimum is 1.",
  severity: "medium",
  category: "Reliability",
  profiles: ["best-practice"],
  match: kinds<HorizontalPodAutoscaler>({ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler" }),
  params: {
    minReplicas: {
      type: "integer",
      description: "The lowest spec.minReplicas an autoscaler may set.",
      default: 2,
    },
  },
  references: {
    gatekeeper: "general/horizontalpodautoscaler",
  },
  remediation: "Set spec.minReplicas to 2 or more.",
  checks: ({ object, params }) => [
    when(
      and(absent(object.spec.minReplicas), greaterThan(params.minReplicas, 1)),
      msg`HorizontalPodAutoscaler ${object.metadata.name} does not set spec.minReplicas and so may scale down to 1 replica, fewer than the required ${params.minReplicas}`,
    ),
    when(
      lessThan(object.spec.minReplicas, params.minReplicas),
      msg`HorizontalPodAutoscaler ${object.metadata.name} sets spec.minReplicas to ${object.spec.minReplicas}, fewer than the required ${params.minReplicas}`,
    ),
  ],
});
