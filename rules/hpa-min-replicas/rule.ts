import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import {
  absent,
  and,
  any,
  coalesce,
  defineRule,
  differenceBelow,
  filtered,
  greaterThan,
  kinds,
  lessThan,
  msg,
  not,
  notEquals,
  paramItems,
  present,
  when,
} from "../../src/model/index.ts";

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
        "The highest spec.maxReplicas an autoscaler may set (gatekeeper-library horizontalpodautoscaler's max_replicas of a range); -1 (the default) sets no maximum. One range of minReplicas to maxReplicas; ranges allows several.",
      default: -1,
    },
    ranges: {
      type: "object[]",
      fields: { minReplicas: "integer", maxReplicas: "integer" },
      description:
        "gatekeeper-library horizontalpodautoscaler's ranges (its min_replicas and max_replicas named as the autoscaler's fields): when set, it replaces minReplicas and maxReplicas, and an autoscaler must fit one range, its spec.minReplicas (1 when unset) at least the range's minReplicas and its spec.maxReplicas at most the range's maxReplicas (both inclusive). A field that is not a number is not compared.",
      default: [],
    },
    minimumReplicaSpread: {
      type: "integer",
      description:
        "gatekeeper-library horizontalpodautoscaler's minimumReplicaSpread: the least spec.maxReplicas minus spec.minReplicas (1 when unset) an autoscaler may set; 0 (the default) requires none.",
      default: 0,
    },
  },
  references: {
    gatekeeper: "general/horizontalpodautoscaler",
  },
  remediation:
    "Set spec.minReplicas to 2 or more; where ranges or minimumReplicaSpread are configured, keep spec.minReplicas and spec.maxReplicas within one of the ranges and at least the spread apart.",
  checks: ({ object, params }) => {
    const { minReplicas, maxReplicas } = object.spec;
    // Kubernetes defaults an unset minReplicas to 1.
    const lowest = coalesce(minReplicas, 1);
    const ranges = paramItems(params.ranges, "range");
    const rangesSet = any(ranges, (range) => present(range));
    return [
      when(
        and(not(rangesSet), absent(minReplicas), greaterThan(params.minReplicas, 1)),
        msg`HorizontalPodAutoscaler ${object.metadata.name} does not set spec.minReplicas and so may scale down to 1 replica, fewer than the required ${params.minReplicas}`,
      ),
      when(
        and(not(rangesSet), lessThan(minReplicas, params.minReplicas)),
        msg`HorizontalPodAutoscaler ${object.metadata.name} sets spec.minReplicas to ${minReplicas}, fewer than the required ${params.minReplicas}`,
      ),
      when(
        and(not(rangesSet), notEquals(params.maxReplicas, -1), greaterThan(maxReplicas, params.maxReplicas)),
        msg`HorizontalPodAutoscaler ${object.metadata.name} sets spec.maxReplicas to ${maxReplicas}, more than the allowed ${params.maxReplicas}`,
      ),
      when(
        and(rangesSet, not(any(ranges, (range) => and(not(lessThan(lowest, range.minReplicas)), not(greaterThan(maxReplicas, range.maxReplicas)))))),
        msg`HorizontalPodAutoscaler ${object.metadata.name} may scale from ${lowest} to ${maxReplicas} replicas, within none of the allowed ranges (minReplicas ${filtered(ranges, (range) => present(range), (range) => range.minReplicas)} with maxReplicas ${filtered(ranges, (range) => present(range), (range) => range.maxReplicas)}, range by range)`,
      ),
      when(
        and(greaterThan(params.minimumReplicaSpread, 0), differenceBelow(maxReplicas, lowest, params.minimumReplicaSpread)),
        msg`HorizontalPodAutoscaler ${object.metadata.name} may scale from ${lowest} to ${maxReplicas} replicas, a spread of fewer than the required ${params.minimumReplicaSpread}`,
      ),
    ];
  },
});
