import {
  absent,
  and,
  containerExemptions,
  containers,
  defineRule,
  fieldProfileAllowed,
  forEach,
  isIn,
  msg,
  not,
  notExempt,
  notWindows,
  or,
  present,
  profileParams,
  when,
  workloads,
} from "../../src/model/index.ts";

const PROFILE_NAMES = { runtimeDefault: ["runtime/default", "docker/default"], unconfined: ["unconfined"] };

export default defineRule({
  id: "seccomp-restricted",
  title: "Containers must run with the RuntimeDefault or a Localhost seccomp profile",
  description:
    "Without a seccomp profile a container may make any system call, exposing the whole kernel surface. The restricted profile requires every container to run under RuntimeDefault or a Localhost profile, set on the container or inherited from the pod; both Unconfined and the absence of a profile are refused. Windows pods (spec.os.name: windows) are exempt.",
  severity: "medium",
  category: "Security",
  profiles: ["pss-restricted"],
  match: workloads,
  params: {
    ...profileParams("Seccomp", { allowedProfiles: ["RuntimeDefault", "Localhost"], allowedLocalhostFiles: ["*"] }),
    ...containerExemptions,
  },
  references: {
    pss: "Seccomp (v1.19+)",
    gatekeeper: "pod-security-policy/seccompv2",
    kyverno: "restrict-seccomp-strict",
  },
  remediation:
    "Set spec.securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a localhostProfile) on the pod, and do not override it with another type on a container.",
  // A container without its own profile inherits the pod's: a disallowed pod-level type is
  // reported once, on the pod, and a container only for its own type or when neither sets one.
  // As in gatekeeper-library's seccompv2, an allowedProfiles entry "not configured" allows
  // neither to set one, and "*" allows every profile and none.
  checks: ({ pod, object, params }) => {
    const linux = notWindows(pod);
    const podProfile = pod.spec.securityContext.seccompProfile;
    return [
      when(
        and(linux, present(podProfile.type), not(fieldProfileAllowed(podProfile, PROFILE_NAMES, params))),
        msg`${object.kind} ${object.metadata.name} sets the pod seccomp profile type to ${podProfile.type} (allowed profiles: ${params.allowedProfiles}. Allowed Localhost files: ${params.allowedLocalhostFiles})`,
      ),
      forEach(containers(pod), (container) => {
        const profile = container.securityContext.seccompProfile;
        return when(
          and(linux, notExempt(container, params), present(profile.type), not(fieldProfileAllowed(profile, PROFILE_NAMES, params))),
          msg`Container ${container.name} sets its seccomp profile type to ${profile.type} (allowed profiles: ${params.allowedProfiles}. Allowed Localhost files: ${params.allowedLocalhostFiles})`,
        );
      }),
      forEach(containers(pod), (container) =>
        when(
          and(
            linux,
            notExempt(container, params),
            absent(container.securityContext.seccompProfile.type),
            absent(podProfile.type),
            not(or(isIn<string>("not configured", params.allowedProfiles), isIn<string>("*", params.allowedProfiles))),
          ),
          msg`Container ${container.name} has no seccomp profile (set seccompProfile.type to RuntimeDefault or Localhost on the container or the pod)`,
        ),
      ),
    ];
  },
});
