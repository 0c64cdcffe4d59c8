import { defineRule, equals, msg, not, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "automount-service-account-token",
  title: "Pods should not mount a service account token automatically",
  description:
    "Unless the pod spec sets automountServiceAccountToken: false, Kubernetes mounts a token of the pod's service account into every container, and anyone who compromises the container can call the Kubernetes API with it. The rule reads only the pod spec: a ServiceAccount that itself disables automounting is not taken into account.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "automountServiceAccountToken",
    kyverno: "restrict-automount-sa-token",
  },
  remediation:
    "Set spec.automountServiceAccountToken: false in the pod spec; a pod that calls the Kubernetes API can mount a token explicitly through a projected serviceAccountToken volume.",
  checks: ({ pod, object }) => [
    when(
      not(equals(pod.spec.automountServiceAccountToken, false)),
      msg`${object.kind} ${object.metadata.name} does not set automountServiceAccountToken to false`,
    ),
  ],
});
