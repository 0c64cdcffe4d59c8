import { defineRule, isIn, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-wildcard-capabilities",
  title: "PodSecurityPolicy allows adding any capability",
  description:
    "\"*\" in a PodSecurityPolicy's spec.allowedCapabilities lets the pods it admits add every Linux capability, including SYS_ADMIN and NET_ADMIN, which give a container powers close to root on the node.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#capabilities"],
  },
  remediation: "Replace \"*\" in spec.allowedCapabilities with the capabilities the workloads need, or remove the field.",
  checks: ({ object }) => [
    when(
      isIn<string>("*", object.spec.allowedCapabilities),
      msg`PodSecurityPolicy ${object.metadata.name} allows adding any capability (spec.allowedCapabilities includes "*")`,
    ),
  ],
});
