import { checkInitContainers, containerExemptions, defineRule, maximumParam, resourceChecks, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "cpu-limits",
  title: "Containers should set a CPU limit",
  description:
    "Without a CPU limit a container may take every idle CPU cycle of its node: a runaway process slows the other pods there, and the workload's performance depends on its neighbours. Init containers are checked only with the checkInitContainers parameter.",
  severity: "low",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    cpu: maximumParam("The largest CPU limit a container may set (gatekeeper-library containerlimits' cpu)."),
    checkInitContainers,
    ...containerExemptions,
  },
  references: {
    polaris: "cpuLimitsMissing",
    gatekeeper: "general/containerlimits",
  },
  remediation: "Set resources.limits.cpu on every container, at or above its CPU request.",
  checks: ({ pod, params }) =>
    resourceChecks(pod, { field: "limits", resource: "cpu", params, maximum: params.cpu, initContainers: params.checkInitContainers }),
});
