import {
  and,
  any,
  containerExemptions,
  containers,
  defineRule,
  filtered,
  forEach,
  isIn,
  items,
  msg,
  not,
  notExempt,
  notIn,
  notWindows,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "capabilities-restricted",
  title: "Containers must drop ALL capabilities and add back only NET_BIND_SERVICE",
  description:
    "Even the container runtime's default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...) is more than most workloads need. The restricted profile requires every container to drop ALL capabilities and to add back none but NET_BIND_SERVICE. Windows pods (spec.os.name: windows) are exempt.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: {
    allowedCapabilities: {
      type: "string[]",
      description: "Capabilities a container may add back after dropping ALL.",
      default: ["NET_BIND_SERVICE"],
    },
    ...containerExemptions,
  },
  references: {
    pss: "Capabilities (v1.22+)",
    gatekeeper: "pod-security-policy/capabilities",
    kyverno: "disallow-capabilities-strict",
  },
  remediation:
    "Add ALL to securityContext.capabilities.drop on every container and keep securityContext.capabilities.add to NET_BIND_SERVICE at most.",
  checks: ({ pod, params }) => {
    const linux = notWindows(pod);
    return [
      forEach(containers(pod), (container) =>
        when(
          and(linux, notExempt(container, params), not(isIn<string>("ALL", container.securityContext.capabilities.drop))),
          msg`Container ${container.name} does not drop ALL capabilities`,
        ),
      ),
      forEach(containers(pod), (container) => {
        const added = items(container.securityContext.capabilities.add, "capability");
        return when(
          and(
            linux,
            notExempt(container, params),
            any(added, (capability) => notIn(capability, params.allowedCapabilities)),
          ),
          msg`Container ${container.name} adds capabilities that are not allowed: ${filtered(added, (capability) => notIn(capability, params.allowedCapabilities))}`,
        );
      }),
    ];
  },
});
