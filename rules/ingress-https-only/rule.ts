import type { Ingress } from "kubernetes-types/networking/v1.js";
import { any, defineRule, items, kinds, msg, not, present, when } from "../../src/model/index.ts";

export default defineRule({
  id: "ingress-https-only",
  title: "Ingresses should terminate TLS",
  description:
    "An Ingress without a spec.tls section serves its hosts over plain HTTP only: requests, cookies and credentials cross the network unencrypted.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: kinds<Ingress>({ group: "networking.k8s.io", version: "v1", kind: "Ingress" }),
  references: {
    polaris: "tlsSettingsMissing",
  },
  remediation:
    "Add spec.tls with the Ingress's hosts and the Secret holding their certificate (e.g. issued by cert-manager), and have the ingress controller redirect HTTP to HTTPS.",
  checks: ({ object }) => [
    when(
      not(any(items(object.spec.tls, "tls"), (tls) => present(tls))),
      msg`Ingress ${object.metadata.name} does not configure TLS (spec.tls is empty)`,
    ),
  ],
});
