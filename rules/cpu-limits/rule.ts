import { absent, defineRule, equals, forEach, items, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "cpu-limits",
  title: "Containers should set a CPU limit",
  description:
    "Without a CPU limit a container may take every idle CPU cycle of its node: a runaway process slows the other pods there, and the workload's performance depends on its neighbours. Init containers are not checked.",
  severity: "low",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "cpuLimitsMissing",
    gatekeeper: "general/containerlimits",
  },
  remediation: "Set resources.limits.cpu on every container, at or above its CPU request.",
  checks: ({ pod }) => [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        or(absent(container.resources.limits.cpu), equals(container.resources.limits.cpu, "")),
        msg`Container ${container.name} does not set resources.limits.cpu`,
      ),
    ),
  ],
});
