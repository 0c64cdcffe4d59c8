import {
  absent,
  and,
  containerExemptions,
  containers,
  defineRule,
  equals,
  forEach,
  msg,
  not,
  notExempt,
  notWindows,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "privilege-escalation",
  title: "Containers should not allow privilege escalation",
  description:
    "Unless allowPrivilegeEscalation is false, the kernel's no_new_privs flag is not set and a process in the container can gain more privileges than its parent, e.g. through set-user-ID binaries. The field defaults to allowing escalation, so the restricted profile requires it to be set to false explicitly. Windows pods (spec.os.name: windows) are exempt.",
  severity: "high",
  category: "Security",
  profiles: ["pss-restricted", "best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Privilege Escalation (v1.8+)",
    polaris: "privilegeEscalationAllowed",
    gatekeeper: "pod-security-policy/allow-privilege-escalation",
    kyverno: "disallow-privilege-escalation",
  },
  remediation: "Set securityContext.allowPrivilegeEscalation to false on every container, init container and ephemeral container.",
  checks: ({ pod, params }) => {
    const linux = notWindows(pod);
    return [
      forEach(containers(pod), (container) =>
        when(
          and(linux, notExempt(container, params), absent(container.securityContext.allowPrivilegeEscalation)),
          msg`Container ${container.name} does not set securityContext.allowPrivilegeEscalation to false`,
        ),
      ),
      forEach(containers(pod), (container) =>
        when(
          and(
            linux,
            notExempt(container, params),
            present(container.securityContext.allowPrivilegeEscalation),
            not(equals(container.securityContext.allowPrivilegeEscalation, false)),
          ),
          msg`Container ${container.name} sets securityContext.allowPrivilegeEscalation to ${container.securityContext.allowPrivilegeEscalation}`,
        ),
      ),
    ];
  },
});
