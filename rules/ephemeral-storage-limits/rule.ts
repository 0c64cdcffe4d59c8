import { absent, defineRule, equals, forEach, items, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "ephemeral-storage-limits",
  title: "Containers should limit their ephemeral storage",
  description:
    "Without an ephemeral-storage limit a container can fill its node's disk with logs, emptyDir data and writes to its own filesystem, until the kubelet evicts pods under disk pressure. Ephemeral containers cannot set resources and are not checked.",
  severity: "low",
  category: "Efficiency",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    gatekeeper: "general/ephemeralstoragelimit",
  },
  remediation: "Set resources.limits.ephemeral-storage on every container and init container (e.g. 1Gi).",
  checks: ({ pod }) => [
    forEach(items(pod.spec.containers, "container"), (container) =>
      when(
        or(absent(container.resources.limits["ephemeral-storage"]), equals(container.resources.limits["ephemeral-storage"], "")),
        msg`Container ${container.name} does not set resources.limits.ephemeral-storage`,
      ),
    ),
    forEach(items(pod.spec.initContainers, "container"), (container) =>
      when(
        or(absent(container.resources.limits["ephemeral-storage"]), equals(container.resources.limits["ephemeral-storage"], "")),
        msg`Init container ${container.name} does not set resources.limits.ephemeral-storage`,
      ),
    ),
  ],
});
