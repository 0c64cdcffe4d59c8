import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-host-pid",
  title: "PodSecurityPolicy allows sharing the host PID namespace",
  description:
    "A PodSecurityPolicy with spec.hostPID: true lets the pods it admits share the node's process namespace: they can see every process on the node and, with ptrace, escalate out of the container.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    kics: "91dacd0e-d189-4a9c-8272-5999a3cc32d9",
    datadog: "k8s/psp_allows_sharing_host_pid",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#host-namespaces"],
  },
  remediation: "Set spec.hostPID to false in the PodSecurityPolicy, or remove the field.",
  checks: ({ object }) => [
    when(
      equals(object.spec.hostPID, true),
      msg`PodSecurityPolicy ${object.metadata.name} allows sharing the host PID namespace (spec.hostPID is true)`,
    ),
  ],
});
