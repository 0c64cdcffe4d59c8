import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-host-network",
  title: "PodSecurityPolicy allows using the host network namespace",
  description:
    "A PodSecurityPolicy with spec.hostNetwork: true lets the pods it admits use the node's network namespace: they reach services listening on the node's loopback, bypass network policies and can observe other pods' traffic.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    kics: "a33e9173-b674-4dfb-9d82-cf3754816e4b",
    datadog: "k8s/psp_containers_share_host_network_namespace",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#host-namespaces"],
  },
  remediation: "Set spec.hostNetwork to false in the PodSecurityPolicy, or remove the field.",
  checks: ({ object }) => [
    when(
      equals(object.spec.hostNetwork, true),
      msg`PodSecurityPolicy ${object.metadata.name} allows using the host network namespace (spec.hostNetwork is true)`,
    ),
  ],
});
