import { absent, defineRule, equals, msg, or, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "priority-class-name",
  title: "Pods should name a priority class",
  description:
    "Without a priorityClassName a pod gets the cluster's default priority (zero unless a default PriorityClass exists): when the cluster runs short of resources the scheduler may preempt it for less important pods, or fail to make room for it.",
  severity: "low",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "priorityClassNotSet",
  },
  remediation: "Set spec.priorityClassName to a PriorityClass that reflects how important the workload is.",
  checks: ({ pod, object }) => [
    when(
      or(absent(pod.spec.priorityClassName), equals(pod.spec.priorityClassName, "")),
      msg`${object.kind} ${object.metadata.name} does not set spec.priorityClassName`,
    ),
  ],
});
