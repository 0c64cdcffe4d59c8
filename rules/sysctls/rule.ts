import { defineRule, forEach, items, msg, notIn, when, workloads } from "../../src/model/index.ts";

/** The sysctls the Pod Security Standards baseline profile considers safe (Kubernetes 1.29+). */
export const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

export default defineRule({
  id: "sysctls",
  title: "Pods should set only safe sysctls",
  description:
    "Sysctls outside the safe set are not namespaced or not isolated between pods: setting them can change the behaviour of the whole node and of its other pods.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted"],
  match: workloads,
  params: {
    allowedSysctls: {
      type: "string[]",
      description: "Sysctl names a pod may set.",
      default: SAFE_SYSCTLS,
    },
  },
  references: {
    pss: "Sysctls",
    gatekeeper: "pod-security-policy/forbidden-sysctls",
    kyverno: "restrict-sysctls",
  },
  remediation: "Remove the sysctl from spec.securityContext.sysctls, or allow it with the rule's allowedSysctls parameter.",
  checks: ({ pod, object, params }) => [
    forEach(items(pod.spec.securityContext.sysctls, "sysctl"), (sysctl) =>
      when(
        notIn(sysctl.name, params.allowedSysctls),
        msg`${object.kind} ${object.metadata.name} sets the unsafe sysctl ${sysctl.name}`,
      ),
    ),
  ],
});
