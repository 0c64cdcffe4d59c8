import { absent, and, defineRule, msg, notEquals, present, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "app-labels-consistent",
  title: "Workloads and their pod templates should carry the same application labels",
  description:
    "Tools that group objects by application (dashboards, cost reports, service meshes, kubectl -l) read the recommended labels app.kubernetes.io/name and app.kubernetes.io/instance. When a workload sets one of them and its pod template sets a different value or none, its pods are counted under another application or under none.",
  severity: "low",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    urls: ["https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/"],
  },
  remediation:
    "Give the pod template (spec.template.metadata.labels) the same app.kubernetes.io/name and app.kubernetes.io/instance values as the workload's own metadata.labels.",
  checks: ({ pod, object }) => {
    const ownName = object.metadata.labels["app.kubernetes.io/name"];
    const podName = pod.metadata.labels["app.kubernetes.io/name"];
    const ownInstance = object.metadata.labels["app.kubernetes.io/instance"];
    const podInstance = pod.metadata.labels["app.kubernetes.io/instance"];
    return [
      when(
        notEquals(ownName, podName),
        msg`${object.kind} ${object.metadata.name} has label app.kubernetes.io/name=${ownName} but its pod template has app.kubernetes.io/name=${podName}`,
      ),
      when(
        and(present(ownName), absent(podName)),
        msg`${object.kind} ${object.metadata.name} has label app.kubernetes.io/name=${ownName} but its pod template does not set it`,
      ),
      when(
        notEquals(ownInstance, podInstance),
        msg`${object.kind} ${object.metadata.name} has label app.kubernetes.io/instance=${ownInstance} but its pod template has app.kubernetes.io/instance=${podInstance}`,
      ),
      when(
        and(present(ownInstance), absent(podInstance)),
        msg`${object.kind} ${object.metadata.name} has label app.kubernetes.io/instance=${ownInstance} but its pod template does not set it`,
      ),
    ];
  },
});
