import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "host-pid",
  title: "hostPID should not be configured",
  description:
    "A pod with spec.hostPID: true sees every process on the node, can signal them and read their environment and memory through /proc.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  references: {
    pss: "Host Namespaces",
    polaris: "hostPIDSet",
    gatekeeper: "pod-security-policy/host-namespaces",
    kyverno: "disallow-host-namespaces",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
  },
  remediation: "Remove spec.hostPID from the pod (or pod template), or set it to false.",
  checks: ({ pod, object }) => [
    when(
      equals(pod.spec.hostPID, true),
      msg`${object.kind} ${object.metadata.name} shares the host PID namespace (spec.hostPID is true)`,
    ),
  ],
});
