import { checkInitContainers, containerExemptions, defineRule, maximumParam, resourceChecks, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "memory-requests",
  title: "Containers should request memory",
  description:
    "Without a memory request the scheduler places the pod as if it needed no memory: nodes get overcommitted, and under memory pressure the kubelet evicts the pod before those that stay within their requests. Init containers are checked only with the checkInitContainers parameter.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    memory: maximumParam("The largest memory request a container may set (gatekeeper-library containerrequests' memory)."),
    checkInitContainers,
    ...containerExemptions,
  },
  references: {
    polaris: "memoryRequestsMissing",
    gatekeeper: "general/containerrequests",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.requests.memory on every container (e.g. 128Mi), sized from the container's observed usage.",
  checks: ({ pod, params }) =>
    resourceChecks(pod, { field: "requests", resource: "memory", params, maximum: params.memory, initContainers: params.checkInitContainers }),
});
