import {
  and,
  any,
  containers,
  defineRule,
  containerExemptions,
  forEach,
  items,
  msg,
  notEquals,
  notExempt,
  notIn,
  when,
  workloads,
} from "../../src/model/index.ts";

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
    ...containerExemptions,
  },
  references: {
    pss: "Host Ports",
    polaris: "hostPortSet",
    gatekeeper: "pod-security-policy/host-network-ports",
    kyverno: "disallow-host-ports",
  },
  remediation: "Remove hostPort from the container's ports and expose the port through a Service instead.",
  checks: ({ pod, params }) => [
    forEach(containers(pod), (container) =>
      when(
        and(
          notExempt(container, params),
          any(items(container.ports, "port"), (port) =>
            and(notEquals(port.hostPort, 0), notIn(port.hostPort, params.allowedHostPorts)),
          ),
        ),
        msg`Container ${container.name} binds a host port that is not allowed`,
      ),
    ),
  ],
});
