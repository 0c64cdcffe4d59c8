import { absent, defineRule, equals, forEach, items, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "memory-limits",
  title: "Containers should set a memory limit",
  description:
    "Without a memory limit a leaking container can consume its node's memory until the kernel's OOM killer ends processes, possibly those of other pods. Init containers are not checked.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "memoryLimitsMissing",
    gatekeeper: "general/containerlimits",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.limits.memory on every container, at or above its memory request.",
  checks: ({ pod }) => [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        or(absent(container.resources.limits.memory), equals(container.resources.limits.memory, "")),
        msg`Container ${container.name} does not set resources.limits.memory`,
      ),
    ),
  ],
});
