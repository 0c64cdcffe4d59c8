import { absent, defineRule, equals, forEach, items, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "cpu-requests",
  title: "Containers should request CPU",
  description:
    "Without a CPU request the scheduler places the pod as if it needed no CPU: nodes get overcommitted, the container gets the smallest CPU share when the node is busy, and the cluster autoscaler cannot tell that more nodes are needed. Init containers are not checked.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "cpuRequestsMissing",
    gatekeeper: "general/containerrequests",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.requests.cpu on every container (e.g. 100m), sized from the container's observed usage.",
  checks: ({ pod }) => [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        or(absent(container.resources.requests.cpu), equals(container.resources.requests.cpu, "")),
        msg`Container ${container.name} does not set resources.requests.cpu`,
      ),
    ),
  ],
});
