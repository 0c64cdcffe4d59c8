import {
  and,
  any,
  containerExemptions,
  containers,
  defineRule,
  forEach,
  items,
  matches,
  msg,
  not,
  notExempt,
  notWindows,
  or,
  when,
  workloads,
} from "../../src/model/index.ts";

/** Capabilities container runtimes grant by default that a container should not keep (Polaris's list). */
export const INSECURE_CAPABILITIES = [
  "NET_ADMIN",
  "CHOWN",
  "DAC_OVERRIDE",
  "FSETID",
  "FOWNER",
  "MKNOD",
  "NET_RAW",
  "SETGID",
  "SETUID",
  "SETFCAP",
  "SETPCAP",
  "NET_BIND_SERVICE",
  "SYS_CHROOT",
  "KILL",
  "AUDIT_WRITE",
];

export default defineRule({
  id: "insecure-capabilities",
  title: "Containers should drop the default capabilities",
  description:
    "Container runtimes grant a set of capabilities by default: CHOWN, DAC_OVERRIDE, NET_RAW (packet spoofing), SETUID and others. A container that does not drop them keeps them. The rule is satisfied when securityContext.capabilities.drop names ALL, or every capability of the insecure set (names compared case-insensitively). Windows pods, which cannot set capabilities, are not checked.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    polaris: "insecureCapabilities",
  },
  remediation:
    "Set securityContext.capabilities.drop: [ALL] and add back only the capabilities the container needs (e.g. NET_BIND_SERVICE).",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const dropped = items(container.securityContext.capabilities.drop, "capability");
      const drops = (name: string) => any(dropped, (capability) => matches(capability, `(?i)^${name}$`));
      return when(
        and(
          notWindows(pod),
          notExempt(container, params),
          not(or(drops("ALL"), and(...INSECURE_CAPABILITIES.map(drops)))),
        ),
        msg`Container ${container.name} keeps insecure capabilities (securityContext.capabilities.drop names neither ALL nor every insecure default capability)`,
      );
    }),
  ],
});
