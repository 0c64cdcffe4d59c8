import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-privileged",
  title: "PodSecurityPolicy allows privileged containers",
  description:
    "A PodSecurityPolicy with spec.privileged: true admits privileged containers, which get every capability and access to all of the node's devices: nearly the same power as root on the node.",
  severity: "critical",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    kics: "c48e57d3-d642-4e0b-90db-37f807b41b91",
    datadog: "k8s/psp_set_to_privileged",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#privileged"],
  },
  remediation: "Set spec.privileged to false in the PodSecurityPolicy, or remove the field.",
  checks: ({ object }) => [
    when(
      equals(object.spec.privileged, true),
      msg`PodSecurityPolicy ${object.metadata.name} allows privileged containers (spec.privileged is true)`,
    ),
  ],
});
