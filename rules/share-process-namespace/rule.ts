import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "share-process-namespace",
  title: "Pods should not share one process namespace between containers",
  description:
    "With shareProcessNamespace every container sees and can signal the processes of the others, and reads their environment and files through /proc: a compromised sidecar reaches the main container's secrets.",
  severity: "medium",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    urls: ["https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/"],
  },
  remediation: "Remove spec.shareProcessNamespace or set it to false; debug a running pod with an ephemeral container instead.",
  checks: ({ pod, object }) => [
    when(
      equals(pod.spec.shareProcessNamespace, true),
      msg`${object.kind} ${object.metadata.name} shares one process namespace between its containers (spec.shareProcessNamespace is true)`,
    ),
  ],
});
