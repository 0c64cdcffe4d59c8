import { and, containers, defineRule, equals, containerExemptions, forEach, msg, notExempt, when, workloads } from "../../src/model/index.ts";

export default defineRule({
  id: "run-as-non-root-user",
  title: "Pods and containers should not set runAsUser to 0",
  description:
    "runAsUser: 0 runs the container's processes as root, whatever the image's USER says. The Pod Security Standards restricted profile forbids it on the pod and on every container; leaving runAsUser unset or any non-zero UID is allowed.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Running as Non-root user (v1.23+)",
    kyverno: "require-run-as-non-root-user",
  },
  remediation: "Remove runAsUser: 0 from the pod and container security contexts, or set a non-zero UID.",
  checks: ({ pod, object, params }) => [
    when(
      equals(pod.spec.securityContext.runAsUser, 0),
      msg`${object.kind} ${object.metadata.name} sets runAsUser to 0 (root) in the pod security context`,
    ),
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), equals(container.securityContext.runAsUser, 0)),
        msg`Container ${container.name} sets securityContext.runAsUser to 0 (root)`,
      ),
    ),
  ],
});
