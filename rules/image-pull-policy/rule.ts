import { absent, containers, defineRule, forEach, msg, notEquals, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "image-pull-policy",
  title: "Containers should pull their image every time they start",
  description:
    "With IfNotPresent or Never a node reuses the image it cached under the tag: nodes can run different code under one tag, and a pod can start from a private image another pod's credentials pulled onto the node. Kubernetes defaults to IfNotPresent for images with a tag other than latest, so the policy must be set explicitly.",
  severity: "low",
  category: "Reliability",
  profiles: ["best-practice"],
  match: workloads,
  references: {
    polaris: "pullPolicyNotAlways",
  },
  remediation: "Set imagePullPolicy: Always on every container.",
  checks: ({ pod }) => [
    forEach(containers(pod), (container) =>
      when(absent(container.imagePullPolicy), msg`Container ${container.name} does not set imagePullPolicy (it must be Always)`),
    ),
    forEach(containers(pod), (container) =>
      when(
        notEquals(container.imagePullPolicy, "Always"),
        msg`Container ${container.name} has imagePullPolicy ${container.imagePullPolicy} instead of Always`,
      ),
    ),
  ],
});
