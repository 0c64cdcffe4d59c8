import {
  absent,
  and,
  containerExemptions,
  containers,
  defineRule,
  forEach,
  msg,
  notExempt,
  notIn,
  notWindows,
  when,
  workloads,
} from "../../src/model/index.ts";

const ALLOWED_PROFILE_TYPES = ["RuntimeDefault", "Localhost"];

export default defineRule({
  id: "seccomp-restricted",
  title: "Containers must run with the RuntimeDefault or a Localhost seccomp profile",
  description:
    "Without a seccomp profile a container may make any system call, exposing the whole kernel surface. The restricted profile requires every container to run under RuntimeDefault or a Localhost profile, set on the container or inherited from the pod; both Unconfined and the absence of a profile are refused. Windows pods (spec.os.name: windows) are exempt.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "Seccomp (v1.19+)",
    gatekeeper: "pod-security-policy/seccompv2",
    kyverno: "restrict-seccomp-strict",
  },
  remediation:
    "Set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a localhostProfile) on the pod, and do not override it with another type on a container.",
  // A container without its own profile inherits the pod's: a disallowed pod-level type is
  // reported once, on the pod, and a container only for its own type or when neither sets one.
  checks: ({ pod, object, params }) => {
    const linux = notWindows(pod);
    const podType = pod.spec.securityContext.seccompProfile.type;
    return [
      when(
        and(linux, notIn(podType, ALLOWED_PROFILE_TYPES)),
        msg`${object.kind} ${object.metadata.name} sets the pod seccomp profile type to ${podType} (only RuntimeDefault and Localhost are allowed)`,
      ),
      forEach(containers(pod), (container) =>
        when(
          and(linux, notExempt(container, params), notIn(container.securityContext.seccompProfile.type, ALLOWED_PROFILE_TYPES)),
          msg`Container ${container.name} sets its seccomp profile type to ${container.securityContext.seccompProfile.type} (only RuntimeDefault and Localhost are allowed)`,
        ),
      ),
      forEach(containers(pod), (container) =>
        when(
          and(linux, notExempt(container, params), absent(container.securityContext.seccompProfile.type), absent(podType)),
          msg`Container ${container.name} has no seccomp profile (set seccompProfile.type to RuntimeDefault or Localhost on the container or the pod)`,
        ),
      ),
    ];
  },
});
