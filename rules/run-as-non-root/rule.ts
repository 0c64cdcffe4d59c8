import {
  absent,
  and,
  containers,
  defineRule,
  equals,
  containerExemptions,
  forEach,
  msg,
  not,
  notExempt,
  present,
  when,
  workloads,
} from "../../src/model/index.ts";

export default defineRule({
  id: "run-as-non-root",
  title: "Containers must be required to run as non-root",
  description:
    "With runAsNonRoot: true the kubelet refuses to start a container whose user is root (UID 0). Every container must have it set to true, on the container or inherited from the pod, and neither may set it to false. Windows pods are not exempt.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted", "best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Running as Non-root",
    polaris: "runAsRootAllowed",
    kyverno: "require-run-as-nonroot",
  },
  remediation:
    "Set spec.securityContext.runAsNonRoot to true on the pod (or securityContext.runAsNonRoot on every container), remove any runAsNonRoot: false, and build the image with a numeric non-root USER.",
  // A container that leaves the field unset inherits the pod's value, so a pod-level non-true
  // value is reported once, on the pod, and a container only for its own value or when neither sets one.
  checks: ({ pod, object, params }) => {
    const podValue = pod.spec.securityContext.runAsNonRoot;
    return [
      when(
        and(present(podValue), not(equals(podValue, true))),
        msg`${object.kind} ${object.metadata.name} sets runAsNonRoot to ${podValue} in the pod security context`,
      ),
      forEach(containers(pod), (container) =>
        when(
          and(
            notExempt(container, params),
            present(container.securityContext.runAsNonRoot),
            not(equals(container.securityContext.runAsNonRoot, true)),
          ),
          msg`Container ${container.name} sets securityContext.runAsNonRoot to ${container.securityContext.runAsNonRoot}`,
        ),
      ),
      forEach(containers(pod), (container) =>
        when(
          and(notExempt(container, params), absent(container.securityContext.runAsNonRoot), absent(podValue)),
          msg`Container ${container.name} is not required to run as non-root (runAsNonRoot is set neither on the container nor on the pod)`,
        ),
      ),
    ];
  },
});
