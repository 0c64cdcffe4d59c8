import {
  and,
  containerExemptions,
  containers,
  defineRule,
  entries,
  equals,
  forEach,
  msg,
  not,
  notExempt,
  notIn,
  or,
  startsWith,
  when,
  workloads,
} from "../../src/model/index.ts";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const ALLOWED_PROFILE_TYPES = ["RuntimeDefault", "Localhost"];

export default defineRule({
  id: "apparmor",
  title: "AppArmor profile should not be overridden to unconfined",
  description:
    "AppArmor confines what a container may do on the node. Setting a container's profile to anything other than the runtime default or a profile loaded on the node (through the beta annotations or securityContext.appArmorProfile) removes that confinement.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: { ...containerExemptions },
  references: {
    pss: "AppArmor",
    gatekeeper: "pod-security-policy/apparmor",
    kyverno: "restrict-apparmor-profiles",
  },
  remediation:
    "Use securityContext.appArmorProfile.type RuntimeDefault or Localhost (or the annotation values runtime/default or localhost/<profile>), or leave the profile unset.",
  checks: ({ pod, object, params }) => [
    forEach(entries(pod.metadata.annotations, "annotation"), (annotation) =>
      when(
        and(
          startsWith(annotation.key, ANNOTATION_PREFIX),
          not(or(equals(annotation.value, "runtime/default"), startsWith(annotation.value, "localhost/"))),
        ),
        msg`Annotation ${annotation.key} sets AppArmor profile ${annotation.value} (only runtime/default and localhost/* are allowed)`,
      ),
    ),
    when(
      notIn(pod.spec.securityContext.appArmorProfile.type, ALLOWED_PROFILE_TYPES),
      msg`${object.kind} ${object.metadata.name} sets the pod AppArmor profile type to ${pod.spec.securityContext.appArmorProfile.type}`,
    ),
    forEach(containers(pod), (container) =>
      when(
        and(notExempt(container, params), notIn(container.securityContext.appArmorProfile.type, ALLOWED_PROFILE_TYPES)),
        msg`Container ${container.name} sets its AppArmor profile type to ${container.securityContext.appArmorProfile.type}`,
      ),
    ),
  ],
});
