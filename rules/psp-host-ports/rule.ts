import { defineRule, forEach, greaterThan, items, kinds, msg, when } from "../../src/model/index.ts";
import { POD_SECURITY_POLICY, type PodSecurityPolicy } from "../../src/model/kinds/policy-v1beta1.ts";

export default defineRule({
  id: "psp-host-ports",
  title: "PodSecurityPolicy allows host ports",
  description:
    "spec.hostPorts lists the ranges of node ports the pods a PodSecurityPolicy admits may bind. A host port exposes the container on the node's own interfaces, outside network policies and Services; without the field no host port is allowed.",
  severity: "medium",
  category: "Security",
  profiles: ["psp"],
  match: kinds<PodSecurityPolicy>(POD_SECURITY_POLICY),
  references: {
    urls: ["https://kubernetes.io/docs/concepts/security/pod-security-policy/#host-namespaces"],
  },
  remediation: "Remove spec.hostPorts from the PodSecurityPolicy and expose the workloads through Services instead.",
  // hostPort 0 means "no host port", so a range ending at 0 grants nothing.
  checks: ({ object }) => [
    forEach(items(object.spec.hostPorts, "range"), (range) =>
      when(
        greaterThan(range.max, 0),
        msg`PodSecurityPolicy ${object.metadata.name} allows host ports ${range.min} to ${range.max}`,
      ),
    ),
  ],
});
