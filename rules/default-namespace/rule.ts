import { defineRule, equals, msg, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "default-namespace",
  title: "Workloads should not run in the default namespace",
  description:
    "The default namespace is where everything lands that names no namespace: workloads there share their RBAC grants, resource quotas and network policies with whatever else ends up there. The rule reads metadata.namespace as written: an object that names no namespace is not checked.",
  severity: "low",
  category: "Security",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    kyverno: "disallow-default-namespace",
  },
  remediation: "Create a namespace for the application and deploy the workload there.",
  checks: ({ object }) => [
    when(
      equals(object.metadata.namespace, "default"),
      msg`${object.kind} ${object.metadata.name} runs in the default namespace`,
    ),
  ],
});
