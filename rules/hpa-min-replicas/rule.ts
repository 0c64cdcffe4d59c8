import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import { absent, and, defineRule, greaterThan, kinds, lessThan, msg, notEquals, when } from "../../src/model/index.ts";

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
      description: "The lowest spec.minReplicas an autoscaler may set (gatekeeper-library horizontalpodautoscaler's min_replicas of a range).",
      default: 2,
    },
    maxReplicas: {
      type: "integer",
      description:
        "The highest spec.maxReplicas an autoscaler may set (gatekeeper-library horizontalpodautoscaler's max_replicas of a range); -1 (the default) sets no maximum. One range of minReplicas to maxReplicas, where gatekeeper-library accepts several.",
      default: -1,
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
    when(
      and(notEquals(params.maxReplicas, -1), greaterThan(object.spec.maxReplicas, params.maxReplicas)),
      msg`HorizontalPodAutoscaler ${object.metadata.name} sets spec.maxReplicas to ${object.spec.maxReplicas}, more than the allowed ${params.maxReplicas}`,
    ),
  ],
});
