import {
  and,
  containerExemptions,
  containers,
  defineRule,
  equals,
  forEach,
  msg,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "seccomp-unconfined",
  title: "Seccomp profile should not be Unconfined",
  description:
    "Seccomp filters the system calls a container may make. A profile of type Unconfined, on the pod or on a container, switches that filter off and exposes the whole kernel surface.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Seccomp",
    gatekeeper: "pod-security-policy/seccomp",
    kyverno: "restrict-seccomp",
    // gatekeeper-library's successor template: its psp-seccomp-baseline sample is this rule.
    urls: ["https://github.com/open-policy-agent/gatekeeper-library/tree/master/library/pod-security-policy/seccompv2"],
  },
  remediation: "Set seccompProfile.type to RuntimeDefault or Localhost, or remove it, on the pod and on every container.",
  checks: ({ pod, object, params }) => [
    when(
      equals(pod.spec.securityContext.seccompProfile.type, "Unconfined"),
      msg`${object.kind} ${object.metadata.name} sets the pod seccomp profile to Unconfined`,
    ),
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), equals(container.securityContext.seccompProfile.type, "Unconfined")),
        msg`Container ${container.name} sets its seccomp profile to Unconfined`,
      ),
    ),
  ],
});
