import { defineRule, forEach, items, msg, present, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "host-path-volumes",
  title: "Pods should not mount hostPath volumes",
  description:
    "A hostPath volume exposes a directory of the node to the pod: writing to it can plant binaries or configuration on the node, and reading it can leak credentials of other workloads.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  references: {
    pss: "HostPath Volumes",
    gatekeeper: "pod-security-policy/host-filesystem",
    kyverno: "disallow-host-path",
  },
  remediation: "Replace the hostPath volume with a persistentVolumeClaim, configMap, secret, emptyDir or another volume type.",
  checks: ({ pod }) => [
    forEach(items(pod.spec.volumes, "volume"), (volume) =>
      when(present(volume.hostPath), msg`Volume ${volume.name} mounts the host path ${volume.hostPath.path}`),
    ),
  ],
});
