import { absent, and, defineRule, equals, kinds, msg, not, present, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-privilege-escalation",
  title: "PodSecurityPolicy allows privilege escalation",
  description:
    "Unless a PodSecurityPolicy sets spec.allowPrivilegeEscalation to false, the pods it admits may run with allowPrivilegeEscalation: true, so set-user-ID binaries and file capabilities can raise a process's privileges. The field defaults to allowing escalation.",
  severity: "high",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    kics: "87554eef-154d-411d-bdce-9dbd91e56851",
    datadog: "k8s/psp_allows_privilege_escalation",
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#privilege-escalation"],
  },
  remediation: "Set spec.allowPrivilegeEscalation to false in the PodSecurityPolicy.",
  checks: ({ object }) => [
    when(
      absent(object.spec.allowPrivilegeEscalation),
      msg`PodSecurityPolicy ${object.metadata.name} allows privilege escalation (spec.allowPrivilegeEscalation is not set, and defaults to true)`,
    ),
    when(
      and(present(object.spec.allowPrivilegeEscalation), not(equals(object.spec.allowPrivilegeEscalation, false))),
      msg`PodSecurityPolicy ${object.metadata.name} allows privilege escalation (spec.allowPrivilegeEscalation is ${object.spec.allowPrivilegeEscalation})`,
    ),
  ],
});
