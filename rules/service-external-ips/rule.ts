import type { Service } from "kubernetes-types/core/v1.js";
import { any, defineRule, filtered, items, kinds, msg, notIn, when } from "../../src/model/index.ts";

export default defineRule({
  id: "service-external-ips",
  title: "Services should not set external IPs",
  description:
    "Any user allowed to create a Service can set spec.externalIPs, and the cluster then routes traffic for those addresses to the Service's pods: an attacker can intercept traffic meant for other hosts (CVE-2020-8554).",
  severity: "high",
  category: "Security",
  profiles: ["best-practice"],
  match: kinds<Service>({ group: "", version: "v1", kind: "Service" }),
  params: {
    allowedExternalIPs: {
      type: "string[]",
      description: "External IP addresses a Service may set.",
      default: [],
    },
  },
  references: {
    gatekeeper: "general/externalip",
    kyverno: "restrict-external-ips",
    urls: ["https://github.com/kubernetes/kubernetes/issues/97076"],
  },
  remediation:
    "Remove spec.externalIPs and expose the Service through a LoadBalancer, an Ingress or a Gateway, or allow the addresses with the rule's allowedExternalIPs parameter.",
  checks: ({ object, params }) => {
    const externalIPs = items(object.spec.externalIPs, "ip");
    return [
      when(
        any(externalIPs, (ip) => notIn(ip, params.allowedExternalIPs)),
        msg`Service ${object.metadata.name} sets external IPs that are not allowed: ${filtered(externalIPs, (ip) => notIn(ip, params.allowedExternalIPs))}`,
      ),
    ];
  },
});
