import {
  and,
  any,
  containers,
  defineRule,
  containerExemptions,
  filtered,
  forEach,
  items,
  matches,
  msg,
  notExempt,
  when,
  workloads,
} from "../../src/model/index.ts";

// Container runtimes upper-case capability names, so `sys_admin` grants SYS_ADMIN too.
const DANGEROUS = "(?i)^(ALL|SYS_ADMIN|NET_ADMIN)$";

export default defineRule({
  id: "dangerous-capabilities",
  title: "Containers should not add ALL, SYS_ADMIN or NET_ADMIN",
  description:
    "SYS_ADMIN allows mounting filesystems and most other administrative operations, NET_ADMIN allows reconfiguring the pod's network (interfaces, routes, firewall rules), and ALL grants every capability: each brings a container close to root on the node.",
  severity: "high",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    polaris: "dangerousCapabilities",
  },
  remediation: "Remove ALL, SYS_ADMIN and NET_ADMIN from securityContext.capabilities.add.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const added = items(container.securityContext.capabilities.add, "capability");
      return when(
        and(notExempt(container, params), any(added, (capability) => matches(capability, DANGEROUS))),
        msg`Container ${container.name} adds dangerous capabilities: ${filtered(added, (capability) => matches(capability, DANGEROUS))}`,
      );
    }),
  ],
});
