import { containerExemptions, defineRule, maximumParam, resourceChecks, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "ephemeral-storage-limits",
  title: "Containers should limit their ephemeral storage",
  description:
    "Without an ephemeral-storage limit a container can fill its node's disk with logs, emptyDir data and writes to its own filesystem, until the kubelet evicts pods under disk pressure. Ephemeral containers cannot set resources and are not checked.",
  severity: "low",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    ephemeralStorage: maximumParam("The largest ephemeral-storage limit a container may set (gatekeeper-library ephemeralstoragelimit's ephemeral-storage)."),
    ...containerExemptions,
  },
  references: {
    gatekeeper: "general/ephemeralstoragelimit",
  },
  remediation: "Set resources.limits.ephemeral-storage on every container and init container (e.g. 1Gi).",
  checks: ({ pod, params }) =>
    resourceChecks(pod, { field: "limits", resource: "ephemeral-storage", params, maximum: params.ephemeralStorage }),
});
