import { absent, defineRule, equals, forEach, items, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "memory-requests",
  title: "Containers should request memory",
  description:
    "Without a memory request the scheduler places the pod as if it needed no memory: nodes get overcommitted, and under memory pressure the kubelet evicts the pod before those that stay within their requests. Init containers are not checked.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "memoryRequestsMissing",
    gatekeeper: "general/containerrequests",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.requests.memory on every container (e.g. 128Mi), sized from the container's observed usage.",
  checks: ({ pod }) => [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        or(absent(container.resources.requests.memory), equals(container.resources.requests.memory, "")),
        msg`Container ${container.name} does not set resources.requests.memory`,
      ),
    ),
  ],
});
