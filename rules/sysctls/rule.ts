import { and, defineRule, forEach, items, matchesPattern, msg, not, present, when, workloads } from "../../src/model/index.ts";

// The sysctls the Pod Security Standards baseline profile considers safe, as the standard grew.
const SAFE_SYSCTLS_1_0 = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range"];
const SAFE_SYSCTLS_1_27 = [...SAFE_SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports"];
const SAFE_SYSCTLS_1_29 = [...SAFE_SYSCTLS_1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
/** The sysctls the latest Pod Security Standards baseline profile considers safe (Kubernetes 1.32+). */
export const SAFE_SYSCTLS = [...SAFE_SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];

export default defineRule({
  id: "sysctls",
  title: "Pods should set only safe sysctls",
  description:
    "Sysctls outside the safe set are not namespaced or not isolated between pods: setting them can change the behaviour of the whole node and of its other pods. A pattern in allowedSysctls or forbiddenSysctls is a sysctl name, or a prefix followed by `*` (`net.*`, or `*` for every sysctl), as gatekeeper-library's forbidden-sysctls reads them; a forbidden sysctl is refused even when allowed.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted"],
  match: workloads,
  params: {
    allowedSysctls: {
      type: "string[]",
      description: "Sysctls (names or `prefix*` patterns, `*` for all) a pod may set.",
      default: SAFE_SYSCTLS,
      earlierDefaults: [
        { before: "v1.27", default: SAFE_SYSCTLS_1_0 },
        { before: "v1.29", default: SAFE_SYSCTLS_1_27 },
        { before: "v1.32", default: SAFE_SYSCTLS_1_29 },
      ],
    },
    forbiddenSysctls: {
      type: "string[]",
      description: "Sysctls (names or `prefix*` patterns, `*` for all) a pod may not set, even when allowedSysctls allows them.",
      default: [],
    },
  },
  references: {
    pss: "Sysctls",
    gatekeeper: "pod-security-policy/forbidden-sysctls",
    kyverno: "restrict-sysctls",
  },
  remediation:
    "Remove the sysctl from spec.securityContext.sysctls, or allow it with the rule's allowedSysctls parameter (and take it out of forbiddenSysctls).",
  // One violation per sysctl: a forbidden one is reported as forbidden, whether allowed or not.
  checks: ({ pod, object, params }) => [
    forEach(items(pod.spec.securityContext.sysctls, "sysctl"), (sysctl) =>
      when(
        matchesPattern(sysctl.name, params.forbiddenSysctls),
        msg`${object.kind} ${object.metadata.name} sets the forbidden sysctl ${sysctl.name}`,
      ),
    ),
    forEach(items(pod.spec.securityContext.sysctls, "sysctl"), (sysctl) =>
      when(
        and(
          present(sysctl.name),
          not(matchesPattern(sysctl.name, params.forbiddenSysctls)),
          not(matchesPattern(sysctl.name, params.allowedSysctls)),
        ),
        msg`${object.kind} ${object.metadata.name} sets the unsafe sysctl ${sysctl.name}`,
      ),
    ),
  ],
});
