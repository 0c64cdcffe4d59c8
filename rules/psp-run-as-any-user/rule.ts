import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-run-as-any-user",
  title: "PodSecurityPolicy allows containers to run as any user",
  description:
    "With spec.runAsUser.rule RunAsAny a PodSecurityPolicy admits containers running as any UID, root included. MustRunAsNonRoot, or MustRunAs with ranges that exclude 0, keeps root out.",
  severity: "medium",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#users-and-groups"],
  },
  remediation: "Set spec.runAsUser.rule to MustRunAsNonRoot, or to MustRunAs with UID ranges that do not include 0.",
  checks: ({ object }) => [
    when(
      equals(object.spec.runAsUser.rule, "RunAsAny"),
      msg`PodSecurityPolicy ${object.metadata.name} allows containers to run as any user, root included (spec.runAsUser.rule is RunAsAny)`,
    ),
  ],
});
