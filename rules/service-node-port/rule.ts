import type { Service } from "kubernetes-types/core/v1.js";
import { defineRule, equals, kinds, msg, when } from "../../src/model/index.ts";

export default defineRule({
  id: "service-node-port",
  title: "Services should not be of type NodePort",
  description:
    "A NodePort Service opens its port on every node of the cluster, reachable by anyone who can reach a node. Network policies do not filter traffic to node ports, and the node ports range is shared by the whole cluster.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: kinds<Service>({ group: "", version: "v1", kind: "Service" }),
  references: {
    gatekeeper: "general/block-nodeport-services",
    kyverno: "restrict-nodeport",
  },
  remediation: "Use a Service of type ClusterIP behind an Ingress or a Gateway, or a LoadBalancer Service, instead of NodePort.",
  checks: ({ object }) => [
    when(equals(object.spec.type, "NodePort"), msg`Service ${object.metadata.name} is of type NodePort`),
  ],
});
