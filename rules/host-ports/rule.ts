import {
  and,
  any,
  atLeast,
  atMost,
  containerExemptions,
  containers,
  defineRule,
  filtered,
  forEach,
  items,
  msg,
  not,
  notEquals,
  notExempt,
  notIn,
  type Path,
  when,
  workloads,
} from "../../src/model/index.ts";
import type { ContainerPort } from "kubernetes-types/core/v1.js";

export default defineRule({
  id: "host-ports",
  title: "Containers should not bind host ports",
  description:
    "A hostPort binds a port on the node's own network interfaces: it bypasses network policies, limits where the pod can be scheduled, and exposes the container beyond the cluster network.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: {
    allowedHostPorts: {
      type: "integer[]",
      description: "Host ports a container may bind.",
      default: [],
    },
    allowedHostPortMin: {
      type: "integer",
      description: "With allowedHostPortMax, a range of host ports a container may bind (0 and 0: no range).",
      default: 0,
    },
    allowedHostPortMax: {
      type: "integer",
      description: "The last port of the allowed range (see allowedHostPortMin).",
      default: 0,
    },
    ...containerExemptions,
  },
  references: {
    pss: "Host Ports",
    polaris: "hostPortSet",
    gatekeeper: "pod-security-policy/host-network-ports",
    kyverno: ["disallow-host-ports", "disallow-host-ports-range"],
  },
  remediation: "Remove hostPort from the container's ports and expose the port through a Service instead.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) => {
      const ports = items(container.ports, "port");
      const disallowed = (port: Path<ContainerPort>) =>
        and(
          notEquals(port.hostPort, 0),
          notIn(port.hostPort, params.allowedHostPorts),
          not(and(atLeast(port.hostPort, params.allowedHostPortMin), atMost(port.hostPort, params.allowedHostPortMax))),
        );
      return when(
        and(notExempt(container, params), any(ports, disallowed)),
        msg`Container ${container.name} binds host ports that are not allowed: ${filtered(ports, disallowed, (port) => port.hostPort)}`,
      );
    }),
  ],
});
