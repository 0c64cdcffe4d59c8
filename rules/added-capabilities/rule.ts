import {
  type Path,
  and,
  any,
  containerExemptions,
  containers,
  defineRule,
  filtered,
  forEach,
  items,
  matchesPatternCase,
  msg,
  not,
  notExempt,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";

/** The capabilities the Pod Security Standards baseline profile allows a container to add. */
export const BASELINE_CAPABILITIES = [
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
];

export default defineRule({
  id: "added-capabilities",
  title: "Containers should not add capabilities beyond the baseline set",
  description:
    "Linux capabilities such as SYS_ADMIN or NET_ADMIN give a container powers close to root on the node. The Pod Security Standards baseline profile allows only a short list of harmless ones to be added. Names compare exactly, as Pod Security Admission compares them, unless ignoreCase is set.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: {
    ...containerExemptions,
    allowedCapabilities: {
      type: "string[]",
      description: "Capabilities a container may add: names, or a prefix followed by `*` (`*` allows any capability).",
      default: BASELINE_CAPABILITIES,
    },
    ignoreCase: {
      type: "boolean",
      description:
        "Compare capability names regardless of letter case (`chown` is CHOWN), as container runtimes and gatekeeper-library do; Pod Security Admission compares them exactly.",
      default: false,
    },
  },
  references: {
    pss: "Capabilities",
    polaris: "dangerousCapabilities",
    gatekeeper: "pod-security-policy/capabilities",
    kyverno: "disallow-capabilities",
  },
  remediation:
    "Remove the capabilities that are not in the allowed list from securityContext.capabilities.add, or allow them explicitly with the rule's allowedCapabilities parameter.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const added = items(container.securityContext.capabilities.add, "capability");
      const disallowed = (capability: Path<string>) =>
        and(present(capability), not(matchesPatternCase(params.ignoreCase, capability, params.allowedCapabilities)));
      return when(
        and(notExempt(container, params), any(added, disallowed)),
        msg`Container ${container.name} adds capabilities that are not allowed: ${filtered(added, disallowed)}`,
      );
    }),
  ],
});
