import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "host-network",
  title: "hostNetwork should not be configured",
  description:
    "A pod with spec.hostNetwork: true uses the node's network stack: it can bind node ports, reach services listening on localhost and sniff the node's traffic.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  references: {
    pss: "Host Namespaces",
    polaris: "hostNetworkSet",
    gatekeeper: "pod-security-policy/host-network-ports",
    kyverno: "disallow-host-namespaces",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
  },
  remediation: "Remove spec.hostNetwork from the pod (or pod template), or set it to false.",
  checks: ({ pod, object }) => [
    when(
      equals(pod.spec.hostNetwork, true),
      msg`${object.kind} ${object.metadata.name} uses the host network namespace (spec.hostNetwork is true)`,
    ),
  ],
});
