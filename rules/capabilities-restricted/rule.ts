import {
  type Path,
  and,
  any,
  containerExemptions,
  containers,
  defineRule,
  filtered,
  forEach,
  isInCase,
  items,
  matchesPatternCase,
  msg,
  not,
  notExempt,
  notWindows,
  paramItems,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "capabilities-restricted",
  title: "Containers must drop ALL capabilities and add back only NET_BIND_SERVICE",
  description:
    "Even the container runtime's default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...) is more than most workloads need. The restricted profile requires every container to drop ALL capabilities and to add back none but NET_BIND_SERVICE. Windows pods (spec.os.name: windows) are exempt. As gatekeeper-library's capabilities policy, requiredDropCapabilities can name the capabilities to drop instead of ALL (dropping ALL always satisfies it), and allowedCapabilities takes `*` for any capability. Names compare exactly, as Pod Security Admission compares them, unless ignoreCase is set.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: {
    allowedCapabilities: {
      type: "string[]",
      description: "Capabilities a container may add back: names, or a prefix followed by `*` (`*` allows any capability).",
      default: ["NET_BIND_SERVICE"],
    },
    requiredDropCapabilities: {
      type: "string[]",
      description: "Capabilities every container must drop; a container that drops ALL drops them all.",
      default: ["ALL"],
    },
    ignoreCase: {
      type: "boolean",
      description:
        "Compare capability names regardless of letter case (`all` drops ALL), as container runtimes and gatekeeper-library do; Pod Security Admission compares them exactly.",
      default: false,
    },
    ...containerExemptions,
  },
  references: {
    pss: "Capabilities (v1.22+)",
    gatekeeper: "pod-security-policy/capabilities",
    kyverno: ["disallow-capabilities-strict", "require-drop-all"],
  },
  remediation:
    "Add ALL to securityContext.capabilities.drop on every container and keep securityContext.capabilities.add to NET_BIND_SERVICE at most.",
  checks: ({ pod, params }) => {
    const linux = notWindows(pod);
    const required = () => paramItems(params.requiredDropCapabilities, "required");
    return [
      forEach(containers(pod), (container) =>
        when(
          and(
            linux,
            notExempt(container, params),
            isInCase(params.ignoreCase, "ALL", params.requiredDropCapabilities),
            not(isInCase(params.ignoreCase, "ALL", container.securityContext.capabilities.drop)),
          ),
          msg`Container ${container.name} does not drop ALL capabilities`,
        ),
      ),
      forEach(containers(pod), (container) => {
        const dropped = container.securityContext.capabilities.drop;
        const notDropped = (capability: Path<string>) => not(isInCase(params.ignoreCase, capability, dropped));
        return when(
          and(
            linux,
            notExempt(container, params),
            not(isInCase(params.ignoreCase, "ALL", params.requiredDropCapabilities)),
            not(isInCase(params.ignoreCase, "ALL", dropped)),
            any(required(), notDropped),
          ),
          msg`Container ${container.name} does not drop ALL capabilities nor the required ${filtered(required(), notDropped)}`,
        );
      }),
      forEach(containers(pod), (container) => {
        const added = items(container.securityContext.capabilities.add, "capability");
        const disallowed = (capability: Path<string>) =>
          and(present(capability), not(matchesPatternCase(params.ignoreCase, capability, params.allowedCapabilities)));
        return when(
          and(linux, notExempt(container, params), any(added, disallowed)),
          msg`Container ${container.name} adds capabilities that are not allowed: ${filtered(added, disallowed)}`,
        );
      }),
    ];
  },
});
