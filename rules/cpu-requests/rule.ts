import { checkInitContainers, containerExemptions, defineRule, maximumParam, resourceChecks, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "cpu-requests",
  title: "Containers should request CPU",
  description:
    "Without a CPU request the scheduler places the pod as if it needed no CPU: nodes get overcommitted, the container gets the smallest CPU share when the node is busy, and the cluster autoscaler cannot tell that more nodes are needed. Init containers are checked only with the checkInitContainers parameter.",
  severity: "medium",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    cpu: maximumParam("The largest CPU request a container may set (gatekeeper-library containerrequests' cpu)."),
    checkInitContainers,
    ...containerExemptions,
  },
  references: {
    polaris: "cpuRequestsMissing",
    gatekeeper: "general/containerrequests",
    kyverno: "require-requests-limits",
  },
  remediation: "Set resources.requests.cpu on every container (e.g. 100m), sized from the container's observed usage.",
  checks: ({ pod, params }) =>
    resourceChecks(pod, { field: "requests", resource: "cpu", params, maximum: params.cpu, initContainers: params.checkInitContainers }),
});
