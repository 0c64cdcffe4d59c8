import {
  all,
  and,
  containerExemptions,
  containers,
  defineRule,
  forEach,
  isInIgnoringCase,
  msg,
  not,
  notExempt,
  notWindows,
  or,
  paramItems,
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
    "Container runtimes grant a set of capabilities by default: CHOWN, DAC_OVERRIDE, NET_RAW (packet spoofing), SETUID and others. A container that does not drop them keeps them. The rule is satisfied when securityContext.capabilities.drop names ALL, or every capability of the insecure set, requiredDropCapabilities (names compared case-insensitively). Windows pods, which cannot set capabilities, are not checked.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  params: {
    requiredDropCapabilities: {
      type: "string[]",
      description: "The insecure capabilities a container must drop unless it drops ALL (names compared regardless of case).",
      default: INSECURE_CAPABILITIES,
    },
    ...containerExemptions,
  },
  references: {
    polaris: "insecureCapabilities",
  },
  remediation:
    "Set securityContext.capabilities.drop: [ALL] and add back only the capabilities the container needs (e.g. NET_BIND_SERVICE).",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const dropped = container.securityContext.capabilities.drop;
      const dropsAll = isInIgnoringCase("ALL", dropped);
      const dropsRequired = all(paramItems(params.requiredDropCapabilities, "required"), (required) => isInIgnoringCase(required, dropped));
      return when(
        and(notWindows(pod), notExempt(container, params), not(or(dropsAll, dropsRequired))),
        msg`Container ${container.name} keeps insecure capabilities (securityContext.capabilities.drop names neither ALL nor every insecure default capability)`,
      );
    }),
  ],
});
