import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "host-ipc",
  title: "hostIPC should not be configured",
  description:
    "A pod with spec.hostIPC: true shares the node's IPC namespace, so a compromised container can read and write the shared memory of every other process on the node.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  references: {
    pss: "Host Namespaces",
    polaris: "hostIPCSet",
    gatekeeper: "pod-security-policy/host-namespaces",
    kyverno: "disallow-host-namespaces",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
  },
  remediation: "Remove spec.hostIPC from the pod (or pod template), or set it to false.",
  checks: ({ pod, object }) => [
    when(
      equals(pod.spec.hostIPC, true),
      msg`${object.kind} ${object.metadata.name} shares the host IPC namespace (spec.hostIPC is true)`,
    ),
  ],
});
