import {
  and,
  annotationProfileAllowed,
  any,
  concat,
  containerExemptions,
  containers,
  defineRule,
  entries,
  equals,
  fieldProfileAllowed,
  forEach,
  msg,
  not,
  notExempt,
  present,
  profileParams,
  startsWith,
  unless,
  when,
  workloads,
} from "../../src/model/index.ts";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const PROFILE_NAMES = { runtimeDefault: ["runtime/default"], unconfined: ["unconfined"] };

export default defineRule({
  id: "apparmor",
  title: "AppArmor profile should not be overridden to unconfined",
  description:
    "AppArmor confines what a container may do on the node. Setting a container's profile to anything other than the runtime default or a profile loaded on the node (through the beta annotations or securityContext.appArmorProfile) removes that confinement. A profile left unset is always allowed.",
  severity: "high",
  category: "Security",
  profiles: ["pss-baseline", "pss-restricted", "best-practice"],
  match: workloads,
  params: {
    ...profileParams("AppArmor", { allowedProfiles: ["runtime/default", "localhost/*"], allowedLocalhostFiles: ["*"] }),
    ...containerExemptions,
  },
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
          not(annotationProfileAllowed(annotation.value, PROFILE_NAMES, params)),
          // The annotation of an exempt container is left alone, as the container's field is.
          unless(any(containers(pod), (container) => and(equals(annotation.key, concat(ANNOTATION_PREFIX, container.name)), not(notExempt(container, params))))),
        ),
        msg`Annotation ${annotation.key} sets AppArmor profile ${annotation.value} (allowed profiles: ${params.allowedProfiles})`,
      ),
    ),
    when(
      and(present(pod.spec.securityContext.appArmorProfile.type), not(fieldProfileAllowed(pod.spec.securityContext.appArmorProfile, PROFILE_NAMES, params))),
      msg`${object.kind} ${object.metadata.name} sets the pod AppArmor profile type to ${pod.spec.securityContext.appArmorProfile.type}`,
    ),
    forEach(containers(pod), (container) =>
      when(
        and(
          notExempt(container, params),
          present(container.securityContext.appArmorProfile.type),
          not(fieldProfileAllowed(container.securityContext.appArmorProfile, PROFILE_NAMES, params)),
        ),
        msg`Container ${container.name} sets its AppArmor profile type to ${container.securityContext.appArmorProfile.type}`,
      ),
    ),
  ],
});
