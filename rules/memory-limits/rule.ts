import { checkInitContainers, containerExemptions, defineRule, maximumParam, resourceChecks, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "memory-limits",
  title: "Containers should set a memory limit",
  description:
    "Without a memory limit a leaking container can consume its node's memory until the kernel's OOM killer ends processes, possibly those of other pods. Init containers are checked only with the checkInitContainers parameter.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    memory: maximumParam("The largest memory limit a container may set (gatekeeper-library containerlimits' memory)."),
    checkInitContainers,
    ...containerExemptions,
  },
  references: {
    polaris: "memoryLimitsMissing",
    gatekeeper: "general/containerlimits",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.limits.memory on every container, at or above its memory request.",
  checks: ({ pod, params }) =>
    resourceChecks(pod, { field: "limits", resource: "memory", params, maximum: params.memory, initContainers: params.checkInitContainers }),
});
